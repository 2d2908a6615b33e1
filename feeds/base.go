package feeds

import (
	"encoding/xml"
	"fmt"
	"strconv"

	gorilla "github.com/gorilla/feeds"
)

// gorillaFeed builds the gorilla/feeds document the three formats start
// from. Every item has an id and dates, so gorilla never falls back to a
// random UUID or to an empty date.
func (d *document) gorillaFeed() *gorilla.Feed {
	ch := d.ch
	f := &gorilla.Feed{
		Title:       ch.Title,
		Link:        &gorilla.Link{Href: ch.SiteURL},
		Description: ch.Description,
		Author:      &gorilla.Author{Name: ch.Author.Name, Email: ch.Author.Email},
		Updated:     d.updated,
		Created:     d.published,
		Id:          ch.AtomURL,
		Items:       make([]*gorilla.Item, 0, len(d.entries)),
	}
	for _, e := range d.entries {
		it := &gorilla.Item{
			Title:       e.title,
			Link:        &gorilla.Link{Href: e.link},
			Description: e.summary,
			Id:          e.id,
			Created:     e.published,
			Updated:     e.updated,
			Content:     e.content,
		}
		if e.author != (Person{}) {
			it.Author = &gorilla.Author{Name: e.author.displayName(), Email: e.author.Email}
		}
		if len(e.enclosures) > 0 {
			x := e.enclosures[0]
			it.Enclosure = &gorilla.Enclosure{Url: x.URL, Type: x.Type, Length: strconv.FormatInt(x.Length, 10)}
		}
		f.Items = append(f.Items, it)
	}
	return f
}

// marshalXML writes v as an indented UTF-8 XML document.
func marshalXML(v any) ([]byte, error) {
	body, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("feeds: encode xml: %w", err)
	}
	out := make([]byte, 0, len(xml.Header)+len(body)+1)
	out = append(out, xml.Header...)
	out = append(out, body...)
	return append(out, '\n'), nil
}
