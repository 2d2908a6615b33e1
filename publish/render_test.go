package publish

import (
	"bytes"
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

func testConfig() *config.Config {
	return &config.Config{
		Site:     config.Site{Title: "Test site", BaseURL: "https://feeds.example.org/", Language: "zh-CN", Timezone: "Asia/Shanghai"},
		Output:   config.Output{Dir: "public", Items: 2, All: &config.AllFeed{ID: "all", Title: "Everything"}},
		Defaults: config.Defaults{Schedule: "@every 30m"},
		Categories: []config.Category{
			{ID: "news", Title: "News"},
			{ID: "empty", Title: "Nothing yet"},
		},
		Sources: []config.Source{
			{ID: "a", Schedule: "@every 10m", Category: config.CategorySpec{ID: "news"}},
			{ID: "b", Schedule: "@hourly"},
		},
	}
}

func TestRender(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cst := time.FixedZone("", 8*3600)
	var arts []article.Article
	for i, cat := range []string{"news", "news", "news", "rizhaowanbao", "../evil"} {
		a := article.Article{ID: string(rune('a' + i)), Title: "标题 " + string(rune('A'+i)), Link: "https://example.org/" + string(rune('a'+i)),
			Published: time.Date(2022, 2, 14, 8, i, 0, 0, cst), Categories: []string{cat}, Content: "<p>x</p>"}
		a.Hash = article.ContentHash(&a)
		arts = append(arts, a)
	}
	if _, err := st.Save(ctx, "a", arts, time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveCategory(ctx, "rizhaowanbao", "日照晚报", ""); err != nil {
		t.Fatal(err)
	}
	p := New(testConfig(), st, "test")
	tree, err := p.Render(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	files := map[string][]byte{}
	for _, f := range tree {
		paths = append(paths, f.Path)
		files[f.Path] = f.Body
		if err := checkPath(f.Path); err != nil {
			t.Error(err)
		}
	}
	want := []string{
		"feeds/news.atom", "feeds/news.rss", "feeds/news.json", "category/news.html",
		"feeds/empty.atom", "feeds/empty.rss", "feeds/empty.json", "category/empty.html",
		"feeds/rizhaowanbao.atom", "feeds/rizhaowanbao.rss", "feeds/rizhaowanbao.json", "category/rizhaowanbao.html",
		"feeds/all.atom", "feeds/all.rss", "feeds/all.json",
		"feeds.opml", "index.html", "status.html", "site.css", "favicon.svg",
	}
	if !slices.Equal(paths, want) {
		t.Errorf("paths:\n%q\nwant:\n%q", paths, want)
	}
	news := string(files["feeds/news.atom"])
	if strings.Count(news, "<entry>") != 2 || !strings.Contains(news, "标题 C") || strings.Contains(news, "标题 A") {
		t.Errorf("news.atom should hold the newest 2 items (C, B):\n%s", news)
	}
	if !strings.Contains(string(files["feeds/rizhaowanbao.rss"]), "<title>日照晚报</title>") {
		t.Errorf("derived category lost its title:\n%s", files["feeds/rizhaowanbao.rss"])
	}
	if !strings.Contains(string(files["feeds/news.rss"]), "<ttl>10</ttl>") {
		t.Errorf("news.rss ttl should follow its source's @every 10m")
	}
	index := string(files["index.html"])
	for _, s := range []string{`type="application/atom+xml" title="News (Atom)" href="https://feeds.example.org/feeds/news.atom"`, "日照晚报", "feeds.opml"} {
		if !strings.Contains(index, s) {
			t.Errorf("index.html lacks %s", s)
		}
	}
	if !strings.Contains(string(files["feeds.opml"]), `xmlUrl="https://feeds.example.org/feeds/rizhaowanbao.atom"`) {
		t.Errorf("feeds.opml lacks the derived category:\n%s", files["feeds.opml"])
	}

	again, err := p.Render(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range tree {
		if !bytes.Equal(tree[i].Body, again[i].Body) {
			t.Errorf("%s differs between two renders of the same store", tree[i].Path)
		}
	}
}

func TestRenderChanged(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := New(testConfig(), st, "test")
	var paths []string
	tree, _, err := p.RenderChanged(ctx, []string{"news"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tree {
		paths = append(paths, f.Path)
	}
	lists := []string{"feeds.opml", "index.html", "status.html", "site.css", "favicon.svg"}
	want := append([]string{"feeds/news.atom", "feeds/news.rss", "feeds/news.json", "category/news.html",
		"feeds/all.atom", "feeds/all.rss", "feeds/all.json"}, lists...)
	if !slices.Equal(paths, want) {
		t.Errorf("paths = %q, want %q", paths, want)
	}
	tree, _, err = p.RenderChanged(ctx, []string{})
	paths = nil
	for _, f := range tree {
		paths = append(paths, f.Path)
	}
	if err != nil || !slices.Equal(paths, lists) {
		t.Errorf("nothing changed: %q (%v), want only %q", paths, err, lists)
	}
}

// TestSourceLinks: an article without a link is linked to the page its
// source lists it on, its site_url, else its web URL; a local file gives
// none.
func TestSourceLinks(t *testing.T) {
	cfg := testConfig()
	cfg.Sources = []config.Source{
		{ID: "posts", Path: "_posts", SiteURL: "https://blog.example.org/"},
		{ID: "api", URL: "https://api.example.org/list?count=10", SiteURL: "https://news.example.org/"},
		{ID: "feed", URL: "https://feeds.example.net/wire.rss"},
		{ID: "local", URL: "examples/feeds/local.rss"},
	}
	got := New(cfg, nil, "test").channel("news", "News", "", time.Time{}, nil).SourceLinks
	want := map[string]string{
		"posts": "https://blog.example.org/",
		"api":   "https://news.example.org/",
		"feed":  "https://feeds.example.net/wire.rss",
	}
	if !maps.Equal(got, want) {
		t.Errorf("SourceLinks = %v, want %v", got, want)
	}
}
