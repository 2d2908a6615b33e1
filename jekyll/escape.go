package jekyll

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// mdText escapes upstream text for a post's Markdown, and so for HTML
// and Liquid too: every ASCII punctuation character becomes a numeric
// character reference ("<" is "&#60;", "[" is "&#91;", "{" is "&#123;"),
// which CommonMark and kramdown show as the character itself, never as
// syntax: no link, emphasis, code span, table, HTML tag, entity or
// Liquid tag can start in it, and kramdown's typography ("--" to a dash,
// quotes to curly quotes) leaves it alone. Line breaks and other
// control characters become spaces, runs of ASCII spaces one space, and
// the ends are trimmed, so the text stays on its line and never starts
// an indented code block. Letters, digits and all of Unicode beyond
// ASCII (日照日报新闻, full-width ｜) are kept as they are.
func mdText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == ' ' || unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			space = b.Len() > 0
			continue
		case space:
			b.WriteByte(' ')
			space = false
		}
		if r < utf8.RuneSelf && (unicode.IsPunct(r) || unicode.IsSymbol(r)) {
			fmt.Fprintf(&b, "&#%d;", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// linkURL makes a URL safe as the destination of a Markdown link
// [text](url). Only http, https and relative URLs (protocol-relative
// "//host/" too) are kept; any other scheme (javascript:, data:, also
// spelled with tabs or upper case) gives "". What would end the
// destination or be read as Markdown or HTML (white space, "(", ")",
// "<", ">", quotes, "{", "}", "\", control characters) is
// percent-encoded, and "&" is written "&amp;" so that no character
// reference in the URL is decoded by Markdown into a scheme's colon:
// both CommonMark and kramdown then give the browser the same URL.
func linkURL(u string) string {
	u, ok := webURL(u)
	if !ok {
		return ""
	}
	return strings.ReplaceAll(percentEncode(u, `()"'`), "&", "&amp;")
}

// autolinkURL makes an absolute http or https URL safe inside a Markdown
// autolink <url>, or gives "" for anything else (kramdown links only
// absolute URLs of a few schemes that way; a relative one would read as
// an HTML tag). Characters that would end the autolink or be read as
// HTML or Liquid are percent-encoded.
func autolinkURL(u string) string {
	u, ok := webURL(u)
	if !ok {
		return ""
	}
	lower := strings.ToLower(u)
	for _, scheme := range []string{"http://", "https://"} {
		if strings.HasPrefix(lower, scheme) {
			return scheme + percentEncode(u[len(scheme):], "")
		}
	}
	return ""
}

// webURL trims u the way a browser does (tabs and line breaks anywhere
// removed, spaces and control characters at the ends) and reports
// whether it is http, https or relative.
func webURL(u string) (string, bool) {
	u = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, u)
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	if u == "" {
		return "", false
	}
	i := strings.IndexAny(u, ":/?#")
	if i < 0 || u[i] != ':' {
		return u, true // relative: no scheme
	}
	scheme := strings.ToLower(u[:i])
	return u, scheme == "http" || scheme == "https"
}

// percentEncode encodes the bytes of s that no URL holds unencoded
// (ASCII controls, space, `"<>\^{|}` and the backtick), those in extra,
// and the UTF-8 bytes of Unicode white space and control characters;
// other non-ASCII letters are kept, as browsers show them.
func percentEncode(s, extra string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r < utf8.RuneSelf && (r <= ' ' || r == 0x7f || strings.ContainsRune("\"<>\\^`{|}"+extra, r)),
			r >= utf8.RuneSelf && (unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029'):
			var buf [utf8.UTFMax]byte
			for _, c := range buf[:utf8.EncodeRune(buf[:], r)] {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pathSegment escapes a category id as one segment of a URL path: every
// byte but ASCII letters, digits and "-._~" is percent-encoded, so the
// id can neither leave its segment ("/", "..", "?", "#") nor start a
// scheme (":"), nor end a Markdown link, and reads as text too.
func pathSegment(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)) || strings.IndexByte("-._~", c) >= 0) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	if s := b.String(); s != "." && s != ".." {
		return s
	}
	return strings.Repeat("%2E", len(s)) // "." and ".." are not names
}

// label makes a tag or category name plain text for the front matter,
// where layouts print it, often without escaping: "<", ">", "{" and "}"
// are dropped, so it holds no HTML tag and no Liquid; line breaks and
// other control characters become spaces, and runs of spaces one.
func label(s string) string {
	s = frontMatterText(s, "<>{}")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }), " ")
}

// personName is an author's name as front matter holds it: themes print
// it as it is (minima's post layout has {{ page.author }}, unescaped),
// so it keeps no "<" or ">" that could open a tag there, and no line
// breaks. Liquid does not render front matter nor what a layout prints,
// so braces stay.
func personName(s string) string {
	return strings.Join(strings.Fields(frontMatterText(s, "<>")), " ")
}

// frontMatterText is s as valid UTF-8 without the runes of drop, its
// control characters and line separators turned into spaces.
func frontMatterText(s, drop string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(drop, r):
			return -1
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
