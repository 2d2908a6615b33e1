package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
)

func testArticlesOrder(t *testing.T, open Opener) {
	s := open(t)
	save(t, s, "s1", at(100), art("a", 1, "news"), art("b", 3, "news", "go"),
		art("c", 2, "go"), art("d", 3, "news"))
	save(t, s, "s0", at(100), art("e", 3, "news"))
	tests := []struct {
		category string
		limit    int
		want     []string
	}{
		{"news", 2, []string{"s0/e", "s1/b"}},
		{"news", 0, []string{"s0/e", "s1/b", "s1/d", "s1/a"}},
		{"go", 10, []string{"s1/b", "s1/c"}},
		{"", 3, []string{"s0/e", "s1/b", "s1/d"}},
		{"", 0, []string{"s0/e", "s1/b", "s1/d", "s1/c", "s1/a"}},
		{"missing", 5, []string{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q,%d", tt.category, tt.limit), func(t *testing.T) {
			got := articles(t, s, tt.category, tt.limit)
			checkEqual(t, "articles", keys(got), tt.want)
			for _, a := range got {
				if a.ID == "b" {
					checkEqual(t, "categories of b", a.Categories, []string{"news", "go"})
				}
			}
		})
	}
}

func testRoundTrip(t *testing.T, open Opener) {
	s := open(t)
	want := article.Article{
		ID:         "tag:example.org,2025:1",
		SourceID:   "src",
		Title:      "日照日报 — “quotes” & <b>",
		Link:       "https://example.org/1?x=1&y=2",
		Via:        "http://news.example.com/html_News/NewsShare.html?infoCode=NW1",
		Author:     "Ann Author",
		Published:  time.Date(2025, 3, 1, 9, 30, 0, 0, time.FixedZone("", 5*3600+1800)),
		Updated:    time.Date(2025, 3, 2, 9, 30, 0, 0, time.UTC),
		Summary:    "Plain text.",
		Content:    "<p>Rich <em>HTML</em></p>",
		Categories: []string{"rizhaoribao", "news"},
		Tags:       []string{"local", "weather"},
		Image:      "https://example.org/1.jpg",
		Enclosures: []article.Enclosure{{URL: "https://example.org/1.mp3", Type: "audio/mpeg", Length: 12345}},
	}
	want.Hash = article.ContentHash(&want)
	save(t, s, "src", at(100), want)
	got := only(t, articles(t, s, "rizhaoribao", 1))
	checkTime(t, "published", got.Published, want.Published)
	checkTime(t, "updated", got.Updated, want.Updated)
	got.Published, got.Updated, want.Published, want.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	checkEqual(t, "article", got, want)
}

// testRoundTripAuthors: every author comes back, in order, and an
// article's one author stays one.
func testRoundTripAuthors(t *testing.T, open Opener) {
	s := open(t)
	several, one := art("a", 1, "news"), art("b", 2, "news")
	several.Author, several.Authors = "Ann Author", []string{"Ann Author", "Bob 作者", "carol@example.org"}
	one.Author = "Dee"
	several.Hash, one.Hash = article.ContentHash(&several), article.ContentHash(&one)
	save(t, s, "src", at(100), several, one)
	got := articles(t, s, "news", 0)
	if len(got) != 2 {
		t.Fatalf("got %d articles, want 2", len(got))
	}
	checkEqual(t, "authors", [][]string{got[0].AuthorList(), got[1].AuthorList()},
		[][]string{{"Dee"}, {"Ann Author", "Bob 作者", "carol@example.org"}})
	checkEqual(t, "author", []string{got[0].Author, got[1].Author}, []string{"Dee", "Ann Author"})
	checkEqual(t, "one author's Authors", got[0].Authors, []string(nil))
}

func testCategories(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	for _, c := range [][3]string{{"news", "News", "All the news"}, {"empty", "Empty", ""}, {"news", "News!", "Every story"}} {
		if err := s.SaveCategory(ctx, c[0], c[1], c[2]); err != nil {
			t.Fatal(err)
		}
	}
	a, b := art("a", 1, "news"), art("b", 2, "news", "go")
	a.Updated = time.Date(2025, 3, 5, 8, 0, 0, 0, time.FixedZone("", 8*3600))   // 00:00Z, newest
	b.Updated = time.Date(2025, 3, 4, 20, 0, 0, 0, time.FixedZone("", -3*3600)) // 23:00Z
	save(t, s, "src", at(100), a, b)
	checkCategories(t, s, []store.CategoryInfo{
		{ID: "empty", Title: "Empty", Derived: true},
		{ID: "go", Articles: 1, Newest: b.Updated},
		{ID: "news", Title: "News!", Description: "Every story", Derived: true, Articles: 2, Newest: a.Updated},
	})
	b = edited(b, "edited")
	b.Updated = time.Date(2025, 3, 5, 6, 0, 0, 0, time.FixedZone("", 5*3600)) // 01:00Z, newest now
	save(t, s, "src", at(200), b)
	checkCategories(t, s, []store.CategoryInfo{
		{ID: "empty", Title: "Empty", Derived: true},
		{ID: "go", Articles: 1, Newest: b.Updated},
		{ID: "news", Title: "News!", Description: "Every story", Derived: true, Articles: 2, Newest: b.Updated},
	})
}

func checkCategories(t *testing.T, s Store, want []store.CategoryInfo) {
	t.Helper()
	got, err := s.Categories(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("categories = %+v, want %+v", got, want)
	}
	for i := range want {
		checkTime(t, want[i].ID+" newest", got[i].Newest, want[i].Newest)
		g, w := got[i], want[i]
		g.Newest, w.Newest = time.Time{}, time.Time{}
		checkEqual(t, "category", g, w)
	}
}
