package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestIncrementalBuild checks that a build reads only the post files
// that changed and renders only the categories whose articles changed,
// and of their pages only those whose content changed (one post added:
// its page, its category's first page, the home page and its feeds); that
// a build with nothing changed writes nothing; and that it notices what
// it must redo: a feed file removed from the output, a configuration
// change, -full.
func TestIncrementalBuild(t *testing.T) {
	dir := t.TempDir()
	posts := filepath.Join(dir, "_posts")
	if err := os.MkdirAll(posts, 0o755); err != nil {
		t.Fatal(err)
	}
	writePost := func(name, category, body string, day ...string) {
		t.Helper()
		date := "2025-03-01"
		if len(day) > 0 {
			date = day[0]
		}
		text := fmt.Sprintf("---\ntitle: %s\ndate: %s 08:00:00 +0800\ncategories: [%s]\n---\n%s\n", name, date, category, body)
		if err := os.WriteFile(filepath.Join(posts, date+"-"+name+".md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writePost("one", "alpha", "第一篇")
	writePost("two", "alpha", "第二篇")
	writePost("three", "beta", "第三篇")
	config := func(language string, sourceKeys ...string) string {
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
%s`, language, filepath.Join(dir, "data.db"), filepath.Join(dir, "public"), posts, strings.Join(sourceKeys, "\n"))
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
	// rewritten wants exactly the files want written (an entry
	// "article/*N" for N article pages, whichever they are).
	rewritten := func(changed map[string]fileState, want ...string) {
		t.Helper()
		for _, w := range want {
			if n, ok := strings.CutPrefix(w, "article/*"); ok {
				got := 0
				for name := range changed {
					if strings.HasPrefix(name, "article"+string(filepath.Separator)) {
						got++
						delete(changed, name)
					}
				}
				if fmt.Sprint(got) != n {
					t.Errorf("%d article pages written, want %s", got, n)
				}
				continue
			}
			if _, ok := changed[filepath.FromSlash(w)]; !ok {
				t.Errorf("%s was not written", w)
			}
			delete(changed, filepath.FromSlash(w))
		}
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
	lists := []string{"feeds.opml", "index.html", "status.html", "site.css", "favicon.svg"}
	pages := []string{"category/alpha.html", "category/beta.html", "article/*3"}
	every := slices.Concat(feeds("alpha", "beta", "all"), lists, pages)

	rewritten(build("3 new, 0 updated, 0 unchanged", "wrote 19 of 19 files, 0 unchanged"), every...)
	// Nothing changed: nothing is written, the home and status pages
	// included.
	rewritten(build("0 new, 0 updated, 3 unchanged", "wrote 0 of 19 files, 19 unchanged"))

	// A changed post is read again; only its category and "all" render,
	// and of the pages its own, its category's and the home page.
	writePost("two", "alpha", "第二篇，改过了")
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(posts, "2025-03-01-two.md"), later, later); err != nil {
		t.Fatal(err)
	}
	rewritten(build("0 new, 1 updated, 2 unchanged", "wrote 9 of 19 files, 10 unchanged"),
		slices.Concat(feeds("alpha", "all"), []string{"category/alpha.html", "article/*1", "index.html"})...)

	// One post added: its page, its category's first page, the home
	// page and the feeds it is in, nothing else.
	writePost("four", "alpha", "第四篇", "2025-03-02")
	rewritten(build("1 new, 0 updated, 3 unchanged", "wrote 9 of 20 files, 11 unchanged"),
		slices.Concat(feeds("alpha", "all"), []string{"category/alpha.html", "article/*1", "index.html"})...)

	// A feed file removed from the output is written again, alone.
	if err := os.Remove(filepath.Join(pub, "feeds", "beta.rss")); err != nil {
		t.Fatal(err)
	}
	rewritten(build("0 new, 0 updated, 4 unchanged", "wrote 1 of 20 files, 19 unchanged"), "feeds/beta.rss")

	// So is a page removed from the output, and one edited there: the
	// build does not count them unchanged, and writes nothing else.
	if err := os.Remove(filepath.Join(pub, "category", "beta.html")); err != nil {
		t.Fatal(err)
	}
	arts, err := filepath.Glob(filepath.Join(pub, "article", "*.html"))
	if err != nil || len(arts) == 0 {
		t.Fatalf("no article pages (%v)", err)
	}
	if err := os.WriteFile(arts[0], []byte("defaced"), 0o644); err != nil {
		t.Fatal(err)
	}
	rewritten(build("0 new, 0 updated, 4 unchanged", "wrote 2 of 20 files, 18 unchanged"), "category/beta.html", "article/*1")
	if b, err := os.ReadFile(arts[0]); err != nil || !strings.Contains(string(b), "<html") {
		t.Errorf("%s after the build: %.40q, %v", arts[0], b, err)
	}

	// Another configuration reads every post and renders every feed and
	// page again (the language changes every one of them but the theme's
	// files); the OPML says each feed's language.
	cfg = config("en")
	rewritten(build("0 new, 0 updated, 4 unchanged", "wrote 18 of 20 files, 2 unchanged"),
		slices.Concat(feeds("alpha", "beta", "all"), lists[:3], pages[:2], []string{"article/*4"})...)

	// -full does both too.
	code, out, errs := runCommand(t, "build", "-config", cfg, "-full")
	if code != 0 || !strings.Contains(out, "0 new, 0 updated, 4 unchanged") || !strings.Contains(out, "wrote 0 of 20 files, 20 unchanged") {
		t.Errorf("build -full exited %d:\n%s%s", code, out, errs)
	}

	// Pages turned off: the article pages go, and the feeds and lists
	// link the posts' own addresses again.
	cfg = config("en", "    pages: false")
	changed := build("wrote 12 of 16 files, 4 unchanged", "removed 4 pages the site no longer has")
	rewritten(changed, slices.Concat(feeds("alpha", "beta", "all"), []string{"index.html"}, pages[:2])...)
	if entries, err := os.ReadDir(filepath.Join(pub, "article")); err != nil || len(entries) != 0 {
		t.Errorf("article/ holds %d pages with pages off (%v), want none", len(entries), err)
	}
}
