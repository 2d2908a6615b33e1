package config

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder decodes a YAML tree into a Config key by key, so that a value
// of the wrong type is one problem and the rest is still decoded; it
// collects the problems and remembers which line each key is on.
type decoder struct {
	origin
	problems Problems
	// failed lists the keys whose values could not be decoded: a
	// validation problem about them would only repeat it.
	failed []string
	// active holds the anchors being decoded, to find an alias inside
	// its own anchor; budget bounds the values decoded, aliases
	// expanded, so that a few lines of aliases cannot make millions.
	active map[*yaml.Node]bool
	budget int
}

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

// decode decodes n into v, which key names. Unknown keys are errors, so
// a typo never silently becomes a default.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, key string) {
	if d.budget--; d.budget == 0 {
		d.addAt(n.Line, key, "too many values once aliases are expanded")
		d.failed = append(d.failed, "") // the rest is not worth validating
	}
	if d.budget <= 0 {
		return
	}
	if n.Kind == yaml.AliasNode {
		if d.active[n.Alias] {
			d.fail(n.Line, key, fmt.Sprintf("alias *%s is inside its own anchor", n.Value))
			return
		}
		d.decode(n.Alias, v, key)
		return
	}
	if n.Anchor != "" {
		d.active[n] = true
		defer delete(d.active, n)
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		if k := v.Kind(); k == reflect.Pointer || k == reflect.Slice {
			v.SetZero()
		}
		return // the default stays
	}
	t := v.Type()
	switch {
	case t.Kind() == reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.decode(n, v.Elem(), key)
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		d.mapping(n, v, key)
	case reflect.PointerTo(t).Implements(unmarshalerType) || t.Kind() != reflect.Struct && t.Kind() != reflect.Slice:
		d.scalar(n, v, key)
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, c := range n.Content {
			k := fmt.Sprintf("%s[%d]", key, i)
			d.lines[k] = c.Line
			d.decode(c, s.Index(i), k)
		}
		v.Set(s)
	default:
		d.wrongType(n, t, key)
	}
}

// mapping decodes a mapping into the struct v: "<<" merges first, then
// the mapping's own keys over them, as YAML says.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, key string) {
	fields := yamlFields(v.Type())
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.ShortTag() == "!!merge" {
			d.merge(n.Content[i+1], v, key)
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.ShortTag() == "!!merge" {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.fail(k.Line, key, "a key must be a plain word")
			continue
		}
		child := joinKey(key, k.Value)
		if first, ok := seen[k.Value]; ok {
			d.fail(k.Line, child, fmt.Sprintf("given twice (first on line %d)", first))
			continue
		}
		seen[k.Value] = k.Line
		f, ok := fields[k.Value]
		if !ok && key == "" && strings.HasPrefix(k.Value, "x-") {
			continue // a place for YAML anchors, as in Compose files
		}
		if !ok {
			d.addAt(k.Line, child, fmt.Sprintf("unknown key (known: %s)", strings.Join(sortedKeys(fields), ", ")))
			continue
		}
		d.lines[child] = k.Line
		d.decode(val, v.FieldByIndex(f.Index), child)
	}
}

// merge decodes the value of a "<<" key: a mapping, or a list of them,
// the first one's keys winning.
func (d *decoder) merge(n *yaml.Node, v reflect.Value, key string) {
	m := n
	if m.Kind == yaml.AliasNode {
		m = m.Alias
	}
	if m.Kind != yaml.SequenceNode {
		d.decode(n, v, key)
		return
	}
	for i := len(m.Content) - 1; i >= 0; i-- {
		d.decode(m.Content[i], v, key)
	}
}

// scalar decodes a plain value (text, a number, true or false, or one of
// feedsmith's own forms, such as a duration) into v.
func (d *decoder) scalar(n *yaml.Node, v reflect.Value, key string) {
	t := v.Type()
	// A struct of its own form (CategorySpec) reads a mapping or a list
	// itself, and says if it cannot.
	if n.Kind != yaml.ScalarNode && t.Kind() != reflect.Struct || n.ShortTag() == "!!float" && t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64 {
		d.wrongType(n, t, key) // yaml.v3 would cut 2.5 to 2
		return
	}
	if err := n.Decode(v.Addr().Interface()); err != nil {
		d.wrongType(n, t, key)
	}
}

// wrongType reports that n is not what t wants, in words.
func (d *decoder) wrongType(n *yaml.Node, t reflect.Type, key string) {
	d.fail(n.Line, key, fmt.Sprintf("want %s, got %s", want(t), got(n)))
}

// fail records a problem that leaves key undecoded.
func (d *decoder) fail(line int, key, msg string) {
	d.addAt(line, key, msg)
	d.failed = append(d.failed, key)
}

// wants words what a type holds, for type errors.
var wants = map[reflect.Type]string{
	reflect.TypeFor[Duration]():     "a duration such as 30s or 5m (units: s, m, h, d, w)",
	reflect.TypeFor[ByteSize]():     "a size such as 512KiB or 10MiB",
	reflect.TypeFor[CategorySpec](): "a category id or a mapping with id and title",
}

func want(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if w, ok := wants[t]; ok {
		return w
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number, not negative"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Struct:
		return "a mapping of keys to values"
	}
	return t.String()
}

// got words what a node holds, for type errors.
func got(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	v := n.Value
	if r := []rune(v); len(r) > 60 {
		v = string(r[:59]) + "…"
	}
	return fmt.Sprintf("%q", v)
}

// yamlFields returns t's fields by YAML key, the keys of inline structs
// among them, each with its index path in t.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	fields := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if opts == "inline" && f.Type.Kind() == reflect.Struct {
			for k, sub := range yamlFields(f.Type) { // its keys are the parent's
				sub.Index = append([]int{i}, sub.Index...)
				fields[k] = sub
			}
			continue
		}
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f
	}
	return fields
}

// add records a problem with key, finding its line from the key or the
// nearest enclosing key that appears in the file.
func (d *decoder) add(key, msg string) {
	d.addAt(d.lineOf(key), key, msg)
}

func (d *decoder) addAt(line int, key, msg string) {
	d.problems = append(d.problems, Problem{File: d.file, Line: line, Key: key, Msg: msg})
}

// decodedAt reports whether a validation problem about key would only
// repeat a decoding problem: key, a key inside it or a key around it
// could not be decoded.
func (d *decoder) decodedAt(key string) bool {
	for _, f := range d.failed {
		if nested(key, f) || nested(f, key) {
			return false
		}
	}
	return true
}

// nested reports whether key is outer or inside it.
func nested(key, outer string) bool {
	rest, ok := strings.CutPrefix(key, outer)
	return ok && (rest == "" || outer == "" || rest[0] == '.' || rest[0] == '[')
}
