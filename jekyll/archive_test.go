package jekyll_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/jekyll"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var ns []string
	for _, e := range entries {
		ns = append(ns, e.Name())
	}
	return ns
}

func TestKeep(t *testing.T) {
	now := time.Date(2022, 2, 20, 12, 0, 0, 0, time.UTC) // cutoff: 2022-02-17 12:00 UTC
	at := func(id string, p time.Time) article.Article {
		a := exampleArticle()
		a.ID, a.Published = id, p
		return a
	}
	old := at("old", time.Date(2022, 2, 14, 8, 0, 0, 0, cst))
	// 2022-02-17 19:59 +08:00 is 11:59 UTC, a minute before the cutoff;
	// 2022-02-17 07:01 -05:00 is 12:01 UTC, a minute after it.
	justOld := at("just-old", time.Date(2022, 2, 17, 19, 59, 0, 0, cst))
	justNew := at("just-new", time.Date(2022, 2, 17, 7, 1, 0, 0, time.FixedZone("", -5*3600)))
	fresh := at("fresh", time.Date(2022, 2, 19, 8, 0, 0, 0, cst))
	arts := []article.Article{old, justOld, justNew, fresh}

	tests := []struct {
		name, archive string // archive "" deletes
	}{
		{"archive", "old_post"},
		{"delete", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "_posts")
			archive := ""
			if tt.archive != "" {
				archive = filepath.Join(root, tt.archive)
			}
			// Written a week ago, when all were new.
			if st := write(t, newWriter(dir, 72*time.Hour, archive, now.AddDate(0, 0, -7)), arts...); st.Written != 4 {
				t.Fatalf("first write: %+v", st)
			}
			// A post of someone else's with no front matter date, one
			// that is not a post, and a folder are judged by name or left.
			for name, data := range map[string]string{
				"2022-02-16-by-hand.md":   "---\ntitle: by hand\n---\nhi\n",
				"2022-02-17-by-hand.html": "---\ntitle: today\n---\nhi\n", // its whole day is not yet old
				"notes.txt":               "not a post",
			} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Mkdir(filepath.Join(dir, "2022-01-01-folder.md"), 0o755); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(filepath.Join(dir, "2022-02-14-old.md"))

			ancient := at("ancient", time.Date(2022, 2, 1, 8, 0, 0, 0, cst)) // never written: too old
			st := write(t, newWriter(dir, 72*time.Hour, archive, now), append(arts, ancient)...)

			if want := (jekyll.Stats{Unchanged: 2, Archived: 3}); st != want {
				t.Errorf("stats = %+v, want %+v", st, want)
			}
			wantDir := []string{"2022-01-01-folder.md", "2022-02-17-by-hand.html", "2022-02-17-just-new.md", "2022-02-19-fresh.md", "notes.txt"}
			if got := names(t, dir); !slices.Equal(got, wantDir) {
				t.Errorf("posts = %q, want %q", got, wantDir)
			}
			if archive == "" {
				if got := names(t, root); !slices.Equal(got, []string{"_posts"}) {
					t.Errorf("root = %q: old posts not deleted", got)
				}
				return
			}
			wantArchive := []string{"2022-02-14-old.md", "2022-02-16-by-hand.md", "2022-02-17-just-old.md"}
			if got := names(t, archive); !slices.Equal(got, wantArchive) {
				t.Errorf("archive = %q, want %q", got, wantArchive)
			}
			if after, _ := os.ReadFile(filepath.Join(archive, "2022-02-14-old.md")); string(after) != string(before) {
				t.Errorf("archived post changed:\n%s", after)
			}
			// The next run finds nothing more to do.
			if st := write(t, newWriter(dir, 72*time.Hour, archive, now), arts...); st != (jekyll.Stats{Unchanged: 2}) {
				t.Errorf("second run: %+v", st)
			}
		})
	}
}
