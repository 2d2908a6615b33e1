package urltemplate

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"text/template"
)

// render parses text as Escape expects, escapes it and executes it over
// data, as the json source does (missing keys print as nothing).
func render(t testing.TB, text string, data map[string]any) (string, Shape) {
	t.Helper()
	tm, err := template.New("u").Funcs(Funcs()).Option("missingkey=zero").Parse(text)
	if err != nil {
		t.Fatalf("parse %q: %v", text, err)
	}
	shape, err := Escape(tm)
	if err != nil {
		t.Fatalf("Escape(%q): %v", text, err)
	}
	var b strings.Builder
	if err := tm.Execute(&b, data); err != nil {
		t.Fatalf("execute %q: %v", text, err)
	}
	return b.String(), shape
}

func TestEscape(t *testing.T) {
	const api = "http://127.0.0.1:8099"
	tests := []struct {
		name, text string
		data       map[string]any
		want       string
	}{
		// The findings of issue 10: a value cannot rewrite the path or query.
		{"query value with & and #", api + "/api/detail?id={{.id}}", map[string]any{"id": "x&admin=1#"}, api + "/api/detail?id=x%26admin%3D1%23"},
		{"path value with & and #", api + "/api/detail/{{.id}}", map[string]any{"id": "x&admin=1#"}, api + "/api/detail/x%26admin%3D1%23"},
		{"path value climbing", api + "/api/detail/{{.id}}", map[string]any{"id": "../../_stats?"}, api + "/api/detail/..%2F..%2F_stats%3F"},
		{"dot-dot segment", api + "/api/detail/{{.id}}/text", map[string]any{"id": ".."}, api + "/api/detail/%2E%2E/text"},
		{"dot segment", api + "/api/{{.id}}", map[string]any{"id": "."}, api + "/api/%2E"},
		{"dots inside a value stay", api + "/a/{{.id}}.html", map[string]any{"id": "v1.2"}, api + "/a/v1.2.html"},
		{"dot-dot in a query is data", api + "/a?p={{.id}}", map[string]any{"id": ".."}, api + "/a?p=.."},
		{"plus, equals, semicolon, percent", api + "/a?q={{.q}}", map[string]any{"q": "1+1=2;%41"}, api + "/a?q=1%2B1%3D2%3B%2541"},
		{"space", api + "/a/{{.q}}?q={{.q}}", map[string]any{"q": "a b"}, api + "/a/a%20b?q=a%20b"},
		{"fragment", api + "/a#{{.f}}", map[string]any{"f": "x?y#z"}, api + "/a#x%3Fy%23z"},
		{"host label", "https://{{.site}}.example.org/x", map[string]any{"site": "evil.com/#"}, "https://evil.com%2F%23.example.org/x"},
		{"unicode is UTF-8 percent-encoded", api + "/a?name={{.n}}", map[string]any{"n": "日照"}, api + "/a?name=%E6%97%A5%E7%85%A7"},

		// What existing configurations write keeps working unchanged.
		{"issue 3 detail", api + "/NewsData/GetNewsText.do?id={{.infoCode}}", map[string]any{"infoCode": "NW202202141234567890"}, api + "/NewsData/GetNewsText.do?id=NW202202141234567890"},
		{"number", api + "/a?id={{.n}}", map[string]any{"n": json.Number("42")}, api + "/a?id=42"},
		{"missing key", api + "/a?id={{.nope}}&x=1", map[string]any{}, api + "/a?id=&x=1"},
		{"null", api + "/a?id={{.n}}", map[string]any{"n": nil}, api + "/a?id="},
		{"function then escaping", api + "/{{pinyin .m}}", map[string]any{"m": "a/b"}, api + "/a%2Fb"},
		{"urlquery is not escaped twice", api + "/a?q={{urlquery .q}}", map[string]any{"q": "a&b c"}, api + "/a?q=a%26b%20c"},
		{"relative", "/detail/{{.id}}?v={{.id}}", map[string]any{"id": "a/b"}, "/detail/a%2Fb?v=a%2Fb"},
		{"query only", "?id={{.id}}", map[string]any{"id": "a&b"}, "?id=a%26b"},

		// A whole URL goes in as it is, with url or at the start.
		{"url", "{{url .detail}}", map[string]any{"detail": "http://127.0.0.1:18002/x?a=1&b=2"}, "http://127.0.0.1:18002/x?a=1&b=2"},
		{"url in a pipe", "{{.detail | url}}", map[string]any{"detail": " http://x/y "}, "http://x/y"},
		{"whole URL at the start", "{{.link}}", map[string]any{"link": "https://x/a?b=1"}, "https://x/a?b=1"},
		{"after a whole URL, escaped", "{{url .base}}/{{.id}}", map[string]any{"base": "https://x", "id": "a?b"}, "https://x/a%3Fb"},

		// Actions inside control structures are escaped for their place.
		{"if", api + "/a{{if .id}}/{{.id}}{{else}}/none{{end}}?x={{.x}}", map[string]any{"id": "a/b", "x": "1&2"}, api + "/a/a%2Fb?x=1%262"},
		{"if at the start", "{{if .link}}{{url .link}}{{else}}https://x/{{.id}}{{end}}", map[string]any{"id": "a/b"}, "https://x/a%2Fb"},
		{"range in the query", api + "/a?{{range .tags}}t={{.}}&{{end}}", map[string]any{"tags": []any{"a&b", "c"}}, api + "/a?t=a%26b&t=c&"},
		{"with", api + "/a/{{with .id}}{{.}}{{end}}", map[string]any{"id": "../x"}, api + "/a/..%2Fx"},
		{"declaration prints nothing", api + "/a/{{$x := .id}}{{$x}}", map[string]any{"id": "a/b"}, api + "/a/a%2Fb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, err := template.New("u").Funcs(Funcs()).Funcs(template.FuncMap{"pinyin": func(v any) string { return text([]any{v}) }}).
				Option("missingkey=zero").Parse(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Escape(tm); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := tm.Execute(&b, tt.data); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != tt.want {
				t.Errorf("%s over %v = %q, want %q", tt.text, tt.data, got, tt.want)
			}
		})
	}
}

func TestEscapeShape(t *testing.T) {
	tests := []struct {
		text   string
		origin string
		raw    bool
	}{
		{"http://127.0.0.1:8099/NewsData/GetNewsText.do?id={{.infoCode}}", "http://127.0.0.1:8099", false},
		{"https://api.example.org?id={{.id}}", "https://api.example.org", false},
		{"https://api.example.org/fixed", "https://api.example.org", false},
		{"https://api.example.org", "https://api.example.org", false},
		{"  https://x/{{.id}}", "https://x", false},
		{"https://x{{.id}}/", "", false}, // the value ends the host
		{"https://x:{{.port}}/", "", false},
		{"https://{{.site}}.example.org/", "", false},
		{"https://x/{{url .path}}", "", true},
		{"{{.detail}}", "", true},
		{"{{url .detail}}", "", true},
		{"{{if .a}}https://x/{{end}}", "", false},
		{"/relative/{{.id}}", "", false},
		{"//x/{{.id}}", "", false},
		{"mailto:{{.a}}", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			_, s := render(t, tt.text, map[string]any{})
			if s.Origin != tt.origin || s.Raw != tt.raw {
				t.Errorf("Escape(%q) = %+v, want origin %q, raw %v", tt.text, s, tt.origin, tt.raw)
			}
		})
	}
}

func TestEscapeRefuses(t *testing.T) {
	tests := []struct{ text, want string }{
		{`https://x/{{template "t"}}{{define "t"}}{{.a}}{{end}}`, `{{template "t"}} is not allowed`},
		{`https://x/{{block "b" .}}{{.a}}{{end}}`, `{{template "b"}} is not allowed`},
		{"https://x/{{if .a}}?q={{.a}}{{else}}/p{{end}}", "the branches of {{if}} end in different parts of the URL (query and path)"},
		{"https://x/a{{range .t}}?q={{.}}{{end}}", "{{range}} starts in the path of the URL and ends in its query"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			tm, err := template.New("u").Funcs(Funcs()).Parse(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Escape(tm); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Escape(%q) = %v, want an error with %q", tt.text, err, tt.want)
			}
		})
	}
}

// FuzzEscape checks that no value, whatever its bytes, changes the host,
// the path's segments, the query's parameters or the fragment of a URL
// built from a template, and that each value reads back whole.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"x&admin=1#", "../../_stats?", "..", ".", "a b+c", "%2e%2e", "日照", "", "a/b;c", "\x00\xff", "@evil", "\\..\\"} {
		f.Add(s, s, s)
	}
	const text = "https://api.example.org/detail/{{.p}}/text?id={{.q}}&x=1#{{.f}}"
	f.Fuzz(func(t *testing.T, p, q, frag string) {
		got, _ := render(t, text, map[string]any{"p": p, "q": q, "f": frag})
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("%q does not parse: %v", got, err)
		}
		if u.Host != "api.example.org" || u.User != nil {
			t.Fatalf("%q: host %q, user %v", got, u.Host, u.User)
		}
		segs := strings.Split(u.EscapedPath(), "/")
		if len(segs) != 4 || segs[1] != "detail" || segs[3] != "text" || segs[2] == "." || segs[2] == ".." {
			t.Fatalf("%q: path segments %q", got, segs)
		}
		if seg, err := url.PathUnescape(segs[2]); err != nil || seg != p {
			t.Fatalf("%q: path value %q (%v), want %q", got, seg, err, p)
		}
		if ref := u.ResolveReference(&url.URL{}); !strings.HasPrefix(ref.EscapedPath(), "/detail/") {
			t.Fatalf("%q resolves to %q: the path climbed", got, ref.EscapedPath())
		}
		vals, err := url.ParseQuery(u.RawQuery)
		if err != nil || len(vals) != 2 || len(vals["id"]) != 1 || vals.Get("id") != q || vals.Get("x") != "1" {
			t.Fatalf("%q: query %v (%v), want id=%q and x=1", got, vals, err, q)
		}
		if u.Fragment != frag {
			t.Fatalf("%q: fragment %q, want %q", got, u.Fragment, frag)
		}
	})
}
