package publish

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWriteTree(t *testing.T) {
	dir := t.TempDir()
	tree := Tree{
		{Path: "feeds/news.atom", Body: []byte("<feed/>")},
		{Path: "index.html", Body: []byte("<!DOCTYPE html>")},
	}
	st, err := WriteTree(dir, tree)
	if err != nil || st.Written != 2 || st.Unchanged != 0 {
		t.Fatalf("first write: %+v, %v", st, err)
	}
	old := time.Now().Add(-time.Hour)
	name := filepath.Join(dir, "feeds", "news.atom")
	if err := os.Chtimes(name, old, old); err != nil {
		t.Fatal(err)
	}

	tree[1].Body = []byte("<!DOCTYPE html><p>changed")
	st, err = WriteTree(dir, tree)
	if err != nil || st.Written != 1 || st.Unchanged != 1 {
		t.Fatalf("second write: %+v, %v", st, err)
	}
	info, err := os.Stat(name)
	if err != nil || !info.ModTime().Equal(old) {
		t.Errorf("unchanged file was rewritten: mtime %v, want %v", info.ModTime(), old)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(got) != "<!DOCTYPE html><p>changed" {
		t.Errorf("changed file = %q", got)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "feeds"))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestWriteTreeRefusesUnsafePaths(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	for _, p := range []string{"../escape", "/etc/passwd", "feeds/../../x", "a\\b", "nul\x00byte", "", "feeds/./x", "./x"} {
		t.Run(p, func(t *testing.T) {
			st, err := WriteTree(dir, Tree{{Path: p, Body: []byte("x")}})
			if !errors.Is(err, ErrUnsafePath) || st.Written != 0 {
				t.Errorf("WriteTree(%q) = %+v, %v; want ErrUnsafePath", p, st, err)
			}
		})
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("files written outside the output folder: %v", entries)
	}
}

func TestWriteFileReplacesAtomically(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f.rss")
	if err := WriteFile(name, []byte("old")); err != nil {
		t.Fatal(err)
	}
	// Hold the old file open: a rename leaves the open file intact, so a
	// reader that started before the write still reads the old document.
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := WriteFile(name, []byte("new document")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, _ := f.Read(buf)
	if string(buf[:n]) != "old" {
		t.Errorf("open reader saw %q", buf[:n])
	}
	if got, _ := os.ReadFile(name); string(got) != "new document" {
		t.Errorf("file = %q", got)
	}
}

func TestWriteTreeRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	feeds := filepath.Join(dir, "feeds")
	if err := os.MkdirAll(feeds, 0o755); err != nil {
		t.Fatal(err)
	}
	stale := []string{".news.atom.tmp-123456", ".news.rss.tmp-9"}
	kept := []string{".other.atom.tmp-12", ".news.atom.tmp-abc", "notes.tmp-1", ".news.atom.tmp-"}
	for _, n := range append(append([]string{}, stale...), kept...) {
		if err := os.WriteFile(filepath.Join(feeds, n), []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tree := Tree{{Path: "feeds/news.atom", Body: []byte("<feed/>")}, {Path: "feeds/news.rss", Body: []byte("<rss/>")}}
	if _, err := WriteTree(dir, tree); err != nil {
		t.Fatal(err)
	}
	for _, n := range stale {
		if _, err := os.Stat(filepath.Join(feeds, n)); !os.IsNotExist(err) {
			t.Errorf("stale temp %s left: %v", n, err)
		}
	}
	for _, n := range kept {
		if _, err := os.Stat(filepath.Join(feeds, n)); err != nil {
			t.Errorf("%s, not a temp of this tree, was removed: %v", n, err)
		}
	}
}

func TestSameFile(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("海滨步道 feed bytes "), 20000) // several compare blocks
	name := filepath.Join(dir, "f")
	if err := os.WriteFile(name, big, 0o644); err != nil {
		t.Fatal(err)
	}
	other := bytes.Clone(big)
	other[len(other)-1] ^= 1
	for _, tt := range []struct {
		name string
		body []byte
		want bool
	}{
		{"same", big, true},
		{"last byte differs", other, false},
		{"shorter", big[:len(big)-1], false},
		{"empty", nil, false},
	} {
		if got := sameFile(name, tt.body); got != tt.want {
			t.Errorf("%s: sameFile = %v, want %v", tt.name, got, tt.want)
		}
	}
	if sameFile(filepath.Join(dir, "missing"), nil) {
		t.Error("a missing file is the same as nothing")
	}
}

// TestTreeWriterBatch writes many files in one Write, from two
// goroutines at once, one of them into a folder that a file is in the way
// of: every other file is written whole, the one error is kept, and no
// temporary file is left anywhere.
func TestTreeWriterBatch(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "blocked"), []byte("a file"), 0o644); err != nil {
		t.Fatal(err)
	}
	var a, b Tree
	for i := range 40 {
		f := File{Path: fmt.Sprintf("article/%02d.html", i), Body: bytes.Repeat([]byte{byte('a' + i%26)}, 1000+i)}
		if i%2 == 0 {
			a = append(a, f)
		} else {
			b = append(b, f)
		}
	}
	b = append(b, File{Path: "blocked/x.html", Body: []byte("x")})
	w := NewTreeWriter(dir)
	var wg sync.WaitGroup
	wg.Go(func() { w.Write(a...) })
	wg.Go(func() { w.Write(b...) })
	wg.Wait()
	if w.Stats.Written != 40 || w.Stats.Unchanged != 0 {
		t.Errorf("stats %+v, want 40 written", w.Stats)
	}
	if err := w.Err(); err == nil || !strings.Contains(err.Error(), "blocked") {
		t.Errorf("Err() = %v, want the blocked folder's error", err)
	}
	for _, f := range append(a, b[:len(b)-1]...) {
		if got, err := os.ReadFile(filepath.Join(dir, f.Path)); err != nil || !bytes.Equal(got, f.Body) {
			t.Errorf("%s: %d bytes, %v; want %d", f.Path, len(got), err, len(f.Body))
		}
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
	// Written again, nothing changed: nothing is.
	w = NewTreeWriter(dir)
	w.Write(a...)
	if w.Stats.Written != 0 || w.Stats.Unchanged != len(a) || w.Err() != nil {
		t.Errorf("again: %+v, %v", w.Stats, w.Err())
	}
}
