package urltemplate

import "strings"

// part is the part of a URL that the text so far ends in, which decides
// how the next value placed there is escaped.
type part int

const (
	// partStart is before anything: a value here is a whole URL.
	partStart part = iota
	// partHost is after "scheme://" or "//", before the path.
	partHost
	partPath
	partQuery
	partFragment
)

func (p part) String() string {
	return [...]string{"start", "host", "path", "query", "fragment"}[p]
}

// after returns the part that literal text, written in part p, ends in.
// Values never move the part: they are escaped so that they cannot.
func (p part) after(text string) part {
	if p == partStart {
		text = strings.TrimLeft(text, " \t\r\n")
		if text == "" {
			return partStart
		}
		p = partPath // a relative reference: "/api/{{.id}}", "?id={{.id}}"
		if n := schemeLen(text); n > 0 && strings.HasPrefix(text[n:], "//") {
			p, text = partHost, text[n+2:]
		} else if rest, ok := strings.CutPrefix(text, "//"); ok {
			p, text = partHost, rest
		}
	}
	for i := 0; i < len(text) && p != partFragment; i++ {
		switch text[i] {
		case '#':
			p = partFragment
		case '?':
			p = max(p, partQuery)
		case '/':
			if p == partHost {
				p = partPath
			}
		}
	}
	return p
}

// schemeLen returns the length of the scheme and its colon at the start
// of s (RFC 3986 3.1: a letter, then letters, digits, "+", "-" or "."),
// or 0 when s does not start with one.
func schemeLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c|0x20 && c|0x20 <= 'z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return i + 1
		default:
			return 0
		}
	}
	return 0
}

// literalOrigin returns the scheme and authority ("https://host:8080")
// that text, the template's leading literal text, fixes: text must hold
// them whole, ended by "/", "?" or "#" — or, when whole is set (the
// template is nothing but text), by its end. "" when it does not.
func literalOrigin(text string, whole bool) string {
	text = strings.TrimLeft(text, " \t\r\n")
	n := schemeLen(text)
	if n == 0 || !strings.HasPrefix(text[n:], "//") {
		return ""
	}
	rest := text[n+2:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		if !whole {
			return ""
		}
		end = len(strings.TrimRight(rest, " \t\r\n"))
	}
	if end == 0 {
		return ""
	}
	return text[:n+2+end]
}
