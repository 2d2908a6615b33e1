package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/internal/corpus"
	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// TestDeferredTextsSameTree builds the bench corpus twice: once as the
// bench does (pages: false, so the posts' texts are rendered only when
// a feed shows them), once with outputs.jekyll configured, which needs
// every text and so renders them all when the posts are read. The two
// output trees must be the same bytes: after the cold build (with a
// second source of newer posts), after that source is removed (older
// posts enter the feeds, their texts rendered from their files at
// publish time), after output.items is raised (more of them), and after
// outputs.jekyll is removed from the second (its posts, deferred now,
// keep their updated times).
func TestDeferredTextsSameTree(t *testing.T) {
	const posts = 600
	g, err := corpus.New(7, 8, corpus.DefaultEnd)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	type build struct{ dir, config string }
	var builds [2]build
	for i, name := range []string{"deferred", "whole"} {
		dir := filepath.Join(root, name)
		if _, err := g.WriteRange(filepath.Join(dir, "posts"), 0, posts); err != nil {
			t.Fatal(err)
		}
		// A second source of posts newer than all of these, in the same
		// categories.
		newest := *g
		newest.NewestFrom = posts
		if _, err := newest.WriteRange(filepath.Join(dir, "newest"), posts, 60); err != nil {
			t.Fatal(err)
		}
		builds[i] = build{dir: dir, config: filepath.Join(dir, "config.yaml")}
	}
	writeConfigs := func(items int, newest bool) {
		for i, b := range builds {
			cfg := fmt.Sprintf(`site:
  title: deferred
  base_url: https://feeds.example.org/
  timezone: Asia/Shanghai
store:
  path: %[1]s/data/feedsmith.db
output:
  dir: %[1]s/public
  items: %[2]d
sources:
  - id: corpus
    type: posts
    path: %[1]s/posts
    site_url: https://bench.example.org/
    pages: false
`, b.dir, items)
			if newest {
				cfg += fmt.Sprintf("  - id: newest\n    type: posts\n    path: %s/newest\n    pages: false\n", b.dir)
			}
			if i == 1 {
				cfg += fmt.Sprintf("outputs:\n  jekyll:\n    dir: %s/_posts\n", b.dir)
			}
			if err := os.WriteFile(b.config, []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	same := func(step string) {
		t.Helper()
		for _, b := range builds {
			if code, out, errs := runCommand(t, "build", "-config", b.config); code != 0 || strings.Contains(errs, "WARN") {
				t.Fatalf("%s: build %s: exit %d\n%s%s", step, b.dir, code, out, errs)
			}
		}
		a, w := snapshot(t, filepath.Join(builds[0].dir, "public")), snapshot(t, filepath.Join(builds[1].dir, "public"))
		if len(a) < 40 || len(a) != len(w) {
			t.Fatalf("%s: %d files against %d", step, len(a), len(w))
		}
		feeds := 0
		for path, f := range a {
			if !bytes.Equal(f.body, w[path].body) {
				t.Fatalf("%s: %s differs from the build that renders every text:\n%s\n----\n%s", step, path, clip(f.body), clip(w[path].body))
			}
			if strings.HasSuffix(path, ".atom") && bytes.Contains(f.body, []byte("<content")) {
				feeds++
			}
		}
		if feeds < 8 {
			t.Fatalf("%s: only %d Atom feeds carry texts", step, feeds)
		}
	}
	writeConfigs(10, true)
	same("cold build")
	// Every text is stored deferred: those the feeds show are rendered
	// from their files when published.
	if n := storedDeferred(t, filepath.Join(builds[0].dir, "data/feedsmith.db")); n != posts+60 {
		t.Errorf("%d of %d texts stored deferred", n, posts+60)
	}
	if n := storedDeferred(t, filepath.Join(builds[1].dir, "data/feedsmith.db")); n != 0 {
		t.Errorf("with outputs.jekyll, %d texts stored deferred", n)
	}

	// The other source removed: its articles leave the feeds, and older
	// posts of the first enter them.
	writeConfigs(10, false)
	same("the newest posts' source removed")
	writeConfigs(25, false)
	same("output.items raised to 25")

	// outputs.jekyll removed: the second build's source now defers its
	// texts too, and its posts, read again, keep their updated times.
	cfg := bytes.ReplaceAll(mustRead(t, builds[0].config), []byte(builds[0].dir), []byte(builds[1].dir))
	if err := os.WriteFile(builds[1].config, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	same("outputs.jekyll removed")
	// (The removed source's articles keep their texts: it is not read.)
	if n := storedDeferred(t, filepath.Join(builds[1].dir, "data/feedsmith.db")); n != posts {
		t.Errorf("with outputs.jekyll removed, %d texts deferred, want %d", n, posts)
	}

	// The daemon serves the same feeds: its publishes render the texts
	// from the files too.
	if testing.Short() {
		return
	}
	addr := testutil.FreeAddr(t)
	f, err := os.OpenFile(builds[0].config, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "server:\n  listen: %s\n", addr)
	f.Close()
	sock, msgs := notifySocket(t)
	cmd := exec.Command(os.Args[0], "run", "-config", builds[0].config)
	cmd.Env = append(os.Environ(), "FEEDSMITH_TEST_MAIN=1", "NOTIFY_SOCKET="+sock)
	logs := &testutil.SyncBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() || strings.Contains(logs.String(), "WARN") {
			t.Errorf("daemon log:\n%s", logs.String())
		}
	}()
	waitMessage(t, msgs, "READY=1")
	served := 0
	for path, want := range snapshot(t, filepath.Join(builds[1].dir, "public")) {
		if !strings.HasPrefix(path, "feeds/") || !strings.HasSuffix(path, ".atom") {
			continue
		}
		resp, err := http.Get("http://" + addr + "/" + path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s, %v", path, resp.Status, err)
		}
		if !bytes.Equal(body, want.body) {
			t.Fatalf("the daemon serves %s otherwise:\n%s\n----\n%s", path, clip(body), clip(want.body))
		}
		served++
	}
	if served < 8 {
		t.Errorf("%d feeds compared", served)
	}
}

// storedDeferred counts the articles of the store at path whose texts
// are stored deferred.
func storedDeferred(t *testing.T, path string) int {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	arts, err := st.Articles(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range arts {
		if article.IsDeferred(a.Content) {
			n++
		}
	}
	return n
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// clip is the start of a file, for a failure message.
func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}
