package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/metrics"
	"github.com/feedsmith/feedsmith/publish"
)

// rawDo sends a raw request head (request line and header lines, without
// the blank line) and a body, and returns the response with its body.
func rawDo(t *testing.T, addr, head, body string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, head+"\r\nConnection: close\r\n\r\n"+body); err != nil {
		t.Fatal(err)
	}
	method, _, _ := strings.Cut(head, " ")
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// TestParity sends the same raw requests to Handler under net/http and to
// HTTPServer, which answers tree files natively, and wants the same
// status, header fields and body from both.
func TestParity(t *testing.T) {
	newServer := func() *Server {
		c := &clock{t: start}
		s := New(Options{
			Now: c.Now, Hub: "https://hub.example.net/", BaseURL: "https://feeds.example.org/",
			Metrics: metrics.New("test"), AdminToken: "s3cret",
			Refresh: func(context.Context, string) error { return nil },
		})
		// feeds/big.atom is large enough to be sent with sendfile.
		s.Update(append(sampleTree(), publish.File{Path: "feeds/big.atom", ContentType: atomType, Body: bigFeed(), MaxAge: time.Hour}))
		return s
	}
	std := httptest.NewServer(newServer().Handler())
	defer std.Close()
	fast := startHTTPServer(t, newServer())
	stdAddr := strings.TrimPrefix(std.URL, "http://")
	fastAddr := strings.TrimPrefix(fast.URL, "http://")

	_, plainBody := rawDo(t, stdAddr, "GET /feeds/news.atom HTTP/1.1\r\nHost: feeds.test", "")
	resp, _ := rawDo(t, stdAddr, "GET /feeds/news.atom HTTP/1.1\r\nHost: feeds.test", "")
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	gzipTag := strings.TrimSuffix(etag, `"`) + `-gzip"`
	if len(plainBody) == 0 || etag == "" || lm == "" {
		t.Fatalf("no body, ETag or Last-Modified: %v", resp.Header)
	}

	tests := []struct{ name, head, body string }{
		{"get", "GET /feeds/news.atom HTTP/1.1", ""},
		{"http/1.0", "GET /feeds/news.atom HTTP/1.0", ""},
		{"index", "GET / HTTP/1.1", ""},
		{"index.html", "GET /index.html HTTP/1.1", ""},
		{"opml", "GET /feeds.opml HTTP/1.1", ""},
		{"json feed", "GET /feeds/news.json HTTP/1.1", ""},
		{"rss", "GET /feeds/news.rss HTTP/1.1\r\nAccept-Encoding: gzip", ""},
		{"query", "GET /feeds/news.atom?utm=x HTTP/1.1", ""},
		{"gzip", "GET /feeds/news.atom HTTP/1.1\r\nAccept-Encoding: gzip, deflate, br", ""},
		{"x-gzip", "GET /feeds/news.atom HTTP/1.1\r\nAccept-Encoding: x-gzip", ""},
		{"star coding", "GET /feeds/news.atom HTTP/1.1\r\nAccept-Encoding: *", ""},
		{"gzip q=0", "GET /feeds/news.atom HTTP/1.1\r\nAccept-Encoding: gzip;q=0", ""},
		{"identity preferred", "GET /feeds/news.atom HTTP/1.1\r\nAccept-Encoding: identity, gzip;q=0.5", ""},
		{"two coding lines", "GET /feeds/news.atom HTTP/1.1\r\nAccept-Encoding: identity;q=0\r\nAccept-Encoding: gzip", ""},
		{"head", "HEAD /feeds/news.atom HTTP/1.1", ""},
		{"head gzip", "HEAD /feeds/news.atom HTTP/1.1\r\nAccept-Encoding: gzip", ""},
		{"etag", "GET /feeds/news.atom HTTP/1.1\r\nIf-None-Match: " + etag, ""},
		{"gzip etag", "GET /feeds/news.atom HTTP/1.1\r\nAccept-Encoding: gzip\r\nIf-None-Match: " + gzipTag, ""},
		{"weak etag in a list", "GET /feeds/news.atom HTTP/1.1\r\nIf-None-Match: \"a\", W/" + etag, ""},
		{"etag on a second line", "GET /feeds/news.atom HTTP/1.1\r\nIf-None-Match: \"a\"\r\nIf-None-Match: " + etag, ""},
		{"star etag", "HEAD /feeds/news.atom HTTP/1.1\r\nIf-None-Match: *", ""},
		{"other etag", "GET /feeds/news.atom HTTP/1.1\r\nIf-None-Match: \"0123\"", ""},
		{"empty etag", "GET /feeds/news.atom HTTP/1.1\r\nIf-None-Match: \r\nIf-Modified-Since: " + lm, ""},
		{"since", "GET /feeds/news.atom HTTP/1.1\r\nIf-Modified-Since: " + lm, ""},
		{"since invalid", "GET /feeds/news.atom HTTP/1.1\r\nIf-Modified-Since: yesterday", ""},
		{"post", "POST /feeds/news.atom HTTP/1.1\r\nContent-Length: 2", "{}"},
		{"put", "PUT /feeds/news.atom HTTP/1.1\r\nContent-Length: 0", ""},
		{"options", "OPTIONS /feeds/news.atom HTTP/1.1", ""},
		{"missing", "GET /feeds/nope.atom HTTP/1.1", ""},
		{"folder", "GET /feeds/ HTTP/1.1", ""},
		{"double slash", "GET //feeds/news.atom HTTP/1.1", ""},
		{"dot dot", "GET /feeds/../feeds/news.atom HTTP/1.1", ""},
		{"escaped", "GET /feeds/news%2eatom HTTP/1.1", ""},
		{"absolute form", "GET http://feeds.test/feeds/news.atom HTTP/1.1", ""},
		{"healthz", "GET /healthz HTTP/1.1", ""},
		{"healthz head", "HEAD /healthz HTTP/1.1", ""},
		{"healthz post", "POST /healthz HTTP/1.1\r\nContent-Length: 0", ""},
		{"readyz", "GET /readyz HTTP/1.1", ""},
		{"refresh", "POST /-/refresh/a HTTP/1.1\r\nAuthorization: Bearer s3cret\r\nContent-Length: 0", ""},
		{"refresh without a token", "POST /-/refresh/a HTTP/1.1\r\nContent-Length: 0", ""},
		{"refresh body too large", "POST /-/refresh/a HTTP/1.1\r\nAuthorization: Bearer s3cret\r\nContent-Length: 2048", strings.Repeat("x", 2048)},
		{"refresh by get", "GET /-/refresh/a HTTP/1.1", ""},
		{"refresh by put", "PUT /-/refresh/a HTTP/1.1\r\nContent-Length: 0", ""},
		{"connect", "CONNECT 127.0.0.1:1 HTTP/1.1", ""},
		{"connect to a path", "CONNECT /feeds/news.atom HTTP/1.1", ""},
		{"trace", "TRACE /feeds/news.atom HTTP/1.1", ""},
		{"trace missing", "TRACE /nope HTTP/1.1", ""},
		{"made-up method", "BREW / HTTP/1.1", ""},
		{"options healthz", "OPTIONS /healthz HTTP/1.1", ""},
		{"put missing", "PUT /nope HTTP/1.1\r\nContent-Length: 0", ""},
		{"dot, escaped letter", "GET /./feeds/%78ss.atom HTTP/1.1", ""},
		{"double slash, escapes and query", "GET //feeds/n%C3%A9.atom?q=%41 HTTP/1.1", ""},
		{"dot dot, escaped slash", "GET /feeds/../feeds/news%2Fx.atom HTTP/1.1", ""},
		{"escaped served file", "GET /feeds/%6Eews.atom HTTP/1.1", ""},
		{"head of a dot path", "HEAD /./feeds/news.atom HTTP/1.1", ""},
		{"large", "GET /feeds/big.atom HTTP/1.1", ""},
		{"large, http/1.0", "GET /feeds/big.atom HTTP/1.0", ""},
		{"large, head", "HEAD /feeds/big.atom HTTP/1.1", ""},
		{"large, gzip", "GET /feeds/big.atom HTTP/1.1\r\nAccept-Encoding: gzip", ""},
		{"large, since", "GET /feeds/big.atom HTTP/1.1\r\nIf-Modified-Since: " + lm, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, rest, _ := strings.Cut(tt.head, " ")
			head := method + " " + rest
			if !strings.Contains(tt.head, "\r\nHost:") {
				line, more, _ := strings.Cut(head, "\r\n")
				head = line + "\r\nHost: feeds.test"
				if more != "" {
					head += "\r\n" + more
				}
			}
			want, wantBody := rawDo(t, stdAddr, head, tt.body)
			got, gotBody := rawDo(t, fastAddr, head, tt.body)
			if got.StatusCode != want.StatusCode {
				t.Errorf("status %d, net/http %d", got.StatusCode, want.StatusCode)
			}
			if gotBody != wantBody {
				t.Errorf("body %.80q, net/http %.80q", gotBody, wantBody)
			}
			for _, k := range fieldNames(want.Header, got.Header) {
				if k == "Date" {
					continue // the clock may tick between the two
				}
				if g, w := got.Header.Values(k), want.Header.Values(k); !slices.Equal(g, w) {
					t.Errorf("%s: %q, net/http %q", k, g, w)
				}
			}
			if got.ContentLength != want.ContentLength {
				t.Errorf("Content-Length %d, net/http %d", got.ContentLength, want.ContentLength)
			}
		})
	}
}

// fieldNames lists the field names of both headers, sorted, once each.
func fieldNames(a, b http.Header) []string {
	var names []string
	for k := range a {
		names = append(names, k)
	}
	for k := range b {
		names = append(names, k)
	}
	slices.Sort(names)
	return slices.Compact(names)
}
