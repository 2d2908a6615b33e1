package server

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/valyala/fasthttp"
)

// TestAccessLogFile: with a file target every request answered gets one
// Combined Log Format line (tree files, 304s, HEADs, 404s and the other
// routes), client text escaped; reopening after a rename (logrotate)
// writes to a new file at the path; closed, nothing is written.
func TestAccessLogFile(t *testing.T) {
	s, hs, _ := newTest(t, Options{})
	dir := t.TempDir()
	path := filepath.Join(dir, "access.log")
	if err := s.OpenAccessLog(filepath.Join(dir, "missing", "access.log")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("OpenAccessLog in a missing folder: %v, want an error naming it", err)
	}
	if err := s.OpenAccessLog(path); err != nil {
		t.Fatal(err)
	}
	first, body := get(t, "GET", hs.URL+"/feeds/news.atom", "User-Agent", `agent "quoted" \ é`, "Referer", "https://ref.example/")
	get(t, "GET", hs.URL+"/feeds/news.atom", "If-None-Match", first.Header.Get("ETag"), "User-Agent", "r")
	get(t, "HEAD", hs.URL+"/feeds/news.atom", "User-Agent", "r")
	get(t, "GET", hs.URL+"/nope?q=%22x", "User-Agent", "r")
	get(t, "GET", hs.URL+"/healthz", "User-Agent", "r")
	hs.Close() // waits for the requests' lines

	when := `\[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\]`
	want := []string{
		`^127\.0\.0\.1 - - ` + when + ` "GET /feeds/news.atom HTTP/1\.1" 200 ` + strconv.Itoa(len(body)) +
			` "https://ref\.example/" "agent \\x22quoted\\x22 \\x5C \\xC3\\xA9"$`,
		`^127\.0\.0\.1 - - ` + when + ` "GET /feeds/news.atom HTTP/1\.1" 304 - "-" "r"$`,
		`^127\.0\.0\.1 - - ` + when + ` "HEAD /feeds/news.atom HTTP/1\.1" 200 - "-" "r"$`,
		`^127\.0\.0\.1 - - ` + when + ` "GET /nope\?q=%22x HTTP/1\.1" 404 \d+ "-" "r"$`,
		`^127\.0\.0\.1 - - ` + when + ` "GET /healthz HTTP/1\.1" 200 \d+ "-" "r"$`,
	}
	checkLines(t, path, want)

	// Rotation: the file is moved aside, and a reopen starts a new one.
	hs = startHTTPServer(t, s)
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := s.ReopenAccessLog(); err != nil {
		t.Fatal(err)
	}
	get(t, "GET", hs.URL+"/feeds.opml", "User-Agent", "after")
	if err := s.CloseAccessLog(); err != nil {
		t.Fatal(err)
	}
	get(t, "GET", hs.URL+"/feeds.opml", "User-Agent", "closed")
	hs.Close()
	checkLines(t, path+".1", want)
	checkLines(t, path, []string{`"GET /feeds\.opml HTTP/1\.1" 200 \d+ "-" "after"$`})
}

// checkLines checks that the file holds one line per pattern, in order.
func checkLines(t *testing.T, path string, want []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%s: %d lines, want %d:\n%s", path, len(lines), len(want), b)
	}
	for i, w := range want {
		if !regexp.MustCompile(w).MatchString(lines[i]) {
			t.Errorf("%s line %d:\n%s\nwant it to match\n%s", path, i+1, lines[i], w)
		}
	}
}

// TestAccessLogStderr: the "stderr" target logs each request at info
// level through the server's logger, with the same fields.
func TestAccessLogStderr(t *testing.T) {
	logs := &testutil.SyncBuffer{}
	s, hs, _ := newTest(t, Options{Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err := s.OpenAccessLog("stderr"); err != nil {
		t.Fatal(err)
	}
	get(t, "GET", hs.URL+"/feeds/news.json", "User-Agent", "reader/1.0")
	hs.Close()
	line := logs.String()
	for _, w := range []string{`"level":"INFO","msg":"request"`, `"remote":"127.0.0.1"`, `"method":"GET"`, `"uri":"/feeds/news.json"`,
		`"status":200`, `"user_agent":"reader/1.0"`, `"referer":""`, `"duration":`} {
		if !strings.Contains(line, w) {
			t.Errorf("access log line lacks %s: %s", w, line)
		}
	}
	if err := s.OpenAccessLog(""); err != nil || s.access.Load() != nil {
		t.Errorf("OpenAccessLog(\"\") = %v, log %v; want off", err, s.access.Load())
	}
}

// TestAccessLogEscape: a client's bytes cannot break a line or a quoted
// field.
func TestAccessLogEscape(t *testing.T) {
	got := appendEscaped(nil, []byte("a\"b\\c\nd\x00e\x7fé~"))
	if want := `a\x22b\x5Cc\x0Ad\x00e\x7F\xC3\xA9~`; !bytes.Equal(got, []byte(want)) {
		t.Errorf("appendEscaped = %s, want %s", got, want)
	}
}

// BenchmarkAccessLog is BenchmarkServeFast's 304 by ETag with the access
// log off (as BenchmarkServeFast runs), to a file, and through a logger.
func BenchmarkAccessLog(b *testing.B) {
	for _, target := range []string{"", "file", "stderr"} {
		b.Run("target="+target, func(b *testing.B) {
			s, _, e := benchServer()
			open := target
			switch target {
			case "file":
				open = filepath.Join(b.TempDir(), "access.log")
			case "stderr":
				s.logger = slog.New(slog.NewJSONHandler(discardWriter{}, nil))
			}
			if err := s.OpenAccessLog(open); err != nil {
				b.Fatal(err)
			}
			defer s.CloseAccessLog()
			h := s.HTTPServer().Handler
			var ctx fasthttp.RequestCtx
			var req fasthttp.Request
			req.SetRequestURI("/feeds/news.atom")
			req.Header.Add("If-None-Match", e.plain.etag)
			req.Header.Add("User-Agent", "Feedly/1.0 (+http://www.feedly.com/fetcher.html)")
			ctx.Init(&req, nil, nil)
			b.ReportAllocs()
			for b.Loop() {
				ctx.Response.Reset()
				h(&ctx)
			}
			if got := ctx.Response.StatusCode(); got != 304 {
				b.Fatalf("status %d, want 304", got)
			}
		})
	}
}

// discardWriter drops what a logger writes, after the logger formatted it.
type discardWriter struct{}

func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// FuzzAccessLogEscape: whatever a client sends, its escaped form is
// printable ASCII without a quote or a lone backslash, so a log line
// stays one line with its fields where they were, and it decodes back.
func FuzzAccessLogEscape(f *testing.F) {
	for _, s := range []string{"", `Mozilla/5.0 "x" \ y`, "a\r\nb", "é\x00\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out := appendEscaped(nil, in)
		var back []byte
		for i := 0; i < len(out); i++ {
			c := out[i]
			if c < 0x20 || c >= 0x7f || c == '"' {
				t.Fatalf("escaped %q holds %q", out, c)
			}
			if c == '\\' {
				if i+3 >= len(out) || out[i+1] != 'x' {
					t.Fatalf("escaped %q: a backslash not followed by xHH at %d", out, i)
				}
				n, err := strconv.ParseUint(string(out[i+2:i+4]), 16, 8)
				if err != nil {
					t.Fatalf("escaped %q: %v", out, err)
				}
				back = append(back, byte(n))
				i += 3
				continue
			}
			back = append(back, c)
		}
		if !bytes.Equal(back, in) {
			t.Fatalf("%q escaped to %q, which decodes to %q", in, out, back)
		}
	})
}
