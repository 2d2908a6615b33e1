package sources

import (
	"html"
	"strings"
	"testing"
)

// cutHTMLFooterWhole is cutHTMLFooter as it was, running both patterns
// over the whole body: the reference the fast one must agree with.
func cutHTMLFooterWhole(body string) (rest, link string, found bool) {
	m := htmlBackLinks.FindStringIndex(body)
	if m == nil {
		return body, "", false
	}
	rest = body[:m[0]]
	if u := htmlBareURL.FindStringSubmatch(rest); u != nil && isWebURL(html.UnescapeString(u[2])) {
		link = html.UnescapeString(u[1])
		rest = rest[:len(rest)-len(u[0])]
	}
	return strings.TrimRight(rest, " \t\r\n"), link, true
}

// FuzzHTMLFooter: cutting the footer from the last paragraph's tail gives
// what the patterns give on the whole body.
func FuzzHTMLFooter(f *testing.F) {
	const back = `<p><a href="//news.example.org/category/rizhaoribao.html">返回日照日报新闻</a>｜<a href="//news.example.org/">返回首页</a></p>`
	const bare = `<p><a href="http://news.example.com/a?x=1&amp;y=2">http://news.example.com/a?x=1&amp;y=2</a></p>`
	for _, s := range []string{
		"<p>正文。</p>\n" + bare + "\n" + back + "\n",
		"<p>正文。</p>\n" + back,
		back,
		bare + back,
		"<p>a</p>\n  \t" + back + " \n\f",
		"<p>a</p><p>b</p>" + back,
		"<p>正文。</p>\n<p><a href=\"x\">返回</a>｜\n<a href=\"y\">返回首页</a></p>",
		"<pre>\n<p>" + back[3:] + "\n</pre>",
		"x\n" + bare + "\n\n" + back,
		"<p>正文。</p>\n<p><a href=\"http://a b\">http://a b</a></p>\n" + back,
		"<p>" + back,
		"",
		"<p>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		rest, link, found := cutHTMLFooter(body)
		wrest, wlink, wfound := cutHTMLFooterWhole(body)
		if rest != wrest || link != wlink || found != wfound {
			t.Errorf("cutHTMLFooter(%q) = %q, %q, %v; on the whole body %q, %q, %v", body, rest, link, found, wrest, wlink, wfound)
		}
	})
}

// BenchmarkCutHTMLFooter cuts the footer of a long story, and finds none
// in one without.
func BenchmarkCutHTMLFooter(b *testing.B) {
	story := strings.Repeat("<p>日照港今年完成货物吞吐量，同比增长。<a href=\"https://example.org/x\">详情</a></p>\n", 60)
	footer := "<p><a href=\"http://news.example.com/a\">http://news.example.com/a</a></p>\n" +
		`<p><a href="//news.example.org/category/rizhaoribao.html">返回日照日报新闻</a>｜<a href="//news.example.org/">返回首页</a></p>`
	for _, bc := range []struct{ name, body string }{{"footer", story + footer}, {"none", story}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			for b.Loop() {
				cutHTMLFooter(bc.body)
			}
		})
		b.Run(bc.name+"/whole", func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			for b.Loop() {
				cutHTMLFooterWhole(bc.body)
			}
		})
	}
}
