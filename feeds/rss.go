package feeds

import (
	"cmp"
	"strconv"

	gorilla "github.com/gorilla/feeds"

	"github.com/feedsmith/feedsmith/article"
)

const (
	atomNS = "http://www.w3.org/2005/Atom"
	dcNS   = "http://purl.org/dc/elements/1.1/"
)

// rssDoc wraps gorilla's <rss> element, which declares no atom or dc
// namespace; a field here with the same XML name shadows gorilla's.
type rssDoc struct {
	*gorilla.RssFeedXml
	AtomNS  string      `xml:"xmlns:atom,attr"`
	DCNS    string      `xml:"xmlns:dc,attr,omitempty"`
	Channel *rssChannel `xml:"channel"`
}

// rssChannel wraps gorilla's channel, which has no <atom:link rel="self">
// (the RSS Advisory Board's and W3C's recommendation) or rel="hub", and
// drops empty item lists. The W3C validator wants channel elements before
// the items ("MisplacedItem"): encoding/xml writes fields that shadow
// gorilla's at their own place, so the order here is the document's.
type rssChannel struct {
	Title       *textElem `xml:"title"`
	Link        string    `xml:"link"`
	Description *textElem `xml:"description"`
	*gorilla.RssFeed
	AtomLinks []rssAtomLink `xml:"atom:link"`
	Items     []*rssItem    `xml:"item"`
}

type rssAtomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

// rssItem wraps gorilla's item, which writes an empty <link>, the author's
// name where RSS wants an address, one category, and its enclosure only
// when the length is known. <description> must come before
// <content:encoded> ("NeedDescriptionBeforeContent"), hence both here.
type rssItem struct {
	Title       *textElem           `xml:"title,omitempty"`
	Link        string              `xml:"link,omitempty"`
	Description *textElem           `xml:"description,omitempty"`
	Content     *gorilla.RssContent `xml:"content:encoded,omitempty"`
	*gorilla.RssItem
	Creators []string `xml:"dc:creator"`
	// Source is the original a mirrored item credits, as dc:source:
	// RSS's own <source> names the channel the item came from, by its
	// feed's URL, which a mirror does not know.
	Source     string      `xml:"dc:source,omitempty"`
	Categories []*textElem `xml:"category"`
}

// RSS renders ch and items as an RSS 2.0 document, newest item first.
// ch.RSSURL is required: it is the atom:link rel="self".
func RSS(ch Channel, items []article.Article) ([]byte, error) {
	d, err := newDocument(ch, items)
	if err != nil {
		return nil, err
	}
	if err := d.ch.requireURL("RSSURL", d.ch.RSSURL); err != nil {
		return nil, err
	}
	return marshalXML(d.rss())
}

func (d *document) rss() *rssDoc {
	ch := d.ch
	g := (&gorilla.Rss{Feed: d.gorillaFeed()}).RssFeed()
	g.Language = ch.Language
	g.ManagingEditor = ch.Author.rssAuthor()
	g.PubDate, g.LastBuildDate = "", ""
	if !d.updated.IsZero() {
		g.PubDate = rfc822(d.published)
		g.LastBuildDate = rfc822(d.updated)
	}
	g.Generator = ch.Generator
	g.Docs = "https://www.rssboard.org/rss-specification"
	g.Ttl = ch.ttlMinutes()

	c := &rssChannel{
		Title: plainText(ch.Title),
		// RSS requires a channel link; without a site, the feed itself.
		Link:        cmp.Or(ch.SiteURL, ch.RSSURL),
		Description: plainText(cmp.Or(ch.Description, ch.Title)),
		RssFeed:     g,
		AtomLinks:   []rssAtomLink{{Href: ch.RSSURL, Rel: "self", Type: "application/rss+xml"}},
		Items:       make([]*rssItem, 0, len(g.Items)),
	}
	if ch.Hub != "" {
		c.AtomLinks = append(c.AtomLinks, rssAtomLink{Href: ch.Hub, Rel: "hub"})
	}
	doc := &rssDoc{RssFeedXml: g.FeedXml().(*gorilla.RssFeedXml), AtomNS: atomNS, Channel: c}
	for i, gi := range g.Items {
		it := rssItemOf(&d.entries[i], gi)
		if len(it.Creators) > 0 || it.Source != "" {
			doc.DCNS = dcNS
		}
		c.Items = append(c.Items, it)
	}
	return doc
}

func rssItemOf(e *entry, g *gorilla.RssItem) *rssItem {
	perma := "false"
	if e.id == e.link {
		perma = "true"
	}
	g.Guid = &gorilla.RssGuid{Id: e.id, IsPermaLink: perma}
	g.PubDate = rfc822(e.published)
	g.Author = ""
	if len(e.authors) == 1 {
		// RSS has one <author>, an address; several go to dc:creator.
		g.Author = e.author.rssAuthor()
	}
	g.Enclosure = nil
	// One enclosure only: the W3C validator warns about more
	// ("DuplicateEnclosure"), and most podcast clients take the first.
	if len(e.enclosures) > 0 {
		x := e.enclosures[0]
		g.Enclosure = &gorilla.RssEnclosure{Url: x.URL, Type: x.Type, Length: strconv.FormatInt(x.Length, 10)}
	}
	g.Source = ""
	it := &rssItem{
		Title:   plainText(e.title),
		Link:    e.link,
		RssItem: g,
		Source:  e.via,
	}
	if g.Author == "" {
		for _, p := range e.authors {
			it.Creators = append(it.Creators, p.displayName())
		}
	}
	// <description> is HTML in RSS: the plain summary is escaped into it.
	if e.summary != "" {
		it.Description = markupText("", textHTML(e.summary))
	} else {
		it.Description = markupText("", e.content)
	}
	if e.content != "" {
		it.Content = &gorilla.RssContent{Content: e.content}
	}
	for _, t := range e.terms {
		it.Categories = append(it.Categories, plainText(t.Term))
	}
	return it
}
