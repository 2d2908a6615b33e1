package publish

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// TestFeedersTTLAndLanguage: a category's <ttl> and max-age come from
// the sources that feed it (its own, and those whose articles were filed
// in it by a rule or a template), not from the fastest source anywhere;
// its language is its own, or for a derived category its source's, else
// the site's; the feeds, the OPML and the index page say so.
func TestFeedersTTLAndLanguage(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := &config.Config{
		Site:     config.Site{Title: "t", BaseURL: "https://feeds.example.org/", Language: "zh-CN", Timezone: "UTC"},
		Output:   config.Output{Items: 10, All: &config.AllFeed{ID: "all", Title: "All"}},
		Defaults: config.Defaults{Schedule: "@every 30m"},
		Categories: []config.Category{
			{ID: "news", Title: "新闻"},
			{ID: "databases", Title: "Databases", Language: "en", Rules: []config.Rule{{Keywords: []string{"sqlite"}}}},
			{ID: "empty", Title: "Empty"},
		},
		Sources: []config.Source{
			{ID: "fast", Schedule: "@every 5m", Category: config.CategorySpec{ID: "news"}},
			{ID: "blog", Schedule: "@every 30m", Language: "de"},
			{ID: "api", Schedule: "@hourly", Language: "en-GB", Category: config.CategorySpec{ID: "{{slug .media}}"}},
		},
	}
	save := func(source string, cats ...string) {
		t.Helper()
		a := article.Article{ID: source + "-1", Title: "SQLite " + source, Link: "https://example.org/" + source,
			Published: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC), Categories: cats, Content: "<p>x</p>"}
		a.Hash = article.ContentHash(&a)
		if _, err := st.Save(ctx, source, []article.Article{a}, time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	save("fast", "news")
	save("blog", "databases")
	save("api", "weekly")
	save("gone", "databases") // a source no longer configured: it feeds nothing
	if err := st.SaveCategory(ctx, "weekly", "Weekly", ""); err != nil {
		t.Fatal(err)
	}
	p := New(cfg, st, "test")
	chans, _, err := p.channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		ttl      time.Duration
		language string
	}{
		"news":      {5 * time.Minute, "zh-CN"},
		"databases": {30 * time.Minute, "en"},   // fed by blog through its rule
		"weekly":    {time.Hour, "en-GB"},       // derived from api
		"empty":     {5 * time.Minute, "zh-CN"}, // any source may file into it
		"all":       {5 * time.Minute, "zh-CN"},
	}
	if len(chans) != len(want) {
		t.Fatalf("%d channels, want %d", len(chans), len(want))
	}
	for _, ch := range chans {
		w := want[ch.ID]
		if ch.TTL != w.ttl || ch.Language != w.language {
			t.Errorf("%s: ttl %v, language %q; want %v, %q", ch.ID, ch.TTL, ch.Language, w.ttl, w.language)
		}
	}
	tree, err := p.Render(ctx)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]File{}
	for _, f := range tree {
		files[f.Path] = f
	}
	rss := files["feeds/databases.rss"]
	if rss.MaxAge != 30*time.Minute || !bytes.Contains(rss.Body, []byte("<ttl>30</ttl>")) || !bytes.Contains(rss.Body, []byte("<language>en</language>")) {
		t.Errorf("databases.rss: max-age %v, body %s", rss.MaxAge, rss.Body)
	}
	if !bytes.Contains(files["feeds/weekly.atom"].Body, []byte(`xml:lang="en-GB"`)) {
		t.Errorf("weekly.atom lacks xml:lang en-GB:\n%s", files["feeds/weekly.atom"].Body)
	}
	opml := string(files["feeds.opml"].Body)
	for _, w := range []string{`xmlUrl="https://feeds.example.org/feeds/databases.atom" htmlUrl="https://feeds.example.org/category/databases.html" language="en"`,
		`xmlUrl="https://feeds.example.org/feeds/news.atom" htmlUrl="https://feeds.example.org/category/news.html" language="zh-CN"`} {
		if !strings.Contains(opml, w) {
			t.Errorf("OPML lacks %s:\n%s", w, opml)
		}
	}
	index := string(files["index.html"].Body)
	if !strings.Contains(index, `<html lang="zh-CN">`) ||
		!strings.Contains(index, "<li lang=\"en-GB\">\n<h3 dir=\"auto\"><a href=\"category/weekly.html\">Weekly</a>") {
		t.Errorf("index.html does not mark the categories in another language than the site's:\n%s", index)
	}
}
