package sources

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai without the system zone database

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store"
)

func postsZone(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// collectPosts runs a posts source on the folder with dates read in
// Asia/Shanghai.
func collectPosts(t testing.TB, cfg config.Source, env Env) Batch {
	t.Helper()
	cfg.ID, cfg.Type = "blog", "posts"
	env.Location = postsZone(t)
	s, err := New(cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Collect(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// post is what the front matter test compares: times as RFC 3339, so the
// offset is part of the comparison.
type post struct {
	Title, Link, ID, Published, Updated, Author, Summary, Image string
	Categories, Tags                                            []string
}

func postOf(a article.Article) post {
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	return post{a.Title, a.Link, a.ID, date(a.Published), date(a.Updated), a.Author, a.Summary,
		a.Image, a.Categories, a.Tags}
}

func TestPostsFrontMatter(t *testing.T) {
	const site = "https://example.com/"
	link := func(path string) string { return "https://example.com" + path }
	want := []post{{
		Title: "Space-separated lists", Published: "2022-02-14T08:47:41+08:00",
		Link: link("/go/news/2022/02/14/string-lists.html"), ID: link("/go/news/2022/02/14/string-lists.html"),
		Categories: []string{"Go", "News"}, Tags: []string{"release", "notes"},
	}, {
		Title: "YAML lists", Published: "2022-02-15T09:00:00+08:00",
		Link: link("/go%20news/%E6%96%B0%E9%97%BB/2022/02/15/yaml-lists.html"),
		ID:   link("/go%20news/%E6%96%B0%E9%97%BB/2022/02/15/yaml-lists.html"),
		// A list item is one name, spaces and all.
		Categories: []string{"Go News", "新闻"}, Tags: []string{"release notes", "go"},
	}, {
		// No offset: the source's zone. The singular keys are one name.
		Title: `他说："你好"`, Published: "2022-02-16T10:00:00+08:00",
		Link:       link("/%E6%97%A5%E7%85%A7%20%E6%96%B0%E9%97%BB/2022/02/16/quoted-title.html"),
		ID:         link("/%E6%97%A5%E7%85%A7%20%E6%96%B0%E9%97%BB/2022/02/16/quoted-title.html"),
		Categories: []string{"日照 新闻"}, Tags: []string{"单个 标签"},
	}, {
		// The post's own offset picks the day in the permalink.
		Title: `Go: the "good" parts`, Published: "2022-02-17T23:30:00-05:00",
		Link: link("/2022/02/17/colon-title.html"), ID: link("/2022/02/17/colon-title.html"),
	}, {
		Title: "Hello World Again", Published: "2022-02-18T00:00:00+08:00",
		Link: link("/2022/02/18/hello-world-again.html"), ID: link("/2022/02/18/hello-world-again.html"),
	}, {
		// 2022-02-19-unpublished.md has published: false.
		Title: "Author map", Published: "2022-02-20T08:00:00+08:00", Updated: "2022-02-21T09:30:00+08:00",
		Link: link("/2022/02/20/author-map.html"), ID: "tag:example.com,2022:author-map",
		Author: "张三", Summary: "A short summary.", Image: link("/img/lead.png"),
	}, {
		Title: "No Front Matter", Published: "2022-02-21T00:00:00+08:00",
		Link: link("/2022/02/21/no-front-matter.html"), ID: link("/2022/02/21/no-front-matter.html"),
	}, {
		Title: "Windows line ends", Published: "2022-02-22T00:00:00+08:00",
		Link: link("/2022/02/22/crlf.html"), ID: link("/2022/02/22/crlf.html"),
		Author: "Jane Doe", Image: "https://cdn.example.com/a.png",
	}}
	b := collectPosts(t, config.Source{Path: "testdata/posts/frontmatter", SiteURL: site}, Env{})
	if len(b.Skipped) > 0 {
		t.Errorf("skipped: %v", b.Skipped)
	}
	if b.BaseURL != site {
		t.Errorf("BaseURL = %q, want %q", b.BaseURL, site)
	}
	if len(b.Articles) != len(want) {
		t.Fatalf("got %d articles, want %d", len(b.Articles), len(want))
	}
	for i, a := range b.Articles {
		t.Run(want[i].Title, func(t *testing.T) {
			if got := postOf(a); !reflect.DeepEqual(got, want[i]) {
				t.Errorf("got  %+v\nwant %+v", got, want[i])
			}
			if a.SourceID != "blog" {
				t.Errorf("SourceID = %q, want blog", a.SourceID)
			}
		})
	}
}

func TestPostsFuture(t *testing.T) {
	now := time.Date(2022, 2, 17, 12, 0, 0, 0, postsZone(t))
	b := collectPosts(t, config.Source{Path: "testdata/posts/frontmatter"},
		Env{Now: func() time.Time { return now }})
	var titles []string
	for _, a := range b.Articles {
		titles = append(titles, a.Title)
	}
	// 2022-02-17 23:30 -05:00 is 2022-02-18 12:30 in Beijing: not yet.
	want := []string{"Space-separated lists", "YAML lists", `他说："你好"`}
	if !reflect.DeepEqual(titles, want) {
		t.Errorf("titles = %q, want %q", titles, want)
	}
}

func TestPostsBody(t *testing.T) {
	b := collectPosts(t, config.Source{Path: "testdata/posts/markdown"}, Env{})
	tests := []struct {
		title string
		exact bool // Content must equal want[0]
		want  []string
	}{
		{"Rendered", false, []string{
			"<h2>A heading</h2>",
			`<a href="https://example.com/a">link</a>`,
			`<a href="http://example.com/b">http://example.com/b</a>`,
			"<div class=\"note\">\nraw <b>HTML</b> block\n</div>",
			"<table>", "<del>gone</del>",
			`<a href="http://www.example.com/c">www.example.com/c</a>`,
		}},
		{"HTML post", true, []string{"<p>Kept *as is*, <em>not</em> rendered.</p>\n"}},
		{"Short Ext", true, []string{"<p>No front matter.</p>\n"}},
		{"Upper Ext", false, []string{"<h1>Upper-case extension</h1>"}},
	}
	if len(b.Articles) != len(tests) {
		t.Fatalf("got %d articles, want %d (skipped: %v)", len(b.Articles), len(tests), b.Skipped)
	}
	for i, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			a := b.Articles[i]
			if a.Title != tt.title {
				t.Fatalf("title = %q, want %q", a.Title, tt.title)
			}
			if tt.exact && a.Content != tt.want[0] {
				t.Errorf("content = %q, want %q", a.Content, tt.want[0])
			}
			for _, w := range tt.want {
				if !strings.Contains(a.Content, w) {
					t.Errorf("content lacks %q:\n%s", w, a.Content)
				}
			}
		})
	}
}

func TestPostsMixedFolder(t *testing.T) {
	dir := "testdata/posts/mixed"
	b := collectPosts(t, config.Source{Path: dir}, Env{})
	var titles []string
	for _, a := range b.Articles {
		titles = append(titles, a.Title)
	}
	// Sorted by file name across folders; _drafts, .hidden and names
	// that are not posts' are left out, as Jekyll leaves them.
	if want := []string{"Nested", "Good", "Also good"}; !reflect.DeepEqual(titles, want) {
		t.Errorf("titles = %q, want %q", titles, want)
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	want := []string{
		p("2022-01-02-bad-yaml.md") + ":3: front matter: yaml: mapping values are not allowed in this context",
		p("2022-01-03-unterminated.md") + ":1: front matter: no closing --- line",
		p("2022-01-04-latin1.md") + ":4: not valid UTF-8",
		p("2022-01-05-bad-date.md") + `:3: front matter: date: unrecognized date "yesterday"`,
		p("2022-13-45-bad-file-date.md") + ": file name: invalid date 2022-13-45",
	}
	var got []string
	for _, err := range b.Skipped {
		got = append(got, err.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("skipped:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPostsDeterministic(t *testing.T) {
	cfg := config.Source{Path: "testdata/posts/frontmatter", SiteURL: "https://example.com"}
	first := collectPosts(t, cfg, Env{})
	for range 5 {
		if again := collectPosts(t, cfg, Env{}); !reflect.DeepEqual(again, first) {
			t.Fatal("a second collection differs from the first")
		}
	}
}

func TestPostsFolderErrors(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big")
	if err := os.MkdirAll(big, 0o755); err != nil {
		t.Fatal(err)
	}
	huge := append([]byte("---\ntitle: Huge\n---\n"), make([]byte, maxPostSize)...)
	if err := os.WriteFile(filepath.Join(big, "2022-01-01-huge.md"), huge, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
		is               error
	}{
		{"missing", "testdata/posts/missing", "read posts folder testdata/posts/missing: no such file or directory", fs.ErrNotExist},
		{"a file", "testdata/posts/mixed/notes.md", "read posts folder testdata/posts/mixed/notes.md: not a folder", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(config.Source{ID: "blog", Type: "posts", Path: tt.path}, Env{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Collect(t.Context())
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %s", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
		})
	}
	t.Run("too large", func(t *testing.T) {
		b := collectPosts(t, config.Source{Path: big}, Env{})
		want := filepath.Join(big, "2022-01-01-huge.md") + ": larger than 4 MiB"
		if len(b.Skipped) != 1 || b.Skipped[0].Error() != want {
			t.Errorf("skipped = %v, want [%s]", b.Skipped, want)
		}
	})
	t.Run("linked folder", func(t *testing.T) {
		target, err := filepath.Abs("testdata/posts/permalink")
		if err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(t.TempDir(), "posts")
		if err := os.Symlink(target, link); err != nil {
			t.Skip(err)
		}
		if b := collectPosts(t, config.Source{Path: link}, Env{}); len(b.Articles) != 4 {
			t.Errorf("got %d articles from a linked folder, want 4", len(b.Articles))
		}
	})
	t.Run("bad permalink", func(t *testing.T) {
		_, err := New(config.Source{ID: "blog", Type: "posts", Path: "x", Permalink: "/:nope/"}, Env{})
		want := `source blog: permalink: unknown placeholder :nope in "/:nope/"`
		if err == nil || err.Error() != want {
			t.Errorf("error = %v, want %s", err, want)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		s, _ := New(config.Source{ID: "blog", Type: "posts", Path: "testdata/posts/frontmatter"}, Env{})
		if _, err := s.Collect(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
	})
}

func BenchmarkPosts(b *testing.B) {
	dir := b.TempDir()
	for i := range 200 {
		day := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		text := fmt.Sprintf("---\nlayout: post\ntitle: \"第 %d 篇：news\"\ndate: %s +0800\n"+
			"categories: [新闻, Go]\ntags: a b c\n---\n## Heading %d\n\n%s",
			i, day.Format(time.DateTime), i, strings.Repeat("Some *text* with a [link](https://example.com/).\n\n", 40))
		name := filepath.Join(dir, day.Format(time.DateOnly)+fmt.Sprintf("-post-%d.md", i))
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	s, err := New(config.Source{ID: "blog", Type: "posts", Path: dir, SiteURL: "https://example.com/"},
		Env{Location: postsZone(b)})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		batch, err := s.Collect(b.Context())
		if err != nil || len(batch.Articles) != 200 {
			b.Fatalf("got %d articles, %v (skipped %v)", len(batch.Articles), err, batch.Skipped)
		}
	}
}

// TestPostsStamps checks which files a collection stamps (those that
// need not be read again while unchanged: published, unpublished, not
// the future ones nor the broken ones) and that Env.Unchanged keeps
// known files unread.
func TestPostsStamps(t *testing.T) {
	now := time.Date(2022, 2, 17, 12, 0, 0, 0, postsZone(t))
	dir := "testdata/posts/frontmatter"
	b := collectPosts(t, config.Source{Path: dir}, Env{Now: func() time.Time { return now }})
	stamped := map[string]store.FileStamp{}
	for _, f := range b.Files {
		fi, err := os.Stat(f.Path)
		if err != nil || f.Size != fi.Size() || f.ModUnix != fi.ModTime().UnixNano() {
			t.Errorf("stamp %+v does not match the file (%v)", f, err)
		}
		stamped[f.Path] = f
	}
	// The three published posts and the unpublished one are stamped;
	// the five dated after now are not: they are read again until due.
	if len(stamped) != 4 || len(b.Articles) != 3 || len(b.Skipped) != 0 {
		t.Errorf("%d files stamped, %d articles, %d skipped; want 4, 3, 0", len(stamped), len(b.Articles), len(b.Skipped))
	}

	again := collectPosts(t, config.Source{Path: dir}, Env{
		Now: func() time.Time { return now },
		Unchanged: func(f store.FileStamp) bool {
			s, ok := stamped[f.Path]
			return ok && s == f
		},
	})
	// The known files are left unread and keep their stamps.
	if len(again.Articles) != 0 || len(again.Files) != len(stamped) || again.Unchanged != len(stamped) || len(again.Skipped) != len(b.Skipped) {
		t.Errorf("second collection: %d articles, %d files, %d unchanged, %d skipped; want 0, %d, %d, %d",
			len(again.Articles), len(again.Files), again.Unchanged, len(again.Skipped), len(stamped), len(stamped), len(b.Skipped))
	}
	for _, f := range again.Files {
		if stamped[f.Path] != f {
			t.Errorf("stamp %+v is not the known one", f)
		}
	}
}

// postNameRE is Jekyll's post file name as a regular expression: the
// reference postFileOf is checked against.
var postNameRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})-(.+)\.(?i:(md|markdown|html|htm))$`)

func FuzzPostName(f *testing.F) {
	for _, s := range []string{"2022-02-14-hello.md", "2022-02-14-a.b.MARKDOWN", "2022-02-14-.md", "2022-02-14-x.md.txt",
		"2022-2-14-x.md", "2022-02-14-日照日报.html", "2022-02-14-x\n.htm", "2022-02-14-x.Htm", "2022-02-14x.md", "１２３４-02-14-x.md"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		p, ok := postFileOf("dir/"+name, name)
		m := postNameRE.FindStringSubmatch(name)
		if ok != (m != nil) {
			t.Fatalf("%q: postFileOf says %v, the expression %v", name, ok, m != nil)
		}
		if !ok {
			return
		}
		ext := strings.ToLower(m[3])
		if p.date != m[1] || p.slug != m[2] || p.markdown != (ext == "md" || ext == "markdown") || p.name != name || p.path != "dir/"+name {
			t.Fatalf("%q: %+v, want date %q slug %q ext %q", name, p, m[1], m[2], m[3])
		}
	})
}
