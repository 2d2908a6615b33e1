package jekyll_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/feeds"
	"github.com/feedsmith/feedsmith/normalize"
	"github.com/feedsmith/feedsmith/sources"
)

// TestMirrorRoundTrip writes articles as Jekyll posts and reads them
// back through a posts source: each comes back with its original link
// as the source link (Via), and its summary and content without the
// footer; the feeds rendered from them credit that link (Atom rel="via",
// RSS dc:source, JSON Feed external_url). FEEDSMITH_FEEDS_OUT names a
// folder to write those feeds to, for feedcheck.
func TestMirrorRoundTrip(t *testing.T) {
	now := time.Date(2022, 3, 1, 0, 0, 0, 0, cst)
	norm := normalize.New(func() time.Time { return now })
	tests := []struct {
		name string
		in   article.Article
	}{
		{"category", exampleArticle()},
		{"query and spaces", article.Article{ID: "NW2", Title: "查询 & 空格", Published: time.Date(2022, 2, 15, 9, 0, 0, 0, cst),
			Link: "http://news.example.com/新闻/a b.html?x=1&y=2", Content: "<p>第二条<b>正文</b>。</p>", Categories: []string{"rizhaoribao"}}},
		{"no category", article.Article{ID: "NW3", Title: "无分类", Published: time.Date(2022, 2, 16, 9, 0, 0, 0, cst),
			Link: "https://news.example.com/c/3", Summary: "只有摘要。"}},
	}
	var arts []article.Article
	for _, tt := range tests {
		arts = append(arts, tt.in)
	}
	dir := t.TempDir()
	if _, err := newWriter(dir, 0, "", now).Write(t.Context(), arts); err != nil {
		t.Fatal(err)
	}
	src, err := sources.New(config.Source{ID: "mirror", Type: "posts", Path: dir, SiteURL: "https://news.example.org/"},
		sources.Env{Location: cst, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	b, err := src.Collect(t.Context())
	if err != nil || len(b.Skipped) > 0 || len(b.Articles) != len(tests) {
		t.Fatalf("read back: %d articles, skipped %v, err %v; want %d", len(b.Articles), b.Skipped, err, len(tests))
	}
	var back []article.Article
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := b.Articles[i]
			norm.Article(&got, b.BaseURL)
			want := tt.in
			norm.Article(&want, "")
			if got.Via != want.Link || got.Via == "" {
				t.Errorf("via = %q, want the original link %q", got.Via, want.Link)
			}
			if got.Summary != want.Summary {
				t.Errorf("summary = %q, want %q", got.Summary, want.Summary)
			}
			if want.Content == "" {
				want.Content = "<p>" + want.Summary + "</p>"
			}
			if got.Content != want.Content {
				t.Errorf("content = %q, want %q", got.Content, want.Content)
			}
			if !strings.HasPrefix(got.Link, "https://news.example.org/") {
				t.Errorf("link = %q, want the mirror's own", got.Link)
			}
			back = append(back, got)
		})
	}
	ch := feeds.Channel{ID: "rizhaoribao", Title: "日照日报新闻", SiteURL: "https://news.example.org/",
		AtomURL: "https://news.example.org/feeds/rizhaoribao.atom", RSSURL: "https://news.example.org/feeds/rizhaoribao.rss",
		JSONURL: "https://news.example.org/feeds/rizhaoribao.json", Updated: now}
	out := os.Getenv("FEEDSMITH_FEEDS_OUT")
	for _, f := range []struct {
		file   string
		render func(feeds.Channel, []article.Article) ([]byte, error)
		want   []string
	}{
		{"mirror.atom", feeds.Atom, []string{`<link href="http://news.example.com/html_News/NewsShare.html?infoCode=NW202202141234567890" rel="via"></link>`}},
		{"mirror.rss", feeds.RSS, []string{`<dc:source>http://news.example.com/html_News/NewsShare.html?infoCode=NW202202141234567890</dc:source>`}},
		{"mirror.json", feeds.JSON, []string{`"external_url": "http://news.example.com/html_News/NewsShare.html?infoCode=NW202202141234567890"`}},
	} {
		doc, err := f.render(ch, back)
		if err != nil {
			t.Fatalf("%s: %v", f.file, err)
		}
		for _, w := range f.want {
			if !strings.Contains(string(doc), w) {
				t.Errorf("%s lacks %s:\n%s", f.file, w, doc)
			}
		}
		if strings.Contains(string(doc), "返回首页") {
			t.Errorf("%s holds the footer:\n%s", f.file, doc)
		}
		if out != "" {
			if err := os.WriteFile(filepath.Join(out, f.file), doc, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
