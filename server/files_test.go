package server

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/publish"
)

// TestFiles: Files gives back every file served, patched ones included,
// sorted, each with its bytes, content type and max-age: the daemon
// writes a failing output whole from it, the bucket with its headers.
func TestFiles(t *testing.T) {
	s := New(Options{Now: func() time.Time { return start }})
	s.Update(sampleTree())
	tech := publish.File{Path: "feeds/tech.atom", ContentType: atomType, Body: feedBody("Tech"), MaxAge: 2 * time.Hour}
	s.Patch([]publish.File{tech})
	want := append(sampleTree(), tech)
	slices.SortFunc(want, func(a, b publish.File) int { return strings.Compare(a.Path, b.Path) })
	got := s.Files()
	if len(got) != len(want) {
		t.Fatalf("Files: %d files, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Path != w.Path || g.ContentType != w.ContentType || g.MaxAge != w.MaxAge || !bytes.Equal(g.Body, w.Body) || g.Disk != nil {
			t.Errorf("Files()[%d] = %s %q %v (%d bytes), want %s %q %v (%d bytes)", i, g.Path, g.ContentType, g.MaxAge, len(g.Body), w.Path, w.ContentType, w.MaxAge, len(w.Body))
		}
	}
}
