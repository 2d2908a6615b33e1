package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
)

// etagFeed is an upstream RSS feed whose items can change, answering 304
// to the ETag of what it serves.
type etagFeed struct {
	mu          sync.Mutex
	items       []string
	notModified int
}

func (u *etagFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	defer u.mu.Unlock()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>up</title><link>https://news.example.org/</link><description>d</description>`)
	for i, title := range u.items {
		fmt.Fprintf(&b, `<item><guid isPermaLink="false">g%d</guid><title>%s</title><link>https://news.example.org/%d.html</link><pubDate>Mon, 14 Feb 2022 08:%02d:00 +0800</pubDate><description>正文 %d</description></item>`, i, title, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	etag := fmt.Sprintf(`"%d"`, len(u.items))
	if r.Header.Get("If-None-Match") == etag {
		u.notModified++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	io.WriteString(w, b.String())
}

func (u *etagFeed) add(title string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.items = append(u.items, title)
}

func (u *etagFeed) notModifiedCount() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.notModified
}

// faultDaemon is a daemon whose output folder and Jekyll folder can be
// broken and mended, with its HTTP handler served on loopback.
type faultDaemon struct {
	d        *Daemon
	up       *etagFeed
	web      string // base URL of the daemon's handler
	out, jkl string // output.dir, outputs.jekyll.dir
	logs     *testutil.SyncBuffer
}

// newFaultDaemon starts the daemon; each of with may change its
// configuration first.
func newFaultDaemon(t *testing.T, with ...func(*config.Config)) *faultDaemon {
	t.Helper()
	f := &faultDaemon{up: &etagFeed{items: []string{"第一篇"}}, logs: &testutil.SyncBuffer{}}
	upstream := httptest.NewServer(f.up)
	t.Cleanup(upstream.Close)
	dir := t.TempDir()
	// The folder's name has markup in it: the index page must show it as
	// text.
	f.out, f.jkl = filepath.Join(dir, "pub<b>lic"), filepath.Join(dir, "site", "_posts")
	cfg := &config.Config{
		Site:       config.Site{Title: "t", BaseURL: "https://feeds.example.org/", Language: "zh-CN", Timezone: "UTC"},
		Store:      config.Store{Path: filepath.Join(dir, "db.sqlite")},
		Output:     config.Output{Dir: f.out, Items: 50},
		Outputs:    config.Outputs{Jekyll: &config.Jekyll{Dir: f.jkl}},
		Server:     config.Server{Listen: "127.0.0.1:0", ShutdownTimeout: config.Duration(5 * time.Second)},
		Categories: []config.Category{{ID: "news", Title: "News"}},
		Sources: []config.Source{{ID: "up", Type: "feed", URL: upstream.URL, Category: config.CategorySpec{ID: "news"},
			Schedule: "@every 1h", Timeout: config.Duration(5 * time.Second), MaxBody: 1 << 20}},
	}
	for _, w := range with {
		w(cfg)
	}
	d, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(f.logs, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.store.Close() })
	d.faults.first = 20 * time.Millisecond // for the tests of the retry loop
	f.d = d
	web := httptest.NewServer(d.srv.Handler())
	t.Cleanup(web.Close)
	f.web = web.URL
	if err := d.publish(context.Background(), nil, false); err != nil {
		t.Fatal(err)
	}
	d.rendered.Store(true)
	return f
}

// run collects the source once, as the scheduler would.
func (f *faultDaemon) run() { f.d.runSource(context.Background(), "up") }

// get returns the status and body the daemon's handler answers for path.
func (f *faultDaemon) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(f.web + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// sample returns one series' value from /metrics, -1 when absent.
func (f *faultDaemon) sample(t *testing.T, series string) float64 {
	t.Helper()
	_, body := f.get(t, "/metrics")
	for line := range strings.Lines(body) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), series+" "); ok {
			var x float64
			fmt.Sscan(v, &x)
			return x
		}
	}
	return -1
}

// onDisk returns a file of the output folder, "" when it cannot be read.
func (f *faultDaemon) onDisk(rel string) string {
	b, err := os.ReadFile(filepath.Join(f.out, filepath.FromSlash(rel)))
	if err != nil {
		return ""
	}
	return string(b)
}

// posts counts the Jekyll posts on disk, -1 when the folder is unreadable.
func (f *faultDaemon) posts() int {
	entries, err := os.ReadDir(f.jkl)
	if err != nil {
		return -1
	}
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			n++
		}
	}
	return n
}

// breakFolder puts a regular file where a folder was, the way a full or
// broken disk refuses writes but portable and effective for root too
// (permission bits are not): every write under it fails with "not a
// directory".
func breakFolder(t *testing.T, dir string) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mendFolder(t *testing.T, dir string) {
	t.Helper()
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
}

// checkServedOnDisk wants the output folder to hold exactly what is served.
func (f *faultDaemon) checkServedOnDisk(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		_, served := f.get(t, "/"+p)
		if disk := f.onDisk(p); disk != testutil.ServedOnDisk(p, served) {
			t.Errorf("%s on disk (%d bytes) is not what is served (%d bytes)", p, len(disk), len(served))
		}
	}
}

const (
	dirErrors  = `feedsmith_output_write_errors_total{output="dir"}`
	dirFailing = `feedsmith_output_write_failing{output="dir"}`
	jklErrors  = `feedsmith_output_write_errors_total{output="jekyll"}`
	jklFailing = `feedsmith_output_write_failing{output="jekyll"}`
)

// TestOutputFaultRetried breaks the output and Jekyll folders while new
// articles arrive: the daemon serves them, and until the disk has them
// /readyz says why, the index page shows it and /metrics counts it. Once
// the folders are mended, the next run rewrites them although upstream
// answers 304 and nothing is new.
func TestOutputFaultRetried(t *testing.T) {
	f := newFaultDaemon(t)
	f.run()
	if code, body := f.get(t, "/readyz"); code != 200 {
		t.Fatalf("readyz after a good run: %d %s", code, body)
	}
	f.checkServedOnDisk(t, "feeds/news.atom", "index.html", "status.html")
	if f.posts() != 1 || f.sample(t, dirFailing) != 0 || f.sample(t, dirErrors) != 0 {
		t.Fatalf("after a good run: %d posts, dir failing %v, errors %v", f.posts(), f.sample(t, dirFailing), f.sample(t, dirErrors))
	}

	breakFolder(t, filepath.Join(f.out, "feeds"))
	breakFolder(t, f.jkl)
	f.up.add("第二篇")
	f.run()
	t.Run("while the write fails", func(t *testing.T) {
		code, body := f.get(t, "/readyz")
		if code != 503 || !strings.Contains(body, "output dir: write ") || !strings.Contains(body, "not a directory") ||
			!strings.Contains(body, "output jekyll: ") {
			t.Errorf("readyz: %d %q, want 503 naming both outputs and the error", code, body)
		}
		_, index := f.get(t, "/status.html")
		if !strings.Contains(index, `class="notice"`) || !strings.Contains(index, "pub&lt;b&gt;lic could not be written") ||
			!strings.Contains(index, "The Jekyll posts folder") {
			t.Errorf("status page has no notice of both folders:\n%s", index)
		}
		if strings.Contains(index, "pub<b>lic") {
			t.Error("the folder's name is not escaped on the status page")
		}
		if f.sample(t, dirErrors) != 1 || f.sample(t, dirFailing) != 1 || f.sample(t, jklErrors) != 1 || f.sample(t, jklFailing) != 1 {
			t.Errorf("metrics: dir errors %v failing %v, jekyll errors %v failing %v; want 1 each",
				f.sample(t, dirErrors), f.sample(t, dirFailing), f.sample(t, jklErrors), f.sample(t, jklFailing))
		}
		if f.sample(t, `feedsmith_output_last_error_timestamp_seconds{output="dir"}`) <= 0 {
			t.Error("no last error time")
		}
		// Served from memory: the new article; on disk: nothing.
		if _, feed := f.get(t, "/feeds/news.atom"); !strings.Contains(feed, "第二篇") {
			t.Error("the new article is not served")
		}
		if f.onDisk("feeds/news.atom") != "" {
			t.Error("the feed is on disk though its folder is broken")
		}
	})

	// A run that finds nothing new still writes again what failed.
	f.run()
	if f.sample(t, dirErrors) != 2 || f.sample(t, jklErrors) != 2 {
		t.Errorf("a 304 run while broken: dir errors %v, jekyll errors %v; want 2 (it was retried)", f.sample(t, dirErrors), f.sample(t, jklErrors))
	}
	mendFolder(t, filepath.Join(f.out, "feeds"))
	mendFolder(t, f.jkl)
	before := f.up.notModifiedCount()
	f.run()
	t.Run("after the folders are mended", func(t *testing.T) {
		if f.up.notModifiedCount() != before+1 {
			t.Fatalf("upstream answered 304 %d times, want once more than %d: the run must have found nothing new", f.up.notModifiedCount(), before)
		}
		f.checkServedOnDisk(t, "feeds/news.atom", "feeds/news.rss", "feeds/news.json", "feeds.opml", "index.html", "status.html", "category/news.html")
		if !strings.Contains(f.onDisk("feeds/news.atom"), "第二篇") {
			t.Error("the new article is not on disk")
		}
		if f.posts() != 2 {
			t.Errorf("%d Jekyll posts on disk, want 2", f.posts())
		}
		if code, body := f.get(t, "/readyz"); code != 200 {
			t.Errorf("readyz: %d %q, want 200", code, body)
		}
		if _, index := f.get(t, "/status.html"); strings.Contains(index, `class="notice"`) {
			t.Errorf("index page still has a notice:\n%s", index)
		}
		if strings.Contains(f.onDisk("index.html"), `class="notice"`) {
			t.Error("index.html on disk still has a notice")
		}
		if f.sample(t, dirFailing) != 0 || f.sample(t, jklFailing) != 0 || f.sample(t, dirErrors) != 2 {
			t.Errorf("metrics: dir failing %v, jekyll failing %v, dir errors %v; want 0, 0, 2",
				f.sample(t, dirFailing), f.sample(t, jklFailing), f.sample(t, dirErrors))
		}
	})
	if t.Failed() {
		t.Logf("daemon log:\n%s", f.logs.String())
	}
}

// TestOutputFaultRetriedWithoutRun mends the folder and runs no source:
// the retry loop writes it on its own.
func TestOutputFaultRetriedWithoutRun(t *testing.T) {
	f := newFaultDaemon(t)
	f.run()
	breakFolder(t, filepath.Join(f.out, "feeds"))
	f.up.add("第二篇")
	f.run()
	if code, _ := f.get(t, "/readyz"); code != 503 {
		t.Fatalf("readyz %d with a broken folder, want 503", code)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); f.d.retryOutputs(ctx) }()
	defer func() { cancel(); <-done }()
	// A few retries that fail, each counted (waited for, not timed: a
	// loaded machine may take longer than the retry interval).
	for end := time.Now().Add(10 * time.Second); f.sample(t, dirErrors) < 2 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := f.sample(t, dirErrors); n < 2 {
		t.Errorf("%v failed writes after 10 s of retries from 20 ms on, want them counted", n)
	}
	mendFolder(t, filepath.Join(f.out, "feeds"))
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if code, _ := f.get(t, "/readyz"); code == 200 {
			break
		}
	}
	if code, body := f.get(t, "/readyz"); code != 200 {
		t.Fatalf("readyz %d %q after the folder was mended, want 200", code, body)
	}
	// Ready as soon as the write succeeded; the status page without the
	// notice follows within the same publish.
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if _, status := f.get(t, "/status.html"); testutil.ServedOnDisk("status.html", status) == f.onDisk("status.html") && !strings.Contains(status, `class="notice"`) {
			break
		}
	}
	f.checkServedOnDisk(t, "feeds/news.atom", "index.html", "status.html")
	if !strings.Contains(f.onDisk("feeds/news.atom"), "第二篇") {
		t.Error("the retry did not write the new article")
	}
}

// TestRetryDelay: the retry loop's wait doubles from the first delay
// with each failed write in a row, to 30 minutes; a success resets it.
// The times are those given to record, due and wait: no clock runs.
func TestRetryDelay(t *testing.T) {
	var got []time.Duration
	for n := 1; n <= 8; n++ {
		got = append(got, retryDelay(time.Minute, n))
	}
	m := time.Minute
	if want := []time.Duration{m, 2 * m, 4 * m, 8 * m, 16 * m, 30 * m, 30 * m, 30 * m}; !slices.Equal(got, want) {
		t.Errorf("retryDelay(1m, 1…8) = %v, want %v", got, want)
	}
	if got := retryDelay(time.Hour, 3); got != time.Hour {
		t.Errorf("retryDelay(1h, 3) = %v, want the first delay, longer than the cap", got)
	}

	f := newFaults(time.Minute)
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if f.due(t0) || f.wait(t0) != time.Minute {
		t.Errorf("no fault: due %v, wait %v; want false, 1m", f.due(t0), f.wait(t0))
	}
	fail := errors.New("upload feeds/news.atom: 500 Internal Server Error")
	at := t0
	for i, want := range []time.Duration{m, 2 * m, 4 * m} {
		f.record(outputS3, "s3://feeds/site/", fail, at)
		next := at.Add(want)
		if f.due(next.Add(-time.Second)) || !f.due(next) {
			t.Errorf("failure %d at %v: due a second before %v %v, at it %v; want false, true", i+1, at, next, f.due(next.Add(-time.Second)), f.due(next))
		}
		if w := f.wait(at.Add(30 * time.Second)); w != min(want-30*time.Second, time.Minute) {
			t.Errorf("failure %d: wait 30 s later %v", i+1, w)
		}
		stamp := next.Format(time.RFC3339)
		if err := f.err(); err == nil || !strings.Contains(err.Error(), "(next retry at "+stamp+")") {
			t.Errorf("failure %d: readiness error %v, want the next retry %s", i+1, err, stamp)
		}
		if n := f.notices(); len(n) != 1 || !strings.Contains(n[0], "(next at "+stamp+")") {
			t.Errorf("failure %d: notices %q, want the next retry %s", i+1, n, stamp)
		}
		at = next
	}
	if w := f.wait(at.Add(time.Hour)); w != 0 {
		t.Errorf("wait long after the retry was due: %v, want 0", w)
	}
	f.record(outputS3, "s3://feeds/site/", nil, at)
	if f.due(at.Add(time.Hour)) || f.err() != nil {
		t.Error("still due or failing after a success")
	}
	f.record(outputS3, "s3://feeds/site/", fail, at)
	if f.due(at.Add(59*time.Second)) || !f.due(at.Add(time.Minute)) {
		t.Error("after a success, the next failure is not retried a minute later")
	}
}
