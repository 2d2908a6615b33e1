package normalize

import (
	"bytes"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// direct writes what html writes for the policy's output src (parse,
// tidy, render, and the text when w is not nil), reading src once
// instead of building a tree, and reports whether it could. It can when
// src is markup the HTML5 parser builds into a tree without repairing
// anything: tags written the way the policy writes them, properly
// nested, of elements whose start and end tags the parser's "in body"
// rules only insert and pop (no table, no implied end tags, no
// reconstructed formatting elements), and it then gives the same bytes.
// Anything else, it leaves to the parser: it returns false, and what it
// wrote to out and w is to be thrown away.
func direct(src []byte, base string, out *bytes.Buffer, w *lineWriter) bool {
	// The tokenizer turns CR into LF and NUL into U+FFFD in attribute
	// values; rather than follow it, leave both to the parser.
	if bytes.IndexByte(src, '\r') >= 0 || bytes.IndexByte(src, 0) >= 0 {
		return false
	}
	s := string(src)
	// A first pass only checks, so that markup direct refuses (often
	// late, at a table or an unclosed paragraph) costs little before the
	// parser reads it.
	if !(&directState{check: true}).run(s) {
		return false
	}
	return (&directState{out: out, w: w, base: base}).run(s)
}

// run reads s, writing what it becomes unless d.check is set, and
// reports whether direct can take it.
func (d *directState) run(s string) bool {
	for i := 0; i < len(s); {
		if s[i] != '<' {
			end := textEnd(s, i)
			if !d.text(s[i:end]) {
				return false
			}
			i = end
			continue
		}
		n, ok := d.tag(s[i:])
		if !ok {
			return false
		}
		i += n
	}
	return len(d.stack) == 0
}

// directState is where direct is in its one pass.
type directState struct {
	check bool // only check that direct can take the markup
	out   *bytes.Buffer
	w     *lineWriter // nil when the text is not wanted
	base  string

	stack    []openElement
	p, a, h  int  // open p, a and h1-h6 elements
	preStart bool // the last token started a pre element
}

// openElement is an element on direct's stack; written is false for a
// link tidy unwraps, whose tags are left out.
type openElement struct {
	atom    atom.Atom
	written bool
}

// maxDirectDepth keeps direct well under the parser's limit of 512 open
// elements, past which html falls back to plain text.
const maxDirectDepth = 256

// text writes a text token: decoded, made XML-safe, escaped again, as
// the parser, tidy and Render would. The parser drops a newline right
// after <pre>; direct only takes a pre whose text starts with a visible
// character.
func (d *directState) text(raw string) bool {
	if d.preStart && (raw[0] <= ' ' || raw[0] >= 0x7F || raw[0] == '&') {
		return false
	}
	d.preStart = false
	if d.check {
		return true
	}
	t := raw
	if strings.IndexByte(t, '&') >= 0 {
		t = html.UnescapeString(t)
	}
	t = XMLSafe(t)
	if t == "" {
		return true // tidy drops the empty text node
	}
	d.out.WriteString(html.EscapeString(t))
	if d.w != nil {
		d.w.WriteString(t)
	}
	return true
}

// tag reads the tag s starts with and writes what it becomes. It
// returns the length of the tag in s.
func (d *directState) tag(s string) (int, bool) {
	if strings.HasPrefix(s, "</") {
		name, n := tagName(s[2:])
		if n == 0 || !strings.HasPrefix(s[2+n:], ">") {
			return 0, false
		}
		return 2 + n + 1, d.end(atom.Lookup([]byte(name)))
	}
	name, n := tagName(s[1:])
	if n == 0 {
		return 0, false
	}
	i := 1 + n
	var attrs []html.Attribute
	for strings.HasPrefix(s[i:], " ") {
		a, m, ok := attribute(s[i+1:])
		if !ok {
			return 0, false
		}
		if !d.check {
			attrs = append(attrs, a)
		}
		i += 1 + m
	}
	selfClosing := strings.HasPrefix(s[i:], "/>")
	switch {
	case selfClosing:
		i += 2
	case strings.HasPrefix(s[i:], ">"):
		i++
	default:
		return 0, false
	}
	return i, d.start(atom.Lookup([]byte(name)), name, attrs, selfClosing)
}

// start writes a start tag, if the parser would only insert its element.
func (d *directState) start(a atom.Atom, name string, attrs []html.Attribute, selfClosing bool) bool {
	if d.preStart && a != atom.Code {
		return false
	}
	d.preStart = false
	var parent atom.Atom
	if len(d.stack) > 0 {
		parent = d.stack[len(d.stack)-1].atom
	}
	void := false
	switch a {
	case atom.Br, atom.Img, atom.Wbr:
		void = true
	case atom.Hr:
		void = true
		if d.p > 0 {
			return false
		}
	case atom.P, atom.Div, atom.Blockquote, atom.Ul, atom.Ol, atom.Dl, atom.Pre,
		atom.Article, atom.Section, atom.Aside, atom.Header, atom.Footer,
		atom.Figure, atom.Figcaption, atom.Details, atom.Summary:
		// The parser closes an open p before these.
		if d.p > 0 {
			return false
		}
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		if d.p > 0 || d.h > 0 {
			return false
		}
	case atom.Li:
		// The parser closes an open li before another one unless a list
		// lies between them.
		if parent != atom.Ul && parent != atom.Ol {
			return false
		}
	case atom.Dd, atom.Dt:
		if parent != atom.Dl {
			return false
		}
	case atom.A:
		if d.a > 0 {
			return false // the parser closes the open link first
		}
		// The parser sorts the attributes of formatting elements.
		slices.SortFunc(attrs, attrOrder)
	case atom.B, atom.Big, atom.Code, atom.Em, atom.I, atom.S, atom.Small,
		atom.Strike, atom.Strong, atom.Tt, atom.U:
		slices.SortFunc(attrs, attrOrder)
	case atom.Span, atom.Abbr, atom.Cite, atom.Dfn, atom.Kbd, atom.Samp, atom.Var,
		atom.Sub, atom.Sup, atom.Mark, atom.Q, atom.Del, atom.Ins, atom.Time, atom.Bdi:
	default:
		return false
	}
	if selfClosing && !void || len(d.stack) >= maxDirectDepth {
		return false
	}
	if d.check {
		// Whether tidy drops or unwraps the element does not matter yet.
		if !void {
			d.push(a, false)
		}
		return true
	}
	attrs = tidyAttrs(attrs, d.base)
	written := true
	switch {
	case a == atom.Img && !slices.ContainsFunc(attrs, isSrc):
		return true // tidy drops it
	case a == atom.A && !slices.ContainsFunc(attrs, isHref):
		written = false // tidy unwraps it
	}
	if written {
		d.out.WriteByte('<')
		d.out.WriteString(name)
		for _, at := range attrs {
			d.out.WriteByte(' ')
			d.out.WriteString(at.Key)
			d.out.WriteString(`="`)
			d.out.WriteString(html.EscapeString(at.Val))
			d.out.WriteByte('"')
		}
		if void {
			d.out.WriteString("/>")
		} else {
			d.out.WriteByte('>')
		}
		if d.w != nil && !inline[a] {
			d.w.Space()
		}
	}
	if !void {
		d.push(a, written)
	}
	return true
}

// push opens a element; written is false when its tags are left out.
func (d *directState) push(a atom.Atom, written bool) {
	d.stack = append(d.stack, openElement{atom: a, written: written})
	d.count(a, 1)
	d.preStart = a == atom.Pre
}

// end writes an end tag, which must close the current element.
func (d *directState) end(a atom.Atom) bool {
	if len(d.stack) == 0 || d.stack[len(d.stack)-1].atom != a || d.preStart {
		return false
	}
	e := d.stack[len(d.stack)-1]
	d.stack = d.stack[:len(d.stack)-1]
	d.count(a, -1)
	if e.written {
		d.out.WriteString("</")
		d.out.WriteString(a.String())
		d.out.WriteByte('>')
		if d.w != nil && !inline[a] {
			d.w.Space()
		}
	}
	return true
}

// count keeps the numbers of open p, a and heading elements.
func (d *directState) count(a atom.Atom, delta int) {
	switch a {
	case atom.P:
		d.p += delta
	case atom.A:
		d.a += delta
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		d.h += delta
	}
}

// tagName returns the lower-case ASCII letters and digits s starts with,
// a tag name as the policy writes it, and their length.
func tagName(s string) (string, int) {
	n := 0
	for n < len(s) && ('a' <= s[n] && s[n] <= 'z' || n > 0 && '0' <= s[n] && s[n] <= '9') {
		n++
	}
	return s[:n], n
}

// attribute reads an attribute as the policy writes it, key="value",
// from the start of s. Only &amp; &lt; &gt; &#39; and &#34; may occur in
// the value: the policy writes no other, and for them the tokenizer's
// rules for attributes and text agree.
func attribute(s string) (html.Attribute, int, bool) {
	n := 0
	for n < len(s) && ('a' <= s[n] && s[n] <= 'z' || n > 0 && s[n] == '-') {
		n++
	}
	if n == 0 || !strings.HasPrefix(s[n:], `="`) {
		return html.Attribute{}, 0, false
	}
	key := s[:n]
	s = s[n+2:]
	end := strings.IndexAny(s, `"<>`)
	if end < 0 || s[end] != '"' {
		return html.Attribute{}, 0, false
	}
	val := s[:end]
	for v := val; ; {
		i := strings.IndexByte(v, '&')
		if i < 0 {
			break
		}
		v = v[i:]
		if !hasAnyPrefix(v, "&amp;", "&lt;", "&gt;", "&#39;", "&#34;") {
			return html.Attribute{}, 0, false
		}
		v = v[1:]
	}
	if strings.IndexByte(val, '&') >= 0 {
		val = html.UnescapeString(val)
	}
	return html.Attribute{Key: key, Val: val}, n + 2 + end + 1, true
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// attrOrder is the order the parser sorts the attributes of formatting
// elements in (x/net/html's attrCompare).
func attrOrder(a, b html.Attribute) int {
	if c := strings.Compare(a.Namespace, b.Namespace); c != 0 {
		return c
	}
	if c := strings.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return strings.Compare(a.Val, b.Val)
}

func isSrc(a html.Attribute) bool  { return a.Key == "src" }
func isHref(a html.Attribute) bool { return a.Key == "href" }
