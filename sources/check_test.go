package sources

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/config"
)

// loadConfig writes text as a configuration file in dir and loads it,
// so that problems carry its lines and paths resolve as in production.
func loadConfig(t *testing.T, dir, text string) *config.Config {
	t.Helper()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// wantProblems compares the problems, with dir left out of their paths,
// with want, line by line.
func wantProblems(t *testing.T, ps config.Problems, dir string, want ...string) {
	t.Helper()
	got := strings.ReplaceAll(ps.Error(), dir+string(filepath.Separator), "")
	if w := strings.Join(want, "\n"); got != w {
		t.Errorf("problems:\n%s\nwant:\n%s", got, w)
	}
}

// TestCheckTemplates: a template that fails on an empty record is
// reported with its source and line; one that fails only for want of a
// field is not.
func TestCheckTemplates(t *testing.T) {
	dir := t.TempDir()
	cfg := loadConfig(t, dir, `site: {base_url: https://x.org/}
sources:
  - id: api
    type: json
    url: https://api.example.org/list
    items: data
    fields:
      title: "{{printf}}"
      summary: "{{.data.summary}}"
      link: "https://x.org/{{index .ids 0}}"
      author: "{{with .a}}{{.b}}{{end}}"
    detail:
      url: "https://api.example.org/{{.id | slug}}"
      content: text
    category: {id: "{{pinyin .a .b}}", title: "{{.medianame}}"}
  - id: page
    type: html
    url: https://x.org/list.html
    select: {item: li, title: a, link: a @href}
    tags: ["{{.title | len | printf \"%d\"}}", "{{and}}"]
  - id: plain
    type: feed
    url: https://x.org/feed.xml
    tags: ["{{not}}"]
`)
	wantProblems(t, Check(cfg), dir,
		"config.yaml:8: sources[0] (api).fields.title: template fails on every record: at <printf>: wrong number of args for printf: want at least 1 got 0",
		"config.yaml:15: sources[0] (api).category.id: template fails on every record: at <pinyin>: wrong number of args for pinyin: want 1 got 2",
		"config.yaml:20: sources[1] (page).tags[1]: template fails on every record: at <and>: wrong number of args for and: want at least 1 got 0",
		"config.yaml:24: sources[2] (plain).tags[0]: template fails on every record: at <not>: wrong number of args for not: want 1 got 0",
	)
}

// TestCheckPaths: the folders and files sources read must be there and of
// the right kind, found as Load and the fetcher find them.
func TestCheckPaths(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"_posts", "feeds"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "feeds", "a.xml"), []byte("<rss/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := loadConfig(t, dir, `site: {base_url: https://x.org/}
sources:
  - {id: posts, type: posts, path: _posts}
  - {id: missing, type: posts, path: no-such-folder}
  - {id: file-not-folder, type: posts, path: feeds/a.xml}
  - {id: relative, type: feed, url: feeds/a.xml}
  - {id: file-url, type: feed, url: "file://`+dir+`/feeds/a.xml"}
  - {id: folder-url, type: html, url: "file://`+dir+`/feeds", select: {item: li, title: a, link: a @href}}
  - {id: gone, type: json, url: feeds/b.json, items: data, fields: {title: t}}
  - {id: remote, type: feed, url: https://x.org/feed.xml}
`)
	wantProblems(t, CheckPaths(cfg), dir,
		"config.yaml:4: sources[1] (missing).path: folder no-such-folder does not exist",
		"config.yaml:5: sources[2] (file-not-folder).path: feeds/a.xml is a file, not a folder of posts",
		"config.yaml:8: sources[5] (folder-url).url: feeds is a folder, not a file",
		"config.yaml:9: sources[6] (gone).url: file feeds/b.json does not exist",
	)
}
