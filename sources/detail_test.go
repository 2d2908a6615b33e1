package sources

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
)

// site stands in for a news site: a listing of items, their article
// pages (/a/N.html) and a feed, counting the requests for each path.
type site struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	inFlight atomic.Int32
	maxIn    atomic.Int32
}

// newSite serves n items; pages listed in broken answer 500, the others
// testdata/html/article.html (GBK-encoded for /a/gbk.html).
func newSite(t *testing.T, n int, broken ...string) *site {
	article := readTestdata(t, "article.html")
	gbkArticle := encode(t, simplifiedchinese.GBK, strings.Replace(article, `charset="utf-8"`, `charset="gbk"`, 1))
	s := &site{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		in := s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		for m := s.maxIn.Load(); in > m && !s.maxIn.CompareAndSwap(m, in); m = s.maxIn.Load() {
		}
		time.Sleep(5 * time.Millisecond) // let requests overlap if they can
		switch {
		case r.URL.Path == "/news/":
			var b strings.Builder
			b.WriteString(`<ul class="news">`)
			for i := 1; i <= n; i++ {
				fmt.Fprintf(&b, `<li><a href="/a/%d.html">标题%d</a><p>摘要%d</p></li>`, i, i, i)
			}
			w.Write([]byte(b.String() + `</ul>`))
		case r.URL.Path == "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>t</title><link>%s/</link>
<item><title>有全文</title><link>/a/1.html</link><description>只有摘要一</description></item>
<item><title>页面坏了</title><link>%s/a/3.html</link><description>只有摘要三</description></item>
</channel></rss>`, s.URL, s.URL)
		case strings.Contains(strings.Join(broken, " "), r.URL.Path):
			http.Error(w, "boom", http.StatusInternalServerError)
		case r.URL.Path == "/a/gbk.html":
			w.Header().Set("Content-Type", "text/html") // not Go's sniffed "charset=utf-8"
			w.Write(gbkArticle)
		case r.URL.Path == "/empty.html":
			w.Write([]byte("<!DOCTYPE html><html><head><title>空</title></head><body> </body></html>"))
		case strings.HasPrefix(r.URL.Path, "/a/"):
			w.Write([]byte(article))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// snapshot returns the request counts so far.
func (s *site) snapshot() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.snapshot())
}

func (s *site) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// logBuffer returns a logger writing text lines to buf.
func logBuffer() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})), &buf
}

var listingOnly = config.Select{Item: "ul.news li", Title: "a", Link: "a @href", Summary: "p"}

const articleText = "总投资一百二十亿元，涵盖先进制造业"

func TestDetailSelectorAndFallback(t *testing.T) {
	s := newSite(t, 3, "/a/3.html")
	logger, logs := logBuffer()
	cfg := config.Source{URL: s.URL + "/news/", Select: listingOnly, Detail: &config.Detail{Content: "div.article"}}
	for run := 1; run <= 2; run++ {
		b, err := collectHTML(t, cfg, Env{Logger: logger})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Articles) != 3 || len(b.Skipped) != 0 {
			t.Fatalf("run %d: %d articles, skipped %v: a failed page is never a skip", run, len(b.Articles), b.Skipped)
		}
		for _, a := range b.Articles[:2] {
			if !a.FullText || !strings.HasPrefix(strings.TrimSpace(a.Content), "<p>2月14日上午") ||
				!strings.Contains(a.Content, articleText) || strings.Contains(a.Content, "首页导航") || strings.Contains(a.Content, "来源：") {
				t.Errorf("run %d: %s: FullText %v, content %.80q: want the inner HTML of div.article", run, a.Link, a.FullText, a.Content)
			}
		}
		if a := b.Articles[2]; a.FullText || a.Content != "" || a.Summary != "摘要3" {
			t.Errorf("run %d: failed page: %+v, want the listing's summary and FullText false", run, a)
		}
		if n := s.hitsOf("/a/3.html"); n != run {
			t.Errorf("run %d: the failed page was fetched %d times, want once per run", run, n)
		}
	}
	if want := "url=" + s.URL + "/a/3.html error=\"GET " + s.URL + "/a/3.html: 500 Internal Server Error\""; !strings.Contains(logs.String(), want) {
		t.Errorf("log %q does not contain %q", logs.String(), want)
	}
}

func TestDetailStoredFullText(t *testing.T) {
	s := newSite(t, 3)
	stored := func(_ context.Context, id string) (string, bool) {
		if id == s.URL+"/a/2.html" {
			return "<p>已存全文</p>", true
		}
		return "", false
	}
	cfg := config.Source{URL: s.URL + "/news/", Select: listingOnly, Detail: &config.Detail{Content: "div.article"}}
	b, err := collectHTML(t, cfg, Env{FullText: stored})
	if err != nil {
		t.Fatal(err)
	}
	if a := b.Articles[1]; !a.FullText || a.Content != "<p>已存全文</p>" {
		t.Errorf("stored article: %+v, want the stored full text", a)
	}
	if s.hitsOf("/a/2.html") != 0 || s.hitsOf("/a/1.html") != 1 || s.hitsOf("/a/3.html") != 1 {
		t.Errorf("hits = %v: a stored full text is never fetched again, the others are", s.snapshot())
	}
}

func TestDetailReadability(t *testing.T) {
	s := newSite(t, 1)
	for _, path := range []string{"/a/1.html", "/a/gbk.html"} {
		t.Run(path, func(t *testing.T) {
			arts := []article.Article{{ID: "x", Link: path, Summary: "摘要"}}
			// The pages are on the source's own origin: its url's.
			d, err := newPageDetail(config.Source{ID: "s", URL: s.URL + "/news/", Detail: &config.Detail{Content: "readability"}}, Env{Fetcher: NewFetcher("", 5*time.Second, 0)})
			if err != nil {
				t.Fatal(err)
			}
			d.fill(t.Context(), arts, s.URL+"/news/")
			a := arts[0]
			if !a.FullText || !strings.Contains(a.Content, articleText) || !strings.Contains(a.Content, "项目是经济发展的生命线") {
				t.Fatalf("FullText %v, content %q: want the article text", a.FullText, a.Content)
			}
			for _, clutter := range []string{"首页导航", "侧栏热门新闻", "广告位招租", "鲁ICP备", "导航脚本不应出现"} {
				if strings.Contains(a.Content, clutter) {
					t.Errorf("content has %q from outside the article", clutter)
				}
			}
			if !strings.Contains(a.Content, `src="`+s.URL+`/img/kaigong.jpg"`) {
				t.Errorf("content %q: want the image resolved against the page", a.Content)
			}
		})
	}
}

func TestDetailFailures(t *testing.T) {
	s := newSite(t, 1)
	tests := []struct {
		name, content, link, wantLog string
	}{
		{"selector matches nothing", "div.missing", "/a/1.html", "detail.content matched nothing"},
		{"not found", "div.article", "/nope.html", "404 Not Found"},
		{"no http link", "div.article", "javascript:void(0)", "no http(s) link"},
		{"readability on a page without an article", "readability", "/empty.html", "no main content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, logs := logBuffer()
			d, err := newPageDetail(config.Source{URL: s.URL + "/", Detail: &config.Detail{Content: tt.content}}, Env{Fetcher: NewFetcher("", 5*time.Second, 0), Logger: logger})
			if err != nil {
				t.Fatal(err)
			}
			arts := []article.Article{{ID: "x", Link: tt.link, Content: "<p>原文</p>"}}
			d.fill(t.Context(), arts, s.URL+"/")
			if arts[0].FullText || arts[0].Content != "<p>原文</p>" {
				t.Errorf("article = %+v, want its own content kept", arts[0])
			}
			if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), tt.wantLog) {
				t.Errorf("log %q, want a warning with %q", logs.String(), tt.wantLog)
			}
		})
	}
}

func TestDetailConcurrency(t *testing.T) {
	s := newSite(t, 8)
	b, err := collectHTML(t, config.Source{URL: s.URL + "/news/", Select: listingOnly, Detail: &config.Detail{Content: "div.article"}}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range b.Articles {
		if !a.FullText {
			t.Errorf("%s: no full text", a.Link)
		}
	}
	if m := s.maxIn.Load(); m > detailWorkers {
		t.Errorf("%d requests at once, want at most %d", m, detailWorkers)
	}
}

func TestDetailCancelled(t *testing.T) {
	s := newSite(t, 1)
	d, err := newPageDetail(config.Source{Detail: &config.Detail{Content: "div.article"}}, Env{Fetcher: NewFetcher("", 5*time.Second, 0)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	arts := []article.Article{{ID: "1", Link: s.URL + "/a/1.html"}, {ID: "2", Link: s.URL + "/a/2.html"}}
	d.fill(ctx, arts, "")
	if arts[0].FullText || arts[1].FullText || s.hitsOf("/a/1.html")+s.hitsOf("/a/2.html") != 0 {
		t.Errorf("a cancelled run fetched pages: %+v, hits %v", arts, s.snapshot())
	}
}

func TestFeedDetail(t *testing.T) {
	s := newSite(t, 0, "/a/3.html")
	b, err := collect(t, config.Source{URL: s.URL + "/feed.xml", Detail: &config.Detail{Content: "div.article"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Articles) != 2 || len(b.Skipped) != 0 {
		t.Fatalf("articles %+v, skipped %v", b.Articles, b.Skipped)
	}
	if a := b.Articles[0]; !a.FullText || !strings.Contains(a.Content, articleText) || a.Summary != "只有摘要一" {
		t.Errorf("first item: FullText %v, content %.60q, summary %q: want the page's full text", a.FullText, a.Content, a.Summary)
	}
	if a := b.Articles[1]; a.FullText || a.Content != "只有摘要三" {
		t.Errorf("broken page: FullText %v, content %q: want the feed's own text", a.FullText, a.Content)
	}
	if _, err := New(config.Source{ID: "f", Type: "feed", URL: "x", Detail: &config.Detail{Content: "p["}}, Env{Fetcher: NewFetcher("", 0, 0)}); err == nil ||
		!strings.HasPrefix(err.Error(), `source f: detail.content: invalid CSS selector "p["`) {
		t.Errorf("bad selector on a feed: error = %v", err)
	}
}

func TestPageURL(t *testing.T) {
	tests := []struct{ link, base, want string }{
		{"/a/1.html", "https://news.example.com/list/", "https://news.example.com/a/1.html"},
		{"2.html", "https://news.example.com/list/", "https://news.example.com/list/2.html"},
		{"//cdn.example.com/x", "http://news.example.com/", "http://cdn.example.com/x"},
		{"https://other.example.org/a", "", "https://other.example.org/a"},
		{"/etc/passwd", "", ""}, // a local listing's link is never read from disk
		{"file:///etc/passwd", "https://news.example.com/", ""},
		{"javascript:alert(1)", "https://news.example.com/", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := pageURL(tt.link, tt.base); got != tt.want {
			t.Errorf("pageURL(%q, %q) = %q, want %q", tt.link, tt.base, got, tt.want)
		}
	}
}
