package publish

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// testStore opens a new, empty store, closed when t ends.
func testStore(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestRemoveGone builds an output folder with feedsmith's feeds and
// files of others beside them, removes a category from the
// configuration, and checks that exactly the feeds feedsmith wrote for it
// go: not a file edited since, not a link, nothing outside the folder,
// nothing for an id that is not one.
func TestRemoveGone(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	var arts []article.Article
	for i, cat := range []string{"news", "old", "gone"} {
		a := article.Article{ID: cat, Title: "标题 " + cat, Link: "https://example.org/" + cat,
			Published: time.Date(2022, 2, 14, 8, i, 0, 0, time.UTC), Categories: []string{cat}, Content: "<p>x</p>"}
		a.Hash = article.ContentHash(&a)
		arts = append(arts, a)
	}
	if _, err := st.Save(ctx, "a", arts, time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.Categories = []config.Category{{ID: "news", Title: "News"}, {ID: "old", Title: "Old"}, {ID: "gone", Title: "Gone"}, {ID: "linked", Title: "Linked"}}
	root := t.TempDir()
	dir := filepath.Join(root, "public")
	w := NewTreeWriter(dir)
	record, err := New(cfg, st, "test").RenderStale(ctx, st, dir, w, false)
	if err != nil || w.Err() != nil {
		t.Fatal(err, w.Err())
	}
	if err := record(ctx); err != nil {
		t.Fatal(err)
	}
	feeds := filepath.Join(dir, "feeds")
	outside := filepath.Join(root, "outside.rss")
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(outside, "not feedsmith's")
	write(filepath.Join(feeds, "mine.atom"), "an operator's own feed")
	// The operator edited one feed of "old" and replaced one of "linked"
	// by a link to a file outside the folder.
	later := time.Now().Add(time.Hour)
	write(filepath.Join(feeds, "old.json"), `{"edited": true}`)
	os.Chtimes(filepath.Join(feeds, "old.json"), later, later)
	if err := os.Remove(filepath.Join(feeds, "linked.rss")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(feeds, "linked.rss")); err != nil {
		t.Fatal(err)
	}
	// A hostile record: an id that climbs out of the folder.
	abs, _ := filepath.Abs(dir)
	if err := st.SetRendered(ctx, abs, map[string]store.Rendered{"../../outside": {Stamp: "x - - -"}}); err != nil {
		t.Fatal(err)
	}

	cfg.Categories = cfg.Categories[:1] // old, gone and linked removed
	p := New(cfg, st, "test")
	done, err := p.RemoveGone(ctx, st, dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Removal{}
	for _, r := range done {
		got[r.Category] = r
	}
	if r := got["gone"]; !slices.Equal(r.Removed, []string{"feeds/gone.atom", "feeds/gone.rss", "feeds/gone.json", "category/gone.html"}) || len(r.Kept) != 0 {
		t.Errorf("gone: %+v", r)
	}
	if r := got["old"]; !slices.Equal(r.Removed, []string{"feeds/old.atom", "feeds/old.rss", "category/old.html"}) ||
		!slices.Equal(r.Kept, []Kept{{"feeds/old.json", "changed since feedsmith wrote it"}}) {
		t.Errorf("old: %+v", r)
	}
	if r := got["../../outside"]; len(r.Removed) != 0 || len(r.Kept) != 1 || r.Kept[0].Path != "" || !strings.Contains(r.Kept[0].Why, "not a category id") {
		t.Errorf("the hostile id: %+v", r)
	}
	if r := got["linked"]; !slices.Equal(r.Removed, []string{"feeds/linked.atom", "feeds/linked.json", "category/linked.html"}) ||
		!slices.Equal(r.Kept, []Kept{{"feeds/linked.rss", "not a regular file"}}) {
		t.Errorf("linked: %+v", r)
	}
	var left []string
	entries, _ := os.ReadDir(feeds)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := []string{"all.atom", "all.json", "all.rss", "linked.rss", "mine.atom", "news.atom", "news.json", "news.rss", "old.json"}
	if !slices.Equal(left, want) {
		t.Errorf("feeds/ holds %q, want %q", left, want)
	}
	if b, err := os.ReadFile(outside); err != nil || string(b) != "not feedsmith's" {
		t.Errorf("the file outside the folder: %q %v", b, err)
	}
	// The removed categories' records are gone, the hostile one too, and
	// nothing else is removed.
	r, err := st.Rendered(ctx, abs)
	if err != nil {
		t.Fatal(err)
	}
	var recorded []string
	for id := range r {
		recorded = append(recorded, id)
	}
	slices.Sort(recorded)
	if want := []string{"all", "category/news.html", "news"}; !slices.Equal(recorded, want) {
		t.Errorf("records %q, want %q", recorded, want)
	}
	if done, _ := p.RemoveGone(ctx, st, dir); len(done) != 0 {
		t.Errorf("a second RemoveGone did %+v", done)
	}
}

// TestRemoveGoneLinkedFolder: a feeds folder that is a link out of the
// output folder is not followed.
func TestRemoveGoneLinkedFolder(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	root := t.TempDir()
	dir, elsewhere := filepath.Join(root, "public"), filepath.Join(root, "elsewhere")
	if err := os.MkdirAll(filepath.Join(elsewhere), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(elsewhere, "old.atom")
	if err := os.WriteFile(victim, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(dir, "feeds")); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(victim)
	abs, _ := filepath.Abs(dir)
	if err := st.SetRendered(ctx, abs, map[string]store.Rendered{"old": {Stamp: "cfg " + fileStamp(fi) + " - -"}}); err != nil {
		t.Fatal(err)
	}
	done, err := New(testConfig(), st, "test").RemoveGone(ctx, st, dir)
	if err != nil || len(done) != 1 || len(done[0].Removed) != 0 || len(done[0].Kept) != len(Formats) ||
		!strings.Contains(done[0].Kept[0].Why, "escapes") {
		t.Errorf("RemoveGone = %+v, %v; want every file kept", done, err)
	}
	if _, err := os.Stat(victim); err != nil {
		t.Errorf("a file outside the output folder was removed: %v", err)
	}
}

// TestRecordWritten: what a writer by changed categories records lets
// RemoveGone remove those feeds later, and a build render them again.
func TestRecordWritten(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	dir := t.TempDir()
	p := New(testConfig(), st, "test")
	tree, err := p.Render(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteTree(dir, tree); err != nil {
		t.Fatal(err)
	}
	if err := RecordWritten(ctx, st, dir, tree); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.Categories = cfg.Categories[:1] // "empty" removed
	done, err := New(cfg, st, "test").RemoveGone(ctx, st, dir)
	if err != nil || len(done) != 1 || done[0].Category != "empty" || len(done[0].Removed) != 4 {
		t.Fatalf("RemoveGone = %+v, %v", done, err)
	}
	w := NewTreeWriter(dir)
	if _, err := New(cfg, st, "test").RenderStale(ctx, st, dir, w, false); err != nil {
		t.Fatal(err)
	}
	if w.Stats.Written+w.Stats.Unchanged != 2*len(Formats)+5 || w.Stats.Kept != 1 {
		t.Errorf("a build after RecordWritten: %+v; want the feeds of news and all rendered again, news's page kept (recorded), and the 5 lists", w.Stats)
	}
}
