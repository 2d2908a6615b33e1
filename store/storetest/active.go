package storetest

import (
	"maps"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/store"
)

// testActiveSources removes sources from the configuration and puts them
// back: their articles leave every listing and every count, a category
// left with none of its own vanishes, an article another configured
// source delivered too stays, and all of it comes back with the source,
// without a save.
func testActiveSources(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	save(t, s, "s1", at(100), art("a", 1, "news"), art("b", 2, "news", "go"))
	if err := s.SaveCategory(ctx, "juxian", "莒县融媒新闻", ""); err != nil {
		t.Fatal(err)
	}
	save(t, s, "s2", at(100), art("c", 3, "news"), art("d", 4, "juxian"))
	shared := art("x", 5, "sports")
	shared.Link = "https://example.org/a" // s1's a, delivered by s2 too
	save(t, s, "s2", at(100), shared)

	setActive := func(want []string, ids ...string) {
		t.Helper()
		before := changesOf(t, s)
		changed, err := s.SetActiveSources(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		checkEqual(t, "changed categories", changed, want)
		after := changesOf(t, s)
		for _, c := range append(want, "") {
			if want != nil && after[c] <= before[c] {
				t.Errorf("change number of %q did not move: %d then %d", c, before[c], after[c])
			}
		}
		if want == nil && !maps.Equal(before, after) {
			t.Errorf("an unchanged set moved the change numbers: %v then %v", before, after)
		}
	}
	check := func(name string, all, news []string, cats []store.CategoryInfo, inactive []string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			checkEqual(t, "all", keys(articles(t, s, "", 0)), all)
			checkEqual(t, "news", keys(articles(t, s, "news", 0)), news)
			checkEqual(t, "news, newest 1", keys(articles(t, s, "news", 1)), news[:1])
			checkCategories(t, s, cats)
			gone, err := s.InactiveArticles(ctx)
			if err != nil {
				t.Fatal(err)
			}
			names := []string{}
			for _, k := range gone {
				names = append(names, k.SourceID+"/"+k.ID)
				if want := at(map[string]int{"a": 1, "b": 2, "c": 3, "d": 4}[k.ID]); !k.Published.Equal(want) {
					t.Errorf("%s/%s published %v, want %v", k.SourceID, k.ID, k.Published, want)
				}
			}
			checkEqual(t, "inactive", names, inactive)
		})
	}
	a, b, c, d := at(1), at(2), at(3), at(4)
	everything := []store.CategoryInfo{
		{ID: "go", Articles: 1, Newest: b},
		{ID: "juxian", Title: "莒县融媒新闻", Derived: true, Articles: 1, Newest: d},
		{ID: "news", Articles: 3, Newest: c},
		{ID: "sports", Articles: 1, Newest: a},
	}
	setActive(nil, "s1", "s2")
	check("both configured", []string{"s2/d", "s2/c", "s1/b", "s1/a"}, []string{"s2/c", "s1/b", "s1/a"}, everything, []string{})

	setActive([]string{"juxian", "news", "sports"}, "s1", "removed-before-it-saved")
	check("s2 removed", []string{"s1/b", "s1/a"}, []string{"s1/b", "s1/a"}, []store.CategoryInfo{
		{ID: "go", Articles: 1, Newest: b},
		{ID: "news", Articles: 2, Newest: b},
		{ID: "sports", Articles: 1, Newest: a}, // filed by s2 into s1's article, which stays
	}, []string{"s2/d", "s2/c"})

	setActive([]string{"go", "juxian", "news", "sports"}, "s2")
	check("s1 removed, s2 back", []string{"s2/d", "s2/c", "s1/a"}, []string{"s2/c", "s1/a"}, []store.CategoryInfo{
		{ID: "juxian", Title: "莒县融媒新闻", Derived: true, Articles: 1, Newest: d},
		{ID: "news", Articles: 2, Newest: c},
		{ID: "sports", Articles: 1, Newest: a},
	}, []string{"s1/b"}) // a is delivered by s2 too

	setActive([]string{"go", "news", "sports"}, "s2", "s1")
	check("both back", []string{"s2/d", "s2/c", "s1/b", "s1/a"}, []string{"s2/c", "s1/b", "s1/a"}, everything, []string{})
	setActive(nil, "s1", "s2")
}

// testPruneInactive: the item limit counts and unfiles only the articles
// of configured sources; the age limit applies to every article.
func testPruneInactive(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	save(t, s, "s1", at(100), art("a", 1, "news"), art("b", 2, "news"))
	save(t, s, "s2", at(100), art("c", 0, "news"), art("d", 5, "news"))
	if _, err := s.SetActiveSources(ctx, []string{"s1"}); err != nil {
		t.Fatal(err)
	}
	if removed, changed, err := s.Prune(ctx, 0, 1, at(100)); err != nil || removed != 1 {
		t.Fatalf("Prune by items = %d %v %v, want a removed", removed, changed, err)
	}
	checkEqual(t, "news after the item limit", keys(articles(t, s, "news", 0)), []string{"s1/b"})
	// c, of the removed source, is older than the cutoff; d and b are not.
	if removed, _, err := s.Prune(ctx, at(100).Sub(at(1)), 0, at(100)); err != nil || removed != 1 {
		t.Fatalf("Prune by age = %d %v, want c removed", removed, err)
	}
	if _, err := s.SetActiveSources(ctx, []string{"s1", "s2"}); err != nil {
		t.Fatal(err)
	}
	// Back over the limit until the next prune, which counts d now.
	checkEqual(t, "news with s2 back", keys(articles(t, s, "news", 0)), []string{"s2/d", "s1/b"})
	if removed, _, err := s.Prune(ctx, 0, 1, at(100).Add(time.Hour)); err != nil || removed != 1 {
		t.Fatalf("Prune by items with s2 back = %d %v, want b removed", removed, err)
	}
	checkEqual(t, "news pruned again", keys(articles(t, s, "news", 0)), []string{"s2/d"})
}

func changesOf(t *testing.T, s Store) map[string]int64 {
	t.Helper()
	c, err := s.Changes(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c
}
