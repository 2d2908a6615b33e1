package feeds

import (
	"fmt"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

// benchItems is n articles shaped like the fixture's, one hour apart.
func benchItems(tb testing.TB, n int) []article.Article {
	base := loadArticles(tb)
	items := make([]article.Article, n)
	start := time.Date(2022, 2, 14, 8, 0, 0, 0, time.FixedZone("", 8*3600))
	for i := range items {
		a := base[i%len(base)]
		a.ID = fmt.Sprintf("NW2022021412345%05d", i)
		a.Link = fmt.Sprintf("https://www.rizhao.gov.cn/art/2022/2/14/art_%d.html", i)
		a.Published = start.Add(-time.Duration(i) * time.Hour)
		a.Updated = time.Time{}
		items[i] = a
	}
	return items
}

func benchmarkRender(b *testing.B, render func(Channel, []article.Article) ([]byte, error)) {
	ch, items := testChannel(), benchItems(b, 50)
	for b.Loop() {
		if _, err := render(ch, items); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAtom(b *testing.B) { benchmarkRender(b, Atom) }
func BenchmarkRSS(b *testing.B)  { benchmarkRender(b, RSS) }
func BenchmarkJSON(b *testing.B) { benchmarkRender(b, JSON) }
