package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/internal/testutil"
)

// daemonProc is the real daemon, started by startDaemon.
type daemonProc struct {
	cmd  *exec.Cmd
	logs *testutil.SyncBuffer
	// msgs are the sd_notify messages it sends after READY=1.
	msgs    <-chan string
	exited  chan error
	stopped bool
}

// startDaemon starts the test binary as "feedsmith run" with args and
// waits for READY=1; the daemon is stopped when the test ends, and its
// log shown if the test failed.
func startDaemon(t *testing.T, args ...string) *daemonProc {
	t.Helper()
	sock, msgs := notifySocket(t)
	d := &daemonProc{cmd: exec.Command(os.Args[0], append([]string{"run"}, args...)...),
		logs: &testutil.SyncBuffer{}, msgs: msgs, exited: make(chan error, 1)}
	d.cmd.Env = append(os.Environ(), "FEEDSMITH_TEST_MAIN=1", "NOTIFY_SOCKET="+sock)
	d.cmd.Stderr = d.logs
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.exited <- d.cmd.Wait() }()
	t.Cleanup(func() { d.stop(t) })
	waitMessage(t, msgs, "READY=1")
	return d
}

// stop sends SIGTERM and waits for a clean exit, at most 30 s; a second
// call does nothing.
func (d *daemonProc) stop(t *testing.T) {
	t.Helper()
	if d.stopped {
		return
	}
	d.stopped = true
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-d.exited:
		if err != nil {
			t.Errorf("daemon exited with %v", err)
		}
	case <-time.After(30 * time.Second):
		d.cmd.Process.Kill()
		t.Error("daemon did not stop within 30s of SIGTERM")
	}
	if t.Failed() {
		t.Logf("daemon log:\n%s", d.logs.String())
	}
}

// countingUpstream is feedUpstream counting the requests it answers.
type countingUpstream struct {
	feedUpstream
	requests atomic.Int32
}

func (u *countingUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.requests.Add(1)
	u.feedUpstream.ServeHTTP(w, r)
}

func restartConfig(addr, upstream, otherTitle string) string {
	return fmt.Sprintf(`site: {title: t, base_url: http://%s/, language: zh-CN, timezone: Asia/Shanghai}
store: {path: data/db.sqlite}
output: {dir: public}
server: {listen: %s, shutdown_timeout: 5s, access_log: access.log}
categories:
  - {id: news, title: 新闻}
  - {id: other, title: %s, language: en}
sources:
  - {id: up, type: feed, url: %s, category: news, schedule: "@every 1h"}
  - {id: second, type: feed, url: other.rss, category: other, schedule: "@every 2h"}
`, addr, addr, otherTitle, upstream)
}

// TestDaemonRestart stops the daemon after its first collection and
// starts it again on the same store: before any run (none is due), a
// feed whose bytes did not change keeps its Last-Modified and answers
// the reader's If-Modified-Since with 304, a changed one (its title was
// edited) has the new time; /metrics has every source with its stored
// last success; the index shows each source's next run; the start-up
// line says where everything is, JSON logs write durations as "5s", and
// the access log is written and reopened on SIGHUP.
func TestDaemonRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the daemon as a child process")
	}
	up := &countingUpstream{feedUpstream: feedUpstream{items: []string{"我市举行春季重点项目集中开工仪式"}}}
	upSrv := httptest.NewServer(up)
	defer upSrv.Close()
	dir := t.TempDir()
	// Another article for the other category: the same one from both
	// sources would be filed in both, and its title show in both feeds.
	otherRSS := `<rss version="2.0"><channel><title>o</title><link>https://other.example.org/</link><description>d</description>` +
		`<item><guid>o1</guid><title>Promenade</title><link>https://other.example.org/1.html</link><pubDate>Mon, 14 Feb 2022 09:00:00 +0800</pubDate></item></channel></rss>`
	if err := os.WriteFile(filepath.Join(dir, "other.rss"), []byte(otherRSS), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := testutil.FreeAddr(t)
	cfgPath := filepath.Join(dir, "config.yaml")
	writeConfig := func(title string) {
		if err := os.WriteFile(cfgPath, []byte(restartConfig(addr, upSrv.URL+"/a.rss", title)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig("Other")
	base := "http://" + addr
	get := func(path string, header ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}

	first := startDaemon(t, "-config", cfgPath, "-log-format", "json")
	eventually(t, "first collection", func() string {
		if r, body := get("/readyz"); r.StatusCode != 200 {
			return r.Status + " " + body
		}
		return ""
	})
	news, _ := get("/feeds/news.atom")
	otherFeed, _ := get("/feeds/other.atom")
	lastModified := news.Header.Get("Last-Modified")
	if news.StatusCode != 200 || lastModified == "" || otherFeed.Header.Get("Last-Modified") == "" {
		t.Fatalf("feeds before the restart: %s %v; %s %v", news.Status, news.Header, otherFeed.Status, otherFeed.Header)
	}
	first.stop(t)
	checkStartLine(t, first.logs.String(), cfgPath, dir, addr)
	if logs := first.logs.String(); !strings.Contains(logs, `"msg":"shutting down","timeout":"5s"`) {
		t.Errorf("shutdown line does not write its timeout as 5s:\n%s", logs)
	}

	// A change of the bytes must show in Last-Modified, which counts
	// whole seconds: the restart comes in a later second.
	lm, err := http.ParseTime(lastModified)
	if err != nil {
		t.Fatal(err)
	}
	olm, err := http.ParseTime(otherFeed.Header.Get("Last-Modified"))
	if err != nil {
		t.Fatal(err)
	}
	// Both feeds' times: the other one may have been written a second
	// after news.
	latest := lm
	if olm.After(latest) {
		latest = olm
	}
	time.Sleep(time.Until(latest.Add(time.Second)))
	writeConfig("Other things")
	fetched := up.requests.Load()
	second := startDaemon(t, "-config", cfgPath, "-log-format", "json")

	t.Run("Last-Modified kept for unchanged bytes", func(t *testing.T) {
		r, _ := get("/feeds/news.atom", "If-Modified-Since", lastModified)
		if r.StatusCode != http.StatusNotModified {
			t.Errorf("If-Modified-Since the earlier Last-Modified: %s, want 304", r.Status)
		}
		if r, _ := get("/feeds/news.atom"); r.Header.Get("Last-Modified") != lastModified || r.Header.Get("ETag") != news.Header.Get("ETag") {
			t.Errorf("after the restart: Last-Modified %q ETag %q, want %q %q", r.Header.Get("Last-Modified"), r.Header.Get("ETag"), lastModified, news.Header.Get("ETag"))
		}
		r, body := get("/feeds/other.atom", "If-Modified-Since", otherFeed.Header.Get("Last-Modified"))
		newer, err := http.ParseTime(r.Header.Get("Last-Modified"))
		if r.StatusCode != 200 || !strings.Contains(body, "Other things") || err != nil || !newer.After(olm) {
			t.Errorf("changed feed: %s, Last-Modified %q (%v), want 200 with a time after %s", r.Status, r.Header.Get("Last-Modified"), err, lastModified)
		}
	})
	t.Run("metrics of every source before any run", func(t *testing.T) {
		_, page := get("/metrics")
		for _, id := range []string{"up", "second"} {
			m := regexp.MustCompile(`(?m)^feedsmith_source_last_success_timestamp_seconds\{source="` + id + `"\} (\S+)$`).FindStringSubmatch(page)
			var ts float64
			if m != nil {
				fmt.Sscan(m[1], &ts)
			}
			if ts < float64(lm.Unix()-60) || ts > float64(lm.Unix()+60) {
				t.Errorf("source %s: last success %v, want the stored one, about %s", id, m, lastModified)
			}
			if !strings.Contains(page, `feedsmith_source_fetches_total{source="`+id+`"} 0`) {
				t.Errorf("source %s has no fetches counter at 0", id)
			}
		}
	})
	t.Run("status shows the next runs", func(t *testing.T) {
		_, page := get("/status.html")
		// The row: the source, its state, last run, last success, next run.
		rows := regexp.MustCompile(`<span dir="auto">(up|second)</span> <small dir="auto">feed</small></th>\n(?:<td[^\n]*\n){3}<td data-label="[^"]*" class="live">([^<]*)</td>`).FindAllStringSubmatch(page, -1)
		if len(rows) != 2 {
			t.Fatalf("status has %d source rows:\n%s", len(rows), page)
		}
		for _, row := range rows {
			next, err := time.Parse("2006-01-02 15:04 -07:00", html.UnescapeString(row[2]))
			if err != nil || !next.After(lm.Add(-time.Minute)) || next.After(time.Now().Add(2*time.Hour+time.Minute)) {
				t.Errorf("source %s: next run %q (%v), want within its interval", row[1], row[2], err)
			}
		}
	})
	if n := up.requests.Load(); n != fetched {
		t.Errorf("the upstream was fetched %d times after the restart: the checks above did not run before any run", n-fetched)
	}

	t.Run("access log reopened on SIGHUP", func(t *testing.T) {
		log := filepath.Join(dir, "access.log")
		if err := os.Rename(log, log+".1"); err != nil {
			t.Fatal(err)
		}
		second.cmd.Process.Signal(syscall.SIGHUP)
		eventually(t, "reload", func() string {
			if !strings.Contains(second.logs.String(), `"msg":"configuration reloaded"`) {
				return "not reloaded"
			}
			return ""
		})
		get("/feeds.opml", "User-Agent", "after rotation")
		eventually(t, "line in the new access log", func() string {
			b, _ := os.ReadFile(log)
			if !strings.Contains(string(b), `"GET /feeds.opml HTTP/1.1" 200 `) || !strings.HasSuffix(string(b), "\"after rotation\"\n") {
				return "new file: " + string(b)
			}
			return ""
		})
		old, _ := os.ReadFile(log + ".1")
		if !strings.Contains(string(old), `"GET /feeds/news.atom HTTP/1.1" 304 - "-" "Go-http-client/1.1"`) {
			t.Errorf("the rotated access log lacks the 304:\n%s", old)
		}
	})
	second.stop(t)
}

// checkStartLine finds the start-up line in JSON logs and checks that it
// names the version, the configuration file, the store, the output folder
// and the address listened on.
func checkStartLine(t *testing.T, logs, cfgPath, dir, addr string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) != nil || line["msg"] != "feedsmith started" {
			continue
		}
		want := map[string]any{"config": cfgPath, "store": filepath.Join(dir, "data", "db.sqlite"),
			"output": filepath.Join(dir, "public"), "listen": addr, "version": buildVersion()}
		for k, v := range want {
			if line[k] != v {
				t.Errorf("start-up line: %s = %v, want %v", k, line[k], v)
			}
		}
		return
	}
	t.Errorf("no start-up line in:\n%s", logs)
}
