package feeds

import (
	"testing"

	"github.com/feedsmith/feedsmith/article"
)

// benchmarkRender500 renders a 500-item feed, the size a large category
// reaches when its item limit is raised.
func benchmarkRender500(b *testing.B, render func(Channel, []article.Article) ([]byte, error)) {
	ch, items := testChannel(), benchItems(b, 500)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		out, err := render(ch, items)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/feed")
}

func BenchmarkAtom500(b *testing.B) { benchmarkRender500(b, Atom) }
func BenchmarkRSS500(b *testing.B)  { benchmarkRender500(b, RSS) }
func BenchmarkJSON500(b *testing.B) { benchmarkRender500(b, JSON) }
