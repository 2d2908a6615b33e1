package collect

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// backlogAPI is a news API with n records whose details take delay each
// (or, with hold, never come), counting the detail requests per record.
type backlogAPI struct {
	n     int
	delay time.Duration
	hold  bool

	mu   sync.Mutex
	hits map[string]int
}

func (api *backlogAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/list" {
		var b strings.Builder
		b.WriteString(`{"items":[`)
		for i := range api.n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"r%d","title":"第%d条"}`, i, i)
		}
		b.WriteString(`]}`)
		io.WriteString(w, b.String())
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/detail/")
	api.mu.Lock()
	api.hits[id]++
	api.mu.Unlock()
	if api.hold {
		<-r.Context().Done()
		return
	}
	time.Sleep(api.delay)
	fmt.Fprintf(w, `{"text":"<p>%s 的全文</p>"}`, id)
}

// backlog returns a collector over a new store and a json source of api
// (served by a new loopback server) with the given timeout.
func backlog(t *testing.T, api *backlogAPI, timeout time.Duration) (*Collector, *sqlite.Store, config.Source) {
	api.hits = map[string]int{}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	st := openStore(t)
	cfg := &config.Config{Site: config.Site{BaseURL: "https://feeds.example.org/"}, Categories: []config.Category{{ID: "news"}},
		Defaults: config.Defaults{PerHost: 2}}
	src := config.Source{ID: "api", Type: "json", URL: srv.URL + "/list", Items: "items",
		Fields:   config.Fields{ID: "id", Title: "title"},
		Detail:   &config.Detail{URL: srv.URL + "/detail/{{.id}}", Content: "text"},
		Category: config.CategorySpec{ID: "news"}, Timeout: config.Duration(timeout)}
	src.MaxItems = api.n // the default would take the first 500 only
	c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	t.Cleanup(c.Close)
	return c, st, src
}

// fullTexts counts the records of api stored with their full text.
func fullTexts(t *testing.T, st *sqlite.Store, api *backlogAPI) int {
	return len(stored(t, st, api))
}

// stored returns the ids of the records of api stored with their full
// text.
func stored(t *testing.T, st *sqlite.Store, api *backlogAPI) map[string]bool {
	ids := map[string]bool{}
	for i := range api.n {
		content, ok, err := st.FullText(context.Background(), "api", fmt.Sprintf("r%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			if want := fmt.Sprintf("<p>r%d 的全文</p>", i); content != want {
				t.Fatalf("r%d: stored full text %q, want %q", i, content, want)
			}
			ids[fmt.Sprintf("r%d", i)] = true
		}
	}
	return ids
}

// snapshot copies the detail requests counted so far.
func (api *backlogAPI) snapshot() map[string]int {
	api.mu.Lock()
	defer api.mu.Unlock()
	return maps.Clone(api.hits)
}

// TestSaveAfterDeadline runs a source whose details never come: the
// detail fetches use up the run's time, and what the listing gave is
// saved all the same, within the run's deadline and the save's.
func TestSaveAfterDeadline(t *testing.T) {
	api := &backlogAPI{n: 200, hold: true}
	c, st, src := backlog(t, api, 100*time.Millisecond)
	start := time.Now()
	r := c.Run(context.Background(), src)
	took := time.Since(start)
	if r.Err != nil || r.New != api.n {
		t.Fatalf("run: %d new, err %v; want the %d records saved with their listing data", r.New, r.Err, api.n)
	}
	if n := fullTexts(t, st, api); n != 0 {
		t.Errorf("%d records stored with a full text that never came", n)
	}
	if limit := deadline(src) + saveTimeout(src); took > limit {
		t.Errorf("the run took %v, want under %v", took, limit)
	}
	t.Logf("details that never come: %d stored in %v (deadline %v)", r.New, took.Round(time.Millisecond), deadline(src))
}

// TestConvergence collects a backlog of records whose details cannot
// all be fetched within one run's deadline (timeout 300ms: a 3 s run, two
// detail requests at a time of 10 ms each; a run's time also covers
// listing and looking up the stored full texts, which take most of a
// second under -race on a busy machine). The first run stores every
// record and some full texts; each run fetches only what is missing, at
// the first run's rate or better; every record ends with its full text,
// no run requesting a detail that was already stored (one is requested
// again only when its request was in flight, or timed out, as a run's
// time ran out). FEEDSMITH_BACKLOG sets
// the number of records, with the timeout of 2s and details of
// 1 ms (the case is 50,000, which takes a few minutes); the
// default keeps the test to a few seconds.
func TestConvergence(t *testing.T) {
	n, timeout, delay := 1000, 300*time.Millisecond, 10*time.Millisecond
	if s := os.Getenv("FEEDSMITH_BACKLOG"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			t.Fatalf("FEEDSMITH_BACKLOG=%q: %v", s, err)
		}
		timeout, delay = 2*time.Second, time.Millisecond
	}
	api := &backlogAPI{n: n, delay: delay}
	c, st, src := backlog(t, api, timeout)
	// Each run must fetch at least half as many details as the first
	// (which also listed and stored every record): the bound follows
	// from the first run's rate, whatever this machine's speed.
	bound := 100
	start := time.Now()
	done, runs := 0, 0
	for done < n {
		runs++
		if runs > bound {
			t.Fatalf("not converged after %d runs: %d of %d full texts", bound, done, n)
		}
		rs := time.Now()
		had, before := stored(t, st, api), api.snapshot()
		r := c.Run(context.Background(), src)
		if r.Err != nil {
			t.Fatalf("run %d: %v", runs, r.Err)
		}
		for id, n := range api.snapshot() {
			if had[id] && n != before[id] {
				t.Fatalf("run %d requested the detail of %s again, although its full text was stored", runs, id)
			}
		}
		now := fullTexts(t, st, api)
		t.Logf("run %d: %d new, %d updated, %d unchanged in %v; %d full texts (+%d)",
			runs, r.New, r.Updated, r.Unchanged, time.Since(rs).Round(time.Millisecond), now, now-done)
		if runs == 1 {
			if r.New != n || now == 0 {
				t.Fatalf("first run: %d new, %d full texts; want all %d records stored, some with full text", r.New, now, n)
			}
			perRun := max(1, now/2)
			bound = 1 + (n-now+perRun-1)/perRun
		}
		if now <= done {
			t.Fatalf("run %d fetched no missing detail: %d full texts", runs, now)
		}
		done = now
	}
	most, total := 0, 0
	api.mu.Lock()
	for _, h := range api.hits {
		most = max(most, h)
		total += h
	}
	api.mu.Unlock()
	t.Logf("%d records converged in %d runs (bound %d) and %v; %d detail requests (%.3f per record), at most %d for one",
		n, runs, bound, time.Since(start).Round(time.Millisecond), total, float64(total)/float64(n), most)
	r := c.Run(context.Background(), src)
	if r.Err != nil || !r.NotModified {
		t.Errorf("a run after convergence: %+v, want the listing not modified", r)
	}
	if api.mu.Lock(); len(api.hits) != n || sum(api.hits) != total {
		t.Errorf("a run after convergence requested details again: %d requests, was %d", sum(api.hits), total)
	}
	api.mu.Unlock()
}

func sum(m map[string]int) int {
	s := 0
	for _, v := range m {
		s += v
	}
	return s
}
