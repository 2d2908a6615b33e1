package sqlite

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

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
	s := openTest(b, filepath.Join(b.TempDir(), "bench.db"))
	n := 0
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := s.Save(b.Context(), "src", batch(n, 1000), now); err != nil {
			b.Fatal(err)
		}
		n += 1000
	}
}

func BenchmarkSaveUnchanged(b *testing.B) {
	s := openTest(b, filepath.Join(b.TempDir(), "bench.db"))
	arts := batch(0, 1000)
	if _, err := s.Save(b.Context(), "src", arts, now); err != nil {
		b.Fatal(err)
	}
	defer reportCPU(b)()
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
	s := openTest(b, filepath.Join(b.TempDir(), "bench.db"))
	arts := batch(0, 1000)
	if _, err := s.Save(b.Context(), "src", arts, now); err != nil {
		b.Fatal(err)
	}
	round := 0
	defer reportCPU(b)()
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
	s := openTest(b, filepath.Join(b.TempDir(), "bench.db"))
	for i := 0; i < 10_000; i += 1000 {
		if _, err := s.Save(b.Context(), "src", batch(i, 1000), now); err != nil {
			b.Fatal(err)
		}
	}
	defer reportCPU(b)()
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
	s := openTest(b, filepath.Join(b.TempDir(), "bench.db"))
	for i := 0; i < 10_000; i += 1000 {
		if _, err := s.Save(b.Context(), fmt.Sprintf("src%d", i%3000), batch(i, 1000), now); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := s.SetActiveSources(b.Context(), []string{"src0", "src1000"}); err != nil {
		b.Fatal(err)
	}
	defer reportCPU(b)()
	for b.Loop() {
		cats, err := s.Categories(b.Context())
		if err != nil || len(cats) != 11 {
			b.Fatal(len(cats), err)
		}
	}
}

// BenchmarkCategorySources reads what feeds each category of 100,000
// articles from 10 sources, against Categories on the same store, which
// every render reads too.
func BenchmarkCategorySources(b *testing.B) {
	s := openTest(b, filepath.Join(b.TempDir(), "bench.db"))
	for i := range 10 {
		if _, err := s.Save(b.Context(), fmt.Sprintf("src%d", i), batch(i*10000, 10000), now); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("CategorySources", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			if m, err := s.CategorySources(b.Context()); err != nil || len(m["cat3"]) != 10 {
				b.Fatal(m, err)
			}
		}
	})
	b.Run("Categories", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := s.Categories(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// corpusBatch returns n articles shaped like bench/corpus's posts after
// normalization: a URL for id and link (its category in the path), a
// short mixed-script title, a summary of ~400 bytes, 2 to 5 KB of HTML,
// one of 50 categories and three tags, in the order the posts source
// reads them (by file name, so the categories come mixed).
func corpusBatch(n int) []article.Article {
	const para = "<p>静态网站生成器的好处是部署简单，坏处是构建慢。 Feeds are plain XML, yet every reader parses them a little differently. 服务器只有两个核心。</p>\n"
	arts := make([]article.Article, n)
	for i := range arts {
		k := (i*7919 + 13) % n // a fixed shuffle of the post numbers
		cat := fmt.Sprintf("cat%02d", k%50)
		link := fmt.Sprintf("https://bench.example.org/%s/2025/11/%02d/post-%05d-jian.html", cat, 1+k%28, k)
		a := article.Article{
			ID:         link,
			Title:      fmt.Sprintf("第 %d 篇：Hugo: the \"性能\" notes", k),
			Link:       link,
			Published:  now.Add(-time.Duration(k) * 17 * time.Minute),
			Summary:    strings.Repeat("这个问题看起来简单，其实牵涉到缓存、压缩和时区。 ", 4),
			Content:    fmt.Sprintf("<h2>订阅源 %d</h2>\n", k) + strings.Repeat(para, 8+k%18),
			Categories: []string{cat},
			Tags:       []string{"读书", "yaml", "rss"},
		}
		arts[i] = a
	}
	return arts
}

// BenchmarkSaveCorpus saves 10,000 posts like bench/corpus's into a new
// database file, in chunks of 512 as collect saves a posts source, and
// closes it: the store's part of a cold build. cpu-ns/op is the process's user and
// system time, steadier than ns/op on a shared machine.
func BenchmarkSaveCorpus(b *testing.B) {
	const total, chunk = 10_000, 512 // chunk: collect's chunkSize
	arts := corpusBatch(total)
	dir := b.TempDir()
	var cpu time.Duration
	n := 0
	for b.Loop() {
		b.StopTimer()
		n++
		s, err := Open(b.Context(), filepath.Join(dir, fmt.Sprintf("bench%d.db", n)))
		if err != nil {
			b.Fatal(err)
		}
		before := cpuTime(b)
		b.StartTimer()
		for i := 0; i < total; i += chunk {
			part := slices.Clone(arts[i:min(i+chunk, total)]) // Save may set fields
			if res, err := s.Save(b.Context(), "corpus", part, now); err != nil || res.New != len(part) {
				b.Fatal(res, err)
			}
		}
		if err := s.Close(); err != nil { // which checkpoints the WAL
			b.Fatal(err)
		}
		cpu += cpuTime(b) - before
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/op")
}

// reportCPU, deferred at a benchmark's loop, reports the process's user
// and system time per iteration from then on as cpu-ns/op.
func reportCPU(b *testing.B) func() {
	start := cpuTime(b)
	return func() {
		b.ReportMetric(float64((cpuTime(b)-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
