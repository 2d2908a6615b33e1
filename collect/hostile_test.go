package collect

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/feedsmith/feedsmith/publish"
	"github.com/feedsmith/feedsmith/sources"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

const (
	hostileTimeout = 2 * time.Second
	hostileMaxBody = 1 << 20
	// maxHeapGrowth bounds the heap a hostile run may leave behind, and
	// maxHeapPeak what it may use while it runs (1 GiB bombs included).
	maxHeapGrowth = 64 << 20
	maxHeapPeak   = 256 << 20
)

type hostileCase struct {
	name string
	kind string // source type: feed (default), json or html
	path string
	tls  bool
	// want lists substrings of which the error must contain one; none
	// means the source must succeed (or degrade) instead.
	want []string
	// within bounds the run (default twice the source timeout).
	within  time.Duration
	maxBody config.ByteSize
	maxPeak int64 // default maxHeapPeak
	// judgeErr leaves Result.Err to check, which accepts some failures.
	judgeErr bool
	check    func(t *testing.T, c *Collector, src config.Source, res Result, arts []article.Article)
}

var hostileCases = []hostileCase{
	{name: "slow", path: "/slow", want: []string{"Timeout", "deadline"}},
	{name: "stall", path: "/stall", want: []string{"Timeout", "deadline"}},
	{name: "endless", path: "/endless", want: []string{"body exceeds 1 MiB limit"}},
	{name: "gzip-bomb", path: "/bomb", want: []string{"body exceeds 1 MiB limit"}},
	{name: "huge-length", path: "/huge", want: []string{"body exceeds 1 MiB limit"}, within: time.Second},
	{name: "bad-xml", path: "/bad.xml", check: checkBadXML},
	{name: "bad-json", kind: "json", path: "/bad.json", want: []string{"not valid JSON"}},
	{name: "bad-html", kind: "html", path: "/bad.html", check: checkBadHTML},
	{name: "invalid-utf8", path: "/badutf8.xml", want: []string{"not valid UTF-8"}},
	{name: "unknown-charset", path: "/bogus.xml", want: []string{"unknown charset"}},
	{name: "mislabeled-charset", path: "/mislabel.xml", check: checkMislabel},
	{name: "many-items", path: "/many.xml", maxBody: 32 << 20, within: 2 * deadline(config.Source{Timeout: config.Duration(hostileTimeout)}),
		maxPeak: 512 << 20, judgeErr: true, check: checkMany},
	{name: "duplicate-guids", path: "/dupes.xml", check: checkDupes},
	{name: "dates", path: "/dates.xml", check: checkDates},
	{name: "status-500", path: "/500", want: []string{"500 Internal Server Error"}},
	{name: "status-429", path: "/429", want: []string{"429 Too Many Requests (retry after 2m0s)"}, check: check429},
	{name: "redirect-loop", path: "/loop", want: []string{"stopped after 5 redirects"}},
	{name: "redirect-ftp", path: "/ftp", want: []string{"not http(s)"}},
	{name: "tls-self-signed", path: "/good.rss", tls: true, want: []string{"certificate"}},
	{name: "connection-reset", path: "/reset", want: []string{"connection reset", "EOF"}},
}

func TestHostileUpstream(t *testing.T) {
	ctx := context.Background()
	h := newHostileEnv(t)
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			src := h.source(tc.name, tc.kind)
			if r := h.c.Run(ctx, src); r.Err != nil || r.New != 1 {
				t.Fatalf("seed run: %+v", r)
			}
			src.URL = h.srv.URL + tc.path
			if tc.tls {
				src.URL = h.tls.URL + tc.path
			}
			if tc.maxBody > 0 {
				src.MaxBody = tc.maxBody
			}
			h.logs.Reset()
			before := heapInuse()
			peak := samplePeak()
			start := time.Now()
			res := h.c.Run(ctx, src)
			took := time.Since(start)
			top := peak()
			after := heapInuse()
			t.Logf("%s: %v in %v; heap %+.1f MiB retained, peak +%.1f MiB", tc.name, res.Err, took.Round(time.Millisecond),
				mib(int64(after)-int64(before)), mib(int64(top)-int64(before)))

			within := cmp.Or(tc.within, 2*hostileTimeout)
			if took > within {
				t.Errorf("run took %v, want under %v", took, within)
			}
			if grown := int64(after) - int64(before); grown > maxHeapGrowth {
				t.Errorf("heap grew by %.1f MiB, want under %.1f", mib(grown), mib(maxHeapGrowth))
			}
			if grown, limit := int64(top)-int64(before), cmp.Or(tc.maxPeak, maxHeapPeak); grown > limit {
				t.Errorf("heap peaked %.1f MiB above its start, want under %.1f", mib(grown), mib(limit))
			}
			switch {
			case len(tc.want) > 0 && res.Err == nil:
				t.Errorf("run succeeded, want an error containing one of %q: %+v", tc.want, res)
			case len(tc.want) > 0 && !containsAny(res.Err.Error(), tc.want):
				t.Errorf("error %q, want one containing one of %q", res.Err, tc.want)
			case len(tc.want) > 0 && !containsAny(h.logs.String(), tc.want):
				t.Errorf("the failure's reason was not logged: %s", h.logs.String())
			case len(tc.want) == 0 && res.Err != nil && !tc.judgeErr:
				t.Errorf("run failed, want it to succeed or degrade: %v", res.Err)
			}
			arts, err := h.st.Articles(ctx, tc.name, 10)
			if err != nil {
				t.Fatal(err)
			}
			if !hasTitle(arts, "seed "+tc.name) {
				t.Errorf("the seeded article is gone: %d articles", len(arts))
			}
			if tc.check != nil {
				tc.check(t, h.c, src, res, arts)
			}
		})
	}
	// Whatever upstream sent, every feed still renders.
	if _, err := publish.New(h.cfg, h.st, "test").Render(ctx); err != nil {
		t.Errorf("render after the hostile runs: %v", err)
	}
}

// TestHostileDoesNotBlockOthers runs a good source while a slow one
// hangs on its upstream: on another host it is not held up at all; on
// the same host it waits its turn (one request per host at a time) but
// no longer than the slow source's timeout.
func TestHostileDoesNotBlockOthers(t *testing.T) {
	ctx := context.Background()
	h := newHostileEnv(t)
	other := httptest.NewServer(hostileUpstream())
	t.Cleanup(other.Close)
	for _, tc := range []struct {
		name, host string
		within     time.Duration
	}{
		{"other host", other.URL, 500 * time.Millisecond},
		{"same host", h.srv.URL, hostileTimeout + time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slow := h.source("slow", "feed")
			slow.ID += "-" + strings.ReplaceAll(tc.name, " ", "-")
			slow.URL = h.srv.URL + "/slow"
			good := h.source("good", "feed")
			good.ID = slow.ID + "-neighbour"
			good.URL = tc.host + "/good.rss?id=" + good.ID
			var wg sync.WaitGroup
			wg.Go(func() {
				if r := h.c.Run(ctx, slow); r.Err == nil {
					t.Errorf("slow source succeeded: %+v", r)
				}
			})
			time.Sleep(100 * time.Millisecond) // the slow request is in flight
			start := time.Now()
			r := h.c.Run(ctx, good)
			took := time.Since(start)
			t.Logf("good source beside a slow one: %v", took.Round(time.Millisecond))
			if r.Err != nil || r.New != 1 {
				t.Errorf("good source: %+v", r)
			}
			if took > tc.within {
				t.Errorf("good source took %v, want under %v", took, tc.within)
			}
			wg.Wait()
		})
	}
}

// checkBadXML accepts what the lenient parser makes of broken nesting:
// a parse error, or a document with fewer items; never a panic.
func checkBadXML(t *testing.T, _ *Collector, _ config.Source, res Result, _ []article.Article) {
	t.Logf("malformed XML: %d new, err %v", res.New, res.Err)
}

// checkBadHTML wants the listing read as a browser would: items whose
// nesting broke are skipped with a reason, the others kept.
func checkBadHTML(t *testing.T, _ *Collector, _ config.Source, res Result, _ []article.Article) {
	if res.New < 1 || res.New+len(res.Skipped) != 3 {
		t.Errorf("malformed listing: %+v, want its 3 items kept or skipped with a reason", res)
	}
	t.Logf("malformed HTML: %d new, skipped %v", res.New, res.Skipped)
}

func checkMislabel(t *testing.T, _ *Collector, _ config.Source, res Result, arts []article.Article) {
	// A label that names a real charset cannot be told from the truth:
	// the text is decoded as labelled (mojibake), but stays valid UTF-8.
	if res.New != 1 {
		t.Errorf("mislabeled feed: %+v", res)
	}
	for _, a := range arts {
		if !utf8.ValidString(a.Title) || !utf8.ValidString(a.Content) {
			t.Errorf("stored text is not UTF-8: %q", a.Title)
		}
	}
}

// checkMany wants the first max_items of 100,000 items stored and the
// rest reported as one skip that counts them, the seed staying.
func checkMany(t *testing.T, _ *Collector, _ config.Source, res Result, _ []article.Article) {
	t.Logf("100,000 items: %d new, skipped %v, err %v", res.New, res.Skipped, res.Err)
	want := fmt.Sprintf("[%d items over max_items skipped (the first %d kept)]", 100_000-config.DefaultMaxItems, config.DefaultMaxItems)
	if res.Err != nil || res.New != config.DefaultMaxItems || fmt.Sprint(res.Skipped) != want {
		t.Errorf("100,000 items: %d new, skipped %v, err %v; want %d new and skipped %s", res.New, res.Skipped, res.Err, config.DefaultMaxItems, want)
	}
}

func checkDupes(t *testing.T, _ *Collector, _ config.Source, res Result, arts []article.Article) {
	if res.New != 1 {
		t.Errorf("three items with one guid gave %d new articles, want 1", res.New)
	}
	if len(arts) != 2 { // the seed and the first of the duplicates
		t.Errorf("stored %d articles, want 2", len(arts))
	}
}

func checkDates(t *testing.T, _ *Collector, _ config.Source, res Result, arts []article.Article) {
	if res.New != 2 {
		t.Fatalf("dated items: %+v", res)
	}
	for _, a := range arts {
		switch a.Title {
		case "y9999":
			if a.Published.Year() != time.Now().Year() {
				t.Errorf("year 9999 stored as %v, want clamped to now", a.Published)
			}
		case "y1":
			// Year 1 is no date: the article takes the time it was first seen.
			if a.Published.Year() != 1 && time.Since(a.Published) > time.Minute {
				t.Errorf("year 1 stored as %v, want year 1 or the time it was seen", a.Published)
			}
			t.Logf("year 1 is stored as %v", a.Published)
		}
	}
}

func check429(t *testing.T, c *Collector, src config.Source, res Result, _ []article.Article) {
	var se *sources.StatusError
	if !errors.As(res.Err, &se) || se.RetryAfter != 2*time.Minute {
		t.Errorf("error %#v, want a StatusError with a 2m Retry-After", res.Err)
	}
	if r := c.Run(context.Background(), src); r.Deferred.IsZero() || r.Err != nil {
		t.Errorf("run right after a 429: %+v, want it deferred", r)
	}
}

type hostileEnv struct {
	srv, tls *httptest.Server
	st       *sqlite.Store
	cfg      *config.Config
	c        *Collector
	logs     *testutil.SyncBuffer
}

func newHostileEnv(t *testing.T) *hostileEnv {
	h := &hostileEnv{srv: httptest.NewServer(hostileUpstream()), tls: httptest.NewTLSServer(hostileUpstream()), logs: &testutil.SyncBuffer{}}
	t.Cleanup(h.srv.Close)
	t.Cleanup(h.tls.Close)
	st := openStore(t)
	h.st = st
	h.cfg = &config.Config{Site: config.Site{BaseURL: "https://feeds.example.org/", Timezone: "UTC"}}
	for _, tc := range hostileCases {
		h.cfg.Categories = append(h.cfg.Categories, config.Category{ID: tc.name, Title: tc.name})
	}
	h.c = New(h.cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(h.logs, nil)), time.Now)
	return h
}

// source returns a source of kind reading its good document: its id and
// its category are both id.
func (h *hostileEnv) source(id, kind string) config.Source {
	kind = cmp.Or(kind, "feed")
	ext := map[string]string{"feed": "rss", "json": "json", "html": "html"}[kind]
	return config.Source{
		ID: id, Type: kind, URL: h.srv.URL + "/good." + ext + "?id=" + id,
		Category: config.CategorySpec{ID: id},
		Timeout:  config.Duration(hostileTimeout), MaxBody: hostileMaxBody,
		Items:  "items",
		Fields: config.Fields{ID: "id", Title: "title", Link: "url"},
		Select: config.Select{Item: "div.item", Title: "a", Link: "a @href"},
	}
}

func heapInuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// samplePeak samples HeapInuse until the returned function is called,
// which returns the highest figure seen.
func samplePeak() func() uint64 {
	var peak uint64
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return peak
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func hasTitle(arts []article.Article, title string) bool {
	for _, a := range arts {
		if a.Title == title {
			return true
		}
	}
	return false
}
