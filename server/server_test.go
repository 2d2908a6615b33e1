package server

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/publish"
	"github.com/valyala/fasthttp"
)

// clock is a settable Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var start = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	atomType = "application/atom+xml; charset=utf-8"
	htmlType = "text/html; charset=utf-8"
)

// feedBody is a feed big enough for gzip to pay.
func feedBody(title string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>` + title + `</title>`)
	for i := range 50 {
		b.WriteString("<entry><title>Article ")
		b.WriteString(strings.Repeat("x", i))
		b.WriteString("</title><content>Some words about the news of the day.</content></entry>")
	}
	b.WriteString("</feed>")
	return b.Bytes()
}

func sampleTree() publish.Tree {
	return publish.Tree{
		{Path: "feeds/news.atom", ContentType: atomType, Body: feedBody("News"), MaxAge: 15 * time.Minute},
		{Path: "feeds/news.rss", ContentType: "application/rss+xml; charset=utf-8", Body: []byte("<rss/>"), MaxAge: 15 * time.Minute},
		{Path: "feeds/news.json", ContentType: "application/feed+json; charset=utf-8", Body: []byte(`{"version":"https://jsonfeed.org/version/1.1"}`)},
		{Path: "feeds.opml", ContentType: "text/x-opml; charset=utf-8", Body: []byte("<opml/>"), MaxAge: time.Hour},
		{Path: "index.html", ContentType: htmlType, Body: []byte("<!doctype html><style>p{}</style><p>feeds</p>"), MaxAge: time.Minute},
	}
}

// newTest starts a server with the sample tree on a loopback port, as
// the daemon runs it (HTTPServer).
func newTest(t *testing.T, opts Options) (*Server, *liveServer, *clock) {
	t.Helper()
	c := &clock{t: start}
	if opts.Now == nil {
		opts.Now = c.Now
	}
	s := New(opts)
	s.Update(sampleTree())
	return s, startHTTPServer(t, s), c
}

// liveServer is HTTPServer running on a loopback port.
type liveServer struct {
	URL  string
	hs   *fasthttp.Server
	ln   net.Listener
	done chan error
}

func startHTTPServer(t *testing.T, s *Server) *liveServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ls := &liveServer{URL: "http://" + ln.Addr().String(), hs: s.HTTPServer(), ln: ln, done: make(chan error, 1)}
	go func() { ls.done <- ls.hs.Serve(s.Listener(ln)) }()
	t.Cleanup(ls.Close)
	return ls
}

// Close stops the server and waits for its requests, their log lines
// included, to finish.
func (ls *liveServer) Close() {
	if ls.hs == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ls.hs.ShutdownWithContext(ctx)
	ls.ln.Close() // Serve may not have taken it yet when Shutdown ran
	<-ls.done
	ls.hs = nil
}

// get sends a request with the given headers through a client that does
// not decompress, and returns the response with its body read.
func get(t *testing.T, method, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestConditional(t *testing.T) {
	_, hs, _ := newTest(t, Options{})
	url := hs.URL + "/feeds/news.atom"
	first, body := get(t, "GET", url)
	etag, lm := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	if first.StatusCode != 200 || len(body) == 0 || !strings.HasPrefix(etag, `"`) || lm != start.Format(http.TimeFormat) {
		t.Fatalf("first GET: %d, %d bytes, ETag %q, Last-Modified %q", first.StatusCode, len(body), etag, lm)
	}
	gzipTag := strings.TrimSuffix(etag, `"`) + `-gzip"`
	tests := []struct {
		name   string
		header []string
		want   int
	}{
		{"same etag", []string{"If-None-Match", etag}, 304},
		{"weak etag", []string{"If-None-Match", "W/" + etag}, 304},
		{"in a list", []string{"If-None-Match", `"a", W/"b",` + etag}, 304},
		{"gzip etag asking identity", []string{"If-None-Match", gzipTag}, 304},
		{"star", []string{"If-None-Match", "*"}, 304},
		{"other etag", []string{"If-None-Match", `"0123"`}, 200},
		{"unquoted etag", []string{"If-None-Match", strings.Trim(etag, `"`)}, 200},
		{"since last modified", []string{"If-Modified-Since", lm}, 304},
		{"since later", []string{"If-Modified-Since", start.Add(time.Hour).Format(http.TimeFormat)}, 304},
		{"since earlier", []string{"If-Modified-Since", start.Add(-time.Second).Format(http.TimeFormat)}, 200},
		{"since in RFC 850 form", []string{"If-Modified-Since", start.Format(time.RFC850)}, 304},
		{"since invalid", []string{"If-Modified-Since", "yesterday"}, 200},
		{"etag wins over date", []string{"If-None-Match", `"0123"`, "If-Modified-Since", lm}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, "GET", url, tt.header...)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if resp.Header.Get("ETag") != etag || resp.Header.Get("Last-Modified") != lm ||
				resp.Header.Get("Cache-Control") != "public, max-age=900" || resp.Header.Get("Vary") != "Accept-Encoding" {
				t.Errorf("validators or cache headers missing: %v", resp.Header)
			}
			if tt.want == 304 && (len(body) != 0 || resp.Header.Get("Content-Type") != "") {
				t.Errorf("304 with a body (%d bytes) or a Content-Type", len(body))
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	s, hs, c := newTest(t, Options{})
	url := hs.URL + "/feeds/news.atom"
	first, _ := get(t, "GET", url)
	etag, lm := first.Header.Get("ETag"), first.Header.Get("Last-Modified")

	t.Run("identical bytes keep Last-Modified", func(t *testing.T) {
		c.Advance(time.Hour)
		if changed := s.Update(sampleTree()); len(changed) != 0 {
			t.Errorf("changed = %v, want none", changed)
		}
		resp, _ := get(t, "GET", url, "If-None-Match", etag)
		if resp.StatusCode != 304 || resp.Header.Get("Last-Modified") != lm {
			t.Errorf("status %d, Last-Modified %q, want 304 and %q", resp.StatusCode, resp.Header.Get("Last-Modified"), lm)
		}
	})
	t.Run("new bytes give new validators", func(t *testing.T) {
		c.Advance(time.Hour)
		tr := sampleTree()
		tr[0].Body = feedBody("Changed")
		tr = append(tr[:1], tr[2:]...) // news.rss removed
		if changed := s.Update(tr); len(changed) != 1 || changed[0] != "feeds/news.atom" {
			t.Errorf("changed = %v, want [feeds/news.atom]", changed)
		}
		resp, body := get(t, "GET", url, "If-None-Match", etag, "If-Modified-Since", lm)
		if resp.StatusCode != 200 || !bytes.Equal(body, feedBody("Changed")) {
			t.Fatalf("status %d, body %.40q", resp.StatusCode, body)
		}
		if got := resp.Header.Get("ETag"); got == etag {
			t.Error("ETag did not change with the bytes")
		}
		if got := resp.Header.Get("Last-Modified"); got != c.Now().Format(http.TimeFormat) {
			t.Errorf("Last-Modified %q, want %q", got, c.Now().Format(http.TimeFormat))
		}
		if resp, _ := get(t, "GET", hs.URL+"/feeds/news.rss"); resp.StatusCode != 404 {
			t.Errorf("removed file: status %d, want 404", resp.StatusCode)
		}
	})
}

func TestPatch(t *testing.T) {
	s, hs, c := newTest(t, Options{})
	before, _ := get(t, "GET", hs.URL+"/feeds/news.atom")
	c.Advance(time.Hour)
	changed := s.Patch([]publish.File{
		{Path: "feeds/news.rss", ContentType: "application/rss+xml; charset=utf-8", Body: []byte("<rss>new</rss>")},
		{Path: "feeds/tech.rss", ContentType: "application/rss+xml; charset=utf-8", Body: []byte("<rss>tech</rss>")},
		{Path: "feeds.opml", ContentType: "text/x-opml; charset=utf-8", Body: []byte("<opml/>")},
	})
	if strings.Join(changed, " ") != "feeds/news.rss feeds/tech.rss" {
		t.Errorf("changed = %v", changed)
	}
	after, _ := get(t, "GET", hs.URL+"/feeds/news.atom")
	for _, h := range []string{"ETag", "Last-Modified"} {
		if before.Header.Get(h) != after.Header.Get(h) {
			t.Errorf("unpatched file's %s changed: %q → %q", h, before.Header.Get(h), after.Header.Get(h))
		}
	}
	for path, want := range map[string]string{"/feeds/news.rss": "<rss>new</rss>", "/feeds/tech.rss": "<rss>tech</rss>", "/feeds.opml": "<opml/>"} {
		if resp, body := get(t, "GET", hs.URL+path); resp.StatusCode != 200 || string(body) != want {
			t.Errorf("%s: %d %q, want 200 %q", path, resp.StatusCode, body, want)
		}
	}
}
