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
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// upstream serves one RSS document with an ETag and answers 304 when
// the client already has it.
type upstream struct {
	mu       sync.Mutex
	body     string
	requests int
	fail     bool
}

func (u *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.requests++
	if u.fail {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	etag := fmt.Sprintf(`"%x"`, len(u.body)*31+strings.Count(u.body, "e"))
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	io.WriteString(w, u.body)
}

func (u *upstream) set(body string, fail bool) {
	u.mu.Lock()
	u.body, u.fail = body, fail
	u.mu.Unlock()
}

func rss(items ...string) string {
	return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>https://news.example.org/</link><description>d</description>` +
		strings.Join(items, "") + `</channel></rss>`
}

func item(guid, title, body string) string {
	return fmt.Sprintf(`<item><guid isPermaLink="false">%s</guid><title>%s</title><link>/a/%s.html?utm_source=rss</link><description><![CDATA[%s]]></description><pubDate>Mon, 14 Feb 2022 08:47:41 +0800</pubDate><category>日照晚报</category></item>`, guid, title, guid, body)
}

func TestRun(t *testing.T) {
	ctx := context.Background()
	up := &upstream{}
	srv := httptest.NewServer(up)
	defer srv.Close()
	st := openStore(t)
	cfg := &config.Config{
		Site:       config.Site{BaseURL: "https://feeds.example.org/", Timezone: "Asia/Shanghai"},
		Categories: []config.Category{{ID: "news"}, {ID: "sea", Rules: []config.Rule{{Keywords: []string{"海"}}}}},
	}
	src := config.Source{ID: "up", Type: "feed", URL: srv.URL + "/feed.rss", Category: config.CategorySpec{ID: "news"}, Timeout: config.Duration(5 * time.Second)}
	now := time.Date(2022, 3, 1, 12, 0, 0, 0, time.UTC)
	c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return now })

	up.set(rss(item("a", "海滨步道", "<p>one<script>x</script>"), item("b", "开工", "<p>two"), item("a", "duplicate guid", "<p>dup")), false)
	r := c.Run(ctx, src)
	if r.Err != nil || r.New != 2 || r.Updated != 0 {
		t.Fatalf("first run: %+v", r)
	}
	// Feed item categories become tags; the rule on 海 files the first item into sea.
	if want := []string{"news", "sea"}; strings.Join(r.Changed, ",") != strings.Join(want, ",") {
		t.Errorf("changed categories = %v, want %v", r.Changed, want)
	}
	arts, err := st.Articles(ctx, "news", 10)
	if err != nil || len(arts) != 2 {
		t.Fatalf("stored %d articles, %v", len(arts), err)
	}
	for _, a := range arts {
		if strings.Contains(a.Content, "script") || !strings.HasPrefix(a.Link, "https://news.example.org/a/") || strings.Contains(a.Link, "utm_") {
			t.Errorf("article not normalized: %+v", a)
		}
		if a.Published.Format(time.RFC3339) != "2022-02-14T08:47:41+08:00" {
			t.Errorf("published = %v", a.Published)
		}
	}
	if sea, _ := st.Articles(ctx, "sea", 10); len(sea) != 1 || sea[0].Title != "海滨步道" || len(sea[0].Tags) != 1 || sea[0].Tags[0] != "日照晚报" {
		t.Errorf("sea = %+v", sea)
	}

	t.Run("unchanged upstream answers 304", func(t *testing.T) {
		r := c.Run(ctx, src)
		if r.Err != nil || !r.NotModified || r.New+r.Updated+r.Unchanged != 0 {
			t.Errorf("second run: %+v", r)
		}
	})
	t.Run("changed body is an update", func(t *testing.T) {
		up.set(rss(item("a", "海滨步道", "<p>one, corrected"), item("b", "开工", "<p>two")), false)
		r := c.Run(ctx, src)
		if r.Err != nil || r.New != 0 || r.Updated != 1 || r.Unchanged != 1 {
			t.Errorf("third run: %+v", r)
		}
	})
	t.Run("failure is recorded and keeps the articles", func(t *testing.T) {
		up.set("", true)
		now = now.Add(time.Hour)
		r := c.Run(ctx, src)
		if r.Err == nil || !strings.Contains(r.Err.Error(), "503") {
			t.Fatalf("failing run: %+v", r)
		}
		sts, err := st.SourceStatuses(ctx)
		if err != nil || len(sts) != 1 {
			t.Fatalf("statuses: %v %v", sts, err)
		}
		s := sts[0]
		if !strings.Contains(s.LastError, "503") || !s.LastAttempt.Equal(now) || s.LastSuccess.IsZero() || s.Articles != 2 {
			t.Errorf("status after failure: %+v", s)
		}
		if arts, _ := st.Articles(ctx, "news", 10); len(arts) != 2 {
			t.Errorf("articles lost after a failure: %d", len(arts))
		}
	})
	t.Run("missing local file names the path", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope.rss")
		r := c.Run(ctx, config.Source{ID: "local", Type: "feed", URL: missing})
		if r.Err == nil || !strings.Contains(r.Err.Error(), missing) {
			t.Errorf("missing file: %v", r.Err)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Error("file created")
		}
	})
}

func TestBackoff(t *testing.T) {
	ctx := context.Background()
	var requests int
	var mu sync.Mutex
	status := http.StatusTooManyRequests
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		requests++
		if status != http.StatusOK {
			w.Header().Set("Retry-After", "600")
			w.WriteHeader(status)
			return
		}
		io.WriteString(w, rss(item("a", "t", "<p>x")))
	}))
	defer srv.Close()
	st := openStore(t)
	cfg := &config.Config{Site: config.Site{BaseURL: "https://feeds.example.org/"},
		Defaults: config.Defaults{PerHost: 2, MaxBackoff: config.Duration(time.Hour)}}
	src := config.Source{ID: "up", Type: "feed", URL: srv.URL, Timeout: config.Duration(5 * time.Second)}
	now := time.Date(2022, 3, 1, 12, 0, 0, 0, time.UTC)
	c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return now })

	if r := c.Run(ctx, src); r.Err == nil || !strings.Contains(r.Err.Error(), "429") {
		t.Fatalf("first run: %+v", r)
	}
	now = now.Add(5 * time.Minute) // the next tick, inside the upstream's Retry-After
	r := c.Run(ctx, src)
	if !r.Deferred.Equal(time.Date(2022, 3, 1, 12, 10, 0, 0, time.UTC)) || r.Err != nil {
		t.Errorf("run during Retry-After: %+v, want deferred to 12:10", r)
	}
	mu.Lock()
	status = http.StatusOK
	if requests != 1 {
		t.Errorf("%d requests, want the deferred run to send none", requests)
	}
	mu.Unlock()
	now = now.Add(6 * time.Minute)
	if r := c.Run(ctx, src); r.Err != nil || r.New != 1 {
		t.Errorf("run after Retry-After: %+v", r)
	}
	// Success resets the backoff: a new failure waits the first step only.
	mu.Lock()
	status = http.StatusInternalServerError
	mu.Unlock()
	c.Run(ctx, src)
	// (Retry-After counts on 429 and 503 only.)
	if until := c.backoff.until("up"); !until.Equal(now.Add(firstBackoff)) {
		t.Errorf("backoff after a reset = %v", until.Sub(now))
	}
}

// openStore opens a new SQLite store in the test's temporary folder,
// closed when the test ends.
func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
