package storetest

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/store"
)

// testActiveSources removes sources from the configuration and puts them
// back: their articles leave every listing and every count, a category
// left with none of its own vanishes, an article another configured
// source delivered too stays (in the categories that source filed it
// in), and all of it comes back with the source, without a save.
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
	var labelsOfA []string // the categories Articles gives s1's a
	check := func(name string, all, news []string, cats []store.CategoryInfo, inactive []string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			everyArticle := articles(t, s, "", 0)
			checkEqual(t, "all", keys(everyArticle), all)
			for _, x := range everyArticle {
				if x.ID == "a" {
					checkEqual(t, "categories of s1/a", x.Categories, labelsOfA)
				}
			}
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
	labelsOfA = []string{"news", "sports"}
	setActive(nil, "s1", "s2")
	check("both configured", []string{"s2/d", "s2/c", "s1/b", "s1/a"}, []string{"s2/c", "s1/b", "s1/a"}, everything, []string{})

	setActive([]string{"juxian", "news", "sports"}, "s1", "removed-before-it-saved")
	labelsOfA = []string{"news"} // s2 filed s1's a in sports: that goes, a stays
	check("s2 removed", []string{"s1/b", "s1/a"}, []string{"s1/b", "s1/a"}, []store.CategoryInfo{
		{ID: "go", Articles: 1, Newest: b},
		{ID: "news", Articles: 2, Newest: b},
	}, []string{"s2/d", "s2/c"})

	setActive([]string{"go", "juxian", "news", "sports"}, "s2")
	labelsOfA = []string{"sports"} // a is delivered by s2 too, filed in news by s1
	check("s1 removed, s2 back", []string{"s2/d", "s2/c", "s1/a"}, []string{"s2/c"}, []store.CategoryInfo{
		{ID: "juxian", Title: "莒县融媒新闻", Derived: true, Articles: 1, Newest: d},
		{ID: "news", Articles: 1, Newest: c},
		{ID: "sports", Articles: 1, Newest: a},
	}, []string{"s1/b"})

	setActive([]string{"go", "news", "sports"}, "s2", "s1")
	labelsOfA = []string{"news", "sports"}
	check("both back", []string{"s2/d", "s2/c", "s1/b", "s1/a"}, []string{"s2/c", "s1/b", "s1/a"}, everything, []string{})
	setActive(nil, "s1", "s2")
}

// testFiledBy: a category filing belongs to the source whose delivery
// made it, not to the article's first source. Two sources deliver the
// same article (same link), each filing it in its own category: with one
// removed, its category loses the article (its articles, count, newest,
// sources, and the article's labels elsewhere) while the other keeps it;
// a category both filed it in keeps it while either is configured, also
// when the second source filed it first; a filing by a configured source
// brings a removed one's category back at once; putting the source back
// restores its filings without a save.
func testFiledBy(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	x := art("x", 1, "aaa", "both")
	save(t, s, "srca", at(100), x)
	dup := art("x-b", 2, "bbb", "both") // srcb's id for x
	dup.Link = x.Link
	save(t, s, "srcb", at(101), dup)
	y := art("y", 3, "aaa") // srca's, later filed in late by srcb, then by srca
	save(t, s, "srca", at(100), y)
	yb := art("y-b", 3, "late")
	yb.Link = y.Link
	save(t, s, "srcb", at(101), yb)
	y.Categories = []string{"aaa", "late"}
	if res := save(t, s, "srca", at(102), y); !slices.Equal(res.Changed, []string{"aaa", "late"}) {
		t.Errorf("srca filing y in late too changed %v, want [aaa late]", res.Changed)
	}

	setActive := func(want []string, ids ...string) {
		t.Helper()
		changed, err := s.SetActiveSources(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		checkEqual(t, "changed categories", changed, want)
	}
	check := func(name string, feeds map[string][]string, labels map[string][]string, cats []store.CategoryInfo, sources map[string][]string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			for _, c := range []string{"aaa", "bbb", "both", "late"} {
				checkEqual(t, c, keys(articles(t, s, c, 0)), feeds[c])
			}
			for _, a := range articles(t, s, "", 0) {
				checkEqual(t, "categories of "+a.ID, a.Categories, labels[a.ID])
			}
			checkCategories(t, s, cats)
			got, err := s.CategorySources(ctx)
			if err != nil {
				t.Fatal(err)
			}
			checkEqual(t, "category sources", got, sources)
		})
	}
	a, c := at(1), at(3)
	setActive(nil, "srca", "srcb")
	bothFeeds := map[string][]string{"aaa": {"srca/y", "srca/x"}, "bbb": {"srca/x"}, "both": {"srca/x"}, "late": {"srca/y"}}
	bothLabels := map[string][]string{"x": {"aaa", "both", "bbb"}, "y": {"aaa", "late"}}
	bothCats := []store.CategoryInfo{{ID: "aaa", Articles: 2, Newest: c}, {ID: "bbb", Articles: 1, Newest: a},
		{ID: "both", Articles: 1, Newest: a}, {ID: "late", Articles: 1, Newest: c}}
	bothSources := map[string][]string{"aaa": {"srca"}, "bbb": {"srcb"}, "both": {"srca", "srcb"}, "late": {"srca", "srcb"}}
	check("both configured", bothFeeds, bothLabels, bothCats, bothSources)

	setActive([]string{"aaa", "bbb", "both", "late"}, "srcb")
	check("srca removed", map[string][]string{"aaa": {}, "bbb": {"srca/x"}, "both": {"srca/x"}, "late": {"srca/y"}},
		map[string][]string{"x": {"both", "bbb"}, "y": {"late"}},
		[]store.CategoryInfo{{ID: "bbb", Articles: 1, Newest: a}, {ID: "both", Articles: 1, Newest: a}, {ID: "late", Articles: 1, Newest: c}},
		map[string][]string{"bbb": {"srcb"}, "both": {"srcb"}, "late": {"srcb"}})

	setActive([]string{"aaa", "bbb", "both", "late"}, "srca")
	check("srcb removed", map[string][]string{"aaa": {"srca/y", "srca/x"}, "bbb": {}, "both": {"srca/x"}, "late": {"srca/y"}},
		map[string][]string{"x": {"aaa", "both"}, "y": {"aaa", "late"}},
		[]store.CategoryInfo{{ID: "aaa", Articles: 2, Newest: c}, {ID: "both", Articles: 1, Newest: a}, {ID: "late", Articles: 1, Newest: c}},
		map[string][]string{"aaa": {"srca"}, "both": {"srca"}, "late": {"srca"}})

	setActive([]string{"aaa", "bbb", "both", "late"}, "srca", "srcb")
	check("both back", bothFeeds, bothLabels, bothCats, bothSources)

	// srcb alone, and x delivered again by it now filed in aaa too: the
	// filing is srcb's, and bbb lists x's new category.
	setActive([]string{"aaa", "bbb", "both", "late"}, "srcb")
	dup.Categories = []string{"bbb", "aaa"}
	if res := save(t, s, "srcb", at(103), dup); !slices.Equal(res.Changed, []string{"aaa", "bbb", "both"}) {
		t.Errorf("srcb filing x in aaa changed %v, want [aaa bbb both]", res.Changed)
	}
	checkEqual(t, "aaa with srcb's filing", keys(articles(t, s, "aaa", 0)), []string{"srca/x"})
	checkEqual(t, "categories of x", only(t, articles(t, s, "bbb", 0)).Categories, []string{"aaa", "both", "bbb"})

	// The item limit counts configured filings only: aaa holds x (srcb's
	// filing) and y (srca's, not counted), so one fits.
	if removed, changed, err := s.Prune(ctx, 0, 1, at(104)); err != nil || removed != 0 || len(changed) != 0 {
		t.Errorf("Prune to one per category = %d %v %v, want nothing", removed, changed, err)
	}
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
