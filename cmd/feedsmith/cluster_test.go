package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
)

// slowUpstream serves one RSS feed per path, slowly (so that runs
// overlap a kill), counting the requests in flight per path: two at once
// for one path would be two instances collecting one source.
type slowUpstream struct {
	delay    time.Duration
	mu       sync.Mutex
	items    map[string]int // path → items
	inFlight map[string]int
	overlaps []string
	requests int
}

func (u *slowUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	u.requests++
	if u.inFlight[r.URL.Path]++; u.inFlight[r.URL.Path] > 1 {
		u.overlaps = append(u.overlaps, r.URL.Path)
	}
	n := u.items[r.URL.Path]
	u.mu.Unlock()
	defer func() { u.mu.Lock(); u.inFlight[r.URL.Path]--; u.mu.Unlock() }()
	time.Sleep(u.delay)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>up</title><link>https://news.example.org/</link><description>d</description>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><guid isPermaLink="false">%s-%d</guid><title>%s 第%d条</title><link>https://news.example.org%s/%d.html</link><pubDate>Mon, 14 Feb 2022 08:%02d:00 +0800</pubDate><description>正文 %d</description></item>`,
			r.URL.Path, i, r.URL.Path, i, r.URL.Path, i, i%60, i)
	}
	b.WriteString(`</channel></rss>`)
	io.WriteString(w, b.String())
}

func (u *slowUpstream) add(path string) {
	u.mu.Lock()
	u.items[path]++
	u.mu.Unlock()
}

// TestCluster runs two `feedsmith run` on one PostgreSQL schema with a
// slow loopback upstream: every source is collected, never by both at
// once; one instance is killed (SIGKILL) in the middle of its runs, and
// the other takes its sources over within the lease period; afterwards
// every article is stored once, and with the killed one restarted both
// serve identical feeds with identical ETags and Last-Modified.
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two daemons")
	}
	url := pgtest.URL(t)
	const sources = 6
	up := &slowUpstream{delay: 700 * time.Millisecond, items: map[string]int{}, inFlight: map[string]int{}}
	for i := range sources {
		up.add(fmt.Sprintf("/s%d", i))
	}
	upSrv := httptest.NewServer(up)
	defer upSrv.Close()
	var srcs strings.Builder
	for i := range sources {
		fmt.Fprintf(&srcs, "  - {id: s%d, type: feed, url: %s/s%d, category: news, schedule: \"@every 2s\", allow_private: true}\n", i, upSrv.URL, i)
	}
	config := func(name string) (cfg, addr string) {
		dir := t.TempDir()
		addr = freePort(t)
		cfg = filepath.Join(dir, "config.yaml")
		text := fmt.Sprintf(`site: {title: 集群, base_url: "http://feeds.example.org/", language: zh-CN, timezone: Asia/Shanghai}
store: {url: "%s", lease: 2s}
output: {dir: public}
server: {listen: "%s", shutdown_timeout: 5s}
defaults: {jitter: 0s}
categories: [{id: news, title: 新闻}]
sources:
%s`, url, addr, srcs.String())
		if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return cfg, addr
	}
	cfgA, addrA := config("a")
	cfgB, addrB := config("b")
	a := startDaemon(t, "-config", cfgA)
	b := startDaemon(t, "-config", cfgB)
	ready := func(addr string) func() string {
		return func() string {
			resp, err := http.Get("http://" + addr + "/readyz")
			if err != nil {
				return err.Error()
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 {
				return string(body)
			}
			return ""
		}
	}
	eventually(t, "instance a ready", ready(addrA))
	eventually(t, "instance b ready", ready(addrB))

	// Kill a while its runs are in flight: new items make every source
	// fetch and save again.
	for i := range sources {
		up.add(fmt.Sprintf("/s%d", i))
	}
	time.Sleep(2500 * time.Millisecond) // the next runs started, a holding some
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-a.exited
	a.stopped = true
	killed := time.Now()
	// b takes over: every source's second item is served by b within a
	// lease period and a run (a few seconds), not the next day.
	feed := func(addr string) (string, http.Header) {
		resp, err := http.Get("http://" + addr + "/feeds/news.atom")
		if err != nil {
			return err.Error(), nil
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body), resp.Header
	}
	eventually(t, "b serves every source's new item", func() string {
		body, _ := feed(addrB)
		for i := range sources {
			if want := fmt.Sprintf("/s%d 第1条", i); !strings.Contains(body, want) {
				return "lacks " + want
			}
		}
		return ""
	})
	t.Logf("b served every new item %s after a was killed", time.Since(killed).Round(100*time.Millisecond))

	a = startDaemon(t, "-config", cfgA)
	eventually(t, "instance a ready again", ready(addrA))
	// Both serve the same bytes, ETags and Last-Modified.
	eventually(t, "identical feeds", func() string {
		bodyA, hA := feed(addrA)
		bodyB, hB := feed(addrB)
		switch {
		case bodyA != bodyB:
			return "the feeds differ"
		case hA.Get("ETag") != hB.Get("ETag") || hA.Get("Last-Modified") != hB.Get("Last-Modified"):
			return fmt.Sprintf("ETag %s / %s, Last-Modified %s / %s", hA.Get("ETag"), hB.Get("ETag"), hA.Get("Last-Modified"), hB.Get("Last-Modified"))
		}
		return ""
	})
	up.mu.Lock()
	overlaps := append([]string(nil), up.overlaps...)
	requests := up.requests
	up.mu.Unlock()
	if len(overlaps) > 0 {
		t.Errorf("sources collected by both instances at once: %q", overlaps)
	}
	// Every article stored once: 2 per source, no more rows.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var stored int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 2*sources {
		t.Errorf("%d articles stored, want %d (each once)", stored, 2*sources)
	}
	t.Logf("%d upstream requests in all", requests)
	if t.Failed() {
		t.Logf("a:\n%s\nb:\n%s", a.logs.String(), b.logs.String())
	}
}
