package feeds

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	gorilla "github.com/gorilla/feeds"

	"github.com/feedsmith/feedsmith/article"
)

// jsonFeed wraps gorilla's JSONFeed, whose "items" is omitted when empty
// although JSON Feed 1.1 requires it; in encoding/json a field here with the
// same JSON name shadows gorilla's.
type jsonFeed struct {
	*gorilla.JSONFeed
	Items []*jsonItem `json:"items"`
}

// jsonItem wraps gorilla's JSONItem, which falls short of JSON Feed 1.1:
// it drops content_html when the content is empty (an item needs
// content_html or content_text), writes dates with fractional seconds
// through time.Time (which fails on years past 9999), and has attachments
// with a "size" key instead of "size_in_bytes", in an int32.
type jsonItem struct {
	*gorilla.JSONItem
	ContentHTML   string           `json:"content_html"`
	DatePublished string           `json:"date_published,omitempty"`
	DateModified  string           `json:"date_modified,omitempty"`
	Attachments   []jsonAttachment `json:"attachments,omitempty"`
}

// jsonAttachment is JSON Feed 1.1's attachment; mime_type is required and
// size_in_bytes is omitted when unknown.
type jsonAttachment struct {
	URL         string `json:"url"`
	MIMEType    string `json:"mime_type"`
	SizeInBytes int64  `json:"size_in_bytes,omitempty"`
}

// JSON renders ch and items as a JSON Feed 1.1 document, newest item first,
// with Chinese text and HTML unescaped. ch.JSONURL is required: it is the
// feed_url.
func JSON(ch Channel, items []article.Article) ([]byte, error) {
	d, err := newDocument(ch, items)
	if err != nil {
		return nil, err
	}
	if err := d.ch.requireURL("JSONURL", d.ch.JSONURL); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d.jsonFeed()); err != nil {
		return nil, fmt.Errorf("feeds: encode json: %w", err)
	}
	return b.Bytes(), nil
}

func (d *document) jsonFeed() *jsonFeed {
	ch := d.ch
	g := (&gorilla.JSON{Feed: d.gorillaFeed()}).JSONFeed()
	g.HomePageUrl = ch.SiteURL
	g.FeedUrl = ch.JSONURL
	g.Language = ch.Language
	g.Author, g.Authors = nil, nil
	// "author" is deprecated in 1.1 but still read by 1.0 readers; both may
	// be present.
	if a := jsonAuthor(Person{Name: ch.Author.Name, URL: ch.Author.URL}); a != nil {
		g.Author, g.Authors = a, []*gorilla.JSONAuthor{a}
	}
	if ch.Hub != "" {
		g.Hubs = []*gorilla.JSONHub{{Type: "WebSub", Url: ch.Hub}}
	}
	f := &jsonFeed{JSONFeed: g, Items: make([]*jsonItem, 0, len(g.Items))}
	for i, gi := range g.Items {
		f.Items = append(f.Items, jsonItemOf(&d.entries[i], gi))
	}
	return f
}

func jsonItemOf(e *entry, g *gorilla.JSONItem) *jsonItem {
	g.Id = e.id
	g.Url = e.link
	g.ExternalUrl = e.via
	g.PublishedDate, g.ModifiedDate = nil, nil
	if e.image != "" {
		g.Image = e.image
	}
	g.Author, g.Authors = nil, nil
	for _, p := range e.authors {
		if a := jsonAuthor(Person{Name: p.displayName()}); a != nil {
			g.Authors = append(g.Authors, a)
		}
	}
	if len(g.Authors) > 0 {
		g.Author = g.Authors[0] // 1.0's one author
	}
	for _, t := range e.terms {
		g.Tags = append(g.Tags, t.Term)
	}
	it := &jsonItem{
		JSONItem:      g,
		ContentHTML:   e.content,
		DatePublished: rfc3339(e.published),
		DateModified:  updatedDate(e.updated),
	}
	if it.ContentHTML == "" {
		it.ContentHTML = textHTML(e.summary)
	}
	for _, x := range e.enclosures {
		it.Attachments = append(it.Attachments, jsonAttachment{URL: x.URL, MIMEType: x.Type, SizeInBytes: x.Length})
	}
	return it
}

// jsonAuthor is nil for a person with neither name nor URL: an empty
// author object is an error in JSON Feed.
func jsonAuthor(p Person) *gorilla.JSONAuthor {
	if strings.TrimSpace(p.Name) == "" && p.URL == "" {
		return nil
	}
	return &gorilla.JSONAuthor{Name: p.Name, Url: p.URL}
}
