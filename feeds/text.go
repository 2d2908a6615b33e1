package feeds

import (
	"strings"
	"unicode/utf8"
)

// clean drops what no feed may carry in its text: bytes that are not UTF-8,
// characters outside XML 1.0's Char production (which would make the
// document not well-formed), and U+007F–U+009F, which XML allows but the W3C
// validator ("BadCharacters") and JSON Feed checkers flag.
func clean(s string) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !keepRune(r, size) {
			return cleanFrom(s, i)
		}
		i += size
	}
	return s
}

func cleanFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if keepRune(r, size) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func keepRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return false
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20 || (r >= 0x7F && r <= 0x9F):
		return false
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return true
}

var (
	// markupEscaper escapes character data that carries HTML.
	markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
	// plainEscaper escapes plain text with hexadecimal references, as the
	// RSS Best Practices Profile asks and the W3C validator checks: it warns
	// about "&" or "<" in plain text unless they are written as &#x26; and
	// &#x3C;.
	plainEscaper = strings.NewReplacer("&", "&#x26;", "<", "&#x3C;", ">", "&#x3E;", "\r", "&#xD;")
	// htmlEscaper turns plain text into HTML text.
	htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
)

// textElem is an element whose character data is written with only the
// escapes XML needs. encoding/xml would also turn every quote, tab and line
// break into a character reference (他说：&#34;你好&#34;), which makes the
// file hard to read and gains nothing.
type textElem struct {
	Type  string `xml:"type,attr,omitempty"`
	Inner string `xml:",innerxml"`
}

// plainText is a plain-text element; nil when s is empty, so that
// omitempty drops it.
func plainText(s string) *textElem {
	if s == "" {
		return nil
	}
	return &textElem{Inner: plainEscaper.Replace(s)}
}

// markupText is an element carrying HTML as escaped character data; nil
// when s is empty.
func markupText(typ, s string) *textElem {
	if s == "" {
		return nil
	}
	return &textElem{Type: typ, Inner: markupEscaper.Replace(s)}
}

// textHTML returns plain text as HTML.
func textHTML(s string) string { return htmlEscaper.Replace(s) }
