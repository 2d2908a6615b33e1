package urltemplate

import (
	"fmt"
	"strings"
	"text/template"
)

// The functions Escape appends to actions, one per part of a URL. Their
// names start with "_" so that they do not clash with a user's.
const (
	hostFunc     = "_url_host"
	pathFunc     = "_url_path"
	queryFunc    = "_url_query"
	fragmentFunc = "_url_fragment"
)

var funcFor = map[part]string{
	partHost:     hostFunc,
	partPath:     pathFunc,
	partQuery:    queryFunc,
	partFragment: fragmentFunc,
}

// Funcs returns the functions a template must be parsed with for Escape:
// url (a value that is a whole URL, placed unescaped) and the escapers
// Escape appends. Each takes values of any type, nil printing as "".
func Funcs() template.FuncMap {
	return template.FuncMap{
		"url":        func(args ...any) string { return strings.TrimSpace(text(args)) },
		hostFunc:     func(args ...any) string { return Component(text(args)) },
		pathFunc:     func(args ...any) string { return PathSegment(text(args)) },
		queryFunc:    func(args ...any) string { return Component(text(args)) },
		fragmentFunc: func(args ...any) string { return Component(text(args)) },
	}
}

// text prints a function's arguments as the template would print them,
// with nil (a missing key or a JSON null) as "".
func text(args []any) string {
	if len(args) == 1 {
		switch v := args[0].(type) {
		case nil:
			return ""
		case string:
			return v
		}
	}
	return fmt.Sprint(args...)
}

// PathSegment escapes s as one path segment: Component, and a value of only
// dots ("." or "..") as %2E each, so that it is never a dot-segment
// (RFC 3986 5.2.4) that climbs the path.
func PathSegment(s string) string {
	if s != "" && strings.Trim(s, ".") == "" {
		return strings.Repeat("%2E", len(s))
	}
	return Component(s)
}

// Component percent-encodes (as UTF-8) every byte of s but RFC 3986's
// unreserved characters A–Z a–z 0–9 - . _ ~. The result means s, and only
// s, in a path segment, a query value or a fragment: it holds no "/",
// "?", "#", "&", "=", "+", ";" or "%" of its own.
func Component(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
