package jekyll_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestKilledWriteTemps leaves the temporary files a write killed
// between CreateTemp and Rename leaves (named as publish.WriteFile
// names them) in the posts and archive folders: the next run removes
// them, and nothing else.
func TestKilledWriteTemps(t *testing.T) {
	root := t.TempDir()
	dir, archive := filepath.Join(root, "_posts"), filepath.Join(root, "old")
	now := time.Date(2022, 2, 20, 12, 0, 0, 0, time.UTC)
	w := newWriter(dir, 0, archive, now)
	write(t, w, exampleArticle())
	if err := os.Mkdir(archive, 0o755); err != nil {
		t.Fatal(err)
	}
	killed := func(dir, post string) {
		f, err := os.CreateTemp(dir, "."+post+".tmp-*") // as publish.WriteFile does
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("---\ntitle: half")
		f.Close()
	}
	killed(dir, "2022-02-14-NW202202141234567890.md")
	killed(dir, "2022-02-15-other.md")
	killed(archive, "2022-01-02-by-hand.HTML")
	others := []string{
		".2022-02-14-x.md.tmp-abc", ".2022-02-14-x.md.tmp-", ".2022-02-14-x.md.tmp-1.bak",
		"2022-02-14-x.md.tmp-1", ".notes.txt.tmp-1", ".x.md.tmp-1", ".2022-02-14-x.txt.tmp-1",
		"notes.txt", ".gitkeep",
	}
	for _, d := range []string{dir, archive} {
		for _, n := range others {
			if err := os.WriteFile(filepath.Join(d, n), []byte("keep"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Mkdir(filepath.Join(d, ".2022-02-14-folder.md.tmp-1"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	target := filepath.Join(root, "target")
	if err := os.WriteFile(target, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, ".2022-02-14-link.md.tmp-2")); err != nil {
		t.Fatal(err)
	}

	write(t, w, exampleArticle())

	wantDir := append([]string{".2022-02-14-folder.md.tmp-1", ".2022-02-14-link.md.tmp-2"}, others...)
	wantDir = append(wantDir, "2022-02-14-NW202202141234567890.md")
	slices.Sort(wantDir)
	if got := names(t, dir); !slices.Equal(got, wantDir) {
		t.Errorf("posts folder = %q, want %q", got, wantDir)
	}
	wantArchive := append([]string{".2022-02-14-folder.md.tmp-1"}, others...)
	slices.Sort(wantArchive)
	if got := names(t, archive); !slices.Equal(got, wantArchive) {
		t.Errorf("archive folder = %q, want %q", got, wantArchive)
	}
	if data, err := os.ReadFile(target); err != nil || string(data) != "keep" {
		t.Errorf("symlink target: %q, %v", data, err)
	}
}
