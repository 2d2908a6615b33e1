package collect

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
)

// TestDeferredTexts runs a posts source without pages: every text is
// stored as a marker and the summaries are the whole texts' — also for
// a post whose rendered start gives too little text (its letters are in
// a link's address), which is read again whole — and Materialize
// renders each text as a source with every text rendered stores it, and
// gives none for a post whose file is gone or holds another article.
func TestDeferredTexts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	para := strings.Repeat("日照市的春天来得比较晚，海边的风依然很冷。", 12)
	posts := map[string]string{
		"2025-01-01-plain.md": "## 周报\n\n" + para + "\n\n" + para + "\n\nThe end.\n",
		"2025-01-02-link.md": "[来源](https://example.org/" + strings.Repeat("abcdefghij", 50) + ")\n\n" +
			para + "\n\n" + para + "\n",
		"2025-01-03-short.md": "One line.\n",
	}
	for name, body := range posts {
		text := "---\ntitle: " + name + "\ncategories: [news]\n---\n" + body
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	off := false
	src := config.Source{ID: "blog", Type: "posts", Path: dir, Pages: &off, Timeout: config.Duration(30 * time.Second)}
	collectWith := func(cfg *config.Config) (*Collector, map[string]article.Article) {
		t.Helper()
		cfg.Site = config.Site{BaseURL: "https://feeds.example.org/", Timezone: "Asia/Shanghai"}
		cfg.Sources = []config.Source{src}
		st := openStore(t)
		c := New(cfg, st, "feedsmith/test", logger, func() time.Time { return now })
		if r := c.Run(ctx, src); r.Err != nil || r.New != len(posts) {
			t.Fatalf("run: %+v", r)
		}
		arts, err := st.Articles(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]article.Article{}
		for _, a := range arts {
			byID[a.ID] = a
		}
		return c, byID
	}
	c, deferred := collectWith(&config.Config{})
	_, whole := collectWith(&config.Config{Outputs: config.Outputs{Jekyll: &config.Jekyll{Dir: t.TempDir()}}})
	if len(deferred) != len(posts) || len(whole) != len(posts) {
		t.Fatalf("%d and %d articles", len(deferred), len(whole))
	}
	var arts []article.Article
	for id, a := range deferred {
		w := whole[id]
		if !article.IsDeferred(a.Content) || article.IsDeferred(w.Content) || w.Content == "" {
			t.Fatalf("%s: content %q, with every text rendered %q", id, a.Content, w.Content)
		}
		if a.Summary != w.Summary || a.Title != w.Title || a.Link != w.Link {
			t.Errorf("%s: summary %q, with every text rendered %q", id, a.Summary, w.Summary)
		}
		arts = append(arts, a)
	}
	if err := c.Materialize(ctx, arts); err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if a.Content != whole[a.ID].Content {
			t.Errorf("%s: materialized %q, want %q", a.ID, a.Content, whole[a.ID].Content)
		}
	}

	// Gone, or another article in the file now: no text.
	var again []article.Article
	for _, a := range deferred {
		again = append(again, a)
	}
	if err := os.Remove(filepath.Join(dir, "2025-01-01-plain.md")); err != nil {
		t.Fatal(err)
	}
	other := "---\ntitle: other\nid: another-article\n---\nOther.\n"
	if err := os.WriteFile(filepath.Join(dir, "2025-01-02-link.md"), []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.Materialize(ctx, again); err != nil {
		t.Fatal(err)
	}
	for _, a := range again {
		if want := whole[a.ID].Content; strings.Contains(a.ID, "short") != (a.Content == want) || (a.Content != "" && a.Content != want) {
			t.Errorf("%s: materialized %q", a.ID, a.Content)
		}
	}
}
