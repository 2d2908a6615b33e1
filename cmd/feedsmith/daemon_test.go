package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/internal/testutil"
)

// feedUpstream serves an RSS feed whose items can change, with an ETag.
type feedUpstream struct {
	mu    sync.Mutex
	items []string
}

func (u *feedUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	defer u.mu.Unlock()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>up</title><link>https://news.example.org/</link><description>d</description>`)
	for i, title := range u.items {
		fmt.Fprintf(&b, `<item><guid isPermaLink="false">g%d</guid><title>%s</title><link>https://news.example.org/%d.html</link><pubDate>Mon, 14 Feb 2022 08:%02d:00 +0800</pubDate><description>正文 %d</description></item>`, i, title, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	etag := fmt.Sprintf(`"%d-%d"`, len(u.items), b.Len())
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	io.WriteString(w, b.String())
}

func (u *feedUpstream) add(title string) {
	u.mu.Lock()
	u.items = append(u.items, title)
	u.mu.Unlock()
}

// hubStandIn records WebSub publish pings.
type hubStandIn struct {
	mu    sync.Mutex
	pings []string
}

func (h *hubStandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	h.mu.Lock()
	if r.Form.Get("hub.mode") == "publish" {
		h.pings = append(h.pings, r.Form["hub.url"]...)
	}
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (h *hubStandIn) count(url string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, p := range h.pings {
		if p == url {
			n++
		}
	}
	return n
}

// notifySocket listens where the daemon sends sd_notify messages.
func notifySocket(t *testing.T) (path string, msgs <-chan string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	ch := make(chan string, 64)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				close(ch)
				return
			}
			ch <- string(buf[:n])
		}
	}()
	return path, ch
}

func waitMessage(t *testing.T, msgs <-chan string, want string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case m, ok := <-msgs:
			if !ok {
				t.Fatalf("notify socket closed before %q", want)
			}
			if strings.Contains(m, want) {
				return
			}
		case <-deadline:
			t.Fatalf("no %q from the daemon", want)
		}
	}
}

// eventually retries check until it returns "" or the time is up.
func eventually(t *testing.T, what string, check func() string) {
	t.Helper()
	var last string
	for end := time.Now().Add(45 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if last = check(); last == "" {
			return
		}
	}
	t.Fatalf("%s: %s", what, last)
}

func daemonConfig(addr, upstream, hub string, extra string) string {
	return fmt.Sprintf(`site:
  title: 测试
  base_url: http://%s/
  language: zh-CN
  timezone: Asia/Shanghai
store: {path: data/db.sqlite}
output: {dir: public}
server:
  listen: %s
  admin_token: ${FEEDSMITH_TEST_TOKEN}
  shutdown_timeout: 5s
websub: {hub: %s}
categories:
  - {id: news, title: 新闻}
sources:
  - {id: up, type: feed, url: %s, category: news, schedule: "@every 1h"}
%s`, addr, addr, hub, upstream, extra)
}

func TestDaemonEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the daemon as a child process")
	}
	up := &feedUpstream{items: []string{"我市举行春季重点项目集中开工仪式"}}
	upSrv := httptest.NewServer(up)
	defer upSrv.Close()
	hub := &hubStandIn{}
	hubSrv := httptest.NewServer(hub)
	defer hubSrv.Close()

	dir := t.TempDir()
	addr := testutil.FreeAddr(t)
	cfgPath := filepath.Join(dir, "config.yaml")
	writeConfig := func(body string) {
		if err := os.WriteFile(cfgPath, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig(daemonConfig(addr, upSrv.URL+"/feed.rss", hubSrv.URL, ""))
	sock, msgs := notifySocket(t)

	cmd := exec.Command(os.Args[0], "run", "-config", cfgPath, "-log-level", "debug")
	cmd.Env = append(os.Environ(), "FEEDSMITH_TEST_MAIN=1", "NOTIFY_SOCKET="+sock, "FEEDSMITH_TEST_TOKEN=s3cret")
	logs := &testutil.SyncBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("daemon log:\n%s", logs.String())
		}
	}()
	waitMessage(t, msgs, "READY=1")

	base := "http://" + addr
	feedURL := base + "/feeds/news.atom"
	eventually(t, "readyz", func() string {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return err.Error()
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return resp.Status
		}
		return ""
	})

	get := func(url string, header ...string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	first := get(feedURL)
	etag := first.Header.Get("ETag")
	if first.StatusCode != 200 || etag == "" || first.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("feed: %s %v", first.Status, first.Header)
	}
	if r := get(feedURL, "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %s, want 304", r.Status)
	}
	if r := get(feedURL, "If-Modified-Since", first.Header.Get("Last-Modified")); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since: %s, want 304", r.Status)
	}
	eventually(t, "hub pinged for the new feed", func() string {
		if hub.count(feedURL) == 0 {
			return "no ping"
		}
		return ""
	})
	if _, err := os.Stat(filepath.Join(dir, "public", "feeds", "news.rss")); err != nil {
		t.Errorf("output folder not written: %v", err)
	}
	// The status page served shows when sources ran and run next; its copy
	// on disk does not, so that a run changing nothing rewrites nothing.
	eventually(t, "run times on the served status page only", func() string {
		resp, err := http.Get(base + "/status.html")
		if err != nil {
			return err.Error()
		}
		served, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		disk, _ := os.ReadFile(filepath.Join(dir, "public", "status.html"))
		switch {
		case !strings.Contains(string(served), `<th scope="col" class="live">下次运行</th>`):
			return "the served page lacks the next run"
		case strings.Contains(string(disk), `class="live"`) || !strings.Contains(string(disk), `<span class="state ok">正常</span>`):
			return "the page on disk shows run times, or not the source's state:\n" + string(disk)
		}
		return ""
	})

	t.Run("admin refresh publishes a change", func(t *testing.T) {
		up.add(`市民热议"海滨步道"：周末好去处`)
		pings := hub.count(feedURL)
		req, _ := http.NewRequest("POST", base+"/-/refresh/up", nil)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("refresh without token: %v %v", resp, err)
		}
		req, _ = http.NewRequest("POST", base+"/-/refresh/up", nil)
		req.Header.Set("Authorization", "Bearer s3cret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode/100 != 2 {
			t.Fatalf("refresh: %v %v", resp, err)
		}
		eventually(t, "feed changed after refresh", func() string {
			if r := get(feedURL, "If-None-Match", etag); r.StatusCode != 200 {
				return r.Status
			}
			return ""
		})
		eventually(t, "hub pinged for the change", func() string {
			if hub.count(feedURL) <= pings {
				return "no new ping"
			}
			return ""
		})
	})

	t.Run("reload refuses a bad config and takes a good one", func(t *testing.T) {
		writeConfig("site: {base_url: nope}\n")
		cmd.Process.Signal(syscall.SIGHUP)
		eventually(t, "bad config refused", func() string {
			if !strings.Contains(logs.String(), "configuration refused") {
				return "no refusal logged"
			}
			return ""
		})
		if r := get(feedURL); r.StatusCode != 200 {
			t.Errorf("feed after a refused reload: %s", r.Status)
		}
		writeConfig(daemonConfig(addr, upSrv.URL+"/feed.rss", hubSrv.URL,
			"  - {id: second, type: feed, url: "+upSrv.URL+"/second.rss, category: news, schedule: \"@every 1h\"}\n"))
		cmd.Process.Signal(syscall.SIGHUP)
		waitMessage(t, msgs, "RELOADING=1")
		eventually(t, "new source on the status page", func() string {
			resp, err := http.Get(base + "/status.html")
			if err != nil {
				return err.Error()
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if !strings.Contains(string(body), "second") {
				return "status page lacks the new source"
			}
			return ""
		})
	})

	t.Run("SIGTERM stops gracefully", func(t *testing.T) {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("daemon exited with %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("daemon did not stop within 15s of SIGTERM")
		}
		waitMessage(t, msgs, "STOPPING=1")
	})
}
