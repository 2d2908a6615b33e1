package sources

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/internal/testutil"
)

type stubValidators struct{ etag, lastModified string }

func (s stubValidators) Validators(context.Context, string) (string, string, error) {
	return s.etag, s.lastModified, nil
}

func TestFetcherSendsHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 14 Feb 2022 00:47:41 GMT")
		// Compress only when the client asked, as a real server does.
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write([]byte("<rss/>"))
			zw.Close()
			return
		}
		w.Write([]byte("<rss/>"))
	}))
	defer srv.Close()

	resp, err := NewFetcher(UserAgent("1.2.3"), time.Second, 0).Get(t.Context(), srv.URL+"/feed")
	if err != nil {
		t.Fatal(err)
	}
	if ua := got.Get("User-Agent"); ua != "feedsmith/1.2.3 (+https://github.com/feedsmith/feedsmith)" {
		t.Errorf("User-Agent = %q", ua)
	}
	if a := got.Get("Accept"); !strings.Contains(a, "application/rss+xml") || !strings.Contains(a, "application/atom+xml") {
		t.Errorf("Accept = %q", a)
	}
	if got.Get("If-None-Match") != "" || got.Get("If-Modified-Since") != "" {
		t.Errorf("conditional headers sent without validators: %v", got)
	}
	if string(resp.Body) != "<rss/>" {
		t.Errorf("body = %q, want the gunzipped document", resp.Body)
	}
	want := Response{URL: srv.URL + "/feed", Status: 200, ContentType: "application/rss+xml; charset=utf-8",
		ETag: `"v1"`, LastModified: "Mon, 14 Feb 2022 00:47:41 GMT"}
	resp.Body = nil
	if !reflect.DeepEqual(*resp, want) {
		t.Errorf("response = %+v, want %+v", *resp, want)
	}
}

func TestFetcherConditionalGet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Mon, 14 Feb 2022 00:47:41 GMT" {
			w.Header().Set("ETag", `"v1"`)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte("<rss/>"))
	}))
	defer srv.Close()

	f := NewFetcher("", time.Second, 0)
	f.Validators = stubValidators{`"v1"`, "Mon, 14 Feb 2022 00:47:41 GMT"}
	resp, err := f.Get(t.Context(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.NotModified || resp.Body != nil || resp.Status != 304 || resp.ETag != `"v1"` {
		t.Errorf("response = %+v, want a bodiless 304 with its ETag", resp)
	}

	f.Validators = stubValidators{`"v0"`, ""}
	resp, err = f.Get(t.Context(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if resp.NotModified || string(resp.Body) != "<rss/>" {
		t.Errorf("stale validators: response = %+v, want the body", resp)
	}
}

func TestFetcherErrors(t *testing.T) {
	const big = 11 << 20
	now := time.Date(2022, 2, 14, 0, 0, 0, 0, time.UTC)
	mux := http.NewServeMux()
	mux.HandleFunc("/503", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "60") // only meaningful on 429/503
		http.NotFound(w, r)
	})
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/503-date", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(big))
		w.Write(bytes.Repeat([]byte("x"), big))
	})
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for range big >> 20 {
			w.Write(chunk)
			w.(http.Flusher).Flush() // no Content-Length: only the read limit stops it
		}
	})
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			w.Write([]byte("<rss/>"))
			return
		}
		http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1), http.StatusFound)
	})
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	closed := closedURL(t)

	tests := []struct {
		name       string
		url        string
		wantErr    string
		wantCode   int
		retryAfter time.Duration
	}{
		{"503", srv.URL + "/503", "GET " + srv.URL + "/503: 503 Service Unavailable", 503, 0},
		{"404 ignores Retry-After", srv.URL + "/404", "GET " + srv.URL + "/404: 404 Not Found", 404, 0},
		{"429 seconds", srv.URL + "/429", "429 Too Many Requests (retry after 2m0s)", 429, 2 * time.Minute},
		{"503 HTTP date", srv.URL + "/503-date", "503 Service Unavailable (retry after 1m30s)", 503, 90 * time.Second},
		{"Content-Length over limit", srv.URL + "/big", "GET " + srv.URL + "/big: body exceeds 10 MiB limit", 0, 0},
		{"chunked over limit", srv.URL + "/big-chunked", "/big-chunked: body exceeds 10 MiB limit", 0, 0},
		{"five redirects are followed", srv.URL + "/hop/5", "", 0, 0},
		{"six redirects are not", srv.URL + "/hop/6", "stopped after 5 redirects", 0, 0},
		{"redirect to file", srv.URL + "/to-file", "redirect to file:///etc/passwd refused", 0, 0},
		{"unreachable", closed, "GET " + closed + ": dial tcp", 0, 0},
		{"timeout", srv.URL + "/slow", "GET " + srv.URL + "/slow: ", 0, 0},
		{"unsupported scheme", "ftp://example.com/feed", `GET ftp://example.com/feed: unsupported scheme "ftp"`, 0, 0},
	}
	f := NewFetcher("", 500*time.Millisecond, 0)
	f.Now = func() time.Time { return now }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Get(t.Context(), tt.url)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
			}
			var se *StatusError
			if errors.As(err, &se) != (tt.wantCode != 0) {
				t.Fatalf("error %T: StatusError = %v, want %v", err, se != nil, tt.wantCode != 0)
			}
			if se != nil && (se.Code != tt.wantCode || se.RetryAfter != tt.retryAfter) {
				t.Errorf("StatusError = %+v, want code %d retry after %v", se, tt.wantCode, tt.retryAfter)
			}
		})
	}
}

// closedURL returns a loopback URL on which nothing listens.
func closedURL(t *testing.T) string {
	return "http://" + testutil.FreeAddr(t) + "/feed.xml"
}

func TestFetcherLocalFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feed.xml")
	if err := os.WriteFile(path, []byte("<rss/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := NewFetcher("", time.Second, 0)
	for _, u := range []string{path, "file://" + path, "testdata/feed/rss2.xml"} {
		resp, err := f.Get(t.Context(), u)
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		if resp.URL != "" || len(resp.Body) == 0 || resp.NotModified {
			t.Errorf("%s: response = %+v, want a body and no URL", u, resp)
		}
	}

	missing := filepath.Join(dir, "missing.xml")
	_, err := f.Get(t.Context(), missing)
	if err == nil || err.Error() != "read "+missing+": no such file or directory" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: error = %v", err)
	}

	small := NewFetcher("", time.Second, 4)
	_, err = small.Get(t.Context(), path)
	if want := "read " + path + ": body exceeds 4 bytes limit"; err == nil || err.Error() != want {
		t.Errorf("large file: error = %v, want %q", err, want)
	}
}

func TestFetcherWithLimits(t *testing.T) {
	f := NewFetcher("ua", time.Minute, 1<<20)
	g := f.WithLimits(time.Second, 1<<10)
	if g.Client.Timeout != time.Second || g.MaxBody != 1<<10 || g.UserAgent != "ua" {
		t.Errorf("WithLimits = %+v", g)
	}
	if f.Client.Timeout != time.Minute || f.MaxBody != 1<<20 {
		t.Errorf("WithLimits changed the original: %+v", f)
	}
	if h := f.WithLimits(0, 0); h.Client != f.Client || h.MaxBody != f.MaxBody {
		t.Errorf("WithLimits(0, 0) = %+v, want f's settings", h)
	}
}
