package daemon

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
)

const slowFeed = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>https://news.example.org/</link><description>d</description>
<item><guid isPermaLink="false">g1</guid><title>开工</title><link>https://news.example.org/1.html</link><pubDate>Mon, 14 Feb 2022 08:47:41 +0800</pubDate><description>正文</description></item></channel></rss>`

// TestGracefulShutdown stops the daemon while a collection and a request
// are in flight: both finish, the collected article is stored, and Run
// returns without error.
func TestGracefulShutdown(t *testing.T) {
	inFetch := make(chan struct{}, 1)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inFetch <- struct{}{}
		time.Sleep(300 * time.Millisecond) // still answering when shutdown starts
		io.WriteString(w, slowFeed)
	}))
	defer upstream.Close()
	addr := testutil.FreeAddr(t)
	dir := t.TempDir()
	cfg := &config.Config{
		Site:       config.Site{Title: "t", BaseURL: "http://" + addr + "/", Language: "zh-CN", Timezone: "Asia/Shanghai"},
		Store:      config.Store{Path: filepath.Join(dir, "db.sqlite")},
		Output:     config.Output{Items: 50},
		Server:     config.Server{Listen: addr, ShutdownTimeout: config.Duration(5 * time.Second)},
		Categories: []config.Category{{ID: "news", Title: "News"}},
		Sources: []config.Source{{ID: "slow", Type: "feed", URL: upstream.URL, Category: config.CategorySpec{ID: "news"},
			Schedule: "@every 1h", Timeout: config.Duration(5 * time.Second), MaxBody: 1 << 20}},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx, func() { close(ready) }) }()
	<-ready

	// A request whose headers are not complete yet when shutdown begins.
	// A first request on the same connection makes sure the server has
	// accepted it: shutdown closes the listener at once, and a connection
	// still in its backlog would be refused, rightly.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	reader := bufio.NewReader(conn)
	io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
	if resp, err := http.ReadResponse(reader, nil); err != nil {
		t.Fatal(err)
	} else {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	io.WriteString(conn, "GET /feeds/news.atom HTTP/1.1\r\nHost: "+addr+"\r\n")

	select {
	case <-inFetch: // the start-up collection is talking to the upstream
	case <-time.After(10 * time.Second):
		t.Fatal("the source never fetched")
	}
	cancel()
	time.Sleep(50 * time.Millisecond)
	io.WriteString(conn, "Connection: close\r\n\r\n")
	resp, err := http.ReadResponse(reader, nil)
	if err != nil {
		t.Fatalf("in-flight request: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "</feed>") {
		t.Errorf("in-flight request: %s, complete document %v", resp.Status, strings.Contains(string(body), "</feed>"))
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}

	// The collection that was in flight finished and was stored.
	d2, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer d2.store.Close()
	arts, err := d2.store.Articles(context.Background(), "news", 10)
	if err != nil || len(arts) != 1 || arts[0].Title != "开工" {
		t.Errorf("stored after shutdown: %v, %v", arts, err)
	}
}

// TestPingOnlyOnChange runs a source three times against a hub stand-in:
// the first run and a real change ping the hub for each feed format; a
// run that changes nothing pings nothing.
func TestPingOnlyOnChange(t *testing.T) {
	var mu sync.Mutex
	body := slowFeed
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		io.WriteString(w, body)
	}))
	defer upstream.Close()
	var pings []string
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		pings = append(pings, r.Form.Get("hub.url"))
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer hub.Close()
	cfg := &config.Config{
		Site:       config.Site{Title: "t", BaseURL: "https://feeds.example.org/", Language: "zh-CN", Timezone: "UTC"},
		Store:      config.Store{Path: filepath.Join(t.TempDir(), "db.sqlite")},
		Output:     config.Output{Items: 50},
		Server:     config.Server{Listen: "127.0.0.1:0", ShutdownTimeout: config.Duration(5 * time.Second)},
		WebSub:     config.WebSub{Hub: hub.URL},
		Categories: []config.Category{{ID: "news", Title: "News"}, {ID: "other", Title: "Other"}},
		Sources: []config.Source{{ID: "up", Type: "feed", URL: upstream.URL, Category: config.CategorySpec{ID: "news"},
			Schedule: "@every 1h", Timeout: config.Duration(5 * time.Second), MaxBody: 1 << 20}},
	}
	ctx := context.Background()
	d, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	if err := d.publish(ctx, nil, false); err != nil {
		t.Fatal(err)
	}
	run := func() []string {
		d.runSource(ctx, "up")
		d.pinging.Wait()
		mu.Lock()
		defer mu.Unlock()
		got := pings
		pings = nil
		return got
	}
	want := []string{"https://feeds.example.org/feeds/news.atom", "https://feeds.example.org/feeds/news.rss", "https://feeds.example.org/feeds/news.json"}
	if got := run(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("first run pinged %q, want %q", got, want)
	}
	if got := run(); len(got) != 0 {
		t.Errorf("unchanged run pinged %q", got)
	}
	mu.Lock()
	body = strings.Replace(slowFeed, "正文", "更正后的正文", 1)
	mu.Unlock()
	if got := run(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("changed run pinged %q, want %q", got, want)
	}
}
