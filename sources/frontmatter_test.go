package sources

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name, in  string
		has       bool
		yml, body string
	}{
		{"none", "Just text\n", false, "", "Just text\n"},
		{"fence without newline", "---", false, "", "---"},
		{"four dashes", "----\ntitle: x\n----\n", false, "", "----\ntitle: x\n----\n"},
		{"empty", "---\n---\nbody", true, "", "body"},
		{"closed by dots", "---\ntitle: x\n...\nbody", true, "title: x\n", "body"},
		{"trailing blanks", "--- \t\ntitle: x\n---  \nbody", true, "title: x\n", "body"},
		{"crlf", "---\r\ntitle: x\r\n---\r\nbody", true, "title: x\r\n", "body"},
		{"closing at the end", "---\ntitle: x\n---", true, "title: x\n", ""},
		{"later fence is body", "---\na: 1\n---\n---\nb\n", true, "a: 1\n", "---\nb\n"},
		{"indented fence is yaml", "---\na: |\n  ---\n---\n", true, "a: |\n  ---\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			yml, body, has := splitFrontMatter([]byte(tt.in))
			if has != tt.has || string(yml) != tt.yml || string(body) != tt.body {
				t.Errorf("got %v %q %q, want %v %q %q", has, yml, body, tt.has, tt.yml, tt.body)
			}
		})
	}
}

func TestParsePost(t *testing.T) {
	loc := postsZone(t)
	tests := []struct {
		name, in string
		want     frontMatter
	}{
		{"offset kept", "---\ndate: 2022-02-14 08:47:41 +0800\n---\n",
			frontMatter{Date: time.Date(2022, 2, 14, 8, 47, 41, 0, time.FixedZone("", 8*3600))}},
		{"unquoted timestamp keeps its offset", "---\ndate: 2022-02-14T08:47:41-05:00\n---\n",
			frontMatter{Date: time.Date(2022, 2, 14, 8, 47, 41, 0, time.FixedZone("", -5*3600))}},
		{"no offset: the zone given", "---\ndate: 2022-02-14 08:47:41\n---\n",
			frontMatter{Date: time.Date(2022, 2, 14, 8, 47, 41, 0, loc)}},
		{"date only", "---\ndate: 2022-02-14\n---\n", frontMatter{Date: time.Date(2022, 2, 14, 0, 0, 0, 0, loc)}},
		{"quotes, colon and Chinese", "---\ntitle: \"他说：\\\"你好\\\": ok\"\n---\n", frontMatter{Title: `他说："你好": ok`}},
		{"single-quoted", "---\ntitle: 'It''s: fine'\n---\n", frontMatter{Title: "It's: fine"}},
		{"number title", "---\ntitle: 2022\n---\n", frontMatter{Title: "2022"}},
		{"string lists split", "---\ncategories: a  b\ntags: x y\n---\n",
			frontMatter{Categories: []string{"a", "b"}, Tags: []string{"x", "y"}}},
		{"yaml lists kept whole", "---\ncategories: [a b, c]\ntags:\n  - x y\n  - [z]\n---\n",
			frontMatter{Categories: []string{"a b", "c"}, Tags: []string{"x y", "z"}}},
		{"category added to categories", "---\ncategories: a b\ncategory: c d\n---\n",
			frontMatter{Categories: []string{"a", "b", "c d"}}},
		{"tag replaces tags", "---\ntags: a b\ntag: c d\n---\n", frontMatter{Tags: []string{"c d"}}},
		{"repeats dropped", "---\ncategories: [a, a, b]\ncategory: b\n---\n", frontMatter{Categories: []string{"a", "b"}}},
		{"null lists", "---\ncategories:\ntags: ~\n---\n", frontMatter{}},
		{"author string", "---\nauthor: Jane\n---\n", frontMatter{Author: "Jane"}},
		{"author map", "---\nauthor: {name: 张三, email: z@example.com}\n---\n", frontMatter{Author: "张三"}},
		{"author email only", "---\nauthor: {email: z@example.com}\n---\n", frontMatter{Author: "z@example.com"}},
		{"authors list", "---\nauthor: [{name: A}, B]\n---\n", frontMatter{Author: "A, B"}},
		{"image map", "---\nimage: {path: /a.png, width: 10}\n---\n", frontMatter{Image: "/a.png"}},
		{"id", "---\nid: x\nguid: y\n---\n", frontMatter{ID: "x"}},
		{"guid", "---\nguid: y\n---\n", frontMatter{ID: "y"}},
		{"unpublished", "---\ntitle: x\npublished: false\n---\n", frontMatter{Unpublished: true}},
		{"unpublished yaml 1.1", "---\npublished: no\n---\n", frontMatter{Unpublished: true}},
		{"quoted false is published", "---\ntitle: x\npublished: \"false\"\n---\n", frontMatter{Title: "x"}},
		{"layout and unknown keys ignored", "---\nlayout: {a: 1}\nfoo: [1]\n---\n", frontMatter{}},
		{"aliases", "---\nc: &c [a, b]\ncategories: *c\n---\n", frontMatter{Categories: []string{"a", "b"}}},
		{"byte order mark", "\ufeff---\ntitle: x\n---\n", frontMatter{Title: "x"}},
		{"comments only", "---\n# nothing\n---\n", frontMatter{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, _, err := parsePost([]byte(tt.in), loc)
			if err != nil {
				t.Fatal(err)
			}
			if !fm.Date.Equal(tt.want.Date) || fm.Date.Format(time.RFC3339) != tt.want.Date.Format(time.RFC3339) {
				t.Errorf("date = %v, want %v", fm.Date, tt.want.Date)
			}
			fm.Date, tt.want.Date = time.Time{}, time.Time{}
			if !reflect.DeepEqual(fm, tt.want) {
				t.Errorf("got  %+v\nwant %+v", fm, tt.want)
			}
		})
	}
}

func TestParsePostErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"unquoted colon, first line", "---\ntitle: a: b\n---\n",
			"line 2: front matter: yaml: mapping values are not allowed in this context"},
		{"unquoted colon", "---\nlayout: post\ntitle: a: b\n---\n",
			"line 3: front matter: yaml: mapping values are not allowed in this context"},
		{"open quote", "---\na: 1\nb: 2\ntitle: \"abc\n---\n", "line 4: front matter: yaml: found unexpected end of stream"},
		{"open bracket", "---\na: 1\ntags: [a, b\nc: 1\n---\n", "line 3: front matter: yaml: did not find expected ',' or ']'"},
		{"list in a map", "---\na: 1\n- b\n---\n", "line 3: front matter: yaml: did not find expected key"},
		{"tab indent", "---\na:\n\tb: 1\n---\n", "line 3: front matter: yaml: found character that cannot start any token"},
		{"control character", "---\na: 1\nb: \x01\n---\n", "line 3: front matter: yaml: control characters are not allowed"},
		{"unknown anchor", "---\na: 1\nb: *x\n---\n", "line 1: front matter: yaml: unknown anchor 'x' referenced"},
		{"unterminated", "---\ntitle: x\n\nbody\n", "line 1: front matter: no closing --- line"},
		{"not a map", "---\n- a\n---\n", "line 2: front matter: want a mapping of keys to values"},
		// YAML counts a lone CR as a line break; the file does not.
		{"not a map after lone CRs", "---\n\r\r0\n---", "line 2: front matter: want a mapping of keys to values"},
		{"bad value after a lone CR", "---\na: 1\rb: [\n---\n", "line 3: front matter: yaml: did not find expected node content"},
		{"list title", "---\na: 1\ntitle: [x]\n---\n", "line 3: front matter: title: want a string"},
		{"bad date", "---\ndate: 2022-02-30 10:00:00\n---\n", `line 2: front matter: date: unrecognized date "2022-02-30 10:00:00"`},
		{"map date", "---\ndate: {a: 1}\n---\n", "line 2: front matter: date: want a date"},
		{"map category", "---\ncategories: [a, {b: c}]\n---\n", "line 2: front matter: categories: want a name or a list of names"},
		{"alias loop", "---\ntags: &t [a, *t]\n---\n", "line 2: front matter: tags: lists nested too deep"},
		{"list image", "---\nimage: [a]\n---\n", "line 2: front matter: image: want a string or a map with path"},
		{"not UTF-8", "---\ntitle: x\n---\n\nCaf\xe9\n", "line 5: not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := parsePost([]byte(tt.in), time.UTC)
			var le *lineError
			if !errors.As(err, &le) || err.Error() != tt.want {
				t.Errorf("error = %v, want %s", err, tt.want)
			}
		})
	}
}

func FuzzFrontMatter(f *testing.F) {
	for _, seed := range []string{
		"---\ntitle: \"他说：\\\"你好\\\"\"\ndate: 2022-02-14 08:47:41 +0800\ncategories: [新闻, go]\n---\nbody",
		"---\ntitle: 'a: b'\ntags: a b\nauthor: {name: x, email: y}\nimage: {path: /a.png}\n---\n",
		"---\ntitle: \"\\x01\\u0000\\uD800\"\n---\n",
		"---\ntitle: a\x01b\n---\n",
		"---\n---\n---\n",
		"---\n...\n",
		"---",
		"---\r\n---\r\n",
		"----\n---\n",
		"--- \n title: x\n--- x\n---\n",
		"---\ntitle: [\n---\n",
		"---\ntags: &a [*a, *a]\ncategories: &b [*a, *b]\n---\n",
		"\ufeff---\ntitle: \xff\n---\n",
		"---\ndate: 99999-99-99\npublished: off\n---\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fm, _, err := parsePost(data, time.UTC)
		if err != nil {
			var le *lineError
			if lines := bytes.Count(data, []byte("\n")) + 1; !errors.As(err, &le) || le.line < 1 || le.line > lines {
				t.Fatalf("error %v is not on a line of the %d-line input", err, lines)
			}
			return
		}
		if !utf8.ValidString(fm.Title) {
			t.Fatalf("title %q is not valid UTF-8", fm.Title)
		}
	})
}
