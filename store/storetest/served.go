package storetest

import (
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/store"
)

// testServedFiles: what the daemon served comes back by path, to the
// nanosecond; saving replaces the saved paths only, and forgetting keeps
// exactly the paths named.
func testServedFiles(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	check := func(step string, want map[string]store.ServedFile) {
		t.Helper()
		got, err := s.ServedFiles(ctx)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: served files %v, want %v", step, got, want)
		}
		for p, w := range want {
			g, ok := got[p]
			if !ok || g.Sum != w.Sum || !g.Modified.Equal(w.Modified) {
				t.Errorf("%s: %s = %+v (present %v), want %+v", step, p, g, ok, w)
			}
		}
	}
	check("empty", map[string]store.ServedFile{})
	atom := store.ServedFile{Sum: "aa01", Modified: at(1)}
	index := store.ServedFile{Sum: "bb02", Modified: at(2).Add(123456789).In(time.FixedZone("", 8*3600))}
	if err := s.SaveServedFiles(ctx, map[string]store.ServedFile{"feeds/news.atom": atom, "index.html": index}); err != nil {
		t.Fatal(err)
	}
	check("saved", map[string]store.ServedFile{"feeds/news.atom": atom, "index.html": index})
	newer := store.ServedFile{Sum: "bb03", Modified: at(3)}
	if err := s.SaveServedFiles(ctx, map[string]store.ServedFile{"index.html": newer}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveServedFiles(ctx, nil); err != nil {
		t.Fatal(err)
	}
	check("one replaced", map[string]store.ServedFile{"feeds/news.atom": atom, "index.html": newer})
	if err := s.ForgetServedExcept(ctx, []string{"index.html", "feeds/gone.atom"}); err != nil {
		t.Fatal(err)
	}
	check("forgotten", map[string]store.ServedFile{"index.html": newer})
	if err := s.ForgetServedExcept(ctx, nil); err != nil {
		t.Fatal(err)
	}
	check("all forgotten", map[string]store.ServedFile{})
}
