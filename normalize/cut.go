package normalize

import (
	"strings"
	"unicode/utf8"
)

// Limits are the most bytes an article's fields may have once
// normalized; zero means no limit. Title also bounds each tag and
// category name.
type Limits struct {
	Title, Author, Summary, Content int
}

// ellipsis ends a plain-text field that was cut.
const ellipsis = "…"

// maxEntity is the longest character reference worth backing off from
// at a cut: "&CounterClockwiseContourIntegral;" has 33 bytes.
const maxEntity = 33

// CutHTML returns s if it has at most max bytes (or max is 0), else a
// copy of its longest prefix of at most max bytes that ends on a rune
// boundary and not inside a tag or a character reference: after a cut,
// a '<' that starts a tag with no '>' after it, and an '&' that starts
// an unfinished reference, are left out with what follows them. The
// HTML parser repairs the rest (it closes what was left open), so the
// cut never leaves half a tag or a wrong character in the text. It is
// for raw upstream HTML (or text), before it is sanitized: it bounds
// what sanitizing costs and what a source keeps in memory.
func CutHTML(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	cut := runeCut(s, max)
	if i := strings.LastIndexByte(cut, '<'); i >= 0 && strings.IndexByte(cut[i:], '>') < 0 && opensTag(cut[i+1:]) {
		cut = cut[:i]
	}
	if i := strings.LastIndexByte(cut, '&'); i >= 0 && len(cut)-i <= maxEntity && unfinishedRef(cut[i+1:]) {
		cut = cut[:i]
	}
	return strings.Clone(cut) // not the whole of s kept alive by a prefix
}

// opensTag reports whether rest, what follows a '<' up to a cut, may be
// the start of a tag, an end tag, a comment or a declaration, as the
// HTML tokenizer reads them: empty (the cut came right after the '<'),
// or a letter, '/', '!' or '?' next. "a < b" is text.
func opensTag(rest string) bool {
	if rest == "" {
		return true
	}
	c := rest[0] | 0x20
	return 'a' <= c && c <= 'z' || rest[0] == '/' || rest[0] == '!' || rest[0] == '?'
}

// unfinishedRef reports whether rest, what follows an '&' up to a cut,
// may be the start of a character reference the cut broke off: letters
// and digits (or '#' first), with no ';' yet.
func unfinishedRef(rest string) bool {
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !('a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '#' && i == 0) {
			return false
		}
	}
	return true
}

// runeCut returns the longest prefix of s of at most max bytes that does
// not end inside a UTF-8 sequence.
func runeCut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// cutRaw returns a copy of the longest prefix of the raw one-line value
// s of at most max bytes, on a rune boundary (s itself if it fits or max
// is 0): cleaning a field never lengthens it by much, so a field cut
// before it is cleaned costs no more than one that fits.
func cutRaw(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	return strings.Clone(runeCut(s, max))
}

// capped cleans the raw field s with clean, keeping it to max bytes (0:
// any): a raw value over max is first cut with cut, so that cleaning it
// costs no more than cleaning one that fits, and the clean text is cut
// again if it is still too long. It ends in "…" whenever something was
// left out, unless max leaves no room for it.
func capped(s string, max int, cut func(string, int) string, clean func(string) string) string {
	if max <= 0 || len(s) <= max {
		return cutText(clean(s), max)
	}
	return ellipt(clean(cut(s, max)), max)
}

// ellipt returns the text t, from which something was left out, cut to
// max bytes with "…" at its end; empty for empty t.
func ellipt(t string, max int) string {
	if t == "" || max < 2*len(ellipsis) {
		return runeCut(t, max)
	}
	return strings.TrimRight(runeCut(t, max-len(ellipsis)), " ") + ellipsis
}

// cutText cuts the clean plain text s to at most max bytes (0: no
// limit), on a rune boundary, ending it in "…" when max leaves room for
// it. The result is valid UTF-8 if s is.
func cutText(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	return ellipt(s, max)
}
