package feeds

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The repairs below make a valid item of every article a source accepts,
// the same in the three formats, from what the article has and nothing
// else. What they guard against:
//   - RSS: an item needs a title or a description (W3C
//     "ItemMustContainTitleOrDescription"), and newsboat makes up its own
//     title for an item without one;
//   - Atom: an entry needs a title, content or an alternate link (RFC 4287
//     §4.1.1, W3C "MissingContentOrAlternate"), a summary or content
//     ("MissingTextualContent"), and an updated time no other entry of the
//     feed has ("DuplicateUpdated");
//   - readers: an item without a link cannot be opened (feedparser and
//     newsboat warn), and JSON Feed wants content_html or content_text.

// titleLen is the length, in characters, of a title made from the text.
const titleLen = 80

// repair fills what e lacks, once its dates are settled.
func (e *entry) repair(ch Channel) {
	if e.link == "" {
		e.link = fallbackLink(ch, e)
	}
	if e.title == "" {
		e.title = derivedTitle(e)
	}
	if e.content == "" && e.summary == "" {
		e.content = fallbackContent(e)
	}
}

// fallbackLink is the link of an article that has none: its first
// enclosure (a podcast episode without a page is its audio), else the
// page its source lists it on, else the site the feed is published on.
func fallbackLink(ch Channel, e *entry) string {
	if len(e.enclosures) > 0 {
		return e.enclosures[0].URL
	}
	if u, ok := canonicalURI(ch.SourceLinks[e.src.SourceID], "http", "https"); ok {
		return u
	}
	u, _ := canonicalURI(ch.SiteURL, "http", "https")
	return u
}

// derivedTitle is the title of an article that has none: the first words
// of its text, else of its enclosure's file name, else its date, which
// every article has by now.
func derivedTitle(e *entry) string {
	if t := firstWords(e.summary, titleLen); t != "" {
		return t
	}
	return e.published.Format("2006-01-02 15:04")
}

// firstWords cuts s to max characters, at a space when one is in the
// second half, and marks the cut with "…".
func firstWords(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut, n := 0, 0
	for i := range s {
		if n == max {
			cut = i
			break
		}
		n++
	}
	head := s[:cut]
	if i := strings.LastIndexFunc(head, unicode.IsSpace); i > len(head)/2 {
		head = head[:i]
	}
	return strings.TrimRightFunc(head, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
}

// fallbackContent is the content of an article with neither text nor
// summary: a link to each enclosure, else to the article, named by its
// title; the reader sees what the item offers.
func fallbackContent(e *entry) string {
	var b strings.Builder
	for _, x := range e.enclosures {
		b.WriteString(`<p><a href="` + textHTML(x.URL) + `">` + textHTML(e.title) + `</a> (` + textHTML(x.Type) + `)</p>`)
	}
	if b.Len() == 0 {
		b.WriteString(`<p><a href="` + textHTML(e.link) + `">` + textHTML(e.title) + `</a></p>`)
	}
	return b.String()
}

// distinctUpdated gives the entries (newest first) updated times that are
// distinct in whole seconds as RFC 3339 writes them, where W3C's
// "DuplicateUpdated" compares them: of entries sharing a second, the one
// published first keeps it, and each later one is a millisecond after the
// one before it. Published and updated lose their fractions first, which
// the formats never showed.
func distinctUpdated(es []entry) {
	used := make(map[string]bool, len(es))
	order := make([]*entry, len(es))
	for i := range es {
		e := &es[i]
		e.published = e.published.Truncate(time.Second)
		e.updated = e.updated.Truncate(time.Second)
		order[len(es)-1-i] = e // oldest first
	}
	for _, e := range order {
		for used[updatedDate(e.updated)] {
			e.updated = e.updated.Add(time.Millisecond)
		}
		used[updatedDate(e.updated)] = true
	}
}

// updatedDate is rfc3339 with the milliseconds distinctUpdated may add
// (none are written when there are none).
func updatedDate(t time.Time) string {
	if _, off := t.Zone(); off%60 != 0 {
		t = t.UTC()
	}
	return t.Format("2006-01-02T15:04:05.999Z07:00")
}
