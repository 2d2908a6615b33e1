package feeds

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// renderer is one of the three formats.
type renderer struct {
	name   string
	ext    string
	render func(Channel, []article.Article) ([]byte, error)
}

var renderers = []renderer{
	{"atom", ".atom", Atom},
	{"rss", ".rss", RSS},
	{"json", ".json", JSON},
}

func testChannel() Channel {
	return Channel{
		ID:           "rizhaoribao",
		Title:        "日照日报新闻",
		Description:  "日照日报 要闻与本地新闻",
		Language:     "zh-CN",
		SiteURL:      "https://feeds.example.com/",
		AtomURL:      "https://feeds.example.com/feeds/rizhaoribao.atom",
		RSSURL:       "https://feeds.example.com/feeds/rizhaoribao.rss",
		JSONURL:      "https://feeds.example.com/feeds/rizhaoribao.json",
		Author:       Person{Name: "feedsmith", Email: "feeds@example.com", URL: "https://feeds.example.com/"},
		Generator:    "feedsmith 0.1.0",
		GeneratorURI: "https://github.com/feedsmith/feedsmith",
		TTL:          30 * time.Minute,
		Hub:          "https://pubsubhubbub.appspot.com/",
		Updated:      time.Date(2022, 2, 1, 0, 0, 0, 0, time.FixedZone("", 8*3600)),
		CategoryTitles: map[string]string{
			"rizhaoribao": "日照日报新闻",
			"photos":      "图片",
		},
	}
}

// loadArticles reads testdata/articles.json, in file order (not the
// order the feeds must come out in).
func loadArticles(t testing.TB) []article.Article {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "articles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var as []article.Article
	if err := json.Unmarshal(raw, &as); err != nil {
		t.Fatal(err)
	}
	return as
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./feeds -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./feeds -update to accept):\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	as := loadArticles(t)
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			got, err := r.render(testChannel(), as)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "golden"+r.ext, got)
			checkRules(t, "golden"+r.ext, got)
		})
		t.Run(r.name+"/empty", func(t *testing.T) {
			got, err := r.render(testChannel(), nil)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "empty"+r.ext, got)
		})
	}
}
