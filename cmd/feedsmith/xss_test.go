package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// xssVectors are the known ways to put script into a feed reader or a
// page, as an upstream would send them.
var xssVectors = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`<a href="javascript:alert(1)">j</a>`,
	`<a href="JaVaScRiPt:alert(1)">j2</a>`,
	`<a href="jav&#x61;script:alert(1)">j3</a>`,
	`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">j4</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>`,
	`<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`,
	`<svg onload=alert(1)><script>alert(2)</script></svg>`,
	`<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`,
	`<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">m</maction></math>`,
	`<div style="background:url(javascript:alert(1));width:expression(alert(1))">css</div>`,
	`<style>body{background:url("javascript:alert(1)")}</style>`,
	`<base href="javascript:alert(1)//">`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<iframe src="https://evil.example/"></iframe>`,
	`<object data="x.swf"></object><embed src="x.swf">`,
	`<form action="https://evil.example/"><input name=p></form>`,
	`<body onload=alert(1)>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
}

// unsafe finds script that survived: elements, handlers and URL schemes,
// in the raw bytes and after one level of entity decoding (an XML feed
// carries its HTML escaped).
var unsafe = regexp.MustCompile(`(?i)<\s*(script|iframe|object|embed|form|base|meta|style|svg|math)\b|\son[a-z]+\s*=|javascript:|vbscript:|data:text/html|expression\(`)

func TestNoScriptReachesAnyOutput(t *testing.T) {
	dir := t.TempDir()
	var items strings.Builder
	for i, v := range xssVectors {
		esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(v)
		fmt.Fprintf(&items, `<item><title>标题 %d %s</title><link>https://example.org/%d</link><guid>g%d</guid>
<pubDate>%s</pubDate><description>%s</description></item>`, i, esc, i, i, time.Now().Add(-time.Hour).Format(time.RFC1123Z), esc)
	}
	feed := `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>https://example.org/</link><description>d</description>` + items.String() + `</channel></rss>`
	if err := os.WriteFile(filepath.Join(dir, "evil.rss"), []byte(feed), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := `site: {title: "t", base_url: "https://feeds.example.org/"}
store: {path: db.sqlite}
output: {all: {title: all}}
outputs: {jekyll: {dir: _posts, site_url: //news.example.org}}
categories: [{id: news, title: "新闻"}]
sources: [{id: evil, type: feed, url: evil.rss, category: news}]
`
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCommand(t, "build", "-config", filepath.Join(dir, "config.yaml")); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, out, errs)
	}
	var checked int
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".rss") && filepath.Dir(p) == dir || strings.Contains(p, "db.sqlite") || strings.HasSuffix(p, ".yaml") {
			return err
		}
		if filepath.Dir(p) == filepath.Join(dir, "public") && (d.Name() == "site.css" || d.Name() == "favicon.svg") {
			return nil // the theme's own files: no upstream byte is in them
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checked++
		for _, s := range htmlOf(t, p, body) {
			if m := unsafe.FindString(s); m != "" {
				i := strings.Index(s, m)
				t.Errorf("%s: unsafe %q survived: …%s…", p, m, s[max(0, i-80):min(len(s), i+80)])
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Errorf("only %d output files checked", checked)
	}
}

// htmlOf returns what readers and browsers take as HTML in an output
// file: the raw bytes, plus for feeds the decoded HTML-bearing fields
// and titles (some readers render those as HTML too).
func htmlOf(t *testing.T, name string, data []byte) []string {
	t.Helper()
	out := []string{string(data)}
	switch filepath.Ext(name) {
	case ".html":
		// Our own page: its template's <meta> and <style> are fine;
		// look at the elements and attributes a source could add.
		_, body, _ := strings.Cut(string(data), "</style>")
		return []string{body}
	case ".json":
		var doc struct {
			Title string `json:"title"`
			Items []struct {
				Title       string `json:"title"`
				Summary     string `json:"summary"`
				ContentHTML string `json:"content_html"`
			} `json:"items"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, it := range doc.Items {
			out = append(out, it.Title, it.Summary, it.ContentHTML)
		}
	case ".atom", ".rss", ".opml":
		dec := xml.NewDecoder(strings.NewReader(string(data)))
		var b strings.Builder
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			if cd, ok := tok.(xml.CharData); ok {
				b.Write(cd)
				b.WriteString("\n")
			}
		}
		out = append(out, b.String())
	}
	return out
}
