package feeds

import (
	"fmt"
	"strconv"

	gorilla "github.com/gorilla/feeds"

	"github.com/feedsmith/feedsmith/article"
)

// atomFeed wraps gorilla's AtomFeed; a field here with the same XML name
// shadows gorilla's. Gorilla falls short of RFC 4287 and the W3C validator:
//   - one <link> only: the feed needs rel="self", rel="alternate" (readers
//     such as newsboat take the site link only from it) and rel="hub";
//   - <id> is the site link: it must be a stable IRI of this feed, which the
//     Atom URL is (the site link is shared with the RSS and JSON feeds);
//   - no xml:lang and no <generator>;
//   - text escaped by encoding/xml (see textElem).
type atomFeed struct {
	Title    *textElem          `xml:"title"`
	Subtitle *textElem          `xml:"subtitle,omitempty"`
	Links    []gorilla.AtomLink `xml:"link"`
	*gorilla.AtomFeed
	Lang      string         `xml:"xml:lang,attr,omitempty"`
	Generator *atomGenerator `xml:"generator,omitempty"`
	Entries   []*atomEntry   `xml:"entry"`
}

// atomEntry wraps gorilla's AtomEntry, which has one category string, an
// html summary, no <published> and at most one enclosure.
type atomEntry struct {
	Title *textElem          `xml:"title"`
	Links []gorilla.AtomLink `xml:"link"`
	*gorilla.AtomEntry
	// Authors shadows gorilla's one author: RFC 4287 §4.1.2 allows any
	// number.
	Authors    []*gorilla.AtomAuthor `xml:"author"`
	Categories []atomCategory        `xml:"category"`
	// Summary is plain text: "type" defaults to text (RFC 4287 §3.1.1).
	Summary *textElem `xml:"summary,omitempty"`
	// Content is HTML, escaped: type="html".
	Content *textElem `xml:"content,omitempty"`
}

// atomCategory is RFC 4287 §4.2.2: "term" is required, "label" is for
// people.
type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// atomGenerator is RFC 4287 §4.2.4.
type atomGenerator struct {
	URI     string `xml:"uri,attr,omitempty"`
	Version string `xml:"version,attr,omitempty"`
	Name    string `xml:",chardata"`
}

// Atom renders ch and items as an Atom 1.0 document (RFC 4287), newest
// entry first. ch.AtomURL is required: it is the feed's id and self link;
// so is ch.Updated when there are no items.
func Atom(ch Channel, items []article.Article) ([]byte, error) {
	d, err := newDocument(ch, items)
	if err != nil {
		return nil, err
	}
	if err := d.ch.requireURL("AtomURL", d.ch.AtomURL); err != nil {
		return nil, err
	}
	if d.updated.IsZero() {
		// RFC 4287 §4.2.15: a feed has an <updated>, and the clock is no
		// answer (the bytes would change on every build).
		return nil, fmt.Errorf("feeds: channel %q: no items and Channel.Updated is zero", d.ch.ID)
	}
	return marshalXML(d.atom())
}

func (d *document) atom() *atomFeed {
	ch := d.ch
	g := (&gorilla.Atom{Feed: d.gorillaFeed()}).AtomFeed()
	g.Id = ch.AtomURL
	g.Updated = rfc3339(d.updated)
	// RFC 4287 §4.1.1: a feed needs an author unless every entry has one.
	name := ch.Author.displayName()
	if name == "" {
		name = ch.Title
	}
	g.Author = &gorilla.AtomAuthor{AtomPerson: gorilla.AtomPerson{Name: name, Email: ch.Author.Email, Uri: ch.Author.URL}}

	f := &atomFeed{
		Title:    plainText(ch.Title),
		Subtitle: plainText(ch.Description),
		AtomFeed: g,
		Lang:     ch.Language,
		Entries:  make([]*atomEntry, 0, len(g.Entries)),
	}
	if ch.SiteURL != "" {
		f.Links = append(f.Links, gorilla.AtomLink{Href: ch.SiteURL, Rel: "alternate", Type: "text/html"})
	}
	f.Links = append(f.Links, gorilla.AtomLink{Href: ch.AtomURL, Rel: "self", Type: "application/atom+xml"})
	if ch.Hub != "" {
		f.Links = append(f.Links, gorilla.AtomLink{Href: ch.Hub, Rel: "hub"})
	}
	if gen, version := ch.generator(); gen != "" {
		f.Generator = &atomGenerator{URI: ch.GeneratorURI, Version: version, Name: gen}
	}
	for i, ge := range g.Entries {
		f.Entries = append(f.Entries, atomEntryOf(&d.entries[i], ge))
	}
	return f
}

func atomEntryOf(e *entry, g *gorilla.AtomEntry) *atomEntry {
	g.Id = e.id
	g.Published = rfc3339(e.published)
	g.Updated = updatedDate(e.updated)
	// gorilla's Links is named "Links" to encoding/xml (a slice field
	// without a tag), so ours does not shadow it: clear it instead.
	g.Links = nil
	g.Author = nil
	x := &atomEntry{
		Title:     &textElem{Inner: plainEscaper.Replace(e.title)},
		AtomEntry: g,
		Summary:   plainText(e.summary),
		Content:   markupText("html", e.content),
	}
	for _, p := range e.authors {
		x.Authors = append(x.Authors, &gorilla.AtomAuthor{AtomPerson: gorilla.AtomPerson{Name: p.displayName(), Email: p.Email}})
	}
	if e.link != "" {
		x.Links = append(x.Links, gorilla.AtomLink{Href: e.link, Rel: "alternate", Type: e.linkType})
	} else if x.Content == nil {
		// RFC 4287 §4.1.1.1: without an alternate link, content is required.
		x.Content = markupText("html", textHTML(e.summary))
	}
	if e.via != "" {
		// RFC 4287 §4.2.7.2: "via" is the source of the entry's content.
		x.Links = append(x.Links, gorilla.AtomLink{Href: e.via, Rel: "via"})
	}
	for _, enc := range e.enclosures {
		l := gorilla.AtomLink{Href: enc.URL, Rel: "enclosure", Type: enc.Type}
		if enc.Length > 0 {
			l.Length = strconv.FormatInt(enc.Length, 10)
		}
		x.Links = append(x.Links, l)
	}
	for _, t := range e.terms {
		c := atomCategory{Term: t.Term}
		if t.Label != t.Term {
			c.Label = t.Label
		}
		x.Categories = append(x.Categories, c)
	}
	return x
}
