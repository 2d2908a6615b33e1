package normalize

import (
	"bytes"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTML sanitizes an HTML fragment and makes it fit for a feed: unsafe
// markup removed (see newPolicy), nesting repaired by the HTML5 parsing
// algorithm, every URL made absolute against base (those that cannot be,
// or are not http(s) or mailto links, dropped), characters XML does not
// allow removed. The result is well-formed XML when wrapped in a root
// element: void elements are written "<br/>", and the only entities left
// are &amp; &lt; &gt; and numeric ones. A fragment nested too deeply for
// the parser (over 512 open elements) comes back as one paragraph of its
// plain text.
func (n *Normalizer) HTML(s, base string) string {
	return n.html(s, base, nil, 0)
}

// maxPooled is the largest buffer put back in the pool: one huge
// article should not keep its memory for the rest of the run.
const maxPooled = 1 << 20

// buffer returns an empty buffer from the pool.
func (n *Normalizer) buffer() *bytes.Buffer {
	if b, ok := n.bufs.Get().(*bytes.Buffer); ok {
		b.Reset()
		return b
	}
	return new(bytes.Buffer)
}

// recycle puts b back in the pool, unless it has grown too big to keep.
func (n *Normalizer) recycle(b *bytes.Buffer) {
	if b.Cap() <= maxPooled {
		n.bufs.Put(b)
	}
}

// html is HTML that also writes Text of the result to w, unless w is
// nil, taking it from what the result is rendered from, and that cuts
// the result to at most max bytes unless max is 0: s is cut before it is
// sanitized (CutHTML), and the result, if escaping and absolute URLs
// made it longer, at a node boundary (trimHTML).
func (n *Normalizer) html(s, base string, w *lineWriter, max int) string {
	out := n.sanitize(CutHTML(s, max), base, w)
	if max > 0 && len(out) > max {
		out = trimHTML(out, max)
	}
	return out
}

// sanitize is html without the cut.
func (n *Normalizer) sanitize(s, base string, w *lineWriter) string {
	s = XMLSafe(s)
	if strings.TrimSpace(s) == "" {
		return ""
	}
	buf := n.buffer()
	defer n.recycle(buf)
	if !sanitizePlain(s, buf) {
		buf.Reset()
		if err := n.policy.SanitizeReaderToWriter(strings.NewReader(s), buf); err != nil {
			return "" // as Policy.Sanitize does
		}
	}
	if len(bytes.TrimSpace(buf.Bytes())) == 0 {
		return ""
	}
	out := n.buffer()
	defer n.recycle(out)
	if w != nil {
		w.grow(buf.Len()) // the text is shorter than its markup
	}
	if !direct(buf.Bytes(), base, out, w) {
		out.Reset()
		if w != nil {
			w.reset()
			w.grow(buf.Len())
		}
		if err := repair(buf.Bytes(), base, out, w); err != nil {
			// The parser refuses nesting deeper than 512 elements. No
			// real article nests so deep; keep its words rather than
			// nothing.
			t := Text(buf.String())
			if t == "" {
				return ""
			}
			if w != nil {
				w.reset()
				w.WriteString(t)
			}
			return "<p>" + html.EscapeString(t) + "</p>"
		}
	}
	return string(bytes.TrimSpace(out.Bytes()))
}

// repair parses the policy's output src with the HTML5 algorithm, which
// repairs its nesting, tidies the tree, and renders it to out, and its
// text to w unless w is nil.
func repair(src []byte, base string, out *bytes.Buffer, w *lineWriter) error {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(bytes.NewReader(src), body)
	if err != nil {
		return err
	}
	for _, nd := range nodes {
		body.AppendChild(nd)
	}
	tidyChildren(body, base)
	for nd := body.FirstChild; nd != nil; nd = nd.NextSibling {
		// Render fails only on a void element with children, which the
		// parser never builds; a node that fails is left out whole, so no
		// half-written tag reaches the output.
		mark := out.Len()
		if html.Render(out, nd) != nil {
			out.Truncate(mark)
			continue
		}
		if w != nil {
			appendText(w, nd)
		}
	}
	return nil
}

// verdict is what tidy decides for a node.
type verdict int

const (
	keep   verdict = iota
	drop           // remove the node and its content
	unwrap         // replace the node by its content
)

// tidyChildren tidies each child of nd and carries out the verdicts.
func tidyChildren(nd *html.Node, base string) {
	for c := nd.FirstChild; c != nil; {
		next := c.NextSibling
		switch tidy(c, base) {
		case drop:
			nd.RemoveChild(c)
		case unwrap:
			for gc := c.FirstChild; gc != nil; {
				gnext := gc.NextSibling
				c.RemoveChild(gc)
				nd.InsertBefore(gc, c)
				gc = gnext
			}
			nd.RemoveChild(c)
		}
		c = next
	}
}

// tidy cleans nd's attributes and subtree in place and says what its
// parent should do with it.
func tidy(nd *html.Node, base string) verdict {
	switch nd.Type {
	case html.TextNode:
		nd.Data = XMLSafe(nd.Data)
		if nd.Data == "" {
			return drop
		}
		return keep
	case html.ElementNode:
		// html.Render writes the content of these unescaped; the policy
		// never lets them through, and this keeps it so.
		if rawText[nd.DataAtom] || nd.Namespace != "" {
			return drop
		}
		nd.Attr = tidyAttrs(nd.Attr, base)
	default:
		return drop
	}
	tidyChildren(nd, base)
	switch {
	case nd.DataAtom == atom.Img && !hasAttr(nd, "src"):
		return drop
	case nd.DataAtom == atom.A && !hasAttr(nd, "href"):
		return unwrap // as the policy does with a link it refuses
	}
	return keep
}

var rawText = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Noembed: true,
	atom.Noframes: true, atom.Noscript: true, atom.Plaintext: true, atom.Xmp: true,
	atom.Textarea: true, atom.Title: true,
}

// tidyAttrs drops duplicate attributes (XML forbids them), resolves URL
// attributes, dropping those that do not resolve, and makes values
// XML-safe.
func tidyAttrs(attrs []html.Attribute, base string) []html.Attribute {
	kept := attrs[:0]
	var seenKeys [8]string // elements rarely have more; append grows it
	seen := seenKeys[:0]
	for _, a := range attrs {
		if a.Namespace != "" || slices.Contains(seen, a.Key) {
			continue
		}
		seen = append(seen, a.Key)
		a.Val = XMLSafe(a.Val)
		switch a.Key {
		case "href":
			a.Val = resolveLink(a.Val, base)
		case "src", "poster", "cite":
			a.Val = ResolveURL(a.Val, base)
		case "srcset":
			a.Val = resolveSrcset(a.Val, base)
		default:
			kept = append(kept, a)
			continue
		}
		if a.Val != "" {
			kept = append(kept, a)
		}
	}
	return kept
}

func hasAttr(nd *html.Node, key string) bool {
	for _, a := range nd.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// resolveLink is ResolveURL that also lets mailto: links through.
func resolveLink(ref, base string) string {
	ref = strings.TrimSpace(ref)
	if len(ref) > 7 && strings.EqualFold(ref[:7], "mailto:") && !strings.ContainsAny(ref, " \t\r\n") {
		return "mailto:" + ref[7:]
	}
	return ResolveURL(ref, base)
}

// resolveSrcset resolves each candidate of a srcset ("a.jpg 2x, b.jpg
// 640w"), dropping those that do not resolve. It follows the HTML
// parsing rules closely enough for what publishers write: a URL runs to
// white space, and a comma ends it only when the URL ends in one, so CDN
// URLs with commas inside ("w_100,h_80") survive.
func resolveSrcset(v, base string) string {
	const space = " \t\n\r\f"
	var kept []string
	for {
		v = strings.TrimLeft(v, space+",")
		if v == "" {
			return strings.Join(kept, ", ")
		}
		end := strings.IndexAny(v, space)
		if end < 0 {
			end = len(v)
		}
		u, desc := v[:end], ""
		v = v[end:]
		if strings.HasSuffix(u, ",") {
			u = strings.TrimRight(u, ",")
		} else {
			i := strings.IndexByte(v, ',')
			if i < 0 {
				i = len(v)
			}
			desc, v = line(v[:i]), v[i:] // v is XML-safe: line only collapses
		}
		if r := ResolveURL(u, base); r != "" {
			kept = append(kept, strings.TrimSpace(r+" "+desc))
		}
	}
}
