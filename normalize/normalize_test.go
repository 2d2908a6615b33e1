package normalize

import (
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/feedsmith/feedsmith/article"
)

var now = time.Date(2022, 2, 14, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

const feedURL = "https://Example.com/feed.xml"

func TestEscapedMarkupStaysText(t *testing.T) {
	n := New(clock)
	a := &article.Article{
		Title:   "Alert &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;done",
		Summary: "&lt;svg onload=alert(1)&gt;摘要 &amp;lt;b&amp;gt;",
		Content: "<p>x</p>",
	}
	n.Article(a, feedURL)
	for name, got := range map[string]string{"title": a.Title, "summary": a.Summary} {
		if strings.ContainsAny(got, "<>") && strings.Contains(got, "alert") || strings.Contains(got, "onload") || strings.Contains(got, "onerror") {
			t.Errorf("%s = %q: escaped markup came back as markup", name, got)
		}
	}
	if a.Title != "Alert done" { // a script element's text goes with it
		t.Errorf("title = %q", a.Title)
	}
}

func TestArticleText(t *testing.T) {
	n := New(clock)
	a := &article.Article{
		Title:      "  <b>Breaking</b>: 习近平：“坚持” &amp; \v more\n",
		Author:     "  张三 \x0b ",
		Tags:       []string{" go ", "", "Go", "go", "新闻\x00", "新闻"},
		Categories: []string{"news", " news ", ""},
		Summary:    "A <em>short</em> summary &amp; more.",
		Content:    "<p>Body\vtext</p>",
	}
	n.Article(a, feedURL)
	checks := []struct{ name, got, want string }{
		{"title", a.Title, "Breaking: 习近平：“坚持” & more"},
		{"author", a.Author, "张三"},
		{"tags", strings.Join(a.Tags, "|"), "go|Go|新闻"},
		{"categories", strings.Join(a.Categories, "|"), "news"},
		{"summary", a.Summary, "A short summary & more."},
		{"content", a.Content, "<p>Bodytext</p>"},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
}

func TestArticleURLs(t *testing.T) {
	n := New(clock)
	tests := []struct {
		name                   string
		link, image, enclosure string
		wantLink, wantImage    string
		wantEnclosure          string
	}{
		{"relative link canonicalised", "/2022/02/x.html?id=1&utm_source=rss#top", "img/a.jpg", "a.mp3",
			"https://example.com/2022/02/x.html?id=1#top", "https://example.com/2022/02/img/a.jpg", "https://example.com/2022/02/a.mp3"},
		{"protocol-relative", "//m.example.com/x", "//img.example.com/a.jpg", "/a.mp3",
			"https://m.example.com/x", "https://img.example.com/a.jpg", "https://m.example.com/a.mp3"},
		{"no link: base used", "", "/a.jpg", "", "", "https://example.com/a.jpg", ""},
		{"unusable link dropped", "javascript:void(0)", "a.jpg", "", "", "https://example.com/a.jpg", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &article.Article{Link: tt.link, Image: tt.image,
				Enclosures: []article.Enclosure{{URL: tt.enclosure, Type: " audio/mpeg ", Length: 10}}}
			n.Article(a, feedURL)
			if a.Link != tt.wantLink || a.Image != tt.wantImage {
				t.Errorf("link %q image %q, want %q %q", a.Link, a.Image, tt.wantLink, tt.wantImage)
			}
			switch {
			case tt.wantEnclosure == "" && len(a.Enclosures) != 0:
				t.Errorf("enclosures = %+v, want none", a.Enclosures)
			case tt.wantEnclosure != "" && (len(a.Enclosures) != 1 || a.Enclosures[0].URL != tt.wantEnclosure || a.Enclosures[0].Type != "audio/mpeg"):
				t.Errorf("enclosures = %+v, want %q", a.Enclosures, tt.wantEnclosure)
			}
		})
	}
}

func TestArticleContent(t *testing.T) {
	n := New(clock)
	t.Run("content links resolve against the article link", func(t *testing.T) {
		a := &article.Article{Link: "https://example.com/2022/x.html", Content: `<a href="y.html">y</a>`}
		n.Article(a, feedURL)
		if want := `<a href="https://example.com/2022/y.html">y</a>`; a.Content != want {
			t.Errorf("content %q, want %q", a.Content, want)
		}
	})
	t.Run("html summary becomes content", func(t *testing.T) {
		a := &article.Article{Summary: `<p>Full <b>body</b></p><script>x()</script>`}
		n.Article(a, feedURL)
		if a.Content != "<p>Full <b>body</b></p>" || a.Summary != "Full body" {
			t.Errorf("content %q summary %q", a.Content, a.Summary)
		}
	})
	t.Run("plain summary stays summary", func(t *testing.T) {
		a := &article.Article{Summary: "1 < 2, plainly"}
		n.Article(a, feedURL)
		if a.Content != "" || a.Summary != "1 < 2, plainly" {
			t.Errorf("content %q summary %q", a.Content, a.Summary)
		}
	})
	t.Run("summary from content", func(t *testing.T) {
		a := &article.Article{Content: "<p>" + strings.Repeat("新闻内容。", 100) + "</p>"}
		n.Article(a, feedURL)
		if c := utf8.RuneCountInString(a.Summary); c > 201 || c < 150 || !strings.HasSuffix(a.Summary, "。") {
			t.Errorf("summary of %d runes: %q", c, a.Summary)
		}
	})
}

func TestArticleDates(t *testing.T) {
	east := time.FixedZone("", 8*3600)
	west := time.FixedZone("", -5*3600)
	tests := []struct {
		name             string
		pub, upd         time.Time
		wantPub, wantUpd string
	}{
		{"offset kept", time.Date(2022, 2, 14, 8, 47, 41, 0, east), time.Time{},
			"2022-02-14T08:47:41+08:00", "0001-01-01T00:00:00Z"},
		{"future clamped in own zone", time.Date(2022, 2, 15, 8, 0, 0, 0, east), time.Date(2023, 1, 1, 0, 0, 0, 0, west),
			"2022-02-14T20:00:00+08:00", "2022-02-14T07:00:00-05:00"},
		{"within skew kept", now.Add(9 * time.Minute).In(east), time.Time{},
			"2022-02-14T20:09:00+08:00", "0001-01-01T00:00:00Z"},
		{"updated raised to published", time.Date(2022, 2, 14, 8, 0, 0, 0, east), time.Date(2022, 2, 13, 0, 0, 0, 0, east),
			"2022-02-14T08:00:00+08:00", "2022-02-14T08:00:00+08:00"},
		{"published taken from updated", time.Time{}, time.Date(2022, 2, 13, 0, 0, 0, 0, west),
			"2022-02-13T00:00:00-05:00", "2022-02-13T00:00:00-05:00"},
		// W3C ImplausibleDate: the first-seen time stands in.
		{"before 1990 taken as none", time.Unix(0, 0).In(east), time.Date(1900, 1, 1, 0, 0, 0, 0, west),
			"0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
		{"1990 kept", time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{},
			"1990-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
	}
	n := New(clock)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &article.Article{Published: tt.pub, Updated: tt.upd}
			n.Article(a, feedURL)
			if got := a.Published.Format(time.RFC3339); got != tt.wantPub {
				t.Errorf("published %s, want %s", got, tt.wantPub)
			}
			if got := a.Updated.Format(time.RFC3339); got != tt.wantUpd {
				t.Errorf("updated %s, want %s", got, tt.wantUpd)
			}
		})
	}
}

func TestArticleID(t *testing.T) {
	n := New(clock)
	tests := []struct{ name, id, link, want string }{
		{"given id trimmed", "  guid-1\v ", "https://example.com/x", "guid-1"},
		{"link when no id", "", "https://example.com/x?utm_source=a", "https://example.com/x"},
		{"id taken from the link follows its canonical form", "https://example.com/x?utm_source=a#top", "https://example.com/x?utm_source=a#top", "https://example.com/x#top"},
		{"a guid that is another URL stays", "https://example.com/guid/1", "https://example.com/x?utm_source=a", "https://example.com/guid/1"},
		{"hash when no link", " ", "", article.StableID("", "", "T", "<p>c</p>")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &article.Article{ID: tt.id, Link: tt.link, Title: "T", Content: "<p>c</p>"}
			n.Article(a, feedURL)
			if a.ID != tt.want {
				t.Errorf("id %q, want %q", a.ID, tt.want)
			}
		})
	}
}

func TestArticleHash(t *testing.T) {
	n := New(clock)
	mk := func(content string, pub time.Time) *article.Article {
		a := &article.Article{Title: "T", Link: "/x", Content: content, Published: pub}
		n.Article(a, feedURL)
		return a
	}
	a := mk("<p>one</p>", now.Add(-time.Hour))
	if a.Hash == "" || a.Hash != article.ContentHash(a) {
		t.Fatalf("hash %q not the content hash", a.Hash)
	}
	if b := mk("<p>one</p>", now.Add(-2*time.Hour)); b.Hash != a.Hash {
		t.Error("hash changed with the date only")
	}
	if b := mk("<p>two</p>", now.Add(-time.Hour)); b.Hash == a.Hash {
		t.Error("hash did not change with the content")
	}
	if b := mk("<p>one</p><script>x</script>", now.Add(-time.Hour)); b.Hash != a.Hash {
		t.Error("hash changed with content the sanitizer removes")
	}
}

// TestConcurrent lets the race detector check that one Normalizer can
// serve several workers at once, its pooled buffers included, and checks
// that each worker gets what a lone caller gets.
func TestConcurrent(t *testing.T) {
	n := New(clock)
	var cases []goldenCase
	for _, c := range goldenCases(t) {
		if !strings.HasPrefix(c.name, "mix-") { // the posts and every piece
			cases = append(cases, c)
		}
	}
	want := make([]string, len(cases))
	for i, c := range cases {
		want[i] = describe(n, goldenCase{a: c.a, base: c.base, summaryLen: n.SummaryLen})
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for k := range cases {
				i := (k + w*len(cases)/4) % len(cases) // workers start apart
				c := cases[i]
				if got := describe(n, goldenCase{a: c.a, base: c.base, summaryLen: n.SummaryLen}); got != want[i] {
					t.Errorf("%s: concurrent result differs:\n%s\nwant\n%s", c.name, got, want[i])
				}
			}
		})
	}
	wg.Wait()
}

func benchContent(tb testing.TB) string {
	b, err := os.ReadFile("testdata/article.html")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func TestArticleBenchInput(t *testing.T) {
	n := New(clock)
	a := &article.Article{Title: "国务院新闻办公室举行发布会", Link: "/2022/02/14/c_1.htm", Content: benchContent(t)}
	n.Article(a, feedURL)
	if err := wellFormed(a.Content); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	for _, bad := range []string{"<script", "<style", "<iframe", "onerror", "onclick", `="/`, `="//`} {
		if strings.Contains(a.Content, bad) {
			t.Errorf("content contains %q", bad)
		}
	}
	if !strings.Contains(a.Content, `src="https://img.example.cn/2022/02/14/lead.jpg"`) {
		t.Error("lead image not resolved")
	}
}

func BenchmarkArticle(b *testing.B) {
	n := New(clock)
	content := benchContent(b)
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		a := &article.Article{Title: "国务院新闻办公室举行发布会", Link: "/2022/02/14/c_1.htm",
			Content: content, Tags: []string{"经济", "发布会"}, Published: now}
		n.Article(a, feedURL)
	}
}

// BenchmarkArticlePosts normalizes corpus posts as the posts source
// delivers them: Markdown rendered by goldmark, about 3 KB each, with no
// summary, so it comes from the content.
func BenchmarkArticlePosts(b *testing.B) {
	n := New(clock)
	posts := corpusPosts(b)
	var size int
	for _, p := range posts {
		size += len(p.Content)
	}
	b.SetBytes(int64(size / len(posts)))
	i := 0
	for b.Loop() {
		a := posts[i%len(posts)]
		a.Tags = slices.Clone(a.Tags)
		a.Categories = slices.Clone(a.Categories)
		n.Article(&a, "https://blog.example.com/")
		i++
	}
}
