package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/feedsmith/feedsmith/internal/testutil"
)

// removalConfig is a configuration over the bundled examples: a blog
// (category engineering), release notes (category releases), a Chinese
// news mirror (categories derived from its posts' names), a category
// filed by a rule, "all", and the Jekyll output with an archive. Each of
// without's words leaves out the source or the category of that id.
func removalConfig(rename string, without ...string) string {
	has := func(id string) bool { return !slices.Contains(without, id) }
	var b strings.Builder
	b.WriteString(`site: {title: Site, base_url: "https://feeds.example.org/", language: en}
store: {path: data/db.sqlite}
output: {dir: public, all: {title: Everything}}
outputs:
  jekyll: {dir: site/_posts, archive: site/_archive, site_url: "//news.example.org"}
categories:
  - {id: engineering, title: Engineering}
  - {id: picks, title: Picks, rules: [{keywords: [release, version], in: [title]}]}
`)
	releases := "releases"
	if rename != "" {
		releases = rename
	}
	if has("releases") {
		b.WriteString("  - {id: " + releases + ", title: Release notes}\n")
	}
	b.WriteString("sources:\n  - {id: blog, type: posts, path: examples/posts/en, site_url: \"https://blog.example.org/\", category: engineering}\n")
	if has("releases") {
		b.WriteString("  - {id: releases, type: feed, url: examples/feeds/release-notes.atom, category: " + releases + "}\n")
	}
	if has("mirror") {
		b.WriteString("  - {id: mirror, type: posts, path: examples/posts/zh, site_url: \"https://news.example.org/\"}\n")
	}
	return b.String()
}

// TestBuildRemovedSources builds, removes a source with its category and
// another whose categories are derived, builds again, puts them back and
// renames a category: what the removed sources gave leaves every feed,
// the OPML, the index page and the Jekyll posts, their categories' files
// leave the output folder (only the files feedsmith wrote), and all of
// it comes back from the store.
func TestBuildRemovedSources(t *testing.T) {
	dir, cfg := shippedConfig(t)
	pub := filepath.Join(dir, "public")
	feeds := filepath.Join(pub, "feeds")
	full := false // build -full
	build := func(config string, want ...string) string {
		t.Helper()
		if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"build", "-config", cfg}
		if full {
			args = append(args, "-full")
		}
		code, out, errs := runCommand(t, args...)
		if code != 0 {
			t.Fatalf("build exited %d\n%s%s", code, out, errs)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("build output lacks %q:\n%s", w, out)
			}
		}
		return out
	}
	edited := filepath.Join(feeds, "releases.json") // edited by hand, below
	counts := func(want map[string]int) {
		t.Helper()
		for cat, n := range want {
			for _, ext := range []string{"atom", "rss", "json"} {
				name := filepath.Join(feeds, cat+"."+ext)
				if n < 0 {
					if _, err := os.Lstat(name); err == nil && name != edited {
						t.Errorf("%s still there", name)
					}
					continue
				}
				t.Run(cat+"."+ext, func(t *testing.T) { checkFeed(t, name, n) })
			}
		}
	}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(pub, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	posts := func(folder string) []string {
		t.Helper()
		entries, _ := os.ReadDir(filepath.Join(dir, "site", folder))
		var ns []string
		for _, e := range entries {
			ns = append(ns, e.Name())
		}
		return ns
	}
	everything := map[string]int{"engineering": 3, "releases": 3, "picks": 4, "rizhaoribao": 3, "rizhaowanbao": 1, "all": 10}

	build(removalConfig(""))
	counts(everything)
	releasesAtom := read("feeds/releases.atom")
	if got := len(posts("_posts")); got != 10 {
		t.Fatalf("%d jekyll posts, want 10", got)
	}
	// Files feedsmith did not write, or that were edited since, stay.
	mine := filepath.Join(feeds, "mine.atom")
	if err := os.WriteFile(mine, []byte("an operator's own feed"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edited, []byte(`{"edited": "by hand"}`), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("removed", func(t *testing.T) {
		out := build(removalConfig("", "releases", "mirror"),
			"removed category releases: deleted "+filepath.Join(feeds, "releases.atom")+", "+filepath.Join(feeds, "releases.rss")+
				", 1 page; left "+edited+" (changed since feedsmith wrote it)",
			"removed category rizhaoribao: deleted "+filepath.Join(feeds, "rizhaoribao.atom"),
			"removed category rizhaowanbao: deleted ",
			"jekyll: 7 posts of removed sources moved to "+filepath.Join(dir, "site", "_archive"))
		if n := strings.Count(out, "removed category"); n != 3 {
			t.Errorf("%d removed categories reported, want 3:\n%s", n, out)
		}
		counts(map[string]int{"engineering": 3, "picks": 1, "all": 3, "releases": -1, "rizhaoribao": -1, "rizhaowanbao": -1})
		if b, err := os.ReadFile(mine); err != nil || string(b) != "an operator's own feed" {
			t.Errorf("a file feedsmith did not write: %q %v", b, err)
		}
		if b, err := os.ReadFile(edited); err != nil || !strings.Contains(string(b), "by hand") {
			t.Errorf("an edited feed file: %q %v", b, err)
		}
		opml, index := read("feeds.opml"), read("index.html")
		for _, gone := range []string{"releases", "rizhaoribao", "rizhaowanbao", "Release notes", "mirror"} {
			if strings.Contains(opml, gone) || strings.Contains(index, gone) {
				t.Errorf("the OPML or the index page still names %q", gone)
			}
		}
		for _, kept := range []string{"feeds/engineering.atom", "feeds/picks.atom", "feeds/all.atom"} {
			if !strings.Contains(opml, kept) || !strings.Contains(index, kept) {
				t.Errorf("the OPML or the index page lacks %s", kept)
			}
		}
		if got := len(posts("_posts")); got != 3 {
			t.Errorf("jekyll posts %q, want the blog's 3", posts("_posts"))
		}
		if got := len(posts("_archive")); got != 7 {
			t.Errorf("jekyll archive %q, want the 7 posts of the removed sources", posts("_archive"))
		}
	})

	t.Run("unchanged rebuild", func(t *testing.T) {
		before := snapshot(t, feeds)
		out := build(removalConfig("", "releases", "mirror"))
		if strings.Contains(out, "removed category") || strings.Contains(out, "removed sources") {
			t.Errorf("a second build removed more:\n%s", out)
		}
		for name, f := range snapshot(t, feeds) {
			if b, ok := before[name]; !ok || !b.mod.Equal(f.mod) {
				t.Errorf("%s rewritten", name)
			}
		}
	})

	t.Run("put back", func(t *testing.T) {
		out := build(removalConfig(""))
		if strings.Contains(out, "removed category") {
			t.Errorf("putting sources back removed a category:\n%s", out)
		}
		counts(everything)
		if got := read("feeds/releases.atom"); got != releasesAtom {
			t.Errorf("releases.atom came back as\n%s\nwant\n%s", got, releasesAtom)
		}
		if got := len(posts("_posts")); got != 10 {
			t.Errorf("jekyll posts %q, want all 10 back", posts("_posts"))
		}
		if got := posts("_archive"); len(got) != 0 {
			t.Errorf("jekyll archive keeps %q", got)
		}
	})

	t.Run("renamed, build -full", func(t *testing.T) {
		full = true
		build(removalConfig("changelog"), "removed category releases: deleted "+filepath.Join(feeds, "releases.atom"))
		counts(map[string]int{"changelog": 3, "releases": -1, "all": 10, "picks": 4})
		if opml := read("feeds.opml"); strings.Contains(opml, "feeds/releases.") || !strings.Contains(opml, "feeds/changelog.atom") {
			t.Errorf("OPML after the rename:\n%s", opml)
		}
		if !bytes.Contains([]byte(read("feeds/changelog.atom")), []byte("Version 2.1 adds incremental builds")) {
			t.Error("changelog lacks the release notes")
		}
	})
}

// getBody GETs url and returns the status code and the body; 0 and the
// error when there is no answer.
func getBody(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestDaemonRemovedSource removes a source and its category from the
// daemon's configuration, reloads, puts them back and reloads, then
// removes them while it is stopped and starts it: the removed feeds are
// no longer served (404), their files leave the output folder, and the
// articles return from the store without a fetch.
func TestDaemonRemovedSource(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the daemon as a child process")
	}
	up := &countingUpstream{feedUpstream: feedUpstream{items: []string{"我市举行春季重点项目集中开工仪式"}}}
	upSrv := httptest.NewServer(up)
	defer upSrv.Close()
	releases, err := filepath.Abs("../../examples/feeds/release-notes.atom")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	addr := testutil.FreeAddr(t)
	cfg := filepath.Join(dir, "config.yaml")
	writeConfig := func(withUp bool) {
		t.Helper()
		text := fmt.Sprintf(`site: {title: 测试, base_url: "http://%s/", language: zh-CN}
store: {path: data/db.sqlite}
output: {dir: public, all: {title: 全部}}
server: {listen: "%s", shutdown_timeout: 5s}
categories:
  - {id: releases, title: Release notes}
sources:
  - {id: rel, type: feed, url: %s, category: releases, schedule: "@every 1h"}
`, addr, addr, releases)
		if withUp {
			text = strings.Replace(text, "categories:\n", "categories:\n  - {id: news, title: 新闻}\n", 1) +
				"  - {id: up, type: feed, url: " + upSrv.URL + "/feed.rss, category: news, schedule: \"@every 1h\"}\n"
		}
		if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := "http://" + addr
	get := func(path string) (int, string) { return getBody(base + path) }
	newsFile := filepath.Join(dir, "public", "feeds", "news.atom")
	served := func() string {
		if code, body := get("/feeds/news.atom"); code != 200 || !strings.Contains(body, "我市举行春季重点项目集中开工仪式") {
			return fmt.Sprintf("news.atom: %d", code)
		}
		if _, err := os.Stat(newsFile); err != nil {
			return err.Error()
		}
		if _, body := get("/feeds/all.atom"); !strings.Contains(body, "我市举行春季重点项目集中开工仪式") {
			return "all.atom lacks the article of up"
		}
		return ""
	}
	removed := func() string {
		if code, _ := get("/feeds/news.atom"); code != http.StatusNotFound {
			return fmt.Sprintf("news.atom: %d, want 404", code)
		}
		if _, err := os.Lstat(newsFile); !errors.Is(err, os.ErrNotExist) {
			return fmt.Sprintf("%s still there (%v)", newsFile, err)
		}
		if _, body := get("/feeds.opml"); strings.Contains(body, "feeds/news.") || !strings.Contains(body, "feeds/releases.atom") {
			return "feeds.opml:\n" + body
		}
		if _, body := get("/feeds/all.atom"); strings.Contains(body, "我市举行春季重点项目集中开工仪式") || !strings.Contains(body, "Version 2.1") {
			return "all.atom still has the article of up, or lacks rel's"
		}
		if _, body := get("/"); strings.Contains(body, "新闻") {
			return "the index page still lists news"
		}
		return ""
	}

	writeConfig(true)
	d := startDaemon(t, "-config", cfg)
	eventually(t, "both sources served", served)
	reload := func(withUp bool) {
		t.Helper()
		writeConfig(withUp)
		d.cmd.Process.Signal(syscall.SIGHUP)
		waitMessage(t, d.msgs, "RELOADING=1")
		waitMessage(t, d.msgs, "READY=1") // the reload is done
	}

	reload(false)
	eventually(t, "news removed on reload", removed)
	eventually(t, "the removal logged", func() string {
		if !strings.Contains(d.logs.String(), `msg="removed category" category=news deleted=`) {
			return "not logged"
		}
		return ""
	})

	fetched := up.requests.Load()
	reload(true)
	eventually(t, "news back on reload", served)
	if n := up.requests.Load(); n != fetched {
		t.Errorf("upstream fetched %d times to bring news back, want none", n-fetched)
	}
	d.stop(t)

	// Removed while the daemon is stopped: gone from the start.
	writeConfig(false)
	d = startDaemon(t, "-config", cfg)
	if msg := removed(); msg != "" {
		t.Errorf("after a restart: %s", msg)
	}
	if !strings.Contains(d.logs.String(), `msg="removed category" category=news`) {
		t.Errorf("the removal at start not logged:\n%s", d.logs.String())
	}
}

// TestBuildRemovedSourceFilings builds two sources that deliver the same
// articles (two copies of one Atom file), each filing them in its own
// category, then removes the first source: its category loses the
// articles, and the other category's feeds and the Jekyll posts no
// longer name it, whether it stays declared or not, also after build
// -full; putting the source back brings it all back. The output is the
// configuration's, not the store's history: it matches a build of the
// second source alone from the start.
func TestBuildRemovedSourceFilings(t *testing.T) {
	dir, cfg := shippedConfig(t)
	atom, err := os.ReadFile("../../examples/feeds/release-notes.atom")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.atom", "b.atom"} {
		if err := os.WriteFile(filepath.Join(dir, name), atom, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := func(srca, aaa bool) string {
		text := `site: {title: Site, base_url: "https://feeds.example.org/", language: en}
store: {path: data/db.sqlite}
output: {dir: public}
outputs:
  jekyll: {dir: site/_posts}
categories:
  - {id: bbb, title: BBB}
`
		if aaa {
			text += "  - {id: aaa, title: AAA}\n"
		}
		text += "sources:\n  - {id: srcb, type: feed, url: b.atom, category: bbb}\n"
		if srca {
			text = strings.Replace(text, "sources:\n", "sources:\n  - {id: srca, type: feed, url: a.atom, category: aaa}\n", 1)
		}
		return text
	}
	build := func(text string, full bool) {
		t.Helper()
		if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"build", "-config", cfg}
		if full {
			args = append(args, "-full")
		}
		if code, out, errs := runCommand(t, args...); code != 0 {
			t.Fatalf("build exited %d\n%s%s", code, out, errs)
		}
	}
	feed := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, "public", "feeds", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	posts := func() string {
		t.Helper()
		entries, err := os.ReadDir(filepath.Join(dir, "site", "_posts"))
		if err != nil || len(entries) != 3 {
			t.Fatalf("jekyll posts %v %v, want 3", entries, err)
		}
		var all strings.Builder
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, "site", "_posts", e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			all.Write(b)
		}
		return all.String()
	}
	filed := func(name string, withA bool) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			want := 0
			if withA {
				want = 3
			}
			checkFeed(t, filepath.Join(dir, "public", "feeds", "bbb.rss"), 3)
			if n := strings.Count(feed("bbb.rss"), "<category>aaa</category>"); n != want {
				t.Errorf("bbb.rss names aaa %d times, want %d", n, want)
			}
			if n := strings.Count(feed("bbb.atom"), `term="aaa"`); n != want {
				t.Errorf("bbb.atom names aaa %d times, want %d", n, want)
			}
			if got := strings.Contains(posts(), "aaa"); got != withA {
				t.Errorf("jekyll posts name aaa: %v, want %v", got, withA)
			}
		})
	}

	build(config(true, true), false)
	checkFeed(t, filepath.Join(dir, "public", "feeds", "aaa.rss"), 3)
	filed("both sources", true)

	build(config(false, true), false)
	t.Run("aaa declared", func(t *testing.T) { checkFeed(t, filepath.Join(dir, "public", "feeds", "aaa.rss"), 0) })
	filed("srca removed, aaa declared", false)

	build(config(false, false), false)
	if _, err := os.Lstat(filepath.Join(dir, "public", "feeds", "aaa.rss")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("aaa.rss still there (%v)", err)
	}
	filed("srca and aaa removed", false)
	build(config(false, false), true)
	filed("srca and aaa removed, build -full", false)
	alone := feed("bbb.rss")

	build(config(true, true), false)
	checkFeed(t, filepath.Join(dir, "public", "feeds", "aaa.rss"), 3)
	filed("srca back", true)

	// srcb alone from the start gives the same bbb feed.
	fresh, freshCfg := shippedConfig(t)
	if err := os.WriteFile(filepath.Join(fresh, "b.atom"), atom, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(freshCfg, []byte(config(false, false)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCommand(t, "build", "-full", "-config", freshCfg); code != 0 {
		t.Fatalf("build exited %d\n%s%s", code, out, errs)
	}
	if b, err := os.ReadFile(filepath.Join(fresh, "public", "feeds", "bbb.rss")); err != nil || string(b) != alone {
		t.Errorf("bbb.rss of srcb alone from the start:\n%s\nwant as after removing srca:\n%s", b, alone)
	}
}
