package sources

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The nodes simpleFields makes carry what fieldReader reads and no more:
// kind, value, quoting style, line, and for a plain scalar only whether
// it is null (tagged !!null, else !!str where yaml.v3 may say !!int or
// !!timestamp: isNull is the one question asked of a tag).
const (
	nullTag = "!!null"
	strTag  = "!!str"
	seqTag  = "!!seq"
	// maxSimpleKey keeps keys far below YAML's 1024-character limit on
	// a simple key.
	maxSimpleKey = 128
)

// simpleFields reads the front matter most posts have without the YAML
// parser: a "key: value" per line at the left edge, the value a plain or
// quoted scalar on that line, a flow list of plain names ("[a, b]"), or
// nothing and then "- item" lines of plain or quoted scalars. It gives
// the nodes yaml.v3 would, and ok is false for anything else (comments,
// anchors, tags, block scalars, maps, continued lines, tabs, odd
// indentation, characters YAML breaks lines at or refuses), which
// yaml.v3 then reads. It never fails where yaml.v3 would report an
// error: FuzzSimpleFields holds it to that.
func simpleFields(yml []byte) (fields map[string]*yaml.Node, ok bool) {
	if !simpleText(yml) {
		return nil, false
	}
	fields = make(map[string]*yaml.Node, 8)
	var open *yaml.Node // the value of a key with nothing after it, which items may follow
	indent := 0         // of open's items
	for ln := 1; len(yml) > 0; ln++ {
		var line []byte
		line, yml, _ = bytes.Cut(yml, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimLeft(line, " ")) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '-' {
			if open == nil {
				return nil, false
			}
			item := bytes.TrimLeft(line, " ")
			n := len(line) - len(item)
			if len(item) < 3 || item[0] != '-' || item[1] != ' ' {
				return nil, false
			}
			switch {
			case open.Kind == yaml.ScalarNode:
				*open = yaml.Node{Kind: yaml.SequenceNode, Tag: seqTag, Line: ln}
				indent = n
			case n != indent:
				return nil, false
			}
			v, ok := simpleScalar(bytes.TrimLeft(item[2:], " "), ln)
			if !ok || v.Tag == nullTag { // a null item is left to yaml.v3
				return nil, false
			}
			open.Content = append(open.Content, v)
			continue
		}
		key, value, ok := cutSimpleKey(line)
		if !ok {
			return nil, false
		}
		v, ok := simpleValue(value, ln)
		if !ok {
			return nil, false
		}
		open = nil
		if v.Kind == yaml.ScalarNode && v.Tag == nullTag && v.Value == "" {
			open = v
		}
		fields[key] = v // the last wins, as in yamlFields
	}
	return fields, true
}

// simpleText reports whether yml has none of what simpleFields leaves to
// yaml.v3 anywhere: control characters but "\n" and a "\r" before it,
// tabs, the other characters YAML breaks lines at (NEL, U+2028, U+2029),
// byte order marks, and characters YAML does not allow.
func simpleText(yml []byte) bool {
	for i := 0; i < len(yml); {
		c := yml[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && !(c == '\r' && i+1 < len(yml) && yml[i+1] == '\n') || c == 0x7F {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(yml[i:])
		if r <= 0x9F || r == 0x2028 || r == 0x2029 || r == 0xFEFF || r >= 0xFFFE && r <= 0xFFFF || r == utf8.RuneError {
			return false
		}
		i += size
	}
	return true
}

// cutSimpleKey splits "key: value" or "key:" where the key is a name of
// letters, digits and "_.-".
func cutSimpleKey(line []byte) (key string, value []byte, ok bool) {
	i := 0
	for i < len(line) && i <= maxSimpleKey && isKeyByte(line[i], i == 0) {
		i++
	}
	if i == 0 || i > maxSimpleKey || i == len(line) || line[i] != ':' {
		return "", nil, false
	}
	value = line[i+1:]
	if len(value) > 0 && value[0] != ' ' {
		return "", nil, false
	}
	return string(line[:i]), bytes.TrimLeft(value, " "), true
}

func isKeyByte(c byte, first bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		return true
	case '0' <= c && c <= '9', c == '.', c == '-':
		return !first
	}
	return false
}

// simpleValue reads what follows a key: nothing (a null), a flow list or
// a scalar.
func simpleValue(v []byte, ln int) (*yaml.Node, bool) {
	switch {
	case len(v) == 0:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: nullTag, Line: ln}, true
	case v[0] == '[':
		return simpleFlowList(v, ln)
	}
	return simpleScalar(v, ln)
}

// simpleScalar reads a quoted or plain scalar that is all of v.
func simpleScalar(v []byte, ln int) (*yaml.Node, bool) {
	if len(v) == 0 {
		return nil, false
	}
	switch v[0] {
	case '"':
		s, ok := doubleQuoted(v)
		return &yaml.Node{Kind: yaml.ScalarNode, Style: yaml.DoubleQuotedStyle, Tag: strTag, Value: s, Line: ln}, ok
	case '\'':
		s, ok := singleQuoted(v)
		return &yaml.Node{Kind: yaml.ScalarNode, Style: yaml.SingleQuotedStyle, Tag: strTag, Value: s, Line: ln}, ok
	}
	v = bytes.TrimRight(v, " ")
	if isIndicator(v[0]) || bytes.HasSuffix(v, []byte(":")) ||
		bytes.Contains(v, []byte(": ")) || bytes.Contains(v, []byte(" #")) {
		return nil, false
	}
	return plainNode(string(v), ln), true
}

func plainNode(s string, ln int) *yaml.Node {
	tag := strTag
	switch s {
	case "~", "null", "Null", "NULL":
		tag = nullTag
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s, Line: ln}
}

// isIndicator reports whether c cannot start a plain scalar (YAML lets
// "-", "?" and ":" start one when a non-blank follows; these do not).
func isIndicator(c byte) bool {
	return strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", c) >= 0
}

// simpleFlowList reads "[a, b]", nothing after it but spaces, of plain
// names with no indicator in them.
func simpleFlowList(v []byte, ln int) (*yaml.Node, bool) {
	end := bytes.IndexByte(v, ']')
	if end < 0 || len(bytes.TrimRight(v[end+1:], " ")) > 0 {
		return nil, false
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Tag: seqTag, Line: ln}
	inner := v[1:end]
	if len(bytes.TrimLeft(inner, " ")) == 0 {
		return seq, true
	}
	for item := range bytes.SplitSeq(inner, []byte(",")) {
		item = bytes.Trim(item, " ")
		if len(item) == 0 || item[0] == '-' || bytes.ContainsAny(item, "?:[]{}#&*!|>'\"%@`") {
			return nil, false
		}
		seq.Content = append(seq.Content, plainNode(string(item), ln))
	}
	return seq, true
}

// singleQuoted reads 'text', a quote written twice in it, then only
// spaces.
func singleQuoted(v []byte) (string, bool) {
	var b []byte
	for i := 1; i < len(v); {
		j := bytes.IndexByte(v[i:], '\'')
		if j < 0 {
			break
		}
		b = append(b, v[i:i+j]...)
		i += j + 1
		if i < len(v) && v[i] == '\'' {
			b = append(b, '\'')
			i++
			continue
		}
		return string(b), len(bytes.TrimRight(v[i:], " ")) == 0
	}
	return "", false
}

// doubleQuoted reads "text" with YAML's escapes, then only spaces.
func doubleQuoted(v []byte) (string, bool) {
	var b []byte
	for i := 1; i < len(v); {
		j := bytes.IndexAny(v[i:], `"\`)
		if j < 0 {
			break
		}
		b = append(b, v[i:i+j]...)
		i += j + 1
		if v[i-1] == '"' {
			return string(b), len(bytes.TrimRight(v[i:], " ")) == 0
		}
		var ok bool
		if b, i, ok = appendEscape(b, v, i); !ok {
			return "", false
		}
	}
	return "", false
}

// simpleEscapes maps the single-character escapes of a double-quoted
// YAML scalar to what they stand for.
var simpleEscapes = [256]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", 'n': "\n", 'v': "\v", 'f': "\f", 'r': "\r",
	'e': "\x1b", ' ': " ", '"': "\"", '\'': "'", '\\': "\\",
	'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

// appendEscape appends the escape whose letter is at v[i] and returns
// the index after it.
func appendEscape(b, v []byte, i int) ([]byte, int, bool) {
	if i == len(v) {
		return b, i, false
	}
	size := 0
	switch v[i] {
	case 'x':
		size = 2
	case 'u':
		size = 4
	case 'U':
		size = 8
	default:
		s := simpleEscapes[v[i]]
		return append(b, s...), i + 1, s != ""
	}
	if i+size >= len(v) {
		return b, i, false
	}
	r := rune(0)
	for _, c := range v[i+1 : i+1+size] {
		d := hexDigit(c)
		if d < 0 {
			return b, i, false
		}
		r = r<<4 | rune(d)
	}
	if r >= 0xD800 && r <= 0xDFFF || r > utf8.MaxRune {
		return b, i, false
	}
	return utf8.AppendRune(b, r), i + 1 + size, true
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
