package feeds

import (
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// ErrNoOutlines is returned by OPML for an empty list: OPML 2.0 requires at
// least one <outline> in <body>.
var ErrNoOutlines = errors.New("feeds: opml: no outlines")

// Outline is one subscription of an OPML subscription list.
type Outline struct {
	Title, Text string
	Type        string // "rss" or "atom"; "rss" when empty
	XMLURL      string // the feed's absolute URL
	HTMLURL     string // the site's absolute URL, optional
	// Language is the feed's language tag, as its channel says; optional.
	Language string
}

// OPML 2.0 (http://opml.org/spec2.opml). gorilla/feeds has no OPML.
type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Head    opmlHead      `xml:"head"`
	Body    []opmlOutline `xml:"body>outline"`
}

// opmlHead has no dateCreated or dateModified: the list is rendered again
// on every build, and a clock in it would change its bytes each time.
type opmlHead struct {
	Title     string `xml:"title"`
	OwnerName string `xml:"ownerName,omitempty"`
}

type opmlOutline struct {
	Type    string `xml:"type,attr"`
	Text    string `xml:"text,attr"`
	Title   string `xml:"title,attr"`
	XMLURL  string `xml:"xmlUrl,attr"`
	HTMLURL string `xml:"htmlUrl,attr,omitempty"`
	// language is OPML 2.0's for an rss outline: the feed's <language>.
	Language string `xml:"language,attr,omitempty"`
}

// OPML renders a subscription list of outlines, in the order given.
func OPML(title string, ownerName string, outlines []Outline) ([]byte, error) {
	if len(outlines) == 0 {
		return nil, ErrNoOutlines
	}
	doc := opmlDoc{
		Version: "2.0",
		Head:    opmlHead{Title: strings.TrimSpace(clean(title)), OwnerName: strings.TrimSpace(clean(ownerName))},
	}
	var errs []error
	for i, o := range outlines {
		x := opmlOutline{
			Type:  strings.ToLower(strings.TrimSpace(o.Type)),
			Title: strings.TrimSpace(clean(o.Title)),
			Text:  strings.TrimSpace(clean(o.Text)),
			// The site's configuration, not upstream data; cleaned all the same.
			Language: strings.TrimSpace(clean(o.Language)),
		}
		switch x.Type {
		case "":
			x.Type = "rss"
		case "rss", "atom":
		default:
			errs = append(errs, fmt.Errorf("outline %d: type %q is not rss or atom", i, o.Type))
		}
		var ok bool
		if x.XMLURL, ok = canonicalURI(o.XMLURL, "http", "https"); !ok {
			errs = append(errs, fmt.Errorf("outline %d: xmlUrl %q is not an absolute http(s) URL", i, o.XMLURL))
		}
		if o.HTMLURL != "" {
			if x.HTMLURL, ok = canonicalURI(o.HTMLURL, "http", "https"); !ok {
				errs = append(errs, fmt.Errorf("outline %d: htmlUrl %q is not an absolute http(s) URL", i, o.HTMLURL))
			}
		}
		// "text" is required on every outline; readers show it.
		x.Text = cmp.Or(x.Text, x.Title, x.XMLURL)
		x.Title = cmp.Or(x.Title, x.Text)
		doc.Body = append(doc.Body, x)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("feeds: opml: %w", errors.Join(errs...))
	}
	return marshalXML(doc)
}
