package daemon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
)

// TestSoak serves every feed to concurrent readers while the sources
// refresh every second against a changing upstream, and one source's
// upstream never answers. Every response must
// be a 2xx or 304, complete, and match its ETag; goroutines must not
// grow. It runs for FEEDSMITH_SOAK (default 3s; scripts/soak runs it
// for minutes) and reports requests, p99 latency and heap figures.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	length := 3 * time.Second
	if v := os.Getenv("FEEDSMITH_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatal(err)
		}
		length = d
	}
	var version atomic.Int64
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hang" { // a hostile upstream: never answers
			<-r.Context().Done()
			return
		}
		n := version.Add(1)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>https://news.example.org/</link><description>d</description>`)
		for i := range 20 {
			fmt.Fprintf(w, `<item><guid isPermaLink="false">g%d</guid><title>第%d条 v%d</title><link>https://news.example.org/%d.html</link><pubDate>Mon, 14 Feb 2022 08:%02d:00 +0800</pubDate><description>正文 %d，版本 %d</description></item>`, i, i, n/5, i, i, i, n/5)
		}
		io.WriteString(w, `</channel></rss>`)
	}))
	defer upstream.Close()
	addr := testutil.FreeAddr(t)
	cfg := &config.Config{
		Site:       config.Site{Title: "t", BaseURL: "http://" + addr + "/", Language: "zh-CN", Timezone: "UTC"},
		Store:      config.Store{Path: filepath.Join(t.TempDir(), "db.sqlite")},
		Output:     config.Output{Items: 50, All: &config.AllFeed{ID: "all", Title: "all"}},
		Server:     config.Server{Listen: addr, ShutdownTimeout: config.Duration(5 * time.Second)},
		Defaults:   config.Defaults{PerHost: 2},
		Categories: []config.Category{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}},
	}
	for _, id := range []string{"a", "b"} {
		cfg.Sources = append(cfg.Sources, config.Source{ID: id, Type: "feed", URL: upstream.URL + "/" + id, Category: config.CategorySpec{ID: id},
			Schedule: "@every 1s", Timeout: config.Duration(5 * time.Second), MaxBody: 1 << 20})
	}
	// One source hangs on every fetch: the others keep their schedule
	// and the server keeps answering.
	cfg.Sources = append(cfg.Sources, config.Source{ID: "hang", Type: "feed", URL: upstream.URL + "/hang", Category: config.CategorySpec{ID: "a"},
		Schedule: "@every 1s", Timeout: config.Duration(time.Second), MaxBody: 1 << 20})
	ctx, cancel := context.WithCancel(context.Background())
	d, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	goroutinesBefore := runtime.NumGoroutine()
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx, func() { close(ready) }) }()
	<-ready

	paths := []string{"/", "/feeds.opml"}
	for _, c := range []string{"a", "b", "all"} {
		for _, ext := range []string{"atom", "rss", "json"} {
			paths = append(paths, "/feeds/"+c+"."+ext)
		}
	}
	var mu sync.Mutex
	var latencies []time.Duration
	var requests, notModified, failures atomic.Int64
	var heapPeak uint64
	end := time.Now().Add(length)
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16, DisableCompression: true}}
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			etags := map[string]string{}
			var mine []time.Duration
			for i := 0; time.Now().Before(end); i++ {
				p := paths[(i+w)%len(paths)]
				req, _ := http.NewRequest("GET", "http://"+addr+p, nil)
				if tag := etags[p]; tag != "" && i%3 == 0 {
					req.Header.Set("If-None-Match", tag)
				}
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					t.Errorf("GET %s: %v", p, err)
					failures.Add(1)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(start))
				requests.Add(1)
				switch {
				case err != nil:
					t.Errorf("GET %s: body: %v", p, err)
					failures.Add(1)
				case resp.StatusCode == http.StatusNotModified:
					notModified.Add(1)
				case resp.StatusCode != http.StatusOK:
					t.Errorf("GET %s: %s", p, resp.Status)
					failures.Add(1)
				default:
					sum := sha256.Sum256(body)
					if want := `"` + hex.EncodeToString(sum[:16]) + `"`; resp.Header.Get("ETag") != want || int64(len(body)) != resp.ContentLength {
						t.Errorf("GET %s: ETag %s does not match the body (%s), or it is incomplete", p, resp.Header.Get("ETag"), want)
						failures.Add(1)
					}
					if strings.HasPrefix(p, "/feeds/") && !strings.Contains(string(body), "</feed>") && !strings.Contains(string(body), "</rss>") && !strings.HasSuffix(strings.TrimSpace(string(body)), "}") {
						t.Errorf("GET %s: incomplete document", p)
					}
					etags[p] = resp.Header.Get("ETag")
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	go func() {
		var ms runtime.MemStats
		for time.Now().Before(end) {
			runtime.ReadMemStats(&ms)
			mu.Lock()
			heapPeak = max(heapPeak, ms.HeapInuse)
			mu.Unlock()
			time.Sleep(100 * time.Millisecond)
		}
	}()
	wg.Wait()
	client.CloseIdleConnections()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if failures.Load() > 0 {
		t.Fatalf("%d failed requests of %d", failures.Load(), requests.Load())
	}
	slices.Sort(latencies)
	p99 := latencies[len(latencies)*99/100]
	// Goroutines settle once the server and scheduler are gone.
	var after int
	for range 50 {
		if after = runtime.NumGoroutine(); after <= goroutinesBefore+2 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if after > goroutinesBefore+2 {
		t.Errorf("goroutines: %d before, %d after", goroutinesBefore, after)
	}
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%s: %d requests (%d × 304), %.0f req/s, p99 %v, upstream fetched %d times, heap peak %d MiB, goroutines %d → %d",
		length, requests.Load(), notModified.Load(), float64(requests.Load())/length.Seconds(), p99, version.Load(), heapPeak>>20, goroutinesBefore, after)
	if version.Load() < 2 {
		t.Errorf("sources did not refresh during the run (%d fetches)", version.Load())
	}
}
