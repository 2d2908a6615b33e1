package main

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// faultConfig writes a configuration with one feed source at upstream,
// an output folder and a Jekyll posts folder under dir.
func faultConfig(t *testing.T, dir, upstream string) string {
	t.Helper()
	path := filepath.Join(dir, "config.yaml")
	text := fmt.Sprintf(`site: {title: t, base_url: https://feeds.example.org/, language: zh-CN, timezone: Asia/Shanghai}
store: {path: %s}
output: {dir: %s}
outputs:
  jekyll: {dir: %s}
categories: [{id: news, title: 新闻}]
sources:
  - {id: up, type: feed, url: %s, category: news}
`, filepath.Join(dir, "data", "db.sqlite"), filepath.Join(dir, "public"), filepath.Join(dir, "_posts"), upstream)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// replaceWithFile puts a regular file where the folder dir was: every
// write under it fails ("not a directory"), for root too, whom
// permission bits do not stop.
func replaceWithFile(t *testing.T, dir string) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func countPosts(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return -1
	}
	return len(entries)
}

// TestBuildOutputFault breaks the output folder and the Jekyll folder
// while a new article arrives: the build exits 1 naming both, and so does
// the next one while they stay broken. Once they are mended, a build that
// finds nothing new upstream (304) writes what the failed ones could not.
func TestBuildOutputFault(t *testing.T) {
	up := &feedUpstream{items: []string{"第一篇"}}
	srv := httptest.NewServer(up)
	defer srv.Close()
	dir := t.TempDir()
	cfg := faultConfig(t, dir, srv.URL+"/feed.rss")
	feeds, posts := filepath.Join(dir, "public", "feeds"), filepath.Join(dir, "_posts")
	if code, out, errs := runCommand(t, "build", "-config", cfg); code != 0 {
		t.Fatalf("first build: exit %d\n%s%s", code, out, errs)
	}

	replaceWithFile(t, feeds)
	replaceWithFile(t, posts)
	up.add("第二篇")
	for _, when := range []string{"with a new article", "with nothing new"} {
		code, out, errs := runCommand(t, "build", "-config", cfg)
		if code != 1 || !strings.Contains(errs, "output folder "+filepath.Join(dir, "public")+" not fully written: write "+filepath.Join(feeds, "news.")) ||
			!strings.Contains(errs, "not a directory") || !strings.Contains(errs, "jekyll posts folder "+posts+" not fully written") {
			t.Errorf("build %s, folders broken: exit %d, want 1 naming both folders\n%s%s", when, code, out, errs)
		}
	}

	if err := os.Remove(feeds); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(posts); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCommand(t, "build", "-config", cfg)
	if code != 0 || !strings.Contains(out, "not modified upstream") {
		t.Fatalf("build after mending, upstream 304: exit %d\n%s%s", code, out, errs)
	}
	for _, ext := range []string{"atom", "rss", "json"} {
		b, err := os.ReadFile(filepath.Join(feeds, "news."+ext))
		if err != nil || !bytes.Contains(b, []byte("第二篇")) {
			t.Errorf("news.%s after mending lacks the new article: %v", ext, err)
		}
	}
	if n := countPosts(t, posts); n != 2 {
		t.Errorf("%d Jekyll posts after mending, want 2", n)
	}
	// And now it is all recorded: the next build writes nothing.
	if code, out, _ := runCommand(t, "build", "-config", cfg); code != 0 || !strings.Contains(out, "wrote 0 of ") {
		t.Errorf("build after a good one: exit %d\n%s", code, out)
	}
}

// TestBuildReadOnlyStore makes the database file read-only (0444) for a
// build that finds nothing new: it must exit 1 naming the store and
// SQLite's reason, where it exited 0 with warnings. Root ignores
// permission bits, so as root the build runs as a child process in a
// user namespace, as an unprivileged user who still owns the files.
func TestBuildReadOnlyStore(t *testing.T) {
	up := &feedUpstream{items: []string{"第一篇"}}
	srv := httptest.NewServer(up)
	defer srv.Close()
	dir := t.TempDir()
	cfg := faultConfig(t, dir, srv.URL+"/feed.rss")
	if code, out, errs := runCommand(t, "build", "-config", cfg); code != 0 {
		t.Fatalf("first build: exit %d\n%s%s", code, out, errs)
	}
	db := filepath.Join(dir, "data", "db.sqlite")
	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	code, out, errs := buildUnprivileged(t, cfg)
	if code != 1 || !strings.Contains(errs, "store "+db+" cannot be written: ") || !strings.Contains(errs, "readonly database") {
		t.Errorf("build with a read-only store: exit %d, want 1 naming the store and the reason\n%s%s", code, out, errs)
	}
	if strings.Contains(out, "up ") {
		t.Errorf("the build collected though it could keep nothing:\n%s", out)
	}
}

// buildUnprivileged runs "build -config cfg" without the power to
// override permission bits: in this process when it has none, else as
// the test binary in a new user namespace (mapping this user to uid
// 1000 there, which leaves it owner of its files but drops every
// capability at exec).
func buildUnprivileged(t *testing.T, cfg string) (code int, stdout, stderr string) {
	t.Helper()
	if os.Geteuid() != 0 {
		return runCommand(t, "build", "-config", cfg)
	}
	cmd := exec.Command(os.Args[0], "build", "-config", cfg)
	cmd.Env = append(os.Environ(), "FEEDSMITH_TEST_MAIN=1")
	if !inNamespaces(cmd, 1000, false) {
		t.Skip("no user namespaces on this system: cannot run a build without root's permissions")
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), out.String(), errb.String()
	}
	if err != nil {
		t.Skipf("cannot run a build without root's permissions here (user namespaces: %v)", err)
	}
	return 0, out.String(), errb.String()
}
