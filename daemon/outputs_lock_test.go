package daemon

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
	"sync/atomic"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/cluster"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
)

// TestPublishHoldsOutputsLock: in a cluster, a publish waits for the
// cluster's lock of the shared outputs before it reads the store, so
// while another instance holds it (here the test) a run's change is
// saved but neither rendered nor written; once it is released, the
// publish renders the store as it is then and writes it. /readyz names
// the instance and /metrics has feedsmith_database_up.
func TestPublishHoldsOutputsLock(t *testing.T) {
	url := pgtest.URL(t)
	var items atomic.Int32
	items.Store(1)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>https://news.example.org/</link><description>d</description>`)
		for i := range int(items.Load()) {
			fmt.Fprintf(&b, `<item><guid isPermaLink="false">g%d</guid><title>第%d条</title><link>https://news.example.org/%d.html</link><pubDate>Mon, 14 Feb 2022 08:%02d:00 +0800</pubDate></item>`, i, i, i, i)
		}
		b.WriteString(`</channel></rss>`)
		io.WriteString(w, b.String())
	}))
	defer upstream.Close()
	addr := testutil.FreeAddr(t)
	out := t.TempDir()
	cfg := &config.Config{
		Site:       config.Site{Title: "t", BaseURL: "http://" + addr + "/", Language: "zh-CN", Timezone: "Asia/Shanghai"},
		Store:      config.Store{URL: url, Lease: config.Duration(2 * time.Second)},
		Output:     config.Output{Items: 50, Dir: out},
		Server:     config.Server{Listen: addr, ShutdownTimeout: config.Duration(5 * time.Second)},
		Categories: []config.Category{{ID: "news", Title: "News"}},
		Sources: []config.Source{{ID: "up", Type: "feed", URL: upstream.URL, Category: config.CategorySpec{ID: "news"},
			Schedule: "@every 1h", Timeout: config.Duration(5 * time.Second), MaxBody: 1 << 20}},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := New(ctx, cfg, logger, "test")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx, nil) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	file := filepath.Join(out, "feeds", "news.atom")
	onDisk := func() string { b, _ := os.ReadFile(file); return string(b) }
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("never: %s", what)
			}
		}
	}
	waitFor("the first run on disk", func() bool { return strings.Contains(onDisk(), "第0条") })
	waitFor("ready", func() bool { return d.ready() == nil })

	other, err := cluster.Open(ctx, url, "other", 2*time.Second, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.LockOutputs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	unlock := sync.OnceFunc(lock)
	defer unlock() // before other.Close, which waits for its connection
	items.Store(2)
	ran := make(chan struct{})
	go func() { defer close(ran); d.runSource(ctx, "up") }()
	// The run saves the new article, then its publish waits.
	waitFor("the new article stored", func() bool {
		seqs, err := d.store.Changes(ctx)
		return err == nil && seqs["news"] > 1
	})
	time.Sleep(500 * time.Millisecond) // what would have been written by now is not
	if strings.Contains(onDisk(), "第1条") {
		t.Fatal("the output was written while another instance held the outputs lock")
	}
	if body, _ := get(t, "http://"+addr+"/feeds/news.atom"); strings.Contains(body, "第1条") {
		t.Fatal("the feed was rendered while another instance held the outputs lock")
	}
	unlock()
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("the run's publish never ended after the lock was released")
	}
	if !strings.Contains(onDisk(), "第1条") {
		t.Error("the output lacks the new article after the lock was released")
	}
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "instance "+d.cluster.c.ID) {
		t.Errorf("/readyz does not name the instance:\n%s", body)
	}
	if b, _ := get(t, "http://"+addr+"/metrics"); !strings.Contains(b, "feedsmith_database_up 1") {
		t.Error("/metrics lacks feedsmith_database_up 1")
	}
}
