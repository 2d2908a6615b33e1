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
	// A request whose client went (a killed instance) stops counting
	// as it goes.
	select {
	case <-time.After(u.delay):
	case <-r.Context().Done():
		return
	}
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
// slow loopback upstream and hourly schedules, so that only the start-up
// runs collect: the first instance's runs hold the sources' leases when
// the second starts, which finds them held and watches; the first is
// killed (SIGKILL) in the middle of them, and the second takes its
// sources over within the lease period, never collecting one source at
// the same time as the other. Afterwards every article is stored once,
// and with the killed one restarted both serve identical feeds with
// identical ETags and Last-Modified. (Each instance has an output folder
// of its own.)
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two daemons")
	}
	url := pgtest.URL(t)
	const sources = 6
	up := &slowUpstream{delay: 3 * time.Second, items: map[string]int{}, inFlight: map[string]int{}}
	for i := range sources {
		up.add(fmt.Sprintf("/s%d", i))
	}
	upSrv := httptest.NewServer(up)
	defer upSrv.Close()
	var srcs strings.Builder
	for i := range sources {
		fmt.Fprintf(&srcs, "  - {id: s%d, type: feed, url: %s/s%d, category: news, schedule: \"@every 1h\", allow_private: true}\n", i, upSrv.URL, i)
	}
	config := func() (cfg, addr string) {
		dir := t.TempDir()
		addr = freePort(t)
		cfg = filepath.Join(dir, "config.yaml")
		text := fmt.Sprintf(`site: {title: 集群, base_url: "http://feeds.example.org/", language: zh-CN, timezone: Asia/Shanghai}
store: {url: "%s", lease: 2s}
output: {dir: public}
server: {listen: "%s", shutdown_timeout: 5s}
defaults: {jitter: 0s, per_host: 8, host_gap: 0s}
categories: [{id: news, title: 新闻}]
sources:
%s`, url, addr, srcs.String())
		if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return cfg, addr
	}
	cfgA, addrA := config()
	cfgB, addrB := config()
	inFlight := func() int {
		up.mu.Lock()
		defer up.mu.Unlock()
		n := 0
		for _, v := range up.inFlight {
			n += v
		}
		return n
	}
	a := startDaemon(t, "-config", cfgA)
	// The start-up runs are spread over a few seconds: kill a while at
	// least two of its runs are in flight, holding their leases.
	eventually(t, "a's start-up runs in flight", func() string {
		if inFlight() < 2 {
			return fmt.Sprintf("%d requests in flight", inFlight())
		}
		return ""
	})
	b := startDaemon(t, "-config", cfgB) // its start-up runs find a's leases
	time.Sleep(300 * time.Millisecond)
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-a.exited
	a.stopped = true
	killed := time.Now()
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
	feed := func(addr string) (string, http.Header) {
		resp, err := http.Get("http://" + addr + "/feeds/news.atom")
		if err != nil {
			return err.Error(), nil
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body), resp.Header
	}
	// b takes the sources over once a's leases expire (2 s), runs them
	// (3 s each upstream), and serves them: not in an hour.
	eventually(t, "b serves every source", func() string {
		body, _ := feed(addrB)
		for i := range sources {
			if want := fmt.Sprintf("/s%d 第0条", i); !strings.Contains(body, want) {
				return "lacks " + want
			}
		}
		return ""
	})
	took := time.Since(killed)
	eventually(t, "instance b ready", ready(addrB))
	t.Logf("b served every source %s after a was killed (lease 2 s, upstream 3 s)", took.Round(100*time.Millisecond))
	if !strings.Contains(b.logs.String(), "taking over a source whose instance stopped holding it") {
		t.Error("b took no source over from a")
	}
	if took > 2*time.Second+3*time.Second+5*time.Second {
		t.Errorf("the takeover took %s, want within a lease period and a run", took)
	}

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
	// Each instance names itself in /metrics.
	for _, addr := range []string{addrA, addrB} {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `feedsmith_cluster_instance{instance="`) {
			t.Errorf("%s/metrics does not name the instance", addr)
		}
	}
	up.mu.Lock()
	overlaps := append([]string(nil), up.overlaps...)
	requests := up.requests
	up.mu.Unlock()
	if len(overlaps) > 0 {
		t.Errorf("sources collected by both instances at once: %q", overlaps)
	}
	// Every article stored once.
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
	if stored != sources {
		t.Errorf("%d articles stored, want %d (each once)", stored, sources)
	}
	t.Logf("%d upstream requests in all", requests)
	if t.Failed() {
		t.Logf("a:\n%s\nb:\n%s", a.logs.String(), b.logs.String())
	}
}
