package sources

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/feedsmith/feedsmith/datetime"
)

// frontMatter is what a post's YAML header says, read the way Jekyll
// reads it.
type frontMatter struct {
	Title       string
	Slug        string
	Date        time.Time // zero when the header gives none
	Updated     time.Time // last_modified_at, as jekyll-feed reads it
	Categories  []string
	Tags        []string
	Permalink   string
	Author      string
	Description string
	Image       string
	ID          string
	Unpublished bool
}

// lineError is a problem at a line of a post file.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

const (
	// yamlStart is the file line of the header's first YAML line, the
	// one after the opening "---".
	yamlStart = 2
	// maxListItems bounds a category or tag list, so nested aliases
	// cannot expand into millions of names.
	maxListItems = 1000
	// maxListDepth bounds lists in lists (and an alias to a list
	// inside itself).
	maxListDepth = 8
)

// parsePost splits a post file into its front matter and body. Dates
// without an offset are read in loc. Errors are *lineError where the
// line is known.
func parsePost(data []byte, loc *time.Location) (frontMatter, []byte, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return frontMatter{}, nil, &lineError{firstLine(data, utf8.Valid), errors.New("not valid UTF-8")}
	}
	yml, body, has := splitFrontMatter(data)
	if !has {
		return frontMatter{}, data, nil
	}
	if yml == nil {
		return frontMatter{}, nil, &lineError{1, errors.New("front matter: no closing --- line")}
	}
	fm, err := decodeFrontMatter(yml, loc)
	return fm, body, err
}

// splitFrontMatter cuts data at Jekyll's front matter fences: a first
// line "---" and the next line "---" or "...", trailing blanks allowed.
// has is false when the file has no front matter; yml is nil when the
// header is never closed.
func splitFrontMatter(data []byte) (yml, body []byte, has bool) {
	first, rest, ok := bytes.Cut(data, []byte("\n"))
	if !ok || !isFence(first, false) {
		return nil, data, false
	}
	for off := 0; off <= len(rest); {
		line, after, found := bytes.Cut(rest[off:], []byte("\n"))
		if isFence(line, true) {
			return rest[:off:off], after, true
		}
		if !found {
			break
		}
		off += len(line) + 1
	}
	return nil, nil, true
}

func isFence(line []byte, closing bool) bool {
	s := string(bytes.TrimRight(line, " \t\r\f\v"))
	return s == "---" || closing && s == "..."
}

// decodeFrontMatter reads the YAML between the fences. It walks the
// mapping itself rather than decoding into a struct: Jekyll lets fields
// take several shapes, a date must keep its offset (yaml.v3 turns an
// unquoted timestamp into UTC), and errors need each value's line. The
// simple headers most posts have skip the YAML parser (simpleFields);
// both ways give the same nodes to the same reader.
func decodeFrontMatter(yml []byte, loc *time.Location) (frontMatter, error) {
	fields, ok := simpleFields(yml)
	if !ok {
		var err error
		if fields, err = yamlFields(yml); err != nil {
			return frontMatter{}, err
		}
	}
	return readFields(yml, fields, loc)
}

// yamlFields parses the header with yaml.v3 and returns its top-level
// values by key, the last of a repeated key winning, as in Jekyll. A
// header of only comments, or of nothing, has no fields.
func yamlFields(yml []byte) (map[string]*yaml.Node, error) {
	var doc yaml.Node
	if err := unmarshalYAML(yml, &doc); err != nil {
		return nil, yamlError(err, yml)
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil, nil
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, nodeError(yml, root, "", errors.New("want a mapping of keys to values"))
	}
	fields := make(map[string]*yaml.Node, len(root.Content)/2)
	for i := 0; i+1 < len(root.Content); i += 2 {
		fields[root.Content[i].Value] = resolve(root.Content[i+1])
	}
	return fields, nil
}

// readFields turns the header's top-level values into a frontMatter.
func readFields(yml []byte, fields map[string]*yaml.Node, loc *time.Location) (frontMatter, error) {
	if len(fields) == 0 {
		return frontMatter{}, nil
	}
	r := fieldReader{yml: yml, fields: fields}
	if p := r.fields["published"]; p != nil && isFalse(p) {
		return frontMatter{Unpublished: true}, nil
	}
	// Jekyll adds category (one name) to categories (space-separated
	// names); tag (one name) replaces tags.
	tags := r.list("tag", false)
	if isNull(r.fields["tag"]) {
		tags = r.list("tags", true)
	}
	fm := frontMatter{
		Title:       strings.ToValidUTF8(r.str("title"), "\uFFFD"),
		Slug:        r.str("slug"),
		Date:        r.date("date", loc),
		Updated:     r.date("last_modified_at", loc),
		Categories:  unique(append(r.list("categories", true), r.list("category", false)...)),
		Tags:        unique(tags),
		Permalink:   r.str("permalink"),
		Author:      r.named("author", "name", "email"),
		Description: r.str("description"),
		Image:       r.named("image", "path"),
		ID:          cmp.Or(r.str("id"), r.str("guid")),
	}
	return fm, r.err
}

// unmarshalYAML turns a panic in the YAML parser into an error: a post
// is outside input, and one bad file must not stop the daemon.
func unmarshalYAML(in []byte, out *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: parser failed: %v", r)
		}
	}()
	return yaml.Unmarshal(in, out)
}

// fieldReader reads front matter values, keeping the first error.
type fieldReader struct {
	yml    []byte // the header, to place errors in the file
	fields map[string]*yaml.Node
	err    error
}

func (r *fieldReader) fail(n *yaml.Node, key string, err error) {
	if r.err == nil {
		r.err = nodeError(r.yml, n, key, err)
	}
}

func (r *fieldReader) str(key string) string {
	n := r.fields[key]
	switch {
	case isNull(n):
	case n.Kind == yaml.ScalarNode:
		return strings.TrimSpace(n.Value)
	default:
		r.fail(n, key, errors.New("want a string"))
	}
	return ""
}

func (r *fieldReader) date(key string, loc *time.Location) time.Time {
	n := r.fields[key]
	switch {
	case isNull(n):
	case n.Kind != yaml.ScalarNode:
		r.fail(n, key, errors.New("want a date"))
	default:
		t, err := datetime.Parse(n.Value, loc)
		if err != nil {
			r.fail(n, key, err)
		}
		return t
	}
	return time.Time{}
}

// list reads a name or a list of names; nested lists are flattened, as
// Jekyll does, to a few levels. A plain string is split at spaces when
// split is set, as Jekyll does for the plural keys.
func (r *fieldReader) list(key string, split bool) []string {
	var out []string
	var walk func(n *yaml.Node, split bool, depth int) error
	walk = func(n *yaml.Node, split bool, depth int) error {
		n = resolve(n)
		switch {
		case depth > maxListDepth:
			return nodeError(r.yml, n, key, errors.New("lists nested too deep"))
		case isNull(n):
		case n.Kind == yaml.ScalarNode && split:
			out = append(out, strings.Fields(n.Value)...)
		case n.Kind == yaml.ScalarNode:
			if v := strings.TrimSpace(n.Value); v != "" {
				out = append(out, v)
			}
		case n.Kind == yaml.SequenceNode:
			for _, c := range n.Content {
				if err := walk(c, false, depth+1); err != nil {
					return err
				}
			}
		default:
			return nodeError(r.yml, n, key, errors.New("want a name or a list of names"))
		}
		if len(out) > maxListItems {
			return nodeError(r.yml, n, key, fmt.Errorf("more than %d names", maxListItems))
		}
		return nil
	}
	if err := walk(r.fields[key], split, 0); err != nil && r.err == nil {
		r.err = err
	}
	return out
}

// named reads a scalar, or from a map the first of fields that is
// set (an author's name or email; an image's path, as jekyll-seo-tag
// writes it). A list of authors gives their names joined by ", ".
func (r *fieldReader) named(key string, fields ...string) string {
	n := r.fields[key]
	if n != nil && n.Kind == yaml.SequenceNode && key == "author" {
		var names []string
		for _, c := range n.Content {
			if name, _ := named(resolve(c), fields); name != "" {
				names = append(names, name)
			}
		}
		return strings.Join(names, ", ")
	}
	s, ok := named(n, fields)
	if !ok {
		r.fail(n, key, fmt.Errorf("want a string or a map with %s", strings.Join(fields, " or ")))
	}
	return s
}

func named(n *yaml.Node, fields []string) (string, bool) {
	switch {
	case isNull(n):
		return "", true
	case n.Kind == yaml.ScalarNode:
		return strings.TrimSpace(n.Value), true
	case n.Kind == yaml.MappingNode:
		for _, f := range fields {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if v := resolve(n.Content[i+1]); n.Content[i].Value == f && v.Kind == yaml.ScalarNode {
					if s := strings.TrimSpace(v.Value); s != "" {
						return s, true
					}
				}
			}
		}
		return "", true
	}
	return "", false
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// isFalse reports whether a plain scalar is false in YAML 1.1 as Jekyll's
// parser reads it, where no and off are false too.
func isFalse(n *yaml.Node) bool {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		return false
	}
	switch strings.ToLower(n.Value) {
	case "false", "no", "off":
		return true
	}
	return false
}

// The patterns of yamlError compile on first use: most runs see no
// broken front matter.
var yamlLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^line (\d+): `) })

// yamlParserProblemRE matches the yaml.v3 errors that come from its
// parser, whose "line N" counts from 0; its scanner and decoder count
// from 1. Both leave out a line 0, that is the first.
var yamlParserProblemRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(did not find expected (<|key|node|'-'|',')|found (duplicate %|incompatible|undefined tag))`)
})

// yamlError moves the line of a yaml.v3 error from the header to the
// file. An error yaml.v3 gives no place for is put on the opening fence.
func yamlError(err error, yml []byte) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line, given := 0, false // within the header
	if m := yamlLineRE().FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		given = true
		msg = msg[len(m[0]):]
	}
	switch {
	case msg == "control characters are not allowed":
		line = firstLine(yml, yamlAllowed)
	case !given && (strings.Contains(msg, "anchor") || strings.Contains(msg, "parser failed")):
		// no place given: put it on the fence
	case !given:
		line = 1
	case yamlParserProblemRE().MatchString(msg):
		line++
	}
	at := 1 // the opening fence
	if line > 0 {
		at = fileLine(yml, line)
	}
	return &lineError{at, errors.New("front matter: yaml: " + msg)}
}

// fileLine turns a line of the YAML header, as YAML counts lines, into a
// line of the file. YAML also breaks lines at a lone "\r"; files are
// numbered by "\n" only. A line past the header is the closing fence's.
func fileLine(yml []byte, line int) int {
	n, file := 1, yamlStart
	for i := 0; i < len(yml) && n < line; i++ {
		switch {
		case yml[i] == '\n':
			n, file = n+1, file+1
		case yml[i] == '\r' && (i+1 == len(yml) || yml[i+1] != '\n'):
			n++
		}
	}
	return file
}

// yamlAllowed reports whether a line has only characters YAML allows.
func yamlAllowed(line []byte) bool {
	return bytes.IndexFunc(line, func(r rune) bool {
		return !(r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7E || r == 0x85 ||
			r >= 0xA0 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000)
	}) < 0
}

func nodeError(yml []byte, n *yaml.Node, key string, err error) error {
	if key != "" {
		err = fmt.Errorf("%s: %w", key, err)
	}
	return &lineError{fileLine(yml, n.Line), fmt.Errorf("front matter: %w", err)}
}

// firstLine returns the number of the first line of b that is not ok,
// or 0.
func firstLine(b []byte, ok func([]byte) bool) int {
	n := 1
	for line := range bytes.Lines(b) {
		if !ok(line) {
			return n
		}
		n++
	}
	return 0
}
