package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestIncrementalBuild checks that a build reads only the post files
// that changed and renders only the categories whose articles changed,
// and that it notices what it must redo: a feed file removed from the
// output, a configuration change, -full.
func TestIncrementalBuild(t *testing.T) {
	dir := t.TempDir()
	posts := filepath.Join(dir, "_posts")
	if err := os.MkdirAll(posts, 0o755); err != nil {
		t.Fatal(err)
	}
	writePost := func(name, category, body string) {
		t.Helper()
		text := fmt.Sprintf("---\ntitle: %s\ndate: 2025-03-01 08:00:00 +0800\ncategories: [%s]\n---\n%s\n", name, category, body)
		if err := os.WriteFile(filepath.Join(posts, "2025-03-01-"+name+".md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writePost("one", "alpha", "第一篇")
	writePost("two", "alpha", "第二篇")
	writePost("three", "beta", "第三篇")
	config := func(language string) string {
		cfg := filepath.Join(dir, "config.yaml")
		text := fmt.Sprintf(`site:
  title: Site
  language: %s
  base_url: https://example.org/
store:
  path: %s
output:
  dir: %s
  all:
    title: Everything
sources:
  - id: blog
    type: posts
    path: %s
`, language, filepath.Join(dir, "data.db"), filepath.Join(dir, "public"), posts)
		if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	cfg := config("zh-CN")
	pub := filepath.Join(dir, "public")
	if err := os.MkdirAll(pub, 0o755); err != nil {
		t.Fatal(err)
	}
	build := func(want ...string) map[string]fileState {
		t.Helper()
		before := snapshot(t, pub)
		code, out, errs := runCommand(t, "build", "-config", cfg)
		if code != 0 {
			t.Fatalf("build exited %d\n%s%s", code, out, errs)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("build output lacks %q:\n%s", w, out)
			}
		}
		after := snapshot(t, pub)
		changed := map[string]fileState{}
		for name, a := range after {
			if b, ok := before[name]; !ok || !b.mod.Equal(a.mod) {
				changed[name] = a
			}
		}
		return changed
	}
	rewritten := func(changed map[string]fileState, want ...string) {
		t.Helper()
		for _, w := range want {
			if _, ok := changed[filepath.FromSlash(w)]; !ok {
				t.Errorf("%s was not written", w)
			}
			delete(changed, filepath.FromSlash(w))
		}
		delete(changed, "index.html")
		for name := range changed {
			t.Errorf("%s was written", name)
		}
	}
	feeds := func(ids ...string) []string {
		var files []string
		for _, id := range ids {
			for _, ext := range []string{"atom", "rss", "json"} {
				files = append(files, "feeds/"+id+"."+ext)
			}
		}
		return files
	}

	rewritten(build("3 new, 0 updated, 0 unchanged", "wrote 11 of 11 files, 0 unchanged"), append(feeds("alpha", "beta", "all"), "feeds.opml")...)
	rewritten(build("0 new, 0 updated, 3 unchanged", "wrote 0 of 11 files, 11 unchanged"))

	// A changed post is read again; only its category and "all" render.
	writePost("two", "alpha", "第二篇，改过了")
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(posts, "2025-03-01-two.md"), later, later); err != nil {
		t.Fatal(err)
	}
	rewritten(build("0 new, 1 updated, 2 unchanged", "wrote 7 of 11 files, 4 unchanged"), feeds("alpha", "all")...) // and index.html

	// A feed file removed from the output is written again, alone.
	if err := os.Remove(filepath.Join(pub, "feeds", "beta.rss")); err != nil {
		t.Fatal(err)
	}
	rewritten(build("0 new, 0 updated, 3 unchanged", "wrote 1 of 11 files, 10 unchanged"), "feeds/beta.rss")

	// Another configuration reads every post and renders every feed
	// again; the OPML says each feed's language.
	cfg = config("en")
	rewritten(build("0 new, 0 updated, 3 unchanged", "wrote 11 of 11 files, 0 unchanged"), append(feeds("alpha", "beta", "all"), "feeds.opml")...)

	// -full does both too.
	code, out, errs := runCommand(t, "build", "-config", cfg, "-full")
	if code != 0 || !strings.Contains(out, "0 new, 0 updated, 3 unchanged") || !strings.Contains(out, "wrote 0 of 11 files, 11 unchanged") {
		t.Errorf("build -full exited %d:\n%s%s", code, out, errs)
	}
}
