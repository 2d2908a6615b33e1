package sources

import (
	"bytes"
	"encoding/xml"
	"html"
	"io"
	"strings"
)

// Namespaces of the elements gofeed does not read.
const (
	nsXHTML   = "http://www.w3.org/1999/xhtml"
	nsDCTerms = "http://purl.org/dc/terms/"
	nsAtom10  = "http://www.w3.org/2005/Atom"
	nsAtom03  = "http://purl.org/atom/ns#"
	nsRSS10   = "http://purl.org/rss/1.0/"
	nsRSS09   = "http://my.netscape.com/rdf/simple/0.9/"
)

// itemExtras is what an item carries that gofeed leaves unread: full
// content in xhtml:body or fullitem, DCMI Terms dates and an RSS item's
// atom:updated, and the attributes and raw text of an Atom entry's
// title, summary and content, which gofeed decodes from base64 only for
// some media types.
type itemExtras struct {
	body                                  string // HTML
	issued, created, modified, atomUpdate string
	atom                                  map[string]*atomText // by local name
}

// atomText is an Atom text or content construct as written.
type atomText struct {
	typ, mode, src string
	text           strings.Builder // the character data, when there are no child elements
	markup         bool            // it has child elements: inline XML, never base64
}

// scanExtras reads every item of a UTF-8 RSS or Atom document, in
// document order, for what itemExtras holds. It returns nil when the
// document is not well-formed enough to tell its items apart, and the
// caller keeps what gofeed read.
func scanExtras(body []byte, atom bool) []itemExtras {
	if !mayHaveExtras(body, atom) {
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // already UTF-8
	var (
		out   []itemExtras
		stack []xml.Name
		cur   *itemExtras
		depth int // of the current item in stack
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name)
			switch {
			case cur == nil && isItem(stack):
				out = append(out, itemExtras{atom: map[string]*atomText{}})
				cur, depth = &out[len(out)-1], len(stack)
			case cur != nil && len(stack) == depth+1:
				if err := cur.child(d, t, stack[depth-1]); err != nil {
					return nil
				}
				stack = stack[:len(stack)-1] // child consumed its end tag
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return nil
			}
			if cur != nil && len(stack) == depth {
				cur = nil
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// mayHaveExtras spares most documents a second parse: those without any
// of the elements scanExtras reads, and Atom documents whose types are
// all ones gofeed reads right.
func mayHaveExtras(body []byte, atom bool) bool {
	has := func(s string) bool { return bytes.Contains(body, []byte(s)) }
	switch {
	case has(nsDCTerms), has("fullitem"), has(nsXHTML) && (has(":body") || has("<body")):
		return true
	case atom:
		return has("mode=") || hasMediaType(body)
	}
	return has(nsAtom10) && has(":updated")
}

// hasMediaType reports whether some type attribute is a media type that
// may be base64: not text/* and not XML. A link's type (an enclosure's
// audio/mpeg) counts too; that only costs the parse.
func hasMediaType(body []byte) bool {
	for rest := body; ; {
		i := bytes.Index(rest, []byte("type="))
		if i < 0 || i+6 >= len(rest) {
			return false
		}
		rest = rest[i+5:]
		q := rest[0]
		if q != '"' && q != '\'' {
			continue
		}
		end := bytes.IndexByte(rest[1:], q)
		if end < 0 {
			return false
		}
		t := strings.ToLower(string(rest[1 : 1+end]))
		if strings.Contains(t, "/") && !strings.HasPrefix(t, "text/") && !isXMLType(t) {
			return true
		}
	}
}

// isItem reports whether the element on top of stack is an RSS item (of
// channel or, in RSS 0.9 and 1.0, of the root) or an Atom entry of the
// feed: the items gofeed makes, in the same order.
func isItem(stack []xml.Name) bool {
	n := stack[len(stack)-1]
	switch {
	case n.Local == "entry" && (n.Space == nsAtom10 || n.Space == nsAtom03):
		return len(stack) == 2
	case n.Local == "item" && (n.Space == "" || n.Space == nsRSS10 || n.Space == nsRSS09):
		return len(stack) == 2 || len(stack) == 3 && stack[1].Local == "channel"
	}
	return false
}

// child reads one child element of an item, through its end tag.
func (x *itemExtras) child(d *xml.Decoder, t xml.StartElement, item xml.Name) error {
	n := t.Name
	atomItem := item.Space == nsAtom10 || item.Space == nsAtom03
	switch {
	case n.Space == nsXHTML && n.Local == "body":
		var b strings.Builder
		if _, err := markup(d, &b); err != nil {
			return err
		}
		x.body = b.String()
	case n.Local == "fullitem" && x.body == "":
		// Escaped HTML as text, or (rarely) HTML written as elements.
		var b strings.Builder
		elems, err := markup(d, &b)
		if err != nil {
			return err
		}
		if elems {
			x.body = b.String()
		} else {
			x.body = html.UnescapeString(b.String())
		}
	case n.Space == nsDCTerms && (n.Local == "issued" || n.Local == "created" || n.Local == "modified"):
		s, err := chars(d)
		if err != nil {
			return err
		}
		*map[string]*string{"issued": &x.issued, "created": &x.created, "modified": &x.modified}[n.Local] = s
	case n.Space == nsAtom10 && n.Local == "updated" && !atomItem:
		s, err := chars(d)
		if err != nil {
			return err
		}
		x.atomUpdate = s
	case atomItem && n.Space == item.Space && (n.Local == "title" || n.Local == "summary" || n.Local == "content"):
		a := &atomText{typ: attr(t, "type"), mode: attr(t, "mode"), src: attr(t, "src")}
		var b strings.Builder
		elems, err := markup(d, &b)
		if err != nil {
			return err
		}
		a.markup = elems
		if !elems {
			a.text.WriteString(html.UnescapeString(b.String()))
		}
		x.atom[n.Local] = a
	default:
		return d.Skip()
	}
	return nil
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// chars returns the trimmed character data of the element just opened.
func chars(d *xml.Decoder) (string, error) {
	var b strings.Builder
	_, err := markup(d, &b)
	return strings.TrimSpace(html.UnescapeString(stripTags(b.String()))), err
}

// markup writes the content of the element just opened to b as HTML,
// through its end tag: elements by their local names (an xhtml: prefix
// means nothing to an HTML reader), text escaped. It reports whether
// there were child elements.
func markup(d *xml.Decoder, b *strings.Builder) (bool, error) {
	elems := false
	for depth := 0; ; {
		tok, err := d.Token()
		if err != nil {
			return elems, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			elems = true
			depth++
			b.WriteString("<" + t.Name.Local)
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" || a.Name.Space != "" {
					continue // namespace declarations, xml:lang and foreign attributes
				}
				b.WriteString(" " + a.Name.Local + `="` + html.EscapeString(a.Value) + `"`)
			}
			b.WriteString(">")
		case xml.EndElement:
			if depth == 0 {
				return elems, nil
			}
			depth--
			if !voidElements[t.Name.Local] {
				b.WriteString("</" + t.Name.Local + ">")
			}
		case xml.CharData:
			b.WriteString(html.EscapeString(string(t)))
		}
	}
}

// voidElements have no end tag in HTML: "</br>" would read as a second
// <br>.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "param": true, "source": true, "track": true, "wbr": true,
}

// stripTags drops what markup wrote as tags, for text-only elements.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
