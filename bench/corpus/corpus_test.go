package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/corpus"
	"github.com/feedsmith/feedsmith/sources"
)

func generate(t *testing.T, seed uint64, first, count int, dir string) {
	t.Helper()
	g, err := corpus.New(seed, 50, corpus.DefaultEnd)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.WriteRange(dir, first, count); err != nil {
		t.Fatal(err)
	}
}

// readDir returns the files of dir by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := make(map[string][]byte, len(entries))
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = data
	}
	return files
}

func TestCorpusDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	generate(t, 1, 0, 100, a)
	generate(t, 1, 0, 100, b)
	generate(t, 2, 0, 100, c)
	fa, fb, fc := readDir(t, a), readDir(t, b), readDir(t, c)
	if len(fa) != 100 {
		t.Fatalf("wrote %d files, want 100", len(fa))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two runs with seed 1", name)
		}
		if n := len(data); n < 2500 || n > 4000 {
			t.Errorf("%s is %d bytes, want about 3 KB", name, n)
		}
	}
	same := 0
	for name, data := range fc {
		if bytes.Equal(data, fa[name]) {
			same++
		}
	}
	if same != 0 {
		t.Errorf("%d posts are the same with seeds 1 and 2", same)
	}
}

func TestCorpusAdd(t *testing.T) {
	dir := t.TempDir()
	generate(t, 1, 0, 100, dir)
	before := readDir(t, dir)
	generate(t, 1, 100, 1, dir)
	after := readDir(t, dir)
	if len(after) != 101 {
		t.Fatalf("%d files after adding one, want 101", len(after))
	}
	for name, data := range before {
		if !bytes.Equal(data, after[name]) {
			t.Errorf("%s changed when a post was added", name)
		}
	}
}

func TestCorpusReadsAsPosts(t *testing.T) {
	dir := t.TempDir()
	generate(t, 1, 0, 100, dir)
	s, err := sources.New(config.Source{ID: "c", Type: "posts", Path: dir, SiteURL: "https://x.org/"},
		sources.Env{Location: time.UTC, Site: config.Site{BaseURL: "https://x.org/"}})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := s.Collect(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(batch.Skipped) != 0 {
		t.Errorf("skipped: %v", batch.Skipped)
	}
	if len(batch.Articles) != 100 {
		t.Fatalf("read %d articles, want 100", len(batch.Articles))
	}
	cats := map[string]bool{}
	for _, a := range batch.Articles {
		if len(a.Categories) != 1 || len(a.Tags) == 0 || a.Title == "" {
			t.Errorf("%s: categories %q, tags %q, title %q", a.Link, a.Categories, a.Tags, a.Title)
		}
		if _, off := a.Published.Zone(); off != 8*3600 {
			t.Errorf("%s: published %v, want +08:00", a.Link, a.Published)
		}
		if a.Published.After(corpus.DefaultEnd) || a.Published.Before(corpus.DefaultEnd.AddDate(-1, 0, -1)) {
			t.Errorf("%s: published %v, outside the year before %v", a.Link, a.Published, corpus.DefaultEnd)
		}
		cats[a.Categories[0]] = true
	}
	if len(cats) < 20 {
		t.Errorf("100 posts fell in only %d categories", len(cats))
	}
}

func TestRunErrors(t *testing.T) {
	for name, err := range map[string]error{
		"no out":      run("", 1, 1, 1, 0, "2026-01-01"),
		"bad end":     run(t.TempDir(), 1, 1, 1, 0, "yesterday"),
		"no category": run(t.TempDir(), 1, 0, 1, 0, "2026-01-01"),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestRunAddIsNewest checks that a post added with -add is dated after
// every other: a new post shows in its category's feed.
func TestRunAddIsNewest(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir, 50, 3, 1, 0, "2026-01-01"); err != nil {
		t.Fatal(err)
	}
	if err := run(dir, 50, 3, 1, 1, "2026-01-01"); err != nil {
		t.Fatal(err)
	}
	names := slices.Sorted(maps.Keys(readDir(t, dir)))
	if last := names[len(names)-1]; len(names) != 51 || !strings.HasPrefix(last, "2026-01-01-post-00050-") {
		t.Errorf("%d posts, the newest %q; want 51, post 50 dated 2026-01-01", len(names), last)
	}
}
