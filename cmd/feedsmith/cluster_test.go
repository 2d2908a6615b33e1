package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
)

// slowUpstream serves one RSS feed per path, slowly (so that runs
// overlap a kill), recording every request: its path, the User-Agent
// (which names the instance) and when it started and ended. Two requests
// for one path overlapping in time would be two instances collecting one
// source at once.
type slowUpstream struct {
	delay    time.Duration
	mu       sync.Mutex
	items    map[string]int // path → items
	requests []request
}

// request is one request the upstream answered, or whose client went.
type request struct {
	path, agent string
	start, end  time.Time
	answered    bool // the feed was sent, not dropped by a client that went
}

func (u *slowUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	i := len(u.requests)
	u.requests = append(u.requests, request{path: r.URL.Path, agent: r.UserAgent(), start: time.Now()})
	n := u.items[r.URL.Path]
	u.mu.Unlock()
	defer func() { u.mu.Lock(); u.requests[i].end = time.Now(); u.mu.Unlock() }()
	// A request whose client went (a killed instance) ends as it goes.
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
	u.mu.Lock()
	u.requests[i].answered = true
	u.mu.Unlock()
}

// log returns the requests so far; a request in flight has a zero end.
func (u *slowUpstream) log() []request {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.requests)
}

// overlaps lists, per path, the requests that began before the one
// before them had ended (in flight: ended now).
func overlaps(reqs []request) []string {
	byPath := map[string][]request{}
	for _, r := range reqs {
		if r.end.IsZero() {
			r.end = time.Now()
		}
		byPath[r.path] = append(byPath[r.path], r)
	}
	var out []string
	for path, rs := range byPath {
		slices.SortFunc(rs, func(a, b request) int { return a.start.Compare(b.start) })
		for i := 1; i < len(rs); i++ {
			if rs[i].start.Before(rs[i-1].end) {
				out = append(out, fmt.Sprintf("%s: %s from %s while %s's from %s was in flight until %s", path,
					rs[i].agent, rs[i].start.Format(time.StampMilli), rs[i-1].agent, rs[i-1].start.Format(time.StampMilli), rs[i-1].end.Format(time.StampMilli)))
			}
		}
	}
	slices.Sort(out)
	return out
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
// sources over within the lease period (each source's first request from
// the second instance after the kill comes within a lease and the
// takeover's margin), and no source's feed is ever requested by both at
// once (the upstream's request log, instances told apart by their
// User-Agent). Afterwards, with the killed one restarted, both serve
// identical feeds with identical ETags and Last-Modified. (Each instance
// has an output folder of its own.)
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two daemons")
	}
	url := pgtest.URL(t)
	const (
		sources = 6
		lease   = 2 * time.Second // store.lease in the configuration below
		// A watching instance looks at an expired lease a tenth of a
		// period after it expired (daemon.watchHolder); the rest is for
		// a loaded 2-core machine (the schedules' jitter is 0).
		takeover = lease + lease/10 + time.Second
	)
	up := &slowUpstream{delay: 3 * time.Second, items: map[string]int{}}
	for i := range sources {
		up.add(fmt.Sprintf("/s%d", i))
	}
	upSrv := httptest.NewServer(up)
	defer upSrv.Close()
	var srcs strings.Builder
	for i := range sources {
		fmt.Fprintf(&srcs, "  - {id: s%d, type: feed, url: %s/s%d, category: news, schedule: \"@every 1h\", allow_private: true}\n", i, upSrv.URL, i)
	}
	agent := func(name string) string { return "feedsmith-test (instance " + name + ")" }
	config := func(name string) (cfg, addr string) {
		dir := t.TempDir()
		addr = testutil.FreeAddr(t)
		cfg = filepath.Join(dir, "config.yaml")
		text := fmt.Sprintf(`site: {title: 集群, base_url: "http://feeds.example.org/", language: zh-CN, timezone: Asia/Shanghai}
store: {url: "%s", lease: %s}
output: {dir: public}
server: {listen: "%s", shutdown_timeout: 5s}
defaults: {jitter: 0s, per_host: 8, host_gap: 0s, user_agent: "%s"}
categories: [{id: news, title: 新闻}]
sources:
%s`, url, lease, addr, agent(name), srcs.String())
		if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return cfg, addr
	}
	cfgA, addrA := config("a")
	cfgB, addrB := config("b")
	inFlight := func(name string) []string {
		var paths []string
		for _, r := range up.log() {
			if r.agent == agent(name) && r.end.IsZero() {
				paths = append(paths, r.path)
			}
		}
		return paths
	}
	a := startDaemon(t, "-config", cfgA)
	// The start-up runs are spread over a few seconds: kill a while at
	// least two of its runs are in flight, holding their leases.
	eventually(t, "a's start-up runs in flight", func() string {
		if n := len(inFlight("a")); n < 2 {
			return fmt.Sprintf("%d requests in flight", n)
		}
		return ""
	})
	b := startDaemon(t, "-config", cfgB) // its start-up runs find a's leases
	time.Sleep(300 * time.Millisecond)
	heldByA := inFlight("a")
	killed := time.Now()
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-a.exited
	a.stopped = true
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
	t.Logf("b served every source %s after a was killed (lease %s, upstream %s)", time.Since(killed).Round(100*time.Millisecond), lease, up.delay)
	eventually(t, "instance b ready", ready(addrB))
	if !strings.Contains(b.logs.String(), "taking over a source whose instance stopped holding it") {
		t.Error("b took no source over from a")
	}
	// Each source a was fetching when it died, and had not been answered
	// (so a never recorded its run), b fetches within a lease and the
	// watcher's margin of the kill.
	reqs := up.log()
	var slowest time.Duration
	for _, path := range heldByA {
		answered := slices.ContainsFunc(reqs, func(r request) bool {
			return r.path == path && r.agent == agent("a") && r.answered
		})
		if answered {
			continue // a's run ended just before the kill: no takeover
		}
		i := slices.IndexFunc(reqs, func(r request) bool {
			return r.path == path && r.agent == agent("b") && r.start.After(killed)
		})
		if i < 0 {
			t.Errorf("%s: b never fetched it after a was killed", path)
			continue
		}
		took := reqs[i].start.Sub(killed)
		slowest = max(slowest, took)
		if took > takeover {
			t.Errorf("%s: b's first fetch came %s after the kill, want within %s (lease %s)", path, took.Round(time.Millisecond), takeover, lease)
		}
	}
	t.Logf("b fetched the %d sources a held %s after the kill at the latest (lease %s, bound %s)", len(heldByA), slowest.Round(time.Millisecond), lease, takeover)

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
	// Each instance names itself in /metrics and /readyz, with the
	// database's health.
	for _, addr := range []string{addrA, addrB} {
		for path, want := range map[string]string{"/metrics": `feedsmith_cluster_instance{instance="`, "/readyz": "\ninstance "} {
			resp, err := http.Get("http://" + addr + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(body), want) {
				t.Errorf("%s%s does not name the instance:\n%s", addr, path, body)
			}
			if path == "/metrics" && !strings.Contains(string(body), "feedsmith_database_up 1") {
				t.Errorf("%s/metrics lacks feedsmith_database_up 1", addr)
			}
		}
	}
	reqs = up.log()
	for _, o := range overlaps(reqs) {
		t.Errorf("a source fetched by both instances at once: %s", o)
	}
	// Every article stored, each once (the store's dedupe by id and link).
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var stored, links int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT link) FROM articles`).Scan(&stored, &links); err != nil {
		t.Fatal(err)
	}
	if stored != sources || links != sources {
		t.Errorf("%d articles stored with %d links, want %d of each", stored, links, sources)
	}
	t.Logf("%d upstream requests in all", len(reqs))
	if t.Failed() {
		t.Logf("a:\n%s\nb:\n%s", a.logs.String(), b.logs.String())
	}
}
