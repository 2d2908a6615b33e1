package normalize

import (
	"strings"
	"unicode/utf8"
)

// Summary cuts text to about max characters (runes) on a character
// boundary. It prefers to end after a sentence (。！？ or . ! ? followed by
// a space) and otherwise at a space, when either lies in the last quarter
// of the window; a cut that does not end a sentence gets "…" appended, so
// the result has at most max+1 runes. Text that fits is returned with
// only its white space collapsed. The result is always valid UTF-8.
func Summary(text string, max int) string {
	return summary(line(text), max)
}

// summary is Summary of a text line has already cleaned, so valid UTF-8:
// it works on byte offsets, never copying the text into runes.
func summary(text string, max int) string {
	if max <= 0 {
		return ""
	}
	// end is the offset of rune max, the first that does not fit.
	end, n := 0, 0
	for end < len(text) && n < max {
		if text[end] < utf8.RuneSelf {
			end++
		} else {
			_, size := utf8.DecodeRuneInString(text[end:])
			end += size
		}
		n++
	}
	if end == len(text) {
		return text
	}
	// Look back over runes max-1 down to lo; rune i spans text[start:pos].
	lo := max - max/4
	pos := end
	for i := max - 1; i >= lo; i-- {
		r, size := utf8.DecodeLastRuneInString(text[:pos])
		if sentenceEnd(text, pos-size, pos, r) {
			return text[:pos]
		}
		pos -= size
	}
	cut := end
	pos = end
	for i := max - 1; i >= lo; i-- {
		r, size := utf8.DecodeLastRuneInString(text[:pos])
		pos -= size
		if r == ' ' {
			cut = pos
			break
		}
	}
	return strings.TrimRight(text[:cut], " ") + "…"
}

// sentenceEnd reports whether a sentence ends at r, the rune at
// text[start:end]: a full-width stop, an ASCII one followed by a space,
// or a closing quote or bracket right after either.
func sentenceEnd(text string, start, end int, r rune) bool {
	switch r {
	case '。', '！', '？':
		return true
	case '.', '!', '?':
		return end < len(text) && text[end] == ' '
	case '”', '’', '」', '』', '）', '"', ')':
		prev, _ := utf8.DecodeLastRuneInString(text[:start])
		return start > 0 && strings.ContainsRune("。！？", prev)
	}
	return false
}
