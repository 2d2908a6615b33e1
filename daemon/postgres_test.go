package daemon

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
)

// TestPostgresStore runs the daemon on a PostgreSQL store (store.url, a
// schema of the FEEDSMITH_TEST_POSTGRES server; skipped without it): it
// collects and serves the feed, and a second daemon on the same schema
// serves it at once, before collecting, with the first one's
// Last-Modified.
func TestPostgresStore(t *testing.T) {
	url := pgtest.URL(t)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, slowFeed)
	}))
	defer upstream.Close()
	addr := testutil.FreeAddr(t)
	cfg := &config.Config{
		Site:       config.Site{Title: "t", BaseURL: "http://" + addr + "/", Language: "zh-CN", Timezone: "Asia/Shanghai"},
		Store:      config.Store{URL: url},
		Output:     config.Output{Items: 50, Dir: t.TempDir()},
		Server:     config.Server{Listen: addr, ShutdownTimeout: config.Duration(5 * time.Second)},
		Categories: []config.Category{{ID: "news", Title: "News"}},
		Sources: []config.Source{{ID: "up", Type: "feed", URL: upstream.URL, Category: config.CategorySpec{ID: "news"},
			Schedule: "@every 1h", Timeout: config.Duration(5 * time.Second), MaxBody: 1 << 20}},
	}
	feed := "http://" + addr + "/feeds/news.atom"
	var modified string
	for i, want := range []string{"collected", "served from the store at start"} {
		ctx, cancel := context.WithCancel(context.Background())
		d, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
		if err != nil {
			t.Fatal(err)
		}
		ready := make(chan struct{})
		done := make(chan error, 1)
		go func() { done <- d.Run(ctx, func() { close(ready) }) }()
		select {
		case <-ready:
		case err := <-done:
			t.Fatalf("Run ended before it was ready: %v", err)
		}
		var body, lm string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if body, lm = get(t, feed); strings.Contains(body, "开工") {
				break
			}
		}
		if !strings.Contains(body, "开工") {
			t.Errorf("%s: the feed lacks the article:\n%s", want, body)
		}
		if i == 0 {
			modified = lm
		} else if lm != modified {
			t.Errorf("%s: Last-Modified %q, want the first daemon's %q", want, lm, modified)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}
	}
}

// get returns the body and Last-Modified of url, "" when it does not
// answer 200.
func get(t *testing.T, url string) (body, lastModified string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return "", ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", ""
	}
	return string(b), resp.Header.Get("Last-Modified")
}
