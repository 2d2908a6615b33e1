package postgres

import (
	"fmt"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
)

// The benchmarks are store/sqlite's, on the test server:
//
//	FEEDSMITH_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test go test -run - -bench . ./store/postgres ./store/sqlite

// batch returns n articles numbered from first, spread over 10
// categories and one published minute apart.
func batch(first, n int) []article.Article {
	arts := make([]article.Article, n)
	for i := range arts {
		k := first + i
		a := article.Article{
			ID:         fmt.Sprintf("https://example.org/%d", k),
			Title:      fmt.Sprintf("Article %d", k),
			Link:       fmt.Sprintf("https://example.org/%d", k),
			Published:  now.Add(-time.Duration(k) * time.Minute),
			Summary:    "A summary of a few words.",
			Content:    "<p>Some content, of a realistic length for a news item: a few hundred bytes of HTML.</p>",
			Categories: []string{fmt.Sprintf("cat%d", k%10), "all"},
			Tags:       []string{"tag"},
		}
		a.Hash = article.ContentHash(&a)
		arts[i] = a
	}
	return arts
}

func BenchmarkSaveNew(b *testing.B) {
	s := openTest(b, pgtest.URL(b))
	n := 0
	for b.Loop() {
		if _, err := s.Save(b.Context(), "src", batch(n, 1000), now); err != nil {
			b.Fatal(err)
		}
		n += 1000
	}
}

func BenchmarkSaveUnchanged(b *testing.B) {
	s := openTest(b, pgtest.URL(b))
	arts := batch(0, 1000)
	if _, err := s.Save(b.Context(), "src", arts, now); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		res, err := s.Save(b.Context(), "src", arts, now)
		if err != nil || res.Unchanged != len(arts) {
			b.Fatal(res, err)
		}
	}
}

// BenchmarkSaveUpdated saves 1,000 stored articles edited, each time
// with other content.
func BenchmarkSaveUpdated(b *testing.B) {
	s := openTest(b, pgtest.URL(b))
	arts := batch(0, 1000)
	if _, err := s.Save(b.Context(), "src", arts, now); err != nil {
		b.Fatal(err)
	}
	round := 0
	for b.Loop() {
		round++
		for i := range arts {
			arts[i].Content = fmt.Sprintf("<p>edit %d</p>", round)
			arts[i].Hash = article.ContentHash(&arts[i])
		}
		res, err := s.Save(b.Context(), "src", arts, now.Add(time.Duration(round)*time.Second))
		if err != nil || res.Updated != len(arts) {
			b.Fatal(res, err)
		}
	}
}

func BenchmarkArticles(b *testing.B) {
	s := openTest(b, pgtest.URL(b))
	for i := 0; i < 10_000; i += 1000 {
		if _, err := s.Save(b.Context(), "src", batch(i, 1000), now); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		arts, err := s.Articles(b.Context(), "cat3", 50)
		if err != nil || len(arts) != 50 {
			b.Fatal(len(arts), err)
		}
	}
}

// BenchmarkCategories lists the categories of 10,000 articles, as every
// render does, one source of them removed from the configuration.
func BenchmarkCategories(b *testing.B) {
	s := openTest(b, pgtest.URL(b))
	for i := 0; i < 10_000; i += 1000 {
		if _, err := s.Save(b.Context(), fmt.Sprintf("src%d", i%3000), batch(i, 1000), now); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := s.SetActiveSources(b.Context(), []string{"src0", "src1000"}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cats, err := s.Categories(b.Context())
		if err != nil || len(cats) != 11 {
			b.Fatal(len(cats), err)
		}
	}
}

// BenchmarkCategorySources reads what feeds each category of 100,000
// articles from 10 sources.
func BenchmarkCategorySources(b *testing.B) {
	s := openTest(b, pgtest.URL(b))
	for i := range 10 {
		if _, err := s.Save(b.Context(), fmt.Sprintf("src%d", i), batch(i*10000, 10000), now); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if m, err := s.CategorySources(b.Context()); err != nil || len(m["cat3"]) != 10 {
			b.Fatal(m, err)
		}
	}
}
