package server

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/feedsmith/feedsmith/metrics"
	"github.com/feedsmith/feedsmith/publish"
)

// rawStatus writes raw to addr as it is, all at once, and returns the
// response read back. An error reading it (a reset, a close before any
// response) fails the test: that is what these tests are about.
func rawStatus(t *testing.T, addr, raw string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatalf("write: %v", err)
	}
	method, _, _ := strings.Cut(raw, " ")
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatalf("response body: %v", err)
	}
	resp.Body.Close()
	return resp
}

// TestNoServerError sends HTTPServer what a client may send but should
// not: other methods, heads too large, request lines and fields that do
// not parse. Each gets its 4xx, read in full before the connection
// closes, and none a 5xx.
func TestNoServerError(t *testing.T) {
	_, hs, _ := newTest(t, Options{AdminToken: "s3cret", Refresh: func(context.Context, string) error { return nil }})
	addr := strings.TrimPrefix(hs.URL, "http://")
	big := strings.Repeat("a", 20<<10)
	tests := []struct {
		name, raw string
		status    int
		allow     string
	}{
		{"connect", "CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n", 405, "GET, HEAD"},
		{"connect to a feed", "CONNECT /feeds/news.atom HTTP/1.1\r\nHost: x\r\n\r\n", 405, "GET, HEAD"},
		{"trace", "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", 405, "GET, HEAD"},
		{"trace missing", "TRACE /nope HTTP/1.1\r\nHost: x\r\n\r\n", 405, "GET, HEAD"},
		{"options", "OPTIONS /feeds/news.atom HTTP/1.1\r\nHost: x\r\n\r\n", 405, "GET, HEAD"},
		{"options star", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", 405, "GET, HEAD"},
		{"made-up method", "BREW /feeds/news.atom HTTP/1.1\r\nHost: x\r\n\r\n", 405, "GET, HEAD"},
		{"put to the admin endpoint", "PUT /-/refresh/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405, "POST"},
		{"20 KiB header", "GET /feeds/news.atom HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n", 431, ""},
		{"many header lines", "GET /feeds/news.atom HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-A: b\r\n", 3000) + "\r\n", 431, ""},
		{"200 KiB header", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat(big, 10) + "\r\n\r\n", 431, ""},
		{"20 KiB URL", "GET /" + big + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, ""},
		{"20 KiB query", "GET /feeds/news.atom?" + big + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, ""},
		{"15 KiB URL fits", "GET /" + big[:15<<10] + " HTTP/1.1\r\nHost: x\r\n\r\n", 404, ""},
		{"body too large", "POST /-/refresh/a HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + strings.Repeat("x", 100000), 413, ""},
		{"bad escape", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"bad escape posted", "POST /-/refresh/%zz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 400, ""},
		{"bad absolute form", "GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"garbage", "GARBAGE\r\n\r\n", 400, ""},
		{"no version", "GET /\r\n\r\n", 400, ""},
		{"field without colon", "GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400, ""},
		{"nul in target", "GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"negative length", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", 400, ""},
		{"bad chunk", "POST /-/refresh/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := rawStatus(t, addr, tt.raw)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
		})
	}
}

// TestRedirectKeepsEscapes wants a request for a path that is not clean
// redirected to the clean path with the client's escapes as they were,
// by both fronts.
func TestRedirectKeepsEscapes(t *testing.T) {
	s := New(Options{})
	s.Update(sampleTree())
	fast := strings.TrimPrefix(startHTTPServer(t, s).URL, "http://")
	std := httptest.NewServer(s.Handler())
	defer std.Close()
	tests := []struct{ target, location string }{
		{"/./feeds/%78ss.atom", "/feeds/%78ss.atom"},
		{"/./feeds/%6Eews.atom", "/feeds/%6Eews.atom"},
		{"//feeds/n%C3%A9.atom?q=%41", "/feeds/n%C3%A9.atom?q=%41"},
		{"/feeds/../feeds/news%2Fx.atom", "/feeds/news%2Fx.atom"},
		{"/feeds/./", "/feeds/"},
	}
	for _, tt := range tests {
		for name, addr := range map[string]string{"fasthttp": fast, "net/http": strings.TrimPrefix(std.URL, "http://")} {
			t.Run(name+" "+tt.target, func(t *testing.T) {
				resp, _ := rawGet(t, addr, tt.target)
				if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != tt.location {
					t.Errorf("%d to %q, want 307 to %q", resp.StatusCode, resp.Header.Get("Location"), tt.location)
				}
			})
		}
	}
	// The escaped form of a served file's path reaches the file.
	if resp, body := rawGet(t, fast, "/feeds/%6Eews.atom"); resp.StatusCode != 200 || !strings.Contains(body, "<feed") {
		t.Errorf("/feeds/%%6Eews.atom: %d", resp.StatusCode)
	}
}

// TestBadRequestsCountedLogRateLimited sends a flood of malformed
// requests: every one is counted in /metrics, and they cost one log line
// per ten seconds, the next one saying how many it stands for.
func TestBadRequestsCountedLogRateLimited(t *testing.T) {
	var logs testutil.SyncBuffer
	m := metrics.New("test")
	_, hs, clock := newTest(t, Options{Metrics: m, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	addr := strings.TrimPrefix(hs.URL, "http://")
	const flood = 30
	for range flood {
		rawStatus(t, addr, "GARBAGE\r\n\r\n")
	}
	rawStatus(t, addr, "GET /"+strings.Repeat("a", 20<<10)+" HTTP/1.1\r\nHost: x\r\n\r\n")
	if n := strings.Count(logs.String(), "level="); n != 1 {
		t.Errorf("%d log lines for %d bad requests, want 1:\n%s", n, flood+1, logs.String())
	}
	if !strings.Contains(logs.String(), `level=WARN msg="bad request" status=400 reason=malformed`) {
		t.Errorf("log line:\n%s", logs.String())
	}
	clock.Advance(badLogEvery)
	rawStatus(t, addr, "GARBAGE\r\n\r\n")
	if !strings.Contains(logs.String(), "held_back=30") {
		t.Errorf("the line after the quiet time does not count the %d held back:\n%s", flood, logs.String())
	}
	_, body := get(t, "GET", hs.URL+"/metrics")
	for _, want := range []string{
		`feedsmith_http_bad_requests_total{reason="malformed"} 31`,
		`feedsmith_http_bad_requests_total{reason="uri_too_long"} 1`,
	} {
		if !strings.Contains(string(body), want+"\n") {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestLogLimit(t *testing.T) {
	l := logLimit{every: 10 * time.Second}
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	steps := []struct {
		after time.Duration
		ok    bool
		held  int
	}{
		{0, true, 0},
		{time.Second, false, 0},
		{9 * time.Second, false, 0},
		{10 * time.Second, true, 2},
		{15 * time.Second, false, 0},
		{time.Hour, true, 1},
	}
	for _, s := range steps {
		ok, held := l.allow(t0.Add(s.after))
		if ok != s.ok || held != s.held {
			t.Errorf("at +%v: %v, %d; want %v, %d", s.after, ok, held, s.ok, s.held)
		}
	}
}

// TestOversizedHeadNoReset sends a head too large in two parts, the
// second after the server has answered, as a client on a slower link
// does: the server drains what comes after its answer, so the client's
// write succeeds and it reads the 431 or 414, where it used to get
// "connection reset by peer".
func TestOversizedHeadNoReset(t *testing.T) {
	_, hs, _ := newTest(t, Options{})
	addr := strings.TrimPrefix(hs.URL, "http://")
	big := strings.Repeat("a", 20<<10)
	for _, tt := range []struct {
		name, first, rest string
		status            int
	}{
		{"header", "GET /feeds/news.atom HTTP/1.1\r\nHost: x\r\nX-Big: " + big, big + "\r\n\r\n", 431},
		{"url", "GET /" + big, big + " HTTP/1.1\r\nHost: x\r\n\r\n", 414},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := io.WriteString(conn, tt.first); err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond) // answered by now
			if _, err := io.WriteString(conn, tt.rest); err != nil {
				t.Errorf("writing the rest of the head: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no response: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status || !resp.Close {
				t.Errorf("%d, close %v; want %d, close", resp.StatusCode, resp.Close, tt.status)
			}
		})
	}
}

// TestPagesCountedTogether: requests for feeds are counted by path; those
// for the site's pages under one path="pages", so that a page per article
// does not make a series per article. Remove stops serving a page.
func TestPagesCountedTogether(t *testing.T) {
	m := metrics.New("test")
	s, hs, _ := newTest(t, Options{Metrics: m})
	s.Patch(publish.Tree{
		{Path: "article/0123456789abcdef.html", ContentType: htmlType, Body: []byte("<!DOCTYPE html><title>a</title>")},
		{Path: "category/news.html", ContentType: htmlType, Body: []byte("<!DOCTYPE html><title>c</title>")},
	})
	for _, p := range []string{"/", "/article/0123456789abcdef.html", "/category/news.html", "/feeds/news.atom"} {
		if r, _ := get(t, "GET", hs.URL+p); r.StatusCode != 200 {
			t.Fatalf("GET %s: %s", p, r.Status)
		}
	}
	_, body := get(t, "GET", hs.URL+"/metrics")
	for _, want := range []string{`feedsmith_feed_requests_total{feed="pages"} 3`, `feedsmith_feed_requests_total{feed="feeds/news.atom"} 1`} {
		if !strings.Contains(string(body), want+"\n") {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
	if strings.Contains(string(body), `feed="article/`) {
		t.Error("an article page has a series of its own")
	}
	s.Remove([]string{"article/0123456789abcdef.html"})
	if r, _ := get(t, "GET", hs.URL+"/article/0123456789abcdef.html"); r.StatusCode != 404 {
		t.Errorf("a removed page answers %s, want 404", r.Status)
	}
	if r, _ := get(t, "GET", hs.URL+"/category/news.html"); r.StatusCode != 200 {
		t.Errorf("the page left answers %s", r.Status)
	}
}
