package normalize

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// trimDepth is how deep trimHTML looks for a place to cut: below it, an
// element that does not fit is left out whole. Real articles nest a
// dozen deep; this bounds the work a hostile nesting can cause.
const trimDepth = 64

// trimHTML cuts h, well-formed HTML as html writes it, to at most max
// bytes at a node boundary: it keeps the nodes that fit whole, in
// order, and of the first that does not, its start and end tags and as
// much of its content as fits (a text node cut on a rune boundary), so
// every element kept is closed and no tag or entity is broken.
func trimHTML(h string, max int) string {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(h), body)
	if err != nil {
		return "" // never: h was written from a tree of this parser
	}
	t := trimmer{room: max}
	t.b.Grow(max)
	for _, nd := range nodes {
		if !t.node(nd, 0) {
			break
		}
	}
	return string(bytes.TrimSpace(t.b.Bytes()))
}

// trimmer writes nodes to b while they fit in room bytes.
type trimmer struct {
	b    bytes.Buffer
	room int // bytes b may still grow by
}

// node writes nd whole if it fits and reports true; else as much of it
// as fits, and reports false.
func (t *trimmer) node(nd *html.Node, depth int) bool {
	mark := t.b.Len()
	if html.Render(&limitWriter{b: &t.b, room: t.room}, nd) == nil {
		t.room -= t.b.Len() - mark
		return true
	}
	t.b.Truncate(mark)
	switch {
	case nd.Type == html.TextNode:
		t.write(escapedPrefix(nd.Data, t.room))
	case nd.Type == html.ElementNode && depth < trimDepth:
		t.element(nd, depth)
	}
	return false
}

// element writes nd's start tag, as many of its children as fit, and
// its end tag, or nothing if its tags alone do not fit.
func (t *trimmer) element(nd *html.Node, depth int) {
	var tags strings.Builder
	if html.Render(&tags, &html.Node{Type: nd.Type, Data: nd.Data, DataAtom: nd.DataAtom, Namespace: nd.Namespace, Attr: nd.Attr}) != nil {
		return
	}
	end := "</" + nd.Data + ">"
	start, ok := strings.CutSuffix(tags.String(), end)
	if !ok || len(start)+len(end) > t.room { // a void element, or no room
		return
	}
	t.write(start)
	t.room -= len(end)
	first := nd.FirstChild
	if first != nil && first.Type == html.TextNode && strings.HasPrefix(first.Data, "\n") &&
		(nd.DataAtom == atom.Pre || nd.DataAtom == atom.Listing || nd.DataAtom == atom.Textarea) {
		// As Render does: the parser drops a newline right after the
		// start tag, so one is added for the text's own.
		if t.room < 1 {
			first = nil
		} else {
			t.write("\n")
		}
	}
	for c := first; c != nil && t.node(c, depth+1); c = c.NextSibling {
	}
	t.room += len(end)
	t.write(end)
}

func (t *trimmer) write(s string) {
	t.b.WriteString(s)
	t.room -= len(s)
}

// escapedPrefix returns the longest prefix of the text s whose escaped
// form (as html.Render writes a text node) has at most room bytes,
// escaped, ending on a rune boundary.
func escapedPrefix(s string, room int) string {
	n, i := 0, 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		w := size
		switch r {
		case '&', '\'', '"', '\r':
			w = 5 // &amp; &#39; &#34; &#13;
		case '<', '>':
			w = 4 // &lt; &gt;
		}
		if n+w > room {
			break
		}
		n += w
		i += size
	}
	return html.EscapeString(s[:i])
}

// errNoRoom stops rendering a node that does not fit.
var errNoRoom = errors.New("no room")

// limitWriter writes to b until room bytes are written, then fails: a
// node too large to keep is not rendered whole only to be thrown away.
// It has the methods html.Render writes with directly, unbuffered.
type limitWriter struct {
	b    *bytes.Buffer
	room int
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if len(p) > w.room {
		return 0, errNoRoom
	}
	w.room -= len(p)
	return w.b.Write(p)
}

func (w *limitWriter) WriteString(s string) (int, error) {
	if len(s) > w.room {
		return 0, errNoRoom
	}
	w.room -= len(s)
	return w.b.WriteString(s)
}

func (w *limitWriter) WriteByte(c byte) error {
	if w.room < 1 {
		return errNoRoom
	}
	w.room--
	return w.b.WriteByte(c)
}
