package sources

import (
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// atomTranslator is gofeed's, with the authors RFC 4287 §4.2.1 gives an
// entry: its own atom:author elements (and dc:creator, which some
// publishers use instead), else those of its atom:source, else the
// feed's. gofeed keeps only the entry's own.
type atomTranslator struct{ gofeed.DefaultAtomTranslator }

func (t *atomTranslator) Translate(doc any) (*gofeed.Feed, error) {
	feed, err := t.DefaultAtomTranslator.Translate(doc)
	af, ok := doc.(*atom.Feed)
	if err != nil || !ok || len(af.Entries) != len(feed.Items) {
		return feed, err
	}
	for i, e := range af.Entries {
		if e == nil || feed.Items[i] == nil {
			continue
		}
		ps := append(atomPeople(e.Authors), creators(e.Extensions)...)
		if len(ps) == 0 && e.Source != nil {
			ps = atomPeople(e.Source.Authors)
		}
		if len(ps) == 0 {
			ps = atomPeople(af.Authors)
		}
		feed.Items[i].Authors = ps
	}
	return feed, nil
}

// rssTranslator is gofeed's, keeping every author of an item (gofeed
// keeps the first of author, dc:author and dc:creator) and taking a
// permalink guid as the link of an item that has none, as readers do
// (RSS 2.0: isPermaLink defaults to true). It finds the images gofeed
// finds in the HTML of the feed and its items with firstImage, which
// seldom needs to parse it.
type rssTranslator struct{}

func (t *rssTranslator) Translate(doc any) (*gofeed.Feed, error) {
	rf, ok := doc.(*rss.Feed)
	if !ok || rf == nil {
		return (&gofeed.DefaultRSSTranslator{}).Translate(doc)
	}
	feed, err := (&gofeed.DefaultRSSTranslator{DisableContentImageScan: true}).Translate(doc)
	if err != nil || len(rf.Items) != len(feed.Items) {
		// Not one item for one: translate again with gofeed's own scan.
		return (&gofeed.DefaultRSSTranslator{}).Translate(doc)
	}
	if feed.Image == nil {
		feed.Image = firstImage(rf.Description)
	}
	for i, ri := range rf.Items {
		it := feed.Items[i]
		if ri == nil || it == nil {
			continue
		}
		if it.Image == nil {
			// gofeed's order: the content, then the description.
			if it.Image = firstImage(ri.Content); it.Image == nil {
				it.Image = firstImage(ri.Description)
			}
		}
		if ps := rssPeople(ri); len(ps) > 0 {
			it.Authors = ps
		}
		if strings.TrimSpace(it.Link) == "" && len(it.Links) == 0 && ri.GUID != nil && permalink(ri.GUID) {
			it.Link = strings.TrimSpace(ri.GUID.Value)
		}
	}
	return feed, nil
}

// permalink reports whether guid is a permalink to the item: isPermaLink
// absent or "true", and an absolute http(s) URL (a guid that says it is
// a permalink but is not a URL is only an id).
func permalink(guid *rss.GUID) bool {
	if p := strings.TrimSpace(guid.IsPermalink); p != "" && !strings.EqualFold(p, "true") {
		return false
	}
	u, err := url.Parse(strings.TrimSpace(guid.Value))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// rssPeople are an RSS item's <author>, dc:creator and dc:author, in that
// order; itunes:author only when there is none of those.
func rssPeople(ri *rss.Item) []*gofeed.Person {
	var ps []*gofeed.Person
	if strings.TrimSpace(ri.Author) != "" {
		ps = append(ps, personOf(ri.Author))
	}
	if dc := ri.DublinCoreExt; dc != nil {
		for _, s := range append(append([]string(nil), dc.Creator...), dc.Author...) {
			if strings.TrimSpace(s) != "" {
				ps = append(ps, personOf(s))
			}
		}
	}
	if len(ps) == 0 && ri.ITunesExt != nil && strings.TrimSpace(ri.ITunesExt.Author) != "" {
		ps = append(ps, personOf(ri.ITunesExt.Author))
	}
	return ps
}

// creators are the dc:creator elements of an Atom entry.
func creators(x ext.Extensions) []*gofeed.Person {
	var ps []*gofeed.Person
	for _, c := range x["dc"]["creator"] {
		if strings.TrimSpace(c.Value) != "" {
			ps = append(ps, personOf(c.Value))
		}
	}
	return ps
}

func atomPeople(in []*atom.Person) []*gofeed.Person {
	var ps []*gofeed.Person
	for _, p := range in {
		if p != nil {
			ps = append(ps, &gofeed.Person{Name: p.Name, Email: p.Email})
		}
	}
	return ps
}

// personOf reads "Name", "email", "email (Name)" or "Name <email>" as
// gofeed's translator does.
func personOf(s string) *gofeed.Person {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") && strings.Contains(s[:i], "@") {
		return &gofeed.Person{Name: strings.TrimSpace(s[i+1 : len(s)-1]), Email: strings.TrimSpace(s[:i])}
	}
	if i := strings.IndexByte(s, '<'); i > 0 && strings.HasSuffix(s, ">") && strings.Contains(s[i:], "@") {
		return &gofeed.Person{Name: strings.TrimSpace(s[:i]), Email: strings.TrimSpace(s[i+1 : len(s)-1])}
	}
	if !strings.ContainsAny(s, " \t") && strings.Contains(s, "@") {
		return &gofeed.Person{Email: s}
	}
	return &gofeed.Person{Name: s}
}
