package config

import (
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// syntaxDoc is the document of gjson's SYNTAX.md, which its examples
// read.
const syntaxDoc = `{
  "name": {"first": "Tom", "last": "Anderson"},
  "age":37,
  "children": ["Sara","Alex","Jack"],
  "fav.movie": "Deer Hunter",
  "friends": [
    {"first": "Dale", "last": "Murphy", "age": 44, "nets": ["ig", "fb", "tw"]},
    {"first": "Roger", "last": "Craig", "age": 68, "nets": ["fb", "tw"]},
    {"first": "Jane", "last": "Murphy", "age": 47, "nets": ["ig", "tw"]}
  ],
  "vals": [{"a": 1, "b": "data"}, {"a": 2, "b": true}, {"a": 10, "b": null}, {"a": 11}]
}`

// TestCheckPathDocumented: every path of gjson's SYNTAX.md and README
// is accepted, and gjson finds something with each, so they are valid.
func TestCheckPathDocumented(t *testing.T) {
	for _, path := range []string{
		"name.last", "name.first", "age", "children", "children.0", "children.1", "friends.1", "friends.1.first",
		"child*.2", "c?ildren.0", `fav\.movie`, "friends.#", "friends.#.age", "friends.#.first", "friends.1.last",
		`friends.#(last=="Murphy").first`, `friends.#(last=="Murphy")#.first`, "friends.#(age>45)#.last",
		`friends.#(first%"D*").last`, `friends.#(first!%"D*").last`, `children.#(!%"*a*")`, `children.#(%"*a*")#`,
		`friends.#(nets.#(=="fb"))#.first`, "vals.#(b==~true)#.a", "vals.#(b==~false)#.a", "vals.#(b==~null)#.a",
		"vals.#(b==~*)#.a", "vals.#(b!=~*)#.a",
		"friends.0.first", "friends|0.first", "friends.0|first", "friends|0|first", "friends|#", "friends.#",
		`friends.#(last="Murphy")#`, `friends.#(last="Murphy")#.first`, `friends.#(last="Murphy")#|0`, `friends.#(last="Murphy")#|#`,
		"children.@reverse", "children.@reverse.0", "children|@reverse", "children|@reverse|0", "@this", "friends.@flatten",
		`@pretty:{"sortKeys":true}`, `@pretty:{"sortKeys":true`, "@reverse.age", "children.@join", "name.@keys", "name.@values", "@dig:first",
		`{name.first,age,"the_murphys":friends.#(last="Murphy")#.first}`,
		`{name.first,age,"company":!"Happysoft","employed":!true}`, "[name.first,age]", "[name.first,age].1",
		`friends.#[last=="Murphy"].first`, "!true", `!{"a":1}`, "!42",
	} {
		t.Run(path, func(t *testing.T) {
			if !gjson.Get(syntaxDoc, path).Exists() {
				t.Fatalf("gjson finds nothing at %q: not a valid example", path)
			}
			if err := CheckPath(path); err != nil {
				t.Errorf("CheckPath(%q) = %v", path, err)
			}
		})
	}
	lines := `{"name": "Gilbert", "age": 61}
{"name": "May", "age": 57}`
	for _, path := range []string{"..#", "..1", "..#.name", `..#(name="May").age`} {
		if !gjson.Get(lines, path).Exists() || CheckPath(path) != nil {
			t.Errorf("JSON Lines path %q: %v", path, CheckPath(path))
		}
	}
}

// TestCheckPathBroken: paths that gjson cannot follow (it finds nothing,
// or no JSON), or silently reads as another path (reads), are refused
// with the reason.
func TestCheckPathBroken(t *testing.T) {
	tests := []struct{ path, want, reads string }{
		{`friends.#(last=="Murphy"`, `query #(…) is not closed (no ")")`, ""},
		{`friends.#(last=="Murphy).first`, "has an unclosed string", ""},
		{`friends.#[last=="Murphy".first`, `query #[…] is not closed (no "]")`, ""},
		{`friends.#(last=="Murphy")x`, `unexpected "x" after query`, `friends.#(last=="Murphy")`},
		{`friends.#(nets.#(=="fb")#.first`, "is not closed", ""},
		{`friends.#(age!45)#.last`, "unknown operator", "friends.#.last"},
		{`friends.#(last=="Murphy" x).first`, "text after the quoted value", ""},
		{"[name.first,age", `multipath is not closed (no "]")`, ""},
		{"{name.first,age", `multipath is not closed (no "}")`, ""},
		{"[name.first,age]x", `unexpected "x" after multipath`, ""},
		{"[name.first,friends.#(age>]", "is not closed", ""},
		{"name.", `ends in "." with nothing after it`, ""},
		{"name|", `ends in "|" with nothing after it`, ""},
		{`name\`, `ends in a lone "\"`, "name"},
		{`!{"a":1`, "literal is not closed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, reads := gjson.Get(syntaxDoc, tt.path), gjson.Get(syntaxDoc, tt.reads)
			if tt.reads == "" && got.Exists() && gjson.Valid(got.Raw) || tt.reads != "" && got.Raw != reads.Raw {
				t.Fatalf("gjson finds %s at %q, not what it finds at %q: %s", got.Raw, tt.path, tt.reads, reads.Raw)
			}
			err := CheckPath(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CheckPath(%q) = %v, want %q", tt.path, err, tt.want)
			}
		})
	}
}

func TestPathHint(t *testing.T) {
	for path, hint := range map[string]bool{
		"$.data.items": true, "data.items[0].title": true, "$": true,
		"data.items.0.title": false, "data.#(id==1)": false, "price$": false, `a\[0\]`: false,
	} {
		if got := PathHint(path) != ""; got != hint {
			t.Errorf("PathHint(%q) = %q", path, PathHint(path))
		}
	}
}

// FuzzCheckPath: CheckPath never panics, nor does gjson on a path it
// accepts; a path it accepts stays accepted with one more component.
func FuzzCheckPath(f *testing.F) {
	for _, p := range []string{`friends.#(last=="Murphy")#.first`, `{name.first,"x":!true}`, `fav\.movie`, "@pretty:{}", "..#", "[a,b"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		if path == "" || CheckPath(path) != nil {
			return
		}
		gjson.Get(syntaxDoc, path)
		for _, more := range []string{".name", "|name"} {
			if err := CheckPath(path + more); err != nil {
				t.Errorf("CheckPath(%q) accepted, but CheckPath(%q) = %v", path, path+more, err)
			}
		}
	})
}
