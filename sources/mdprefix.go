package sources

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A post that is not published in full needs only its summary, which
// normalize takes from the start of the rendered content's text; so
// only the start of its Markdown need be rendered, when rendering that
// start gives the same bytes as the start of rendering the whole.
//
// markdownPrefix finds such a start: the body cut at a "safe cut", a
// line start where nothing that follows can change how goldmark (GFM,
// raw HTML passed, as posts.go configures it) renders what precedes.
// In CommonMark terms, after a blank line every block that could span
// it has ended when the next line starts at column 0 with a character
// that continues nothing: not indentation (indented code, a list
// item's continuation), not a list marker (a later item would make the
// list loose and change how earlier items render), not '>', not a
// setext underline or table delimiter row ('=', '-', ':', '|'). What
// could still reach back over a cut is excluded for the whole body:
//
//   - a link reference definition ("]:"), which can appear anywhere
//     and turn earlier text into links, makes the whole body needed;
//   - raw HTML and autolinks ('<') are never reasoned about, since the
//     sanitizer's HTML5 parser re-nests them: no cut after a '<';
//   - a fenced code block spans blank lines, and a fence's closing
//     line could be anywhere: no cut after a "```" or "~~~";
//   - the default footer (返回首页) is cut from the rendered HTML's end
//     when the Markdown did not give it away (see cutHTMLFooter), so a
//     body holding it is needed whole;
//   - a carriage return not ending a line, which goldmark and this
//     scanner might split lines at differently.
//
// Everything else CommonMark and GFM parse inline (emphasis, code
// spans, links, entities, backslash escapes, hard line breaks,
// strikethrough, task list items, linkify's bare URLs) lies within one
// block, and no block but those above spans a blank line.
//
// minRunes is how many letters or digits (unicode.IsLetter or IsDigit,
// so each CJK character counts) the prefix must hold at least; below
// 1 it is taken as 1. The cut is the first safe one after that many:
// prefix is body[:cut], ending with the blank line(s) before the cut,
// and whole is false. When no safe cut comes before the end, or the
// body is one this cannot reason about, prefix is body and whole is
// true.
func markdownPrefix(body string, minRunes int) (prefix string, whole bool) {
	if strings.Contains(body, "]:") || strings.Contains(body, "返回首页") {
		return body, true
	}
	// limit is the last offset a cut may be at: body[:limit] holds no
	// '<', no fence and no stray carriage return.
	limit := len(body)
	for _, bad := range []string{"<", "```", "~~~"} {
		if i := strings.Index(body, bad); i >= 0 && i < limit {
			limit = i
		}
	}
	for i := strings.IndexByte(body, '\r'); i >= 0 && i < limit; {
		if i+1 == len(body) || body[i+1] != '\n' {
			limit = i
			break
		}
		j := strings.IndexByte(body[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	minRunes = max(minRunes, 1)
	runes, blank := 0, false
	// A cut may be at limit itself: what starts there follows the cut.
	for start := 0; start <= limit && start < len(body); {
		end := strings.IndexByte(body[start:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += start + 1
		}
		line := body[start:end]
		if runes >= minRunes && blank && startsBlock(line) {
			return body[:start], false
		}
		blank = blankLine(line)
		runes += countWordRunes(line)
		start = end
	}
	return body, true
}

// blankLine reports whether line (with its line ending) holds only
// spaces and tabs, as CommonMark defines a blank line. goldmark also
// takes other white space for blank; a line of those is no cut.
func blankLine(line string) bool {
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	return strings.Trim(line, " \t") == ""
}

// startsBlock reports whether line, after a blank line, starts a block
// that no earlier block can take in or be changed by (see
// markdownPrefix).
func startsBlock(line string) bool {
	if blankLine(line) {
		return false
	}
	switch line[0] {
	case ' ', '\t', '\v', '\f', '\r', '\n',
		'>', '-', '+', '*', '=', ':', '|':
		// Indentation, a blockquote, a bullet (or a thematic break,
		// a setext underline, a table delimiter row: none of them is
		// needed to tell, so all are refused).
		return false
	}
	return !orderedMarker(line)
}

// orderedMarker reports whether line starts with an ordered list
// marker: digits, then '.' or ')', then white space or the line's end.
// Any number of digits is refused, though CommonMark allows only nine.
func orderedMarker(line string) bool {
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i == 0 || i == len(line) || (line[i] != '.' && line[i] != ')') {
		return false
	}
	i++
	return i == len(line) || strings.IndexByte(" \t\r\n\v\f", line[i]) >= 0
}

// countWordRunes counts the letters and digits of s.
func countWordRunes(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' {
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
		i += size
	}
	return n
}
