package collect

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
)

// TestRunChunks collects a posts folder larger than one chunk: a
// duplicate id in a later chunk is left out as within one batch, every
// chunk is saved, and the next run reads only the file that changed.
func TestRunChunks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	n := 2*chunkSize + 10
	write := func(i int, body string) {
		id := fmt.Sprintf("post-%d", i)
		if i == n-1 {
			id = "post-0" // the same id as the first post
		}
		text := fmt.Sprintf("---\ntitle: 第 %d 篇\nid: %s\ncategories: [c%d]\n---\n%s\n", i, id, i%3, body)
		name := filepath.Join(dir, fmt.Sprintf("2025-01-01-p%04d.md", i))
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		write(i, "正文")
	}
	st := openStore(t)
	cfg := &config.Config{Site: config.Site{BaseURL: "https://feeds.example.org/", Timezone: "Asia/Shanghai"}}
	src := config.Source{ID: "blog", Type: "posts", Path: dir, Timeout: config.Duration(30 * time.Second)}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return now })

	r := c.Run(ctx, src)
	if r.Err != nil || r.New != n-1 || r.Updated != 0 || r.Unchanged != 0 || len(r.Skipped) != 0 {
		t.Fatalf("first run: new %d, updated %d, unchanged %d, skipped %v, err %v; want %d new", r.New, r.Updated, r.Unchanged, r.Skipped, r.Err, n-1)
	}
	if want := []string{"c0", "c1", "c2"}; fmt.Sprint(r.Changed) != fmt.Sprint(want) {
		t.Errorf("changed = %v, want %v", r.Changed, want)
	}
	all, err := st.Articles(ctx, "", 10*n)
	if err != nil || len(all) != n-1 {
		t.Fatalf("stored %d articles (%v), want %d", len(all), err, n-1)
	}

	write(7, "改过的正文")
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(dir, "2025-01-01-p0007.md"), later, later); err != nil {
		t.Fatal(err)
	}
	r = c.Run(ctx, src)
	// The duplicate's file is stamped too: it is left out again anyway.
	if r.Err != nil || r.New != 0 || r.Updated != 1 || r.Unchanged != n-1 {
		t.Fatalf("second run: new %d, updated %d, unchanged %d, err %v; want 0, 1, %d", r.New, r.Updated, r.Unchanged, r.Err, n-1)
	}
	if want := []string{"c1"}; fmt.Sprint(r.Changed) != fmt.Sprint(want) {
		t.Errorf("changed = %v, want %v", r.Changed, want)
	}
}

// TestRunSameBody checks that an upstream answering 200 with the bytes
// whose articles were saved last time counts as not modified, unless
// the source's configuration changed; other bytes are read.
func TestRunSameBody(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	body := rss(item("a", "海滨步道", "<p>one"), item("b", "开工", "<p>two"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, body) // no validators: every answer is a 200
	}))
	defer srv.Close()
	st := openStore(t)
	cfg := &config.Config{Site: config.Site{BaseURL: "https://feeds.example.org/"}, Categories: []config.Category{{ID: "news"}, {ID: "sea"}}}
	src := config.Source{ID: "up", Type: "feed", URL: srv.URL, Category: config.CategorySpec{ID: "news"}, Timeout: config.Duration(5 * time.Second)}
	now := time.Date(2022, 3, 1, 12, 0, 0, 0, time.UTC)
	c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return now })

	if r := c.Run(ctx, src); r.Err != nil || r.New != 2 || r.NotModified {
		t.Fatalf("first run: %+v", r)
	}
	if r := c.Run(ctx, src); r.Err != nil || !r.NotModified || !r.SameBody || r.New+r.Updated+r.Unchanged != 0 {
		t.Errorf("same bytes: %+v, want not modified", r)
	}
	src.Category.ID = "sea" // another configuration reads the same bytes again
	// news changes too: its feeds list each article's categories, sea now among them.
	if r := c.Run(ctx, src); r.Err != nil || r.NotModified || r.Unchanged != 2 || fmt.Sprint(r.Changed) != "[news sea]" {
		t.Errorf("other configuration: %+v, want 2 unchanged filed into sea, news and sea changed", r)
	}
	if r := c.Run(ctx, src); r.Err != nil || !r.NotModified {
		t.Errorf("same bytes again: %+v, want not modified", r)
	}
	mu.Lock()
	body = rss(item("a", "海滨步道", "<p>one, edited"), item("b", "开工", "<p>two"))
	mu.Unlock()
	if r := c.Run(ctx, src); r.Err != nil || r.NotModified || r.Updated != 1 || r.Unchanged != 1 {
		t.Errorf("other bytes: %+v, want 1 updated, 1 unchanged", r)
	}
	c.Full = true
	if r := c.Run(ctx, src); r.Err != nil || r.NotModified || r.Unchanged != 2 {
		t.Errorf("full: %+v, want the document read", r)
	}
}
