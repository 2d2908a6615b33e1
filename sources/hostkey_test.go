package sources

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestHostKey(t *testing.T) {
	tests := []struct{ url, key, origin string }{
		{"http://127.0.0.1:8080/a", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://localhost:8080/a", "127.0.0.1:8080", "http://localhost:8080"},
		{"http://LOCALHOST:8080/a", "127.0.0.1:8080", "http://localhost:8080"},
		{"http://localhost.:8080/a", "127.0.0.1:8080", "http://localhost:8080"},
		{"http://app.localhost:8080/a", "127.0.0.1:8080", "http://app.localhost:8080"},
		{"http://[::ffff:127.0.0.1]:8080/a", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://[::1]:8080/a", "[::1]:8080", "http://[::1]:8080"},
		{"http://[0:0::1]:8080/a", "[::1]:8080", "http://[::1]:8080"},
		{"HTTP://News.Example.ORG./a", "news.example.org:80", "http://news.example.org:80"},
		{"http://news.example.org:80/a", "news.example.org:80", "http://news.example.org:80"},
		{"https://news.example.org/a", "news.example.org:443", "https://news.example.org:443"},
		{"https://news.example.org:443/a", "news.example.org:443", "https://news.example.org:443"},
		{"https://news.example.org:0443/a", "news.example.org:443", "https://news.example.org:443"},
		{"https://news.example.org:/a", "news.example.org:443", "https://news.example.org:443"},
		{"http://user:pass@news.example.org/a", "news.example.org:80", "http://news.example.org:80"},
		{"https://news.example.org:8443/a", "news.example.org:8443", "https://news.example.org:8443"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if got := hostKey(u); got != tt.key {
				t.Errorf("hostKey = %q, want %q", got, tt.key)
			}
			if got := originOf(u); got != tt.origin {
				t.Errorf("originOf = %q, want %q", got, tt.origin)
			}
		})
	}
}

// TestHostLimiterCanonicalHost is the finding of issue 10: with per_host
// 1, four spellings of one loopback server reached it four times at once.
func TestHostLimiterCanonicalHost(t *testing.T) {
	var inFlight, peak, served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := peak.Load(); cur > m && !peak.CompareAndSwap(m, cur); m = peak.Load() {
		}
		time.Sleep(40 * time.Millisecond)
		served.Add(1)
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	port := strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
	f := NewFetcher("test", 5*time.Second, 1<<20)
	f.Limiter = NewHostLimiter(1, 0)
	var wg sync.WaitGroup
	// Names are looked up in /etc/hosts only: "localhost." would be a
	// DNS query, and tests send nothing beyond loopback.
	for _, host := range []string{"127.0.0.1", "localhost", "LOCALHOST", "[::ffff:127.0.0.1]", "127.0.0.1", "Localhost"} {
		wg.Go(func() {
			if _, err := f.Get(context.Background(), "http://"+host+":"+port+"/x"); err != nil {
				t.Errorf("%s: %v", host, err)
			}
		})
	}
	wg.Wait()
	if n := served.Load(); n != 6 {
		t.Fatalf("%d requests served, want 6", n)
	}
	if p := peak.Load(); p != 1 {
		t.Errorf("%d requests at once to one server under per_host 1, want 1", p)
	}
}
