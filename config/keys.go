package config

import (
	"fmt"
	"maps"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder collects problems and remembers which line each key is on.
type decoder struct {
	file     string
	lines    map[string]int // key path → line
	problems Problems
}

var (
	configType      = reflect.TypeOf(Config{})
	unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()
)

// checkKeys reports every mapping key that names no field of t: unknown
// keys are errors, so a typo never silently becomes a default.
func (d *decoder) checkKeys(n *yaml.Node, path string, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) && (t.Kind() != reflect.Struct || n.Kind != yaml.MappingNode) {
		return // a custom scalar form; a mapping is still checked below
	}
	switch {
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			f, ok := fields[k.Value]
			if !ok {
				d.addAt(k.Line, joinKey(path, k.Value), fmt.Sprintf("unknown key (known: %s)", knownKeys(fields)))
				continue
			}
			d.checkKeys(n.Content[i+1], joinKey(path, k.Value), f)
		}
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for i, c := range n.Content {
			d.checkKeys(c, fmt.Sprintf("%s[%d]", path, i), t.Elem())
		}
	}
}

func yamlFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if opts == "inline" && f.Type.Kind() == reflect.Struct {
			maps.Copy(fields, yamlFields(f.Type)) // its keys are the parent's
			continue
		}
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f.Type
	}
	return fields
}

func knownKeys(fields map[string]reflect.Type) string {
	return strings.Join(sortedKeys(fields), ", ")
}

// add records a problem with key, finding its line from the key or the
// nearest enclosing key that appears in the file.
func (d *decoder) add(key, msg string) {
	d.addAt(d.lineOf(key), key, msg)
}

func (d *decoder) addAt(line int, key, msg string) {
	d.problems = append(d.problems, Problem{File: d.file, Line: line, Key: key, Msg: msg})
}

func (d *decoder) lineOf(key string) int {
	for k := key; k != ""; {
		if n, ok := d.lines[k]; ok {
			return n
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

// keyAt returns the deepest key on line n, for errors that only give a line.
func (d *decoder) keyAt(n int) string {
	best := ""
	for k, l := range d.lines {
		if l == n && len(k) > len(best) {
			best = k
		}
	}
	return best
}

func (d *decoder) sort() {
	sort.SliceStable(d.problems, func(i, j int) bool { return d.problems[i].Line < d.problems[j].Line })
}
