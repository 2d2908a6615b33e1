package testutil

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// S3Proxy is a loopback reverse proxy in front of an S3 server: it
// records every request (method and path), and can fail them with 500
// from some request on, as a server that breaks mid-publish does. The
// client signs the proxy's host, which the proxy passes on as is, so
// the server accepts the signatures.
type S3Proxy struct {
	// URL is the endpoint to give the client.
	URL string
	mu  sync.Mutex
	// requests lists "METHOD /path" of every request, failed ones too.
	requests []string
	// failFrom is how many requests pass before the rest fail; -1 for
	// none failing.
	failFrom int
}

// StartS3Proxy starts a proxy to the server at target, closed when the
// test ends.
func StartS3Proxy(t testing.TB, target string) *S3Proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &S3Proxy{failFrom: -1}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		fail := p.failFrom >= 0 && len(p.requests) >= p.failFrom
		p.requests = append(p.requests, r.Method+" "+r.URL.Path)
		p.mu.Unlock()
		if fail {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>failing on purpose</Message></Error>`))
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// FailAfter lets n more requests through, then fails every one.
func (p *S3Proxy) FailAfter(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failFrom = len(p.requests) + n
}

// Heal stops failing requests.
func (p *S3Proxy) Heal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failFrom = -1
}

// Requests returns the paths of the requests with method since the
// last Reset, in order.
func (p *S3Proxy) Requests(method string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var paths []string
	for _, r := range p.requests {
		if path, ok := strings.CutPrefix(r, method+" "); ok {
			paths = append(paths, path)
		}
	}
	return paths
}

// Reset forgets the requests so far; a FailAfter still counts from
// where it was given.
func (p *S3Proxy) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failFrom >= 0 {
		p.failFrom = max(p.failFrom-len(p.requests), 0)
	}
	p.requests = nil
}
