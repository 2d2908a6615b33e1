package storetest

import "testing"

// testCategorySources: each category lists the sources of its live
// articles, sorted; an article the item limit pruned from a category no
// longer counts for it.
func testCategorySources(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	check := func(step string, want map[string][]string) {
		t.Helper()
		got, err := s.CategorySources(ctx)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		checkEqual(t, step, got, want)
	}
	check("empty", map[string][]string{})
	save(t, s, "b", at(10), art("z", 3, "tech"))
	save(t, s, "a", at(10), art("x", 1, "news"), art("y", 2, "news", "tech"))
	check("saved", map[string][]string{"news": {"a"}, "tech": {"a", "b"}})
	if _, _, err := s.Prune(ctx, 0, 1, at(10)); err != nil {
		t.Fatal(err)
	}
	check("pruned to one per category", map[string][]string{"news": {"a"}, "tech": {"b"}})
}
