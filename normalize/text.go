package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// XMLSafe removes from s every character XML 1.0 does not allow: the C0
// controls other than tab, newline and carriage return, U+FFFE, U+FFFF
// and surrogates. Bytes that are not valid UTF-8 are dropped too. Nothing
// is replaced with U+FFFD: a feed reader shows that as a visible error,
// while the dropped bytes were never meant to be seen. A string that is
// already safe is returned as it is, without a copy.
func XMLSafe(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < ' ' && c != '\t' && c != '\n' && c != '\r' {
				return xmlSafeFrom(s, i)
			}
			i++
			continue
		}
		size, _, ok := wide(s[i:])
		if !ok {
			return xmlSafeFrom(s, i)
		}
		i += size
	}
	return s
}

// wide returns the width of the rune s begins with, which is not ASCII,
// whether it is white space (unicode.IsSpace) and whether it is an XML
// character (xmlChar); an invalid byte is one wide and not an XML
// character. Most of the runes of Chinese text have three bytes led by
// 0xE1 to 0xEF: it tells those apart by their bytes, without decoding.
func wide(s string) (size int, space, xml bool) {
	if c := s[0]; 0xE1 <= c && c <= 0xEF && c != 0xED && len(s) >= 3 && s[1]&0xC0 == 0x80 && s[2]&0xC0 == 0x80 {
		// A valid sequence for U+1000 to U+CFFF or U+E000 to U+FFFF.
		switch c {
		case 0xE1: // U+1680
			return 3, s[1] == 0x9A && s[2] == 0x80, true
		case 0xE2: // U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F
			t := s[2]
			return 3, s[1] == 0x80 && (t <= 0x8A || t == 0xA8 || t == 0xA9 || t == 0xAF) || s[1] == 0x81 && t == 0x9F, true
		case 0xE3: // U+3000
			return 3, s[1] == 0x80 && s[2] == 0x80, true
		case 0xEF: // U+FFFE and U+FFFF are not XML characters
			return 3, false, s[1] != 0xBF || s[2] < 0xBE
		}
		return 3, false, true
	}
	r, size := utf8.DecodeRuneInString(s)
	return size, unicode.IsSpace(r), xmlChar(r, size)
}

// xmlSafeFrom is the slow path of XMLSafe: s[:i] is known to be clean.
func xmlSafeFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if xmlChar(r, size) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// xmlChar reports whether the decoded rune r of width size is an XML 1.0
// Char. An invalid byte decodes as utf8.RuneError of width 1; a surrogate
// encoded in UTF-8 is invalid UTF-8 and decodes the same way.
func xmlChar(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return false
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	default:
		return r >= 0x10000 && r <= utf8.MaxRune
	}
}

// line cleans a one-line field: XML-safe (see XMLSafe), then trimmed,
// each run of white space (unicode.IsSpace: no-break and ideographic
// spaces too) turned into one ASCII space. A line that is already clean
// comes back without a copy; the rest are cleaned in one pass.
func line(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c > ' ':
			case c == ' ' && i+1 < len(s) && s[i+1] != ' ' && s[i+1] >= ' ':
				// One space before a character that is not ASCII white
				// space; a rune after it is checked in its turn.
			default:
				return lineFrom(s, i)
			}
			i++
			continue
		}
		size, space, ok := wide(s[i:])
		if space || !ok {
			return lineFrom(s, i)
		}
		i += size
	}
	return s
}

// lineFrom is the slow path of line: s is trimmed, and s[:i] is clean
// but for a single space it may end with.
func lineFrom(s string, i int) string {
	var w lineWriter
	w.b.Grow(len(s))
	prefix, space := strings.CutSuffix(s[:i], " ")
	w.b.WriteString(prefix)
	w.space = space
	w.WriteString(s[i:])
	return w.b.String()
}

// lineWriter builds a line from pieces: each piece made XML-safe, white
// space collapsed across pieces, none at either end. Pieces are cleaned
// one by one, so a UTF-8 sequence split between two is dropped: pieces
// must be valid UTF-8 by themselves for the result to be line of their
// concatenation.
//
// A summary needs only the start of a long text, and a lineWriter with
// a limit keeps only that many runes, unless the line has a '<' or '&'
// before the limit: retext would run Text over it again, and Text of a
// cut line is not the start of Text of the whole. One after the limit
// changes nothing before it, since Text reads the text up to the first
// '<' as it is and entities decode where they stand.
type lineWriter struct {
	b     strings.Builder
	space bool // white space seen since the last character written

	limit int  // runes to keep; 0: all
	runes int  // runes written
	full  bool // limit reached: the rest is left out
}

// reset empties w, keeping its limit.
func (w *lineWriter) reset() {
	*w = lineWriter{limit: w.limit}
}

// grow makes room for a line of up to n bytes.
func (w *lineWriter) grow(n int) {
	if w.limit > 0 {
		n = min(n, w.limit*utf8.UTFMax)
	}
	w.b.Grow(n)
}

// Space adds white space between the last piece and the next.
func (w *lineWriter) Space() {
	w.space = w.b.Len() > 0
}

// WriteString adds s.
func (w *lineWriter) WriteString(s string) {
	if w.full {
		return
	}
	if w.limit > 0 && (strings.IndexByte(s, '<') >= 0 || strings.IndexByte(s, '&') >= 0) {
		w.limit = 0 // retext will read it all: keep it all
	}
	for i := 0; i < len(s) && !w.full; {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c > ' ':
				w.put(s[i : i+1])
			case c == ' ' || c == '\t' || c == '\n' || c == '\r':
				w.Space()
			}
			// Other C0 controls are not XML characters: dropped.
			i++
			continue
		}
		size, space, ok := wide(s[i:])
		switch {
		case !ok:
		case space:
			w.Space()
		default:
			w.put(s[i : i+size])
		}
		i += size
	}
}

// put writes the character c, after a space if white space came before.
func (w *lineWriter) put(c string) {
	if w.space {
		w.b.WriteByte(' ')
		w.space = false
		w.runes++
	}
	w.b.WriteString(c)
	w.runes++
	w.full = w.limit > 0 && w.runes >= w.limit
}

// String returns the line.
func (w *lineWriter) String() string {
	return w.b.String()
}

// Text returns the plain text of an HTML fragment: tags dropped (with the
// content of script, style and the like), entities decoded, a space where
// a block element separated words, white space collapsed, XML-safe.
// Text that is not HTML comes back with only its white space collapsed.
func Text(s string) string {
	switch {
	case strings.IndexByte(s, '<') >= 0:
	case strings.IndexByte(s, '&') >= 0:
		// No tag: the tokenizer would return s as one text token,
		// entities decoded. It would also turn CR LF and CR into LF,
		// which line makes a space all the same.
		return line(html.UnescapeString(s))
	default:
		return line(s)
	}
	var b builderText
	walkText(s, &b)
	return line(b.String())
}

// textPrefix is Text of s cut to at most runes runes, unless Text of s
// has a '<' or '&' in them, in which case it is all of Text of s (see
// lineWriter): as much of Text as summary of retext of Text needs. A
// summary's text is often a whole article, and this reads only its
// start. Invalid UTF-8 goes to Text, since the tokens' pieces are
// cleaned one by one and a sequence a tag splits would be dropped.
func textPrefix(s string, runes int) string {
	if strings.IndexByte(s, '<') < 0 || !utf8.ValidString(s) {
		return Text(s)
	}
	w := lineWriter{limit: runes}
	w.grow(len(s))
	walkText(s, &w)
	return w.String()
}

// textEnd is where the text that starts at s[i] ends: at the next '<',
// else at the end of s.
func textEnd(s string, i int) int {
	if end := strings.IndexByte(s[i:], '<'); end >= 0 {
		return i + end
	}
	return len(s)
}

// textSink is what walkText writes a fragment's text to.
type textSink interface {
	// writeText writes a text token, entities decoded.
	writeText(p []byte)
	// Space marks where a block element separates words.
	Space()
	// done reports that no more is wanted.
	done() bool
}

// walkText writes to out the text of the HTML fragment s, as Text reads
// it: the text tokens, but inside hidden elements (script, style and
// the like), and a space at each tag of an element that is not inline;
// until out is done.
func walkText(s string, out textSink) {
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for !out.done() {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.TextToken:
			if skip == 0 {
				out.writeText(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hidden[a] && tt != html.SelfClosingTagToken {
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			if !inline[a] {
				out.Space()
			}
		}
	}
}

// builderText is Text's sink: everything, white space collapsed after.
type builderText struct{ strings.Builder }

func (b *builderText) writeText(p []byte) { b.Write(p) }
func (b *builderText) Space()             { b.WriteByte(' ') }
func (b *builderText) done() bool         { return false }

func (w *lineWriter) writeText(p []byte) { w.WriteString(string(p)) }
func (w *lineWriter) done() bool         { return w.full }

// hidden elements have content a reader never sees as text.
var hidden = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Head: true, atom.Title: true,
	atom.Textarea: true, atom.Select: true, atom.Svg: true, atom.Math: true,
}

// inline elements do not separate words; every other tag does.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Big: true, atom.Cite: true, atom.Code: true, atom.Data: true,
	atom.Del: true, atom.Dfn: true, atom.Em: true, atom.Font: true, atom.I: true,
	atom.Ins: true, atom.Kbd: true, atom.Mark: true, atom.Q: true, atom.Rp: true,
	atom.Rt: true, atom.Ruby: true, atom.S: true, atom.Samp: true,
	atom.Small: true, atom.Span: true, atom.Strike: true, atom.Strong: true,
	atom.Sub: true, atom.Sup: true, atom.Time: true, atom.Tt: true, atom.U: true,
	atom.Var: true, atom.Wbr: true,
}

// retext is Text of a string that Text returned. That is the string
// itself unless it has a tag or an entity, which Text decoded from an
// escaped one ("&amp;lt;b&amp;gt;" is "&lt;b&gt;" after one Text).
func retext(s string) string {
	if strings.IndexByte(s, '<') >= 0 || strings.IndexByte(s, '&') >= 0 {
		return Text(s)
	}
	return s
}

// appendText adds Text of the rendered nd to w, taken from the tree
// rather than by parsing nd's HTML again: text nodes as they are (Render
// escapes them and Text unescapes them back), a space on either side of
// an element that is not inline, nothing of hidden elements (tidy has
// dropped them in any case). Text nodes must be valid UTF-8, as tidy
// leaves them.
func appendText(w *lineWriter, nd *html.Node) {
	switch nd.Type {
	case html.TextNode:
		w.WriteString(nd.Data)
	case html.ElementNode:
		if !inline[nd.DataAtom] {
			w.Space()
		}
		if !hidden[nd.DataAtom] {
			for c := nd.FirstChild; c != nil; c = c.NextSibling {
				appendText(w, c)
			}
		}
		if !inline[nd.DataAtom] {
			w.Space()
		}
	}
}
