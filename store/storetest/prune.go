package storetest

import (
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
)

// pruneFixture is saved by source "s" at at(100).
func pruneFixture() []article.Article {
	return []article.Article{
		art("n1", 10, "news", "go"), art("n2", 20, "news"), art("n3", 70, "news"),
		art("n4", 80, "news"), art("n5", 90, "news"), art("g1", 95, "go"), art("x", 5),
	}
}

func testPrune(t *testing.T, open Opener) {
	tests := []struct {
		name        string
		maxAge      time.Duration
		maxItems    int
		removed     int
		changed     []string
		news, goCat []string
		all         []string
	}{
		{"keep all", 0, 0, 0, nil, []string{"n5", "n4", "n3", "n2", "n1"}, []string{"g1", "n1"},
			[]string{"g1", "n5", "n4", "n3", "n2", "n1", "x"}},
		{"by age", 50 * time.Hour, 0, 3, []string{"go", "news"}, []string{"n5", "n4", "n3"}, []string{"g1"},
			[]string{"g1", "n5", "n4", "n3"}},
		{"by age, published at the cut kept", 80 * time.Hour, 0, 2, []string{"go", "news"},
			[]string{"n5", "n4", "n3", "n2"}, []string{"g1"}, []string{"g1", "n5", "n4", "n3", "n2"}},
		{"by items", 0, 3, 1, []string{"news"}, []string{"n5", "n4", "n3"}, []string{"g1", "n1"},
			[]string{"g1", "n5", "n4", "n3", "n1", "x"}},
		{"by one item", 0, 1, 4, []string{"go", "news"}, []string{"n5"}, []string{"g1"},
			[]string{"g1", "n5", "x"}},
		{"by age and items", 50 * time.Hour, 2, 4, []string{"go", "news"}, []string{"n5", "n4"}, []string{"g1"},
			[]string{"g1", "n5", "n4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			save(t, s, "s", at(100), pruneFixture()...)
			removed, changed, err := s.Prune(t.Context(), tt.maxAge, tt.maxItems, at(100))
			if err != nil {
				t.Fatal(err)
			}
			checkEqual(t, "removed", removed, tt.removed)
			checkResult(t, store.SaveResult{Changed: changed}, store.SaveResult{Changed: tt.changed})
			check := func(when string) {
				checkEqual(t, when+" news", ids(articles(t, s, "news", 0)), tt.news)
				checkEqual(t, when+" go", ids(articles(t, s, "go", 0)), tt.goCat)
				checkEqual(t, when+" all", ids(articles(t, s, "", 0)), tt.all)
				checkCounts(t, s, map[string]int{"news": len(tt.news), "go": len(tt.goCat)})
				// What retention took out is counted, once.
				checkDropped(t, s, map[string]int{"news": 5 - len(tt.news), "go": 2 - len(tt.goCat)})
			}
			check("after prune")
			// The next fetch of the same feed brings nothing back.
			checkResult(t, save(t, s, "s", at(101), pruneFixture()...), store.SaveResult{Unchanged: 7})
			check("after re-save")
			removed, changed, err = s.Prune(t.Context(), tt.maxAge, tt.maxItems, at(100))
			if err != nil || removed != 0 || len(changed) != 0 {
				t.Errorf("second prune = %d, %v, %v; want nothing to do", removed, changed, err)
			}
		})
	}
}

// testPruneNoResurrection re-delivers pruned articles edited, and from
// another source by link: they stay pruned.
func testPruneNoResurrection(t *testing.T, open Opener) {
	s := open(t)
	save(t, s, "s", at(100), pruneFixture()...)
	if _, _, err := s.Prune(t.Context(), 50*time.Hour, 3, at(100)); err != nil {
		t.Fatal(err)
	}
	n1, n2 := pruneFixture()[0], pruneFixture()[1]
	other := art("other-id", 20, "news")
	other.Link = n2.Link
	checkResult(t, save(t, s, "s", at(101), edited(n1, "edited"), edited(n2, "edited")),
		store.SaveResult{Unchanged: 2})
	checkResult(t, save(t, s, "t", at(101), other), store.SaveResult{Unchanged: 1})
	checkEqual(t, "news", ids(articles(t, s, "news", 0)), []string{"n5", "n4", "n3"})
	checkEqual(t, "all", ids(articles(t, s, "", 0)), []string{"g1", "n5", "n4", "n3"})
}

// testPruneUnfiled updates an article the item limit took out of one of
// its categories: it shows in the others, not in that one again.
func testPruneUnfiled(t *testing.T, open Opener) {
	s := open(t)
	older, newer := art("older", 1, "news", "go"), art("newer", 2, "news")
	save(t, s, "s", at(100), older, newer)
	removed, changed, err := s.Prune(t.Context(), 0, 1, at(100))
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "removed", removed, 0)
	checkEqual(t, "changed", changed, []string{"news"})
	checkResult(t, save(t, s, "s", at(101), older), store.SaveResult{Unchanged: 1})
	checkResult(t, save(t, s, "s", at(102), edited(older, "edited")), store.SaveResult{Updated: 1, Changed: []string{"go"}})
	checkEqual(t, "news", ids(articles(t, s, "news", 0)), []string{"newer"})
	checkEqual(t, "go", ids(articles(t, s, "go", 0)), []string{"older"})
	checkEqual(t, "categories of older", only(t, articles(t, s, "go", 0)).Categories, []string{"go"})
}

func ids(arts []article.Article) []string {
	ids := []string{}
	for _, a := range arts {
		ids = append(ids, a.ID)
	}
	return ids
}

func checkCounts(t *testing.T, s Store, want map[string]int) {
	t.Helper()
	cats, err := s.Categories(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		if n, ok := want[c.ID]; ok && c.Articles != n {
			t.Errorf("category %s counts %d articles, want %d", c.ID, c.Articles, n)
		}
	}
}

// checkDropped checks the Dropped count of the categories in want.
func checkDropped(t *testing.T, s Store, want map[string]int) {
	t.Helper()
	cats, err := s.Categories(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, c := range cats {
		if _, ok := want[c.ID]; ok {
			got[c.ID] = c.Dropped
		}
	}
	for id := range want {
		if _, ok := got[id]; !ok {
			got[id] = 0
		}
	}
	checkEqual(t, "dropped", got, want)
}
