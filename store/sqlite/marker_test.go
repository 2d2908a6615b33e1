package sqlite

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/article"
)

// totalChanges is the count of rows the writer's one connection has
// written since it opened.
func totalChanges(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(t.Context(), `SELECT total_changes()`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSaveMarkerWrites checks what storetest cannot see: a save of a
// marker article writes its row only when the stored content is
// another, and then that row alone.
func TestSaveMarkerWrites(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "feedsmith.db"))
	ctx := t.Context()
	a := testArticle("a", "news", "go")
	a.Content = article.Deferred{Path: "/posts/a.md", Digest: "d"}.String()
	a.Hash = article.ContentHash(&a)
	plain := testArticle("b", "news")
	if _, err := s.Save(ctx, "src", []article.Article{a, plain}, now); err != nil {
		t.Fatal(err)
	}
	moved := a
	moved.Content = article.Deferred{Path: "/posts/moved/a.md", Digest: "d"}.String()
	saveWrites := func(name string, a article.Article, want int) {
		t.Helper()
		before := totalChanges(t, s.write)
		res, err := s.Save(ctx, "src", []article.Article{a, plain}, now.Add(1))
		if err != nil {
			t.Fatal(err)
		}
		if res.Unchanged != 2 || len(res.Changed) > 0 {
			t.Errorf("%s: save result %+v, want 2 unchanged", name, res)
		}
		if got := totalChanges(t, s.write) - before; got != want {
			t.Errorf("%s: save wrote %d rows, want %d", name, got, want)
		}
	}
	saveWrites("over the same marker", a, 0)
	saveWrites("moved", moved, 1)
	saveWrites("over the moved marker", moved, 0)
	saveWrites("moved back", a, 1)
}

// TestMarkersPlan checks that the stored markers are looked up by key,
// not by a scan of the source's articles.
func TestMarkersPlan(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "feedsmith.db"))
	if _, err := s.Save(t.Context(), "src", batch(0, 200), now); err != nil {
		t.Fatal(err)
	}
	plan := queryPlan(t, s, markersQuery, "src", `["a1","a2"]`, "\x00", "\x01")
	if !strings.Contains(plan, "(source_id=? AND id=?)") || strings.Contains(plan, "SCAN a") {
		t.Errorf("markers are not read by key:\n%s", plan)
	}
}
