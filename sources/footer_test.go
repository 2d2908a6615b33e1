package sources

import (
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/normalize"
)

// mirrored is what the footer tests compare of a post, once normalized.
type mirrored struct {
	Title, Link, Via, Summary, Content string
}

func collectMirrored(t *testing.T, cfg config.Source) []mirrored {
	t.Helper()
	b := collectPosts(t, cfg, Env{Site: config.Site{BaseURL: "https://mirror.example.org/"}})
	if len(b.Skipped) > 0 {
		t.Fatalf("skipped: %v", b.Skipped)
	}
	n := normalize.New(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	var got []mirrored
	for _, a := range b.Articles {
		n.Article(&a, b.BaseURL)
		got = append(got, mirrored{a.Title, a.Link, a.Via, a.Summary, a.Content})
	}
	return got
}

func checkMirrored(t *testing.T, got, want []mirrored) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d posts, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		t.Run(w.Title, func(t *testing.T) {
			if got[i] != w {
				t.Errorf("got  %+v\nwant %+v", got[i], w)
			}
		})
	}
}

// TestPostsFooter reads posts of a news mirror: the footer (the bare
// upstream link, then the back-link line) is cut from content and
// summary only at the very end and only in its own shapes, in Markdown
// and in HTML, and the upstream link is kept as the source link.
func TestPostsFooter(t *testing.T) {
	const site = "https://mirror.example.org/"
	checkMirrored(t, collectMirrored(t, config.Source{Path: "testdata/posts/footer"}), []mirrored{
		{"Autolink", site + "2022/02/14/autolink.html",
			"http://news.example.com/html_News/NewsShare.html?infoCode=NW202202150800054321",
			"车站提醒旅客错峰出行。详情请见车站公告。",
			`<p>车站提醒旅客错峰出行。详情请见<a href="https://mirror.example.org/notice/2022/0215.html">车站公告</a>。</p>`},
		{"Bare", site + "2022/02/14/bare.html",
			"http://news.example.com/html_News/NewsShare.html?infoCode=NW2&x=1",
			"东港区今年计划新建便民市场3处。", "<p>东港区今年计划新建便民市场3处。</p>"},
		{"Home Only", site + "2022/02/15/home-only.html", "", "没有分类的文章。", "<p>没有分类的文章。</p>"},
		// Not at the very end: kept whole.
		{"Middle", site + "2022/02/15/middle.html", "",
			"第一段。 http://news.example.com/a 返回日照日报新闻｜返回首页 后来又写了一段。",
			`<p>第一段。</p>
<p><a href="http://news.example.com/a">http://news.example.com/a</a></p>
<p><a href="https://news.example.org/category/rizhaoribao.html">返回日照日报新闻</a>｜<a href="https://news.example.org/">返回首页</a></p>
<p>后来又写了一段。</p>`},
		{"HTML Post", site + "2022/02/16/html-post.html", "http://news.example.com/c?a=1&b=2",
			"HTML 正文。", "<p>HTML 正文。</p>"},
		// The URL is the last line of a paragraph, not a bare link's own.
		{"URL In Paragraph", site + "2022/02/16/url-in-paragraph.html", "",
			"详情见： http://news.example.com/b",
			"<p>详情见：\n<a href=\"http://news.example.com/b\">http://news.example.com/b</a></p>"},
		// Indented four spaces: code, not a footer.
		{"Code", site + "2022/02/17/code.html", "", "示例： [返回日照日报新闻](//news.example.org/category/rizhaoribao.html)｜[返回首页](//news.example.org/)",
			"<p>示例：</p>\n<pre><code>[返回日照日报新闻](//news.example.org/category/rizhaoribao.html)｜[返回首页](//news.example.org/)\n</code></pre>"},
		// A last link that is not a back-link: no footer.
		{"Not Back", site + "2022/02/17/not-back.html", "", "正文。 http://news.example.com/d 阅读原文",
			`<p>正文。</p>
<p><a href="http://news.example.com/d">http://news.example.com/d</a></p>
<p><a href="http://news.example.com/d">阅读原文</a></p>`},
		{"CRLF", site + "2022/02/18/crlf.html", "http://news.example.com/e", "正文。", "<p>正文。</p>"},
		// A Markdown post whose footer is written as HTML.
		{"HTML Footer", site + "2022/02/18/html-footer.html", "http://news.example.com/f", "正文。", "<p>正文。</p>"},
		// A link with its own text is content: only the back-links go.
		{"Link Text", site + "2022/02/19/link-text.html", "", "正文。 原文",
			"<p>正文。</p>\n<p><a href=\"http://news.example.com/g\">原文</a></p>"},
		// 返回 is also "return": a story's own last link is no footer
		// unless the line ends with the home link 返回首页.
		{"Part Two", site + "2022/02/20/part-two.html", "", "第二部分。 返回",
			"<p>第二部分。</p>\n<p><a href=\"https://example.org/story/part1.html\">返回</a></p>"},
		{"Return Values", site + "2022/02/20/return-value.html", "", "命名返回值。 https://go.dev/doc/effective_go 返回值的命名",
			"<p>命名返回值。</p>\n<p><a href=\"https://go.dev/doc/effective_go\">https://go.dev/doc/effective_go</a></p>\n" +
				"<p><a href=\"https://go.dev/doc/effective_go#named-results\">返回值的命名</a></p>"},
	})
}

// TestPostsCustomFooter: a source's own footer pattern replaces the
// default one; its group "link" is the source link.
func TestPostsCustomFooter(t *testing.T) {
	const site = "https://mirror.example.org/"
	cfg := config.Source{Path: "testdata/posts/footer-custom", Footer: `原文链接：(?P<link>https?://\S+)\s+本文转载自\S+`}
	checkMirrored(t, collectMirrored(t, cfg), []mirrored{
		{"Custom", site + "2022/02/14/custom.html", "http://news.example.com/h", "转载的正文。", "<p>转载的正文。</p>"},
		{"Custom Default Shape", site + "2022/02/15/default-shape.html", "", "正文。 http://news.example.com/i 返回首页",
			"<p>正文。</p>\n<p><a href=\"http://news.example.com/i\">http://news.example.com/i</a></p>\n<p><a href=\"https://news.example.org/\">返回首页</a></p>"},
	})
}

// FuzzCutFooter: whatever a post's body, the footer cut leaves a prefix
// of it, and the source link is "" or one http(s) URL.
func FuzzCutFooter(f *testing.F) {
	f.Add("<p>正文</p>\n\n<http://news.example.com/a>\n\n[返回首页](//news.example.org/)\n", true)
	f.Add("正文\n\nhttp://x.example/b\n[返回首页](/)", true)
	f.Add("<p>x</p>\n<p><a href=\"http://a.example/\">http://a.example/</a></p>\n<p><a href=\"/\">返回首页</a></p>", false)
	f.Add("[返回](<)\n", true)
	f.Fuzz(func(t *testing.T, body string, markdown bool) {
		rest, link, found := cutFooter(body, markdown, nil)
		if !strings.HasPrefix(body, rest) {
			t.Fatalf("rest %q is not a prefix of %q", rest, body)
		}
		if !found && (rest != body || link != "") {
			t.Fatalf("nothing found, yet rest %q, link %q", rest, link)
		}
		if link != "" && !strings.HasPrefix(link, "http://") && !strings.HasPrefix(link, "https://") {
			t.Fatalf("link %q is not http(s)", link)
		}
	})
}
