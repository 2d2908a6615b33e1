package sources

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/feeds"
	"github.com/feedsmith/feedsmith/normalize"
)

// TestRenderReadFixtures writes the Atom, RSS and JSON feeds of every
// testdata/feedread fixture to $FEEDSMITH_RENDER_DIR, for the independent
// checkers (../shared/feedcheck/check-feeds --strict DIR), which a Go test
// cannot run. Undated articles get distinct first-seen times, as the
// store gives them.
func TestRenderReadFixtures(t *testing.T) {
	dir := os.Getenv("FEEDSMITH_RENDER_DIR")
	if dir == "" {
		t.Skip("FEEDSMITH_RENDER_DIR not set")
	}
	srv := httptest.NewServer(http.FileServer(http.Dir("testdata/feedread")))
	defer srv.Close()
	files, _ := filepath.Glob("testdata/feedread/*.xml")
	seen := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".xml")
		b, err := collect(t, config.Source{URL: srv.URL + "/" + filepath.Base(file)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := normalize.New(func() time.Time { return seen })
		var items []article.Article
		for i, a := range b.Articles {
			n.Article(&a, b.BaseURL)
			if a.Published.IsZero() {
				a.Published = seen.Add(-time.Duration(i) * time.Minute)
			}
			if a.Updated.IsZero() {
				a.Updated = a.Published
			}
			items = append(items, a)
		}
		base := "https://feeds.example.com/" + name
		ch := feeds.Channel{ID: name, Title: name, Description: "fixture " + name, Language: "en", SiteURL: "https://feeds.example.com/",
			AtomURL: base + ".atom", RSSURL: base + ".rss", JSONURL: base + ".json", Author: feeds.Person{Name: "feedsmith test"}, Updated: seen}
		for ext, render := range map[string]func(feeds.Channel, []article.Article) ([]byte, error){".atom": feeds.Atom, ".rss": feeds.RSS, ".json": feeds.JSON} {
			out, err := render(ch, items)
			if err != nil {
				t.Fatalf("%s%s: %v", name, ext, err)
			}
			if err := os.WriteFile(filepath.Join(dir, name+ext), out, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
