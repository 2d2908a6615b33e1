package server

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/publish"
)

// rawGet sends target as is in the request line, which Go's client would
// clean, and returns the response with its body.
func rawGet(t *testing.T, addr, target string) (*http.Response, string) {
	t.Helper()
	return rawDo(t, addr, "GET "+target+" HTTP/1.1\r\nHost: feeds.test", "")
}

func TestPathTraversal(t *testing.T) {
	// A secret next to the server's working folder, and one a level up:
	// nothing may reach either, whatever the path.
	dir := t.TempDir()
	work := filepath.Join(dir, "public")
	const secret = "TOP-SECRET-do-not-serve"
	for _, name := range []string{filepath.Join(dir, "secret.txt"), filepath.Join(work, "secret.txt"), filepath.Join(work, "feeds", "secret.txt")} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(secret), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	_, hs, _ := newTest(t, Options{})
	addr := strings.TrimPrefix(hs.URL, "http://")
	targets := []string{
		"/secret.txt",
		"/feeds/secret.txt",
		"/../secret.txt",
		"/feeds/../../secret.txt",
		"/feeds/../feeds/../../secret.txt",
		"/%2e%2e/secret.txt",
		"/%2E%2E%2Fsecret.txt",
		"/feeds/%2e%2e/%2e%2e/secret.txt",
		"/..%2fsecret.txt",
		"/..%5csecret.txt",
		`/..\secret.txt`,
		`/feeds\..\..\secret.txt`,
		"/feeds/news.atom%00",
		"/secret.txt%00.atom",
		"//secret.txt",
		"/./secret.txt",
		"/../../../../../../etc/passwd",
		"/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
		"/etc/passwd",
		"http://feeds.test/../secret.txt",
		"secret.txt",
		"*",
	}
	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			resp, body := rawGet(t, addr, target)
			for hop := 0; resp.StatusCode >= 300 && resp.StatusCode < 400 && hop < 3; hop++ {
				loc, err := url.Parse(resp.Header.Get("Location"))
				if err != nil || loc.Host != "" && loc.Host != "feeds.test" {
					t.Fatalf("redirect to %q", resp.Header.Get("Location"))
				}
				resp, body = rawGet(t, addr, loc.RequestURI())
			}
			if resp.StatusCode == 200 || strings.Contains(body, secret) || strings.Contains(body, "root:") {
				t.Errorf("status %d, body %.60q", resp.StatusCode, body)
			}
		})
	}
}

func TestUnsafeTreePaths(t *testing.T) {
	s := New(Options{})
	var bad publish.Tree
	for _, p := range []string{"../x.atom", "/abs.atom", `a\b.atom`, "a/../b.atom", "a//b.atom", "x\x00.atom", "", "."} {
		bad = append(bad, publish.File{Path: p, ContentType: atomType, Body: []byte("x")})
	}
	if changed := s.Update(bad); len(changed) != 0 {
		t.Errorf("unsafe paths taken in: %q", changed)
	}
	if n := len(*s.files.Load()); n != 0 {
		t.Errorf("%d unsafe paths in the tree", n)
	}
}
