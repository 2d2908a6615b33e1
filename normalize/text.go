package normalize

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// XMLSafe removes from s every character XML 1.0 does not allow: the C0
// controls other than tab, newline and carriage return, U+FFFE, U+FFFF
// and surrogates. Bytes that are not valid UTF-8 are dropped too. Nothing
// is replaced with U+FFFD: a feed reader shows that as a visible error,
// while the dropped bytes were never meant to be seen.
func XMLSafe(s string) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !xmlChar(r, size) {
			return xmlSafeFrom(s, i)
		}
		i += size
	}
	return s
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

// collapse trims s and turns each run of white space (including no-break
// and ideographic spaces) into one ASCII space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// line cleans a one-line field: XML-safe, white space collapsed.
func line(s string) string {
	return collapse(XMLSafe(s))
}

// Text returns the plain text of an HTML fragment: tags dropped (with the
// content of script, style and the like), entities decoded, a space where
// a block element separated words, white space collapsed, XML-safe.
// Text that is not HTML comes back with only its white space collapsed.
func Text(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return line(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
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
				b.WriteByte(' ')
			}
		}
	}
}

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

// Summary cuts text to about max characters (runes) on a character
// boundary. It prefers to end after a sentence (。！？ or . ! ? followed by
// a space) and otherwise at a space, when either lies in the last quarter
// of the window; a cut that does not end a sentence gets "…" appended, so
// the result has at most max+1 runes. Text that fits is returned with
// only its white space collapsed. The result is always valid UTF-8.
func Summary(text string, max int) string {
	text = line(text)
	if max <= 0 {
		return ""
	}
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	rs := []rune(text)
	lo := max - max/4
	for i := max - 1; i >= lo; i-- {
		if sentenceEnd(rs, i) {
			return string(rs[:i+1])
		}
	}
	cut := max
	for i := max - 1; i >= lo; i-- {
		if rs[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(rs[:cut]), " ") + "…"
}

// sentenceEnd reports whether a sentence ends at rs[i]: a full-width
// stop, an ASCII one followed by a space, or a closing quote or bracket
// right after either.
func sentenceEnd(rs []rune, i int) bool {
	switch rs[i] {
	case '。', '！', '？':
		return true
	case '.', '!', '?':
		return i+1 < len(rs) && rs[i+1] == ' '
	case '”', '’', '」', '』', '）', '"', ')':
		return i > 0 && strings.ContainsRune("。！？", rs[i-1])
	}
	return false
}
