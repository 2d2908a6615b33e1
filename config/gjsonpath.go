package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// maxPathDepth bounds how deeply queries and multipaths may nest in one
// gjson path.
const maxPathDepth = 32

// CheckPath reports whether path is a gjson path (see gjson's
// SYNTAX.md) that gjson can follow. gjson has no validator: given a
// broken path, such as an unclosed query "data.#(id==1" or multipath
// "[a,b" or a separator with nothing after it, it silently finds
// nothing, so every record would come out empty; text after a query's
// bracket, an unknown query operator or a trailing backslash it silently
// ignores, reading another path than the one written. CheckPath follows
// gjson's own reading of a path and refuses only those: wildcards,
// escapes, queries, modifiers, multipaths and literals are accepted as
// gjson documents them.
func CheckPath(path string) error {
	if rest, ok := strings.CutPrefix(path, ".."); ok { // JSON Lines
		if rest == "" {
			return nil
		}
		path = rest
	}
	return checkPath(path, 0)
}

// checkPath checks the components of path, separated by "." or "|".
func checkPath(path string, depth int) error {
	if depth > maxPathDepth {
		return errors.New("queries or multipaths nested too deeply")
	}
	start := true // at the path's start or after "|": gjson starts afresh
	for i := 0; ; {
		n, err := component(path[i:], start, depth)
		if err != nil {
			return err
		}
		i += n
		if i == len(path) {
			return nil
		}
		sep := path[i] // component stops only at a separator
		i++
		if i == len(path) {
			return fmt.Errorf("ends in %q with nothing after it", string(sep))
		}
		start = sep == '|'
	}
}

// component checks the path component at the start of s and returns its
// length: up to the "." or "|" after it, or the end.
func component(s string, start bool, depth int) (int, error) {
	switch {
	case s == "":
		return 0, errors.New("empty component")
	case s[0] == '@':
		if n, ok := modifier(s); ok {
			return n, nil
		}
	case s[0] == '!' && start:
		return literal(s)
	case s[0] == '[' || s[0] == '{':
		return multipath(s, depth)
	case strings.HasPrefix(s, "#(") || strings.HasPrefix(s, "#["):
		return query(s, depth)
	}
	return key(s)
}

// key reads a key, with wildcards and "\" escapes.
func key(s string) (int, error) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i == len(s)-1 {
				return 0, errors.New(`ends in a lone "\" (it escapes the character after it)`)
			}
			i++
		case '.', '|':
			return i, nil
		}
	}
	return len(s), nil
}

// modifier reads "@name" or "@name:arg" when name is a gjson modifier;
// ok is false for any other "@key", which gjson reads as a key.
func modifier(s string) (n int, ok bool) {
	end := strings.IndexAny(s, ".|:")
	if end < 0 {
		end = len(s)
	}
	if !gjson.ModifierExists(s[1:end], nil) {
		return 0, false
	}
	if end == len(s) || s[end] != ':' {
		return end, true
	}
	// The argument: JSON, or text up to the next "|" (gjson's reading).
	// gjson reads an argument leniently, an unclosed one to the end.
	i := end + 1
	if i < len(s) && strings.IndexByte(`{["`, s[i]) >= 0 {
		if m, err := balanced(s[i:]); err == nil {
			return i + m, true
		}
		return len(s), true
	}
	for ; i < len(s) && s[i] != '|'; i++ {
		if strings.IndexByte(`{["(`, s[i]) >= 0 {
			m, err := balanced(s[i:])
			if err != nil {
				return len(s), true
			}
			i += m - 1
		}
	}
	return i, true
}

// literal reads a JSON literal: "!true", "!\"text\"", "!{...}", "!42".
func literal(s string) (int, error) {
	if len(s) > 1 && strings.IndexByte(`{["`, s[1]) >= 0 {
		n, err := balanced(s[1:])
		if err != nil {
			return 0, fmt.Errorf("literal %w", err)
		}
		return 1 + n, nil
	}
	return key(s) // a number or a word; gjson reads any other as a key
}

// multipath reads "[path,path]" or "{name:path,...}": each path is
// checked, and only a separator may follow the closing bracket.
func multipath(s string, depth int) (int, error) {
	n, err := balanced(s)
	if err != nil {
		return 0, fmt.Errorf("multipath %w", err)
	}
	for _, sel := range splitTop(s[1 : n-1]) {
		p := strings.TrimSpace(sel)
		if s[0] == '{' {
			p = strings.TrimSpace(strings.TrimPrefix(p, selectorName(p)))
		}
		if p == "" {
			continue
		}
		if err := checkPath(p, depth+1); err != nil {
			return 0, fmt.Errorf("in multipath %s: %q %w", s[:n], p, err)
		}
	}
	if n < len(s) && s[n] != '.' && s[n] != '|' {
		return 0, fmt.Errorf("unexpected %q after multipath %s", s[n:], s[:n])
	}
	return n, nil
}

// selectorName returns the "name:" before an object multipath's path,
// as gjson finds it: the first colon that is not inside brackets, a
// string or a modifier; "" when there is none.
func selectorName(sel string) string {
	name := ""
	scan(sel, func(i, depth int) bool {
		switch {
		case sel[i] == '@' && i > 0 && (sel[i-1] == '.' || sel[i-1] == '|'):
			return false
		case sel[i] == ':' && depth == 0:
			name = sel[:i+1]
			return false
		}
		return true
	})
	return name
}

// query reads "#(...)" or "#[...]", optionally followed by "#" (every
// match): its path is checked, its operator must be one gjson knows,
// and only a separator may follow.
func query(s string, depth int) (int, error) {
	open := s[1]
	n, err := balanced(s[1:])
	if err != nil {
		return 0, fmt.Errorf("query #%c…%c %w", open, closer(open), err)
	}
	end := 1 + n
	inner := s[2 : end-1]
	// The value starts at the first operator character outside brackets.
	op, _ := scan(inner, func(i, depth int) bool { return depth > 0 || strings.IndexByte("!=<>%", inner[i]) < 0 })
	left := inner
	if op < len(inner) {
		left = inner[:op]
		if err := queryValue(strings.TrimSpace(inner[op:])); err != nil {
			return 0, fmt.Errorf("query %s: %w", s[:end], err)
		}
	}
	if p := strings.TrimSpace(left); p != "" {
		if err := checkPath(p, depth+1); err != nil {
			return 0, fmt.Errorf("query %s: %q %w", s[:end], p, err)
		}
	}
	if end < len(s) && s[end] == '#' {
		end++
	}
	if end < len(s) && s[end] != '.' && s[end] != '|' {
		return 0, fmt.Errorf("unexpected %q after query %s", s[end:], s[:end])
	}
	return end, nil
}

// queryOps are the comparisons of a query, longest first.
var queryOps = []string{"==", "!=", "<=", ">=", "!%", "=", "<", ">", "%"}

// queryValue checks the operator and value of a query ("==\"Murphy\"").
func queryValue(v string) error {
	for _, op := range queryOps {
		if rest, ok := strings.CutPrefix(v, op); ok {
			rest = strings.TrimSpace(rest)
			if strings.HasPrefix(rest, `"`) && (len(rest) < 2 || closeQuote(rest, 0) != len(rest)-1) {
				return fmt.Errorf("text after the quoted value in %q", v)
			}
			return nil
		}
	}
	return fmt.Errorf("unknown operator in %q (one of ==, !=, <, <=, >, >=, %%, !%%)", v)
}

// balanced returns the length of the bracketed or quoted text at the
// start of s, closing brackets matched in any kind as gjson matches them
// and strings skipped whole.
func balanced(s string) (int, error) {
	if s[0] == '"' {
		if end := closeQuote(s, 0); end < len(s) {
			return end + 1, nil
		}
		return 0, errors.New(`has an unclosed string`)
	}
	end, unclosed := scan(s, func(i, depth int) bool { return depth != 1 || strings.IndexByte("])}", s[i]) < 0 })
	switch {
	case end < len(s):
		return end + 1, nil
	case unclosed:
		return 0, errors.New(`has an unclosed string`)
	}
	return 0, fmt.Errorf("is not closed (no %q)", string(closer(s[0])))
}

// scan walks s as gjson reads brackets: escaped characters and strings
// are skipped, and at is called with each other byte's index and the
// depth of the brackets around it, until it returns false. scan returns
// where it stopped (len(s) when at never said stop), and whether s ends
// inside a string.
func scan(s string, at func(i, depth int) bool) (stop int, unclosed bool) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
			continue
		case '"':
			if i = closeQuote(s, i); i == len(s) {
				return len(s), true
			}
			continue
		}
		if !at(i, depth) {
			return i, false
		}
		switch s[i] {
		case '[', '(', '{':
			depth++
		case ']', ')', '}':
			depth--
		}
	}
	return len(s), false
}

// closeQuote returns the index of the quote that closes the string
// opening at s[i], or len(s) when it is not closed.
func closeQuote(s string, i int) int {
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(s)
}

func closer(open byte) byte {
	return map[byte]byte{'(': ')', '[': ']', '{': '}', '"': '"'}[open]
}

// splitTop splits a multipath's inside at the commas outside brackets
// and strings.
func splitTop(s string) []string {
	var parts []string
	from := 0
	scan(s, func(i, depth int) bool {
		if s[i] == ',' && depth == 0 {
			parts, from = append(parts, s[from:i]), i+1
		}
		return true
	})
	return append(parts, s[from:])
}

// jsonPathRE matches what JSONPath writes and gjson reads as keys: a
// "$" root, or an index in brackets ("items[0]").
var jsonPathRE = lazyRegexp(`^\$(\.|\[|$)|[^#\\]\[\d+\]`)

// PathHint returns a warning for a valid gjson path that looks like
// JSONPath, which gjson reads otherwise; "" for none.
func PathHint(path string) string {
	if !jsonPathRE().MatchString(path) {
		return ""
	}
	return fmt.Sprintf("%q looks like JSONPath, which gjson reads differently: no \"$\" root, and an index is a component (items.0, not items[0])", path)
}
