package postgres

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
	"github.com/feedsmith/feedsmith/store/sqlite"
	"github.com/feedsmith/feedsmith/store/storetest"
)

// TestSameAsSQLite runs the same random operations on this store and on
// store/sqlite (saves from three sources sharing ids and links, edits,
// undated articles, retention, sources removed and back) and checks
// after each one that both answer alike: save results, every listing,
// the categories, their sources and change numbers. The suite tests the
// behaviours one at a time; this tests them mixed.
func TestSameAsSQLite(t *testing.T) {
	pgtest.Server(t)
	seeds := 10
	if testing.Short() {
		seeds = 2
	}
	for seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel() // each on stores of its own
			lite, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "feedsmith.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer lite.Close()
			pg := openTest(t, pgtest.URL(t))
			r := rand.New(rand.NewPCG(uint64(seed), 1))
			for step := range 60 {
				op, answers := randomOp(t, r, step, pg, lite)
				if got, want := answers[0], answers[1]; got != want {
					t.Fatalf("step %d, %s:\npostgres: %s\nsqlite:   %s", step, op, got, want)
				}
				if got, want := snapshot(t, pg), snapshot(t, lite); got != want {
					t.Fatalf("after step %d, %s:\npostgres:\n%s\nsqlite:\n%s", step, op, got, want)
				}
			}
		})
	}
}

var sources = []string{"s0", "s1", "s2"}

// randomOp runs one random operation on both stores and returns it and
// what each answered.
func randomOp(t *testing.T, r *rand.Rand, step int, stores ...storetest.Store) (op string, answers []string) {
	t.Helper()
	at := now.Add(time.Duration(step) * time.Hour)
	answer := func(f func(s storetest.Store) (any, error)) []string {
		var out []string
		for _, s := range stores {
			v, err := f(s)
			if err != nil {
				t.Fatalf("%s: %v", op, err)
			}
			out = append(out, fmt.Sprintf("%+v", v))
		}
		return out
	}
	switch n := r.IntN(10); {
	case n < 7:
		src := sources[r.IntN(len(sources))]
		arts := randomArticles(r)
		op = fmt.Sprintf("save %s %v", src, showArticles(arts))
		return op, answer(func(s storetest.Store) (any, error) { return s.Save(t.Context(), src, arts, at) })
	case n == 7:
		var ids []string
		for _, s := range sources {
			if r.IntN(3) > 0 {
				ids = append(ids, s)
			}
		}
		op = fmt.Sprintf("configured %v", ids)
		return op, answer(func(s storetest.Store) (any, error) { return s.SetActiveSources(t.Context(), ids) })
	case n == 8:
		maxAge, maxItems := time.Duration(r.IntN(3))*20*time.Hour, r.IntN(4)
		op = fmt.Sprintf("prune %s %d", maxAge, maxItems)
		return op, answer(func(s storetest.Store) (any, error) {
			removed, changed, err := s.Prune(t.Context(), maxAge, maxItems, at)
			return fmt.Sprint(removed, changed), err
		})
	default:
		c := fmt.Sprintf("c%d", r.IntN(5))
		op = "save category " + c
		return op, answer(func(s storetest.Store) (any, error) {
			return nil, s.SaveCategory(t.Context(), c, "Title of "+c, fmt.Sprint(step))
		})
	}
}

// randomArticles returns up to six articles from a small pool of ids and
// links, so that saves meet what earlier ones stored, by id and by link.
func randomArticles(r *rand.Rand) []article.Article {
	arts := make([]article.Article, r.IntN(7))
	for i := range arts {
		a := article.Article{
			ID:      fmt.Sprintf("a%d", r.IntN(12)),
			Title:   fmt.Sprintf("title %d", r.IntN(3)),
			Content: fmt.Sprintf("<p>v%d</p>", r.IntN(3)),
		}
		if k := r.IntN(10); k < 8 {
			a.Link = fmt.Sprintf("https://example.org/%d", k)
		}
		// An instant always has the same offset, so that ties compare
		// as the same text.
		if h := r.IntN(12); h > 0 {
			a.Published = now.Add(-time.Duration(h) * 5 * time.Hour).In(time.FixedZone("", h%3*3600))
		}
		if h := r.IntN(30); h > 20 {
			a.Updated = now.Add(time.Duration(h) * time.Hour)
		}
		for c := range 5 {
			if r.IntN(3) == 0 {
				a.Categories = append(a.Categories, fmt.Sprintf("c%d", c))
			}
		}
		if r.IntN(2) == 0 {
			slices.Reverse(a.Categories)
		}
		a.Hash = article.ContentHash(&a)
		arts[i] = a
	}
	return arts
}

// snapshot shows everything a reader of s sees.
func snapshot(t *testing.T, s storetest.Store) string {
	t.Helper()
	ctx := t.Context()
	var b strings.Builder
	must := func(v any, err error) any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []string{"", "c0", "c1", "c2", "c3", "c4"} {
		arts := must(s.Articles(ctx, c, 0)).([]article.Article)
		fmt.Fprintf(&b, "articles %q: %s\n", c, showArticles(arts))
		top := must(s.Articles(ctx, c, 2)).([]article.Article)
		if n := min(2, len(arts)); !reflect.DeepEqual(showArticles(top), showArticles(arts[:n])) {
			fmt.Fprintf(&b, "newest 2 of %q differ: %s\n", c, showArticles(top))
		}
	}
	for _, c := range must(s.Categories(ctx)).([]store.CategoryInfo) {
		fmt.Fprintf(&b, "category %s %q %q derived=%v articles=%d newest=%s\n",
			c.ID, c.Title, c.Description, c.Derived, c.Articles, c.Newest.Format(time.RFC3339Nano))
	}
	fmt.Fprintf(&b, "sources %v\n", must(s.CategorySources(ctx)))
	fmt.Fprintf(&b, "changes %v\n", must(s.Changes(ctx)))
	for _, k := range must(s.InactiveArticles(ctx)).([]store.ArticleKey) {
		fmt.Fprintf(&b, "inactive %s/%s %s\n", k.SourceID, k.ID, k.Published.Format(time.RFC3339Nano))
	}
	for _, src := range sources {
		content, ok := must2(t)(s.FullText(ctx, src, "a1"))
		fmt.Fprintf(&b, "full text %s %q %v\n", src, content, ok)
	}
	return b.String()
}

func must2(t *testing.T) func(string, bool, error) (string, bool) {
	return func(s string, ok bool, err error) (string, bool) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s, ok
	}
}

func showArticles(arts []article.Article) string {
	var parts []string
	for _, a := range arts {
		parts = append(parts, fmt.Sprintf("%s/%s{%s %s %s pub=%s upd=%s %v}", a.SourceID, a.ID, a.Title, a.Link, a.Content,
			a.Published.Format(time.RFC3339Nano), a.Updated.Format(time.RFC3339Nano), a.Categories))
	}
	return "[" + strings.Join(parts, " ") + "]"
}
