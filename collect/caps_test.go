package collect

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/jekyll"
	"github.com/feedsmith/feedsmith/publish"
)

// TestHugeFields collects one item with a 10 MB title, a 1 MB author
// and 5 MB of content (under a raised max_body): the stored article and
// what is published from it in all three feed formats and the Jekyll
// post are within the default caps, valid UTF-8, the Chinese whole. It
// reports the heap this costs at its peak.
func TestHugeFields(t *testing.T) {
	ctx := context.Background()
	title := strings.Repeat("特大标题 &amp; more ", 10<<20/24)
	author := strings.Repeat("作者", 1<<20/6)
	content := strings.Repeat("<p>正文 <b>粗体</b> &amp; <a href=\"/x\">链接</a></p>", 5<<20/56)
	body := `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><link>https://news.example.org/</link>` +
		`<item><guid>huge</guid><title>` + title + `</title><link>/a/huge.html</link><dc:creator>` + author + `</dc:creator>` +
		`<description><![CDATA[` + content + `]]></description></item></channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, body)
	}))
	defer srv.Close()
	st := openStore(t)
	cfg := &config.Config{Site: config.Site{BaseURL: "https://feeds.example.org/", Title: "t"}, Categories: []config.Category{{ID: "news", Title: "新闻"}}}
	cfg.Output.Items = 50
	src := config.Source{ID: "huge", Type: "feed", URL: srv.URL, Category: config.CategorySpec{ID: "news"},
		Timeout: config.Duration(10 * time.Second), MaxBody: 32 << 20}
	c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	defer c.Close()

	before := heapInuse()
	peak := samplePeak()
	r := c.Run(ctx, src)
	tree, err := publish.New(cfg, st, "test").Render(ctx)
	top := peak()
	if r.Err != nil || r.New != 1 || err != nil {
		t.Fatalf("run: %+v; render: %v", r, err)
	}
	t.Logf("a %d MB document: heap peak +%.1f MiB", len(body)>>20, mib(int64(top)-int64(before)))

	caps := config.DefaultCaps()
	arts, err := st.Articles(ctx, "news", 10)
	if err != nil || len(arts) != 1 {
		t.Fatalf("stored %d articles: %v", len(arts), err)
	}
	a := arts[0]
	for _, f := range []struct {
		name, v string
		max     config.ByteSize
	}{{"title", a.Title, caps.MaxTitle}, {"author", a.Author, caps.MaxAuthor}, {"content", a.Content, caps.MaxContent}} {
		if len(f.v) > int(f.max) || len(f.v) < int(f.max)/2 || !utf8.ValidString(f.v) || strings.ContainsRune(f.v, utf8.RuneError) {
			t.Errorf("stored %s: %d bytes (cap %d), valid UTF-8 %v", f.name, len(f.v), f.max, utf8.ValidString(f.v))
		}
	}
	if !strings.HasPrefix(a.Title, "特大标题 & more") || !strings.HasSuffix(a.Title, "…") {
		t.Errorf("title %q…%q: want it cut with an ellipsis", a.Title[:30], a.Title[len(a.Title)-12:])
	}
	checkFeeds(t, tree, caps)
	checkJekyll(t, a, caps)
}

// checkFeeds parses the news feeds of tree in each format: every one has
// the article, its title within max_title and valid UTF-8, and the
// whole document is a small multiple of max_content.
func checkFeeds(t *testing.T, tree publish.Tree, caps config.Caps) {
	t.Helper()
	found := 0
	for _, f := range tree {
		if !strings.HasPrefix(f.Path, "feeds/news.") {
			continue
		}
		found++
		if !utf8.Valid(f.Body) || len(f.Body) > 2*int(caps.MaxContent)+64<<10 {
			t.Errorf("%s: %d bytes, valid UTF-8 %v", f.Path, len(f.Body), utf8.Valid(f.Body))
		}
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(f.Body))
		if err != nil || len(feed.Items) != 1 {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if it := feed.Items[0]; len(it.Title) > int(caps.MaxTitle) || !utf8.ValidString(it.Title) || !strings.HasSuffix(it.Title, "…") {
			t.Errorf("%s: title of %d bytes (cap %d), valid UTF-8 %v", f.Path, len(it.Title), caps.MaxTitle, utf8.ValidString(it.Title))
		}
		t.Logf("%s: %d KiB", f.Path, len(f.Body)>>10)
	}
	if found != 3 {
		t.Errorf("%d news feeds rendered, want 3", found)
	}
}

// checkJekyll writes a as a Jekyll post: the post is a small multiple
// of max_content, valid UTF-8, its title within max_title.
func checkJekyll(t *testing.T, a article.Article, caps config.Caps) {
	t.Helper()
	dir := t.TempDir()
	if _, err := jekyll.New(config.Jekyll{Dir: dir}, nil, nil).Write(context.Background(), []article.Article{a}); err != nil {
		t.Fatal(err)
	}
	posts, err := os.ReadDir(dir)
	if err != nil || len(posts) != 1 {
		t.Fatalf("%d posts written: %v", len(posts), err)
	}
	post, err := os.ReadFile(filepath.Join(dir, posts[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(string(post), "\n---\n")
	if len(post) > 2*int(caps.MaxContent) || len(head) > 2*int(caps.MaxTitle+caps.MaxAuthor)+1024 || !utf8.Valid(post) {
		t.Errorf("post: %d bytes, front matter %d bytes, valid UTF-8 %v", len(post), len(head), utf8.Valid(post))
	}
	t.Logf("Jekyll post: %d KiB", len(post)>>10)
}
