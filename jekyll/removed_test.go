package jekyll_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/jekyll"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// TestRemovedSource removes a source from the configuration and puts it
// back: its posts leave the folder as old posts do (to the archive, or
// deleted), the other posts and files are left alone, and they come
// back, from the archive as they were.
func TestRemovedSource(t *testing.T) {
	now := time.Date(2022, 2, 20, 12, 0, 0, 0, time.UTC)
	at := func(id string, day int) article.Article {
		a := exampleArticle()
		a.ID, a.Link, a.Published = id, "https://example.org/"+id, time.Date(2022, 2, day, 8, 0, 0, 0, cst)
		a.Hash = article.ContentHash(&a)
		return a
	}
	for _, tt := range []struct{ name, archive string }{{"archive", "old_posts"}, {"delete", ""}} {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "_posts")
			archive := ""
			if tt.archive != "" {
				archive = filepath.Join(root, tt.archive)
			}
			st, err := sqlite.Open(t.Context(), filepath.Join(root, "db.sqlite"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			save := func(source string, arts ...article.Article) {
				t.Helper()
				if _, err := st.Save(t.Context(), source, arts, now); err != nil {
					t.Fatal(err)
				}
			}
			save("kept", at("NW1", 14), at("NW2", 15))
			other := at("NW1", 14) // the same id as kept's: its post has a hash
			other.Link += "?other"
			save("removed", at("NW3", 16), other)
			w := newWriter(dir, 0, archive, now)
			writeStored := func(want jekyll.Stats) {
				t.Helper()
				got, err := w.WriteStored(t.Context(), st)
				if err != nil || got != want {
					t.Errorf("WriteStored = %+v, %v; want %+v", got, err, want)
				}
			}
			writeStored(jekyll.Stats{Written: 4})
			all := names(t, dir)
			if len(all) != 4 {
				t.Fatalf("posts = %q", all)
			}
			hashed := slices.DeleteFunc(slices.Clone(all), func(n string) bool {
				return !(len(n) > len("2022-02-14-NW1.md") && n[:15] == "2022-02-14-NW1-")
			})
			if len(hashed) != 1 {
				t.Fatalf("no hashed name among %q", all)
			}
			byHand := filepath.Join(dir, "2022-02-16-by-hand.md")
			if err := os.WriteFile(byHand, []byte("---\ntitle: by hand\n---\nhi\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(filepath.Join(dir, "2022-02-16-NW3.md"))
			old := now.Add(-time.Hour)
			os.Chtimes(filepath.Join(dir, "2022-02-16-NW3.md"), old, old)

			if _, err := st.SetActiveSources(t.Context(), []string{"kept"}); err != nil {
				t.Fatal(err)
			}
			writeStored(jekyll.Stats{Unchanged: 2, Removed: 2})
			wantDir := []string{"2022-02-14-NW1.md", "2022-02-15-NW2.md", "2022-02-16-by-hand.md"}
			if got := names(t, dir); !slices.Equal(got, wantDir) {
				t.Errorf("posts = %q, want %q", got, wantDir)
			}
			if archive != "" {
				want := []string{hashed[0], "2022-02-16-NW3.md"}
				if got := names(t, archive); !slices.Equal(got, want) {
					t.Errorf("archive = %q, want %q", got, want)
				}
			} else if got := names(t, root); !slices.Equal(got, []string{"_posts", "db.sqlite", "db.sqlite-shm", "db.sqlite-wal"}) {
				t.Errorf("root = %q: removed posts not deleted", got)
			}
			writeStored(jekyll.Stats{Unchanged: 2}) // nothing more to do

			if _, err := st.SetActiveSources(t.Context(), []string{"kept", "removed"}); err != nil {
				t.Fatal(err)
			}
			if archive != "" {
				writeStored(jekyll.Stats{Unchanged: 4}) // moved back as they were
				if fi, err := os.Stat(filepath.Join(dir, "2022-02-16-NW3.md")); err != nil || !fi.ModTime().Equal(old) {
					t.Errorf("restored post: %v, %v; want its old mtime", fi, err)
				}
				if got := names(t, archive); len(got) != 0 {
					t.Errorf("archive keeps %q", got)
				}
			} else {
				writeStored(jekyll.Stats{Unchanged: 2, Written: 2})
			}
			if got := names(t, dir); len(got) != 5 {
				t.Errorf("posts = %q, want all four back and the hand-written one", got)
			}
			if after, _ := os.ReadFile(filepath.Join(dir, "2022-02-16-NW3.md")); string(after) != string(before) {
				t.Errorf("the post came back as\n%s\nwant\n%s", after, before)
			}
		})
	}
}

// TestStoredDeferred: an article stored with its text deferred (a posts
// source read while no output needed every text) is no post to write;
// the others are written.
func TestStoredDeferred(t *testing.T) {
	now := time.Date(2022, 2, 20, 12, 0, 0, 0, time.UTC)
	root := t.TempDir()
	st, err := sqlite.Open(t.Context(), filepath.Join(root, "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := exampleArticle()
	a.Hash = article.ContentHash(&a)
	d := exampleArticle()
	d.ID, d.Link = "NW2", "https://example.org/NW2"
	d.Content = article.Deferred{Path: "/posts/2022-02-14-NW2.md", Digest: "d"}.String()
	d.Hash = article.ContentHash(&d)
	if _, err := st.Save(t.Context(), "posts", []article.Article{a, d}, now); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "_posts")
	got, err := newWriter(dir, 0, "", now).WriteStored(t.Context(), st)
	if err != nil || got != (jekyll.Stats{Written: 1}) {
		t.Fatalf("WriteStored = %+v, %v; want 1 written", got, err)
	}
	for _, n := range names(t, dir) {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains([]string{"NW2"}, n) || article.IsDeferred(string(data)) || strings.Contains(string(data), article.DeferredMarker) {
			t.Errorf("%s holds a marker", n)
		}
	}
}
