package feeds

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

// entry is an article made ready for every format: text cleaned, URLs in
// normal form (or dropped when not absolute), dates settled and an id
// unique within the document.
type entry struct {
	src        article.Article
	id         string
	title      string
	link       string
	linkType   string // of link: text/html, "" when not the article's page
	via        string // the original a mirrored article credits
	summary    string // plain text
	content    string // HTML
	image      string
	author     Person   // the first of authors
	authors    []Person // every author, in order
	published  time.Time
	updated    time.Time
	terms      []term
	enclosures []enclosure
}

type term struct{ Term, Label string }

type enclosure struct {
	URL, Type string
	Length    int64
}

// document is what the three formats are rendered from.
type document struct {
	ch        Channel
	entries   []entry
	updated   time.Time // latest entry update, else Channel.Updated
	published time.Time // newest entry's publication, else Channel.Updated
}

// newDocument prepares ch and items: entries sorted newest first, with
// their ids.
func newDocument(ch Channel, items []article.Article) (*document, error) {
	ch, err := ch.normalize()
	if err != nil {
		return nil, err
	}
	d := &document{ch: ch, updated: ch.Updated, published: ch.Updated}
	d.entries = make([]entry, 0, len(items))
	for _, a := range items {
		e, err := newEntry(ch, a)
		if err != nil {
			return nil, err
		}
		d.entries = append(d.entries, e)
	}
	slices.SortStableFunc(d.entries, newestFirst)
	distinctUpdated(d.entries)
	assignIDs(d.entries)
	for i, e := range d.entries {
		if i == 0 || e.updated.After(d.updated) {
			d.updated = e.updated
		}
		if i == 0 {
			d.published = e.published
		}
	}
	return d, nil
}

// newestFirst orders entries by publication, newest first, then by id and
// link so that equal dates still give one order.
func newestFirst(a, b entry) int {
	if c := b.published.Compare(a.published); c != 0 {
		return c
	}
	if c := strings.Compare(a.src.ID, b.src.ID); c != 0 {
		return c
	}
	return strings.Compare(a.src.Link, b.src.Link)
}

func newEntry(ch Channel, a article.Article) (entry, error) {
	e := entry{
		src:     a,
		title:   strings.TrimSpace(clean(a.Title)),
		summary: strings.TrimSpace(clean(a.Summary)),
		content: strings.TrimSpace(clean(a.Content)),
	}
	for _, name := range a.AuthorList() {
		if p := parsePerson(clean(name)); p != (Person{}) {
			e.authors = append(e.authors, p)
		}
	}
	if len(e.authors) > 0 {
		e.author = e.authors[0]
	}
	e.link, _ = canonicalURI(a.Link, "http", "https")
	if e.link != "" {
		e.linkType = "text/html"
	}
	if e.via, _ = canonicalURI(a.Via, "http", "https"); e.via == e.link {
		e.via = ""
	}
	e.image, _ = canonicalURI(a.Image, "http", "https")

	// A source without dates gets its first-seen time from the store, so a
	// zero Published is rare; Updated before Published is a source's error.
	e.published, e.updated = a.Published, a.Updated
	if e.published.IsZero() {
		e.published = e.updated
	}
	if e.published.IsZero() {
		e.published = ch.Updated
	}
	if e.published.IsZero() {
		return e, fmt.Errorf("feeds: channel %q: article %q has no date and Channel.Updated is zero", ch.ID, a.ID)
	}
	if e.updated.IsZero() || e.updated.Before(e.published) {
		e.updated = e.published
	}

	e.terms = terms(ch, a)
	e.enclosures = enclosures(a)
	e.repair(ch)
	return e, nil
}

// terms are the article's category ids, then its tags, without blanks or
// repeats.
func terms(ch Channel, a article.Article) []term {
	var ts []term
	seen := map[string]bool{}
	for _, t := range slices.Concat(a.Categories, a.Tags) {
		t = strings.TrimSpace(clean(t))
		if t != "" && !seen[t] {
			seen[t] = true
			ts = append(ts, term{Term: t, Label: ch.label(t)})
		}
	}
	return ts
}

// enclosures keeps the article's enclosures with an absolute URL; a
// missing or malformed media type becomes application/octet-stream, which
// every format requires.
func enclosures(a article.Article) []enclosure {
	var xs []enclosure
	for _, x := range a.Enclosures {
		u, ok := canonicalURI(x.URL, "http", "https")
		if !ok {
			continue
		}
		typ := strings.TrimSpace(x.Type)
		if !mediaType.MatchString(typ) {
			typ = "application/octet-stream"
		}
		xs = append(xs, enclosure{URL: u, Type: typ, Length: max(x.Length, 0)})
	}
	return xs
}

var (
	mediaType = regexp.MustCompile(`^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$`)
	// email is the address shape the W3C validator accepts without a DNS
	// lookup.
	email        = regexp.MustCompile(`^[A-Za-z0-9_+.'-]+@(([0-9]{1,3}\.){3}|([A-Za-z0-9-]+\.)+)[A-Za-z0-9][A-Za-z0-9-]*$`)
	emailAndName = regexp.MustCompile(`^(\S+@\S+)\s*\((.*)\)$`)
	nameAndEmail = regexp.MustCompile(`^(.*?)\s*<(\S+@\S+)>$`)
)

// parsePerson reads an author string: "Name", "email", "email (Name)" or
// "Name <email>". An address that does not look valid stays in the name.
func parsePerson(s string) Person {
	s = strings.TrimSpace(s)
	var p Person
	switch m := emailAndName.FindStringSubmatch(s); {
	case m != nil && email.MatchString(m[1]):
		p = Person{Name: m[2], Email: m[1]}
	case email.MatchString(s):
		p = Person{Email: s}
	default:
		if m := nameAndEmail.FindStringSubmatch(s); m != nil && email.MatchString(m[2]) {
			p = Person{Name: m[1], Email: m[2]}
		} else {
			p = Person{Name: s}
		}
	}
	p.Name = strings.TrimSpace(p.Name)
	return p
}

// rssAuthor is the RSS <author> form "email (Name)", or "" when the
// person cannot be written so that validators accept it.
func (p Person) rssAuthor() string {
	if p.Name == "" || !email.MatchString(p.Email) || strings.ContainsAny(p.Name, "()\\\"") {
		return ""
	}
	return p.Email + " (" + p.Name + ")"
}

// displayName is the name to show: the name, else the address.
func (p Person) displayName() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Email
}

// rfc3339 formats t with its own offset. An offset with seconds (local
// mean time) cannot be written in RFC 3339, so t is then given in UTC.
func rfc3339(t time.Time) string {
	if _, off := t.Zone(); off%60 != 0 {
		t = t.UTC()
	}
	return t.Format(time.RFC3339)
}

// rfc822 formats t as RSS wants (RFC 822 with a four-digit year and a
// numeric zone). The W3C validator accepts only zones of whole or half
// hours ("ProblematicalRFC822Date" otherwise), so others are given in UTC.
func rfc822(t time.Time) string {
	if _, off := t.Zone(); off%1800 != 0 {
		t = t.UTC()
	}
	return t.Format(time.RFC1123Z)
}
