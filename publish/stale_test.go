package publish

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderStaleFailedWrite breaks the feeds folder of an output: the
// write fails, record saves nothing, and once the folder is mended the
// next RenderStale, with no article changed, writes every feed again.
func TestRenderStaleFailedWrite(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	p := New(testConfig(), st, "test")
	dir := t.TempDir()
	feeds := filepath.Join(dir, "feeds")
	if err := os.WriteFile(feeds, []byte("a file where the folder goes"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewTreeWriter(dir)
	record, err := p.RenderStale(ctx, st, dir, w, false)
	if err != nil {
		t.Fatal(err)
	}
	if w.Err() == nil {
		t.Fatal("writing under a file did not fail")
	}
	if err := record(ctx); err == nil || !strings.Contains(err.Error(), "not recording a failed write") {
		t.Errorf("record after a failed write: %v", err)
	}
	abs, _ := filepath.Abs(dir)
	if r, err := st.Rendered(ctx, abs); err != nil || len(r) != 0 {
		t.Errorf("recorded after a failed write: %v, %v", r, err)
	}

	if err := os.Remove(feeds); err != nil {
		t.Fatal(err)
	}
	w = NewTreeWriter(dir)
	record, err = p.RenderStale(ctx, st, dir, w, false)
	if err != nil || w.Err() != nil {
		t.Fatal(err, w.Err())
	}
	if err := record(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"news", "empty", "all"} {
		if _, err := os.Stat(filepath.Join(feeds, id+".atom")); err != nil {
			t.Errorf("%s not written once the folder is mended: %v", id, err)
		}
	}
	// Recorded now: a third run skips every category.
	w = NewTreeWriter(dir)
	if _, err := p.RenderStale(ctx, st, dir, w, false); err != nil || w.Stats.Written+w.Stats.Unchanged != 5 {
		t.Errorf("after a recorded write: %+v, %v; want only feeds.opml, index.html, status.html and the theme's 2 files", w.Stats, err)
	}
}
