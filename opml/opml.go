// Package opml reads OPML subscription lists, the file feed readers and
// aggregators export their subscriptions in (OPML 1.0 and 2.0,
// http://opml.org/spec2.opml), into the feeds they list and the folders
// these sit in. Writing OPML is package feeds'.
package opml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/feedsmith/feedsmith/sources"
)

// Limits on what Parse reads: an export of a few thousand feeds is well
// under a megabyte.
const (
	MaxSize     = 8 << 20 // bytes of the document
	MaxOutlines = 100_000
	MaxDepth    = 50 // outlines inside outlines
)

// Document is an OPML file.
type Document struct {
	Version string // the version attribute: "1.0", "2.0", or whatever it says
	Title   string // head's title
	// Outlines are the outlines of the body, in order.
	Outlines []Outline
}

// Outline is one <outline> element: a feed when it has an xmlUrl, a
// folder when it holds outlines.
type Outline struct {
	// Text is what a reader shows (required by OPML 2.0); Title is, for a
	// feed, the feed's own title. Exporters fill either or both.
	Text, Title string
	// Type is "rss" for a feed in OPML 2.0 (Atom feeds too), and empty
	// or something else ("atom", "link", "include") in the wild.
	Type            string
	XMLURL, HTMLURL string
	// URL is the url attribute of type="link" and type="include".
	URL string
	// Line is where the outline starts in the document.
	Line     int
	Outlines []Outline
}

// Parse reads an OPML document of at most MaxSize bytes, in any charset
// that a byte order mark or the XML declaration names (sources.DecodeXML
// converts it to UTF-8). It is lenient where exporters are sloppy (HTML
// entities, a bare "&" in a URL, attribute names in any case) and strict
// where a document is not OPML at all.
func Parse(r io.Reader) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("larger than %d MiB, the most an OPML file may be", MaxSize>>20)
	}
	data, err = sources.DecodeXML(data, "", "")
	if err != nil {
		// The hint is for a source's configuration; a file has no charset key.
		return nil, errors.New(strings.TrimSuffix(err.Error(), "; set the source's charset"))
	}
	p := &parser{dec: xml.NewDecoder(bytes.NewReader(data))}
	p.dec.Strict = false
	p.dec.Entity = xml.HTMLEntity
	return p.document()
}

// parser walks the tokens of one document.
type parser struct {
	dec   *xml.Decoder
	count int // outlines read so far
}

// token returns the next token and the line it starts on.
func (p *parser) token() (xml.Token, int, error) {
	line, _ := p.dec.InputPos()
	tok, err := p.dec.Token()
	var syntax *xml.SyntaxError
	switch {
	case err == io.EOF:
		return nil, line, errors.New("unexpected end of the document")
	case errors.As(err, &syntax):
		return nil, syntax.Line, errors.New(syntax.Msg)
	case err != nil:
		return nil, line, err
	}
	return tok, line, nil
}

func (p *parser) document() (*Document, error) {
	for {
		tok, line, err := p.token()
		if err != nil {
			return nil, fmt.Errorf("line %d: not an OPML document: %w", line, err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !strings.EqualFold(start.Name.Local, "opml") {
			return nil, fmt.Errorf("line %d: not an OPML document: the root element is <%s>, not <opml>", line, start.Name.Local)
		}
		d := &Document{Version: attr(start, "version")}
		if err := p.opml(d); err != nil {
			return nil, err
		}
		return d, nil
	}
}

// children calls fn for each child element of the element just
// started, up to its end; fn reads the child whole (or skips it).
func (p *parser) children(fn func(child xml.StartElement, line int) error) error {
	for {
		tok, line, err := p.token()
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if err := fn(t, line); err != nil {
				return err
			}
		}
	}
}

// opml reads the children of <opml>.
func (p *parser) opml(d *Document) error {
	return p.children(func(t xml.StartElement, _ int) (err error) {
		switch {
		case strings.EqualFold(t.Name.Local, "head"):
			return p.head(d)
		case strings.EqualFold(t.Name.Local, "body"):
			d.Outlines, err = p.outlines(0)
			return err
		}
		return p.skip()
	})
}

// head reads <head> for its title.
func (p *parser) head(d *Document) error {
	return p.children(func(t xml.StartElement, line int) error {
		if !strings.EqualFold(t.Name.Local, "title") {
			return p.skip()
		}
		var title string
		if err := p.dec.DecodeElement(&title, &t); err != nil {
			return fmt.Errorf("line %d: head title: %w", line, err)
		}
		d.Title = strings.TrimSpace(title)
		return nil
	})
}

// outlines reads the outlines inside the element just started; depth is
// how many outlines enclose them.
func (p *parser) outlines(depth int) ([]Outline, error) {
	var list []Outline
	err := p.children(func(t xml.StartElement, line int) (err error) {
		if !strings.EqualFold(t.Name.Local, "outline") {
			return p.skip()
		}
		if p.count++; p.count > MaxOutlines {
			return fmt.Errorf("line %d: more than %d outlines", line, MaxOutlines)
		}
		if depth >= MaxDepth {
			return fmt.Errorf("line %d: outlines nested more than %d deep", line, MaxDepth)
		}
		o := Outline{Line: line, Text: attr(t, "text"), Title: attr(t, "title"), Type: attr(t, "type"),
			XMLURL: attr(t, "xmlUrl"), HTMLURL: attr(t, "htmlUrl"), URL: attr(t, "url")}
		if o.Outlines, err = p.outlines(depth + 1); err != nil {
			return err
		}
		list = append(list, o)
		return nil
	})
	return list, err
}

// skip skips the element just started, whatever it holds.
func (p *parser) skip() error {
	line, _ := p.dec.InputPos()
	if err := p.dec.Skip(); err != nil {
		return fmt.Errorf("line %d: %w", line, err)
	}
	return nil
}

// attr returns the attribute name of e, whatever the case of its name
// (exporters write xmlUrl, xmlURL and xmlurl).
func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if strings.EqualFold(a.Name.Local, name) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}
