package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/metrics"
	"github.com/feedsmith/feedsmith/publish"
	"github.com/valyala/fasthttp"
)

// TestConcurrentUpdate checks that a reader gets the ETag of the body it
// gets, while the tree is swapped under it.
func TestConcurrentUpdate(t *testing.T) {
	s := New(Options{})
	trees := [2]publish.Tree{sampleTree(), sampleTree()}
	trees[1][0].Body = feedBody("Other")
	s.Update(trees[0])
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				rec := httptest.NewRecorder()
				s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/feeds/news.atom", nil))
				sum := sha256.Sum256(rec.Body.Bytes())
				if want := `"` + hex.EncodeToString(sum[:16]) + `"`; rec.Header().Get("ETag") != want {
					t.Errorf("ETag %s for a body whose tag is %s", rec.Header().Get("ETag"), want)
					return
				}
			}
		})
	}
	for i := range 200 {
		s.Update(trees[i%2])
	}
	close(stop)
	wg.Wait()
}

// discard is a ResponseWriter that keeps the headers and drops the body,
// so a benchmark measures the handler and not a recorder's copying.
type discard struct {
	h      http.Header
	status int
	n      int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(code int)        { d.status = code }
func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

// bigFeed is a ~200 KB Atom feed of distinct entries.
func bigFeed() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>`)
	for i := 0; b.Len() < 200<<10; i++ {
		fmt.Fprintf(&b, `<entry><id>urn:uuid:%08x-feed</id><title>Article %d on the %d things</title>`+
			`<updated>2025-03-01T%02d:%02d:00Z</updated><content type="html">&lt;p&gt;Paragraph %d of a story, %x.&lt;/p&gt;</content></entry>`,
			i*7919, i, i*13, i%24, i%60, i, i*104729)
	}
	b.WriteString("</feed>")
	return []byte(b.String())
}

// benchServer returns a server holding bigFeed as feeds/news.atom, its
// body and its entry.
func benchServer() (*Server, []byte, *entry) {
	s := New(Options{
		Logger:  slog.New(slog.DiscardHandler),
		Metrics: metrics.New("bench"),
		Hub:     "https://hub.example.net/",
		BaseURL: "https://feeds.example.org/",
	})
	body := bigFeed()
	s.Update(publish.Tree{{Path: "feeds/news.atom", ContentType: atomType, Body: body, MaxAge: 15 * time.Minute}})
	e := (*s.files.Load())["feeds/news.atom"]
	return s, body, e
}

func BenchmarkServe(b *testing.B) {
	s, body, e := benchServer()
	b.Logf("feed %d bytes, gzip %d bytes", len(body), len(e.gzip.body))
	cases := []struct {
		name   string
		header http.Header
		status int
		n      int
	}{
		{"plain", http.Header{}, 200, len(body)},
		{"gzip", http.Header{"Accept-Encoding": {"gzip, deflate, br"}}, 200, len(e.gzip.body)},
		{"304-etag", http.Header{"Accept-Encoding": {"gzip, deflate, br"}, "If-None-Match": {e.gzip.etag}}, 304, 0},
		{"304-date", http.Header{"If-Modified-Since": {e.lastModified}}, 304, 0},
	}
	h := s.Handler()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/feeds/news.atom", nil)
			req.Header = c.header
			w := &discard{h: http.Header{}}
			b.ReportAllocs()
			b.SetBytes(int64(c.n))
			for b.Loop() {
				clear(w.h)
				w.n = 0
				h.ServeHTTP(w, req)
			}
			if w.status != c.status || w.n != c.n {
				b.Fatalf("status %d with %d bytes, want %d with %d", w.status, w.n, c.status, c.n)
			}
		})
	}
}

// BenchmarkServeFast is BenchmarkServe for HTTPServer's native path: the
// handler on a reused RequestCtx, as fasthttp runs it per connection.
func BenchmarkServeFast(b *testing.B) {
	s, body, e := benchServer()
	cases := []struct {
		name   string
		header []string
		status int
		n      int
	}{
		{"plain", nil, 200, len(body)},
		{"gzip", []string{"Accept-Encoding", "gzip, deflate, br"}, 200, len(e.gzip.body)},
		{"304-etag", []string{"Accept-Encoding", "gzip, deflate, br", "If-None-Match", e.gzip.etag}, 304, 0},
		{"304-date", []string{"If-Modified-Since", e.lastModified}, 304, 0},
	}
	h := s.HTTPServer().Handler
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var ctx fasthttp.RequestCtx
			var req fasthttp.Request
			req.SetRequestURI("/feeds/news.atom")
			for i := 0; i+1 < len(c.header); i += 2 {
				req.Header.Add(c.header[i], c.header[i+1])
			}
			ctx.Init(&req, nil, nil)
			b.ReportAllocs()
			b.SetBytes(int64(c.n))
			for b.Loop() {
				ctx.Response.Reset()
				h(&ctx)
			}
			if got := ctx.Response.StatusCode(); got != c.status || len(ctx.Response.Body()) != c.n && c.status == 200 {
				b.Fatalf("status %d with %d bytes, want %d with %d", got, len(ctx.Response.Body()), c.status, c.n)
			}
		})
	}
}
