package sources

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// simpleHeaders are front matter that takes the fast path: the bench
// corpus's shapes, the shipped examples', and the corners of each.
var simpleHeaders = []string{
	"layout: post\ntitle: \"第 133 篇：Hugo: the \\\"性能\\\" notes\"\ndate: 2025-11-01 12:54:50 +0800\ncategories: [huishe17]\ntags:\n  - 读书\n  - yaml\n  - rss\n",
	"layout: post\ntitle: 关于缓存的第 7 篇文章\ndate: 2025-11-01 12:54:50 +0800\ncategories: [cat02]\ntags:\n  - go\n",
	"layout: post\ntitle: \"Notes on Go: part 12\"\ndate: 2026-01-02 03:04:05 +0800\ncategories: [cat04]\ntags:\n  - 性能\n  - notes\n",
	"layout: post\ntitle: \"我市举行春季重点项目集中开工仪式\"\ndate: 2022-02-14 08:47:41 +0800\ncategories: rizhaoribao\ntags: 日照日报新闻\n",
	"layout: post\ntitle: 'Generating feeds in Go: \"Atom, RSS & JSON\" compared'\ndate: 2023-11-20 18:00:00 -0500\ncategories: engineering\ntags: [golang, feeds]\nauthor: Grace Example\n",
	"layout: post\ntitle: A release checklist that fits on one screen\ndate: 2024-05-10\ncategories: engineering\ntags: process\n",
	"title: x\r\ndate: 2022-02-14\r\ntags:\r\n- a\r\n- b\r\n",
	"title: 'It''s: fine'\n",
	"title: ''\ncategories: []\ntags: [ ]\n",
	"title: \"\\x41\\u00e9\\U0001F600\\t\\\\ \\\"\"\n",
	"title: 2022\npublished: false\n",
	"published: no\n",
	"published: \"false\"\ntitle: x\n",
	"categories:\ntags: ~\nslug: null\n",
	"categories: a  b\ncategory: c d\ntag: x\n",
	"categories: [a b, c,d]\ntags:\n    - x y\n    - 'z'\n\n    - \"w\"\n",
	"title:    spaced   out   \nid: x\nguid: y\n",
	"title: a#b, [c] {d}\n",
	"date: 2022-02-30 10:00:00\n",
	"title:\n  - x\n",
	"image:\n- a\n",
	"author:\n- A\n- B\n",
	"title: one\ntitle: two\n",
	"permalink: /:categories/:year/:title/\n",
	"last_modified_at: 2022-02-15T10:00:00+08:00\n",
	"\n\n",
	"",
}

// notSimpleHeaders are left to yaml.v3.
var notSimpleHeaders = []string{
	"# comment\ntitle: x\n",
	"title: x # comment\n",
	"title: a: b\n",
	"title: a:\n",
	"title: |\n  text\n",
	"title: >\n  text\n",
	"title: a\n  continued\n",
	"title: \"open\n  quote\"\n",
	"title: &a x\nslug: *a\n",
	"title: !!str 1\n",
	"author:\n  name: A\n",
	"author: {name: A}\n",
	"tags: [a, [b]]\n",
	"tags: [a,]\n",
	"tags: [a: b]\n",
	"tags:\n  - a\n - b\n",
	"tags:\n  -\n",
	"tags:\n  - ~\n",
	"tags:\n  - - a\n",
	"tags: x\n  - a\n",
	"\ttitle: x\n",
	"title: a\tb\n",
	"title: a\rb\n",
	"title: a\u2028b\n",
	"title: \"\\q\"\n",
	"title: \"\\ud800\"\n",
	" title: x\n",
	"title:x\n",
	"title : x\n",
	"2022: x\n",
	"- a\n",
	"--- x\n",
	"%YAML 1.2\n",
	"title: -x\n",
	"title: \"a\" b\n",
	"? title\n: x\n",
	"title: x\n" + strings.Repeat("k", 200) + ": y\n",
}

func TestSimpleFields(t *testing.T) {
	for _, h := range simpleHeaders {
		t.Run(fmt.Sprintf("%.30q", h), func(t *testing.T) {
			if _, ok := simpleFields([]byte(h)); !ok {
				t.Fatal("left to yaml.v3")
			}
			checkSimpleFields(t, []byte(h))
		})
	}
	for _, h := range notSimpleHeaders {
		t.Run(fmt.Sprintf("not %.30q", h), func(t *testing.T) {
			if _, ok := simpleFields([]byte(h)); ok {
				t.Fatal("read without yaml.v3")
			}
		})
	}
}

// FuzzSimpleFields holds the fast path to yaml.v3: wherever it reads a
// header, yaml.v3 reads it too, to the same nodes and the same front
// matter or error.
func FuzzSimpleFields(f *testing.F) {
	for _, h := range simpleHeaders {
		f.Add([]byte(h))
	}
	for _, h := range notSimpleHeaders {
		f.Add([]byte(h))
	}
	f.Fuzz(func(t *testing.T, yml []byte) {
		if utf8.Valid(yml) { // parsePost refuses the rest first
			checkSimpleFields(t, yml)
		}
	})
}

func checkSimpleFields(t *testing.T, yml []byte) {
	t.Helper()
	got, ok := simpleFields(yml)
	if !ok {
		return
	}
	want, err := yamlFields(yml)
	if err != nil {
		t.Fatalf("read without yaml.v3, which says: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d fields, yaml.v3 %d", len(got), len(want))
	}
	for k, w := range want {
		if d := nodeDiff(got[k], w); d != "" {
			t.Fatalf("%s: %s", k, d)
		}
	}
	loc := time.FixedZone("CST", 8*3600)
	gotFM, gotErr := readFields(yml, got, loc)
	wantFM, wantErr := readFields(yml, want, loc)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("error %v, yaml.v3 %v", gotErr, wantErr)
	}
	for _, d := range [][2]*time.Time{{&gotFM.Date, &wantFM.Date}, {&gotFM.Updated, &wantFM.Updated}} {
		if d[0].String() != d[1].String() {
			t.Fatalf("date %v, yaml.v3 %v", *d[0], *d[1])
		}
		*d[0], *d[1] = time.Time{}, time.Time{}
	}
	if !reflect.DeepEqual(gotFM, wantFM) {
		t.Fatalf("got     %+v\nyaml.v3 %+v", gotFM, wantFM)
	}
}

// nodeDiff compares what fieldReader reads of two nodes.
func nodeDiff(got, want *yaml.Node) string {
	const styles = yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle | yaml.FlowStyle
	switch {
	case got == nil:
		return "missing"
	case got.Kind != want.Kind || got.Value != want.Value || got.Style&styles != want.Style&styles:
		return fmt.Sprintf("kind %v value %q style %v, yaml.v3 %v %q %v",
			got.Kind, got.Value, got.Style, want.Kind, want.Value, want.Style)
	case isNull(got) != isNull(want):
		return fmt.Sprintf("null %v, yaml.v3 %v", isNull(got), isNull(want))
	case !isNull(got) && got.Line != want.Line:
		return fmt.Sprintf("line %d, yaml.v3 %d", got.Line, want.Line)
	case len(got.Content) != len(want.Content):
		return fmt.Sprintf("%d items, yaml.v3 %d", len(got.Content), len(want.Content))
	}
	for i := range want.Content {
		if d := nodeDiff(got.Content[i], want.Content[i]); d != "" {
			return fmt.Sprintf("item %d: %s", i, d)
		}
	}
	return ""
}

// benchHeaders are front matter as bench/corpus writes it: a plain or
// quoted title with colons and quotes, a date with an offset, one
// category in a flow list, one to four tags in a block list.
func benchHeaders(n int) [][]byte {
	tags := []string{"go", "linux", "rss", "性能", "随笔", "读书", "yaml", "markdown"}
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	out := make([][]byte, n)
	for i := range out {
		var b strings.Builder
		b.WriteString("layout: post\n")
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "title: %q\n", fmt.Sprintf("第 %d 篇：YAML: the \"性能\" notes", i))
		case 1:
			fmt.Fprintf(&b, "title: %q\n", fmt.Sprintf("Notes on Go: part %d", i))
		default:
			fmt.Fprintf(&b, "title: 关于缓存的第 %d 篇文章\n", i)
		}
		fmt.Fprintf(&b, "date: %s\n", start.Add(-time.Duration(i)*time.Hour).Format("2006-01-02 15:04:05 -0700"))
		fmt.Fprintf(&b, "categories: [cat%02d]\ntags:\n", i%50)
		for k := range 1 + i%4 {
			fmt.Fprintf(&b, "  - %s\n", tags[(i+k)%len(tags)])
		}
		out[i] = []byte(b.String())
	}
	return out
}

// BenchmarkFrontMatter reads a bench corpus header per op, through the
// fast path and through yaml.v3.
func BenchmarkFrontMatter(b *testing.B) {
	headers := benchHeaders(256)
	loc := time.FixedZone("CST", 8*3600)
	for _, h := range headers {
		if _, ok := simpleFields(h); !ok {
			b.Fatalf("not simple: %q", h)
		}
	}
	b.Run("simple", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := decodeFrontMatter(headers[i%len(headers)], loc); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("yaml.v3", func(b *testing.B) {
		i := 0
		for b.Loop() {
			h := headers[i%len(headers)]
			fields, err := yamlFields(h)
			if err == nil {
				_, err = readFields(h, fields, loc)
			}
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
