package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/normalize"
	"github.com/feedsmith/feedsmith/sources"
)

// benchFeeds is how many generated documents the collect benchmarks
// read: every fifth is Atom, as in the corpus.
const benchFeeds = 10

// benchSources writes benchFeeds generated documents to a temporary
// directory and returns a feed source for each.
func benchSources(b *testing.B) []sources.Source {
	dir := b.TempDir()
	g := &generator{seed: 1, end: defaultEnd}
	env := sources.Env{Fetcher: sources.NewFetcher("", 0, 0), Location: time.UTC}
	var out []sources.Source
	for i := range benchFeeds {
		path := filepath.Join(dir, name(i))
		if err := os.WriteFile(path, g.doc(i), 0o644); err != nil {
			b.Fatal(err)
		}
		s, err := sources.New(config.Source{ID: name(i), Type: "feed", URL: path}, env)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// benchLimits are the normalizer's limits under the default caps, as
// the collector applies them.
var benchLimits = normalize.Limits{Title: int(config.DefaultMaxTitle), Author: int(config.DefaultMaxAuthor),
	Summary: int(config.DefaultMaxSummary), Content: int(config.DefaultMaxContent)}

// BenchmarkCollect is what a refresh does per document of the corpus,
// without the network and the store: read, decode, parse (Parse), then
// normalize every article (Normalize), or both (All).
func BenchmarkCollect(b *testing.B) {
	srcs := benchSources(b)
	collect := func(b *testing.B) [][]article.Article {
		var all [][]article.Article
		for _, s := range srcs {
			batch, err := s.Collect(b.Context())
			if err != nil || len(batch.Articles) != itemsPerFeed {
				b.Fatalf("%d articles, %v", len(batch.Articles), err)
			}
			all = append(all, batch.Articles)
		}
		return all
	}
	norm := normalize.New(func() time.Time { return defaultEnd })
	normalizeAll := func(all [][]article.Article) {
		for i, arts := range all {
			for k := range arts {
				norm.ArticleWithin(&arts[k], "https://"+name(i)+".example.org/", benchLimits)
			}
		}
	}
	perItem := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchFeeds*itemsPerFeed), "ns/item")
	}
	b.Run("Parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			collect(b)
		}
		perItem(b)
	})
	b.Run("Normalize", func(b *testing.B) {
		orig := collect(b)
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			all := make([][]article.Article, len(orig))
			for i, arts := range orig {
				all[i] = slices.Clone(arts)
				for k := range all[i] {
					a := &all[i][k]
					a.Tags, a.Categories = slices.Clone(a.Tags), slices.Clone(a.Categories)
					a.Authors, a.Enclosures = slices.Clone(a.Authors), slices.Clone(a.Enclosures)
				}
			}
			b.StartTimer()
			normalizeAll(all)
		}
		perItem(b)
	})
	b.Run("All", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			normalizeAll(collect(b))
		}
		perItem(b)
	})
}
