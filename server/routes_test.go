package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/feedsmith/feedsmith/metrics"
)

func TestHead(t *testing.T) {
	_, hs, _ := newTest(t, Options{})
	for _, tt := range []struct{ name, accept string }{{"identity", ""}, {"gzip", "gzip"}} {
		t.Run(tt.name, func(t *testing.T) {
			full, body := get(t, "GET", hs.URL+"/feeds/news.atom", "Accept-Encoding", tt.accept)
			head, hbody := get(t, "HEAD", hs.URL+"/feeds/news.atom", "Accept-Encoding", tt.accept)
			if head.StatusCode != 200 || len(hbody) != 0 {
				t.Fatalf("HEAD: %d with %d body bytes", head.StatusCode, len(hbody))
			}
			if head.ContentLength != int64(len(body)) {
				t.Errorf("HEAD Content-Length %d, GET body %d", head.ContentLength, len(body))
			}
			for _, h := range []string{"Content-Type", "ETag", "Last-Modified", "Cache-Control", "Content-Encoding"} {
				if head.Header.Get(h) != full.Header.Get(h) {
					t.Errorf("%s: HEAD %q, GET %q", h, head.Header.Get(h), full.Header.Get(h))
				}
			}
		})
	}
	t.Run("handler writes no body", func(t *testing.T) {
		s, _, _ := newTest(t, Options{})
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("HEAD", "/", nil))
		if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
			t.Errorf("%d, %d body bytes, Content-Length %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
		}
	})
}

func TestRoutes(t *testing.T) {
	_, hs, _ := newTest(t, Options{})
	tests := []struct {
		method, path string
		want         int
		allow        string
	}{
		{"GET", "/", 200, ""},
		{"GET", "/index.html", 200, ""},
		{"GET", "/feeds.opml", 200, ""},
		{"GET", "/feeds/news.json", 200, ""},
		{"GET", "/feeds/nope.atom", 404, ""},
		{"GET", "/feeds/", 404, ""},
		{"GET", "/feeds", 404, ""},
		{"GET", "/metrics", 404, ""}, // no Metrics
		{"POST", "/-/refresh/a", 404, ""},
		{"POST", "/feeds/news.atom", 405, "GET, HEAD"},
		{"PUT", "/feeds/news.atom", 405, "GET, HEAD"},
		{"DELETE", "/", 405, "GET, HEAD"},
		{"OPTIONS", "/feeds.opml", 405, "GET, HEAD"},
		{"GET", "/healthz", 200, ""},
		{"HEAD", "/healthz", 200, ""},
		{"POST", "/healthz", 405, "GET, HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			resp, _ := get(t, tt.method, hs.URL+tt.path)
			if resp.StatusCode != tt.want || resp.Header.Get("Allow") != tt.allow {
				t.Errorf("%d Allow %q, want %d %q", resp.StatusCode, resp.Header.Get("Allow"), tt.want, tt.allow)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	_, hs, _ := newTest(t, Options{})
	html, _ := get(t, "GET", hs.URL+"/")
	for h, want := range map[string]string{
		"Content-Type":                htmlType,
		"X-Content-Type-Options":      "nosniff",
		"Content-Security-Policy":     "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
		"Referrer-Policy":             "no-referrer",
		"X-Frame-Options":             "DENY",
		"Access-Control-Allow-Origin": "",
		"Cache-Control":               "public, max-age=60",
	} {
		if got := html.Header.Get(h); got != want {
			t.Errorf("index %s = %q, want %q", h, got, want)
		}
	}
	for path, ct := range map[string]string{
		"/feeds/news.atom": atomType,
		"/feeds/news.json": "application/feed+json; charset=utf-8",
		"/feeds.opml":      "text/x-opml; charset=utf-8",
	} {
		resp, _ := get(t, "GET", hs.URL+path)
		if resp.Header.Get("Content-Type") != ct || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
			resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Content-Security-Policy") != "" {
			t.Errorf("%s headers: %v", path, resp.Header)
		}
	}
}

func TestLinkHeaders(t *testing.T) {
	_, hs, _ := newTest(t, Options{Hub: "https://hub.example.net/", BaseURL: "https://feeds.example.org/"})
	resp, _ := get(t, "GET", hs.URL+"/feeds/news.atom")
	want := []string{`<https://hub.example.net/>; rel="hub"`, `<https://feeds.example.org/feeds/news.atom>; rel="self"`}
	if got := resp.Header.Values("Link"); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Link = %q, want %q", got, want)
	}
	for _, path := range []string{"/", "/feeds.opml"} {
		if resp, _ := get(t, "GET", hs.URL+path); resp.Header.Get("Link") != "" {
			t.Errorf("%s has a Link header: %q", path, resp.Header.Get("Link"))
		}
	}
	_, plain, _ := newTest(t, Options{BaseURL: "https://feeds.example.org/"})
	if resp, _ := get(t, "GET", plain.URL+"/feeds/news.atom"); resp.Header.Get("Link") != "" {
		t.Errorf("Link without a hub: %q", resp.Header.Get("Link"))
	}
}

func TestHealth(t *testing.T) {
	var notReady atomic.Pointer[error]
	_, hs, _ := newTest(t, Options{Ready: func() error {
		if p := notReady.Load(); p != nil {
			return *p
		}
		return nil
	}})
	if resp, body := get(t, "GET", hs.URL+"/healthz"); resp.StatusCode != 200 || string(body) != "ok\n" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	if resp, _ := get(t, "GET", hs.URL+"/readyz"); resp.StatusCode != 200 {
		t.Errorf("readyz when ready: %d", resp.StatusCode)
	}
	err := errors.New("first collection not done")
	notReady.Store(&err)
	if resp, body := get(t, "GET", hs.URL+"/readyz"); resp.StatusCode != 503 || !strings.Contains(string(body), err.Error()) {
		t.Errorf("readyz when not ready: %d %q", resp.StatusCode, body)
	}
}

func TestMetrics(t *testing.T) {
	m := metrics.New("test")
	s, hs, _ := newTest(t, Options{Metrics: m})
	first, _ := get(t, "GET", hs.URL+"/feeds/news.atom")
	get(t, "GET", hs.URL+"/feeds/news.atom", "If-None-Match", first.Header.Get("ETag"))
	get(t, "GET", hs.URL+"/nope")
	resp, body := get(t, "GET", hs.URL+"/metrics")
	if resp.StatusCode != 200 {
		t.Fatalf("metrics: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`feedsmith_feed_requests_total{feed="feeds/news.atom"} 2`,
		`feedsmith_feed_not_modified_total{feed="feeds/news.atom"} 1`,
	} {
		if !strings.Contains(string(body), want+"\n") {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(string(body), `feed="nope"`) {
		t.Error("a path outside the tree became a label")
	}
	s.Update(sampleTree()[1:])
	if _, body := get(t, "GET", hs.URL+"/metrics"); strings.Contains(string(body), `feed="feeds/news.atom"`) {
		t.Error("a file removed from the tree keeps its series")
	}
}

func TestRequestLog(t *testing.T) {
	var buf testutil.SyncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, hs, _ := newTest(t, Options{Logger: logger})
	_, body := get(t, "GET", hs.URL+"/feeds/news.atom")
	get(t, "GET", hs.URL+"/nope")
	hs.Close() // waits for the handlers, and so for their log lines
	for _, want := range []string{
		fmt.Sprintf("msg=request method=GET path=/feeds/news.atom status=200 bytes=%d duration=", len(body)),
		"msg=request method=GET path=/nope status=404 bytes=19 duration=",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestAdmin(t *testing.T) {
	var (
		mu    sync.Mutex
		calls []string
	)
	refresh := func(ctx context.Context, id string) error {
		mu.Lock()
		calls = append(calls, id)
		mu.Unlock()
		switch id {
		case "gone":
			return fmt.Errorf("refresh %s: %w", id, ErrUnknownSource)
		case "broken":
			return errors.New("store closed")
		}
		return ctx.Err()
	}
	_, on, _ := newTest(t, Options{AdminToken: "s3cret", Refresh: refresh})
	_, off, _ := newTest(t, Options{Refresh: refresh})
	tests := []struct {
		name, url, auth, body string
		want                  int
		called                bool
	}{
		{"off without a token", off.URL + "/-/refresh/a", "Bearer ", "", 404, false},
		{"missing token", on.URL + "/-/refresh/a", "", "", 401, false},
		{"wrong token", on.URL + "/-/refresh/a", "Bearer s3cre", "", 401, false},
		{"basic scheme", on.URL + "/-/refresh/a", "Basic s3cret", "", 401, false},
		{"right token", on.URL + "/-/refresh/a", "Bearer s3cret", "", 200, true},
		{"scheme in any case", on.URL + "/-/refresh/a", "bearer s3cret", "", 200, true},
		{"unknown source", on.URL + "/-/refresh/gone", "Bearer s3cret", "", 404, true},
		{"failing refresh", on.URL + "/-/refresh/broken", "Bearer s3cret", "", 500, true},
		{"body too large", on.URL + "/-/refresh/a", "Bearer s3cret", strings.Repeat("x", 2<<10), 413, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			calls = nil
			mu.Unlock()
			req, _ := http.NewRequest("POST", tt.url, strings.NewReader(tt.body))
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without WWW-Authenticate: %q", resp.Header.Get("WWW-Authenticate"))
			}
			mu.Lock()
			defer mu.Unlock()
			if (len(calls) == 1) != tt.called {
				t.Errorf("Refresh calls %v, want called=%v", calls, tt.called)
			}
		})
	}
}

func TestHTTPServer(t *testing.T) {
	srv := New(Options{}).HTTPServer()
	if srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 ||
		srv.ReadBufferSize == 0 || srv.MaxRequestBodySize == 0 || srv.Handler == nil || srv.Logger == nil || srv.ErrorHandler == nil {
		t.Errorf("server not fully configured: %+v", srv)
	}
}
