package collect

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// newsAPI is a json list of r1 and r2 with a detail endpoint.
func newsAPI(fail map[string]int) *flakyDetails {
	return &flakyDetails{details: map[string]int{}, fail: fail, listType: "application/json",
		list:   `{"items":[{"id":"r1","title":"第一条","url":"/n/r1","text":"列表一"},{"id":"r2","title":"第二条","url":"/n/r2","text":"列表二"}]}`,
		detail: func(id string) string { return fmt.Sprintf(`{"text":"<p>%s 的全文</p>"}`, id) }}
}

func newsAPISource(base string) config.Source {
	return config.Source{ID: "api", Type: "json", URL: base + "/list", Items: "items",
		Category: config.CategorySpec{ID: "news"}, Timeout: config.Duration(5 * time.Second),
		Fields: config.Fields{ID: "id", Title: "title", Link: "url", Content: "text"},
		Detail: &config.Detail{URL: base + "/detail/{{.id}}", Content: "text"}}
}

// apiCollector serves up on loopback and returns a collector on a fresh
// store, for a configuration with the categories ids (none: "news"), and
// the news API source reading up; both are closed when the test ends.
func apiCollector(t *testing.T, up *flakyDetails, ids ...string) (*Collector, *sqlite.Store, config.Source) {
	t.Helper()
	srv := httptest.NewServer(up)
	t.Cleanup(srv.Close)
	if len(ids) == 0 {
		ids = []string{"news"}
	}
	cfg := &config.Config{Site: config.Site{BaseURL: "https://feeds.example.org/"}}
	for _, id := range ids {
		cfg.Categories = append(cfg.Categories, config.Category{ID: id})
	}
	st := openStore(t)
	c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	t.Cleanup(c.Close)
	return c, st, newsAPISource(srv.URL)
}

// TestPendingDetailGivenUp: a detail that keeps failing while the list
// answers 304 is given up, logged once, and never requested again; the
// item keeps its listing data. A 404 is given up on its first retry, a
// 500 after maxPendingAttempts fetches, one failing for longer than
// maxPendingAge on the first retry after that. On the code before, the
// failing detail was requested on every run.
func TestPendingDetailGivenUp(t *testing.T) {
	tests := []struct {
		name     string
		code     int
		step     time.Duration // between runs
		runs     int
		requests int    // of the failing detail, over all runs
		why      string // the reason given
	}{
		{name: "404", code: 404, step: time.Hour, runs: 6, requests: 2, why: "404"},
		{name: "410", code: 410, step: time.Hour, runs: 4, requests: 2, why: "410"},
		{name: "500 five times", code: 500, step: time.Hour, runs: 8, requests: maxPendingAttempts, why: "5 attempts"},
		{name: "503 for over a week", code: 503, step: 4 * 24 * time.Hour, runs: 6, requests: 3, why: "failing since"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			up := newsAPI(map[string]int{"r2": tt.code})
			srv := httptest.NewServer(up)
			defer srv.Close()
			st := openStore(t)
			var logs testutil.SyncBuffer
			now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
			cfg := &config.Config{Site: config.Site{BaseURL: "https://feeds.example.org/"}, Categories: []config.Category{{ID: "news"}}}
			c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(&logs, nil)), func() time.Time { return now })
			defer c.Close()
			src := newsAPISource(srv.URL)
			var givenUp []string
			for run := 1; run <= tt.runs; run++ {
				r := c.Run(ctx, src)
				if r.Err != nil {
					t.Fatalf("run %d: %v", run, r.Err)
				}
				if run > 1 && !r.NotModified {
					t.Fatalf("run %d: the list was not answered 304", run)
				}
				givenUp = append(givenUp, r.Pending.GivenUp...)
				now = now.Add(tt.step)
			}
			if n := up.details["r2"]; n != tt.requests {
				t.Errorf("the failing detail was requested %d times over %d runs, want %d", n, tt.runs, tt.requests)
			}
			if up.details["r1"] != 1 {
				t.Errorf("the good detail was requested %d times, want once", up.details["r1"])
			}
			if len(givenUp) != 1 || !strings.HasPrefix(givenUp[0], tt.why) {
				t.Errorf("given up: %q, want once for %q", givenUp, tt.why)
			}
			if n := strings.Count(logs.String(), "pending detail given up after"); n != 1 {
				t.Errorf("%d give-up warnings, want 1:\n%s", n, logs.String())
			}
			want := fmt.Sprintf("pending detail given up after %d attempts", tt.requests)
			if !strings.Contains(logs.String(), want) || !strings.Contains(logs.String(), srv.URL+"/detail/r2") {
				t.Errorf("the warning lacks %q or the URL:\n%s", want, logs.String())
			}
			if p, err := st.PendingDetails(ctx, "api"); err != nil || len(p) != 0 {
				t.Errorf("pending after giving up: %+v, %v; want none", p, err)
			}
			arts, err := st.Articles(ctx, "news", 0)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(arts, func(a article.Article) bool {
				return a.Title == "第二条" && strings.Contains(a.Content, "列表二")
			}) {
				t.Errorf("r2 lost its listing data: %+v", arts)
			}
		})
	}
}

// TestPendingDetailAttemptsCarried: a detail that fails again on a run
// whose listing changed keeps its count, so a listing that changes does
// not restart it: the sixth run's keeps the count the 304 runs left.
func TestPendingDetailAttemptsCarried(t *testing.T) {
	ctx := context.Background()
	up := newsAPI(map[string]int{"r2": 500})
	c, st, src := apiCollector(t, up)
	for run := 1; run <= 3; run++ {
		if r := c.Run(ctx, src); r.Err != nil {
			t.Fatalf("run %d: %v", run, r.Err)
		}
	}
	up.mu.Lock()
	up.etag = `"v2"` // the listing changes: r3 is new
	up.list = strings.Replace(up.list, `]}`, `,{"id":"r3","title":"第三条","url":"/n/r3"}]}`, 1)
	up.mu.Unlock()
	if r := c.Run(ctx, src); r.Err != nil || r.NotModified {
		t.Fatalf("run 4: %+v; want the changed listing", r)
	}
	p, err := st.PendingDetails(ctx, "api")
	if err != nil || len(p) != 1 || p[0].Attempts != 4 || p[0].FirstFailed.IsZero() {
		t.Fatalf("pending after a changed listing: %+v, %v; want r2 at 4 attempts", p, err)
	}
	r := c.Run(ctx, src)
	if r.Err != nil || len(r.Pending.GivenUp) != 1 {
		t.Errorf("run 5: %+v; want r2 given up at its fifth attempt", r)
	}
}

// TestPendingClearedWithoutDetail: a source whose detail step was removed
// from the configuration clears the details it left pending, whether its
// listing answers 304 or changed, and requests no detail. On the code
// before, they stayed in the store. (A configuration change fetches the
// listing without validators, so the 304 comes only from a store that
// recorded no fingerprint, one of an earlier version: as here.)
func TestPendingClearedWithoutDetail(t *testing.T) {
	for _, changed := range []bool{false, true} {
		t.Run(fmt.Sprintf("listing changed %v", changed), func(t *testing.T) {
			ctx := context.Background()
			up := newsAPI(map[string]int{"r2": 500})
			c, st, src := apiCollector(t, up)
			if r := c.Run(ctx, src); r.Err != nil {
				t.Fatal(r.Err)
			}
			if p, err := st.PendingDetails(ctx, "api"); err != nil || len(p) != 1 {
				t.Fatalf("pending after run 1: %+v, %v; want r2", p, err)
			}
			if changed {
				up.mu.Lock()
				up.etag = `"v2"`
				up.mu.Unlock()
			} else if err := st.SaveFileStamps(ctx, "api", "", nil); err != nil {
				t.Fatal(err)
			}
			src.Detail = nil
			r := c.Run(ctx, src)
			if r.Err != nil || r.NotModified == changed {
				t.Fatalf("run 2: %+v; want NotModified %v", r, !changed)
			}
			if p, err := st.PendingDetails(ctx, "api"); err != nil || len(p) != 0 {
				t.Errorf("pending without a detail step: %+v, %v; want none", p, err)
			}
			if up.details["r2"] != 1 {
				t.Errorf("r2's detail requested %d times, want once (run 1)", up.details["r2"])
			}
		})
	}
}

// TestConfigChangeFetchesAgain: after the configuration of a source
// changes (here its category is renamed), its listing is fetched without
// validators, so an upstream that would answer 304 sends it again and
// the stored articles are filed as the new configuration says; the run
// after that is conditional again. On the code before, the 304 left the
// renamed category empty until the upstream changed.
func TestConfigChangeFetchesAgain(t *testing.T) {
	ctx := context.Background()
	c, st, src := apiCollector(t, newsAPI(nil), "news", "local")
	if r := c.Run(ctx, src); r.Err != nil || r.New == 0 {
		t.Fatalf("run 1: %+v", r)
	}
	if r := c.Run(ctx, src); r.Err != nil || !r.NotModified {
		t.Fatalf("run 2, same configuration: %+v; want NotModified", r)
	}
	src.Category = config.CategorySpec{ID: "local"}
	r := c.Run(ctx, src)
	if r.Err != nil || r.NotModified {
		t.Fatalf("run 3, category renamed: %+v; want the listing fetched again", r)
	}
	arts, err := st.Articles(ctx, "local", 10)
	if err != nil || len(arts) == 0 {
		t.Errorf("category local after the rename: %d articles, %v; want the source's", len(arts), err)
	}
	if r := c.Run(ctx, src); r.Err != nil || !r.NotModified {
		t.Errorf("run 4, same configuration again: %+v; want NotModified", r)
	}
}
