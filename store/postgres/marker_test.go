package postgres

import (
	"testing"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
)

// TestSaveMarkerWrites checks what storetest cannot see: a save of a
// marker article writes its row only when the stored content is
// another, and then that row alone. A row's xmin is the transaction
// that last wrote it.
func TestSaveMarkerWrites(t *testing.T) {
	s := openTest(t, pgtest.URL(t))
	ctx := t.Context()
	a := testArticle("a", "news", "go")
	a.Content = article.Deferred{Path: "/posts/a.md", Digest: "d"}.String()
	a.Hash = article.ContentHash(&a)
	plain := testArticle("b", "news")
	if _, err := s.Save(ctx, "src", []article.Article{a, plain}, now); err != nil {
		t.Fatal(err)
	}
	xmins := func() map[string]string {
		t.Helper()
		rows, err := s.pool.Query(ctx, `SELECT id, xmin::text FROM articles`)
		if err != nil {
			t.Fatal(err)
		}
		x := map[string]string{}
		for rows.Next() {
			var id, xmin string
			if err := rows.Scan(&id, &xmin); err != nil {
				t.Fatal(err)
			}
			x[id] = xmin
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return x
	}
	moved := a
	moved.Content = article.Deferred{Path: "/posts/moved/a.md", Digest: "d"}.String()
	saveWrites := func(name string, a article.Article, want ...string) {
		t.Helper()
		before := xmins()
		res, err := s.Save(ctx, "src", []article.Article{a, plain}, now.Add(1))
		if err != nil {
			t.Fatal(err)
		}
		if res.Unchanged != 2 || len(res.Changed) > 0 {
			t.Errorf("%s: save result %+v, want 2 unchanged", name, res)
		}
		after := xmins()
		var wrote []string
		for _, id := range []string{"a", "b"} {
			if after[id] != before[id] {
				wrote = append(wrote, id)
			}
		}
		if len(wrote) != len(want) || (len(want) > 0 && wrote[0] != want[0]) {
			t.Errorf("%s: save wrote %q, want %q", name, wrote, want)
		}
	}
	saveWrites("over the same marker", a)
	saveWrites("moved", moved, "a")
	saveWrites("over the moved marker", moved)
	saveWrites("moved back", a, "a")
}
