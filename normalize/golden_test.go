package normalize

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

var update = flag.Bool("update", false, "rewrite testdata/article.golden")

// goldenPath holds a digest of every output of each case of
// TestArticleGolden. It was written by the implementation before the
// performance work, so the test proves a faster normalize gives the same
// bytes; refresh it with -update only for a change of behaviour that is
// meant, and say so in the commit.
const goldenPath = "testdata/article.golden"

// goldenCase is one input of TestArticleGolden.
type goldenCase struct {
	name       string
	a          article.Article
	base       string
	summaryLen int
}

// TestArticleGolden normalizes the corpus posts, the fuzz seeds, hostile
// markup and a few thousand deterministic mixes of them, and checks every
// field Article sets (and Text, XMLSafe and Summary of the raw inputs)
// against the digests in testdata/article.golden.
func TestArticleGolden(t *testing.T) {
	cases := goldenCases(t)
	var want map[string]string
	if !*update {
		want = readGolden(t)
	}
	got := make(map[string]string, len(cases))
	var order []string
	for _, c := range cases {
		n := New(clock)
		n.SummaryLen = c.summaryLen
		desc := describe(n, c)
		sum := sha256.Sum256([]byte(desc))
		got[c.name] = hex.EncodeToString(sum[:8])
		order = append(order, c.name)
		if *update {
			continue
		}
		switch w, ok := want[c.name]; {
		case !ok:
			t.Errorf("%s: no digest in %s; run with -update", c.name, goldenPath)
		case got[c.name] != w:
			t.Errorf("%s: output changed (digest %s, want %s):\n%s", c.name, got[c.name], w, desc)
		}
	}
	if *update {
		var b strings.Builder
		for _, name := range order {
			fmt.Fprintf(&b, "%s %s\n", name, got[name])
		}
		if err := os.WriteFile(goldenPath, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readGolden reads the digests of testdata/article.golden by case name.
func readGolden(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := make(map[string]string)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, sum, _ := strings.Cut(sc.Text(), " ")
		m[name] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// describe normalizes a copy of c's article and writes out every field
// Article sets, one per line, with Text, XMLSafe and Summary of the raw
// title, content and summary.
func describe(n *Normalizer, c goldenCase) string {
	a := c.a
	a.Tags = append([]string(nil), c.a.Tags...)
	a.Categories = append([]string(nil), c.a.Categories...)
	a.Enclosures = append([]article.Enclosure(nil), c.a.Enclosures...)
	n.Article(&a, c.base)
	var b strings.Builder
	fmt.Fprintf(&b, "id %q\ntitle %q\nlink %q\nimage %q\nauthor %q\n", a.ID, a.Title, a.Link, a.Image, a.Author)
	fmt.Fprintf(&b, "summary %q\ncontent %q\n", a.Summary, a.Content)
	fmt.Fprintf(&b, "tags %q\ncategories %q\n", a.Tags, a.Categories)
	for _, e := range a.Enclosures {
		fmt.Fprintf(&b, "enclosure %q %q %d\n", e.URL, e.Type, e.Length)
	}
	fmt.Fprintf(&b, "published %s\nupdated %s\nhash %q\n",
		a.Published.Format(time.RFC3339Nano), a.Updated.Format(time.RFC3339Nano), a.Hash)
	fmt.Fprintf(&b, "Text(title) %q\nXMLSafe(content) %q\nSummary(summary) %q\n",
		Text(c.a.Title), XMLSafe(c.a.Content), Summary(c.a.Summary, c.summaryLen))
	return b.String()
}

// goldenPost is a post of the benchmark corpus as the posts source hands
// it over: Markdown rendered by goldmark, not yet normalized.
type goldenPost struct {
	Title      string    `json:"title"`
	Link       string    `json:"link"`
	Published  time.Time `json:"published"`
	Tags       []string  `json:"tags"`
	Categories []string  `json:"categories"`
	Content    string    `json:"content"`
}

// corpusPosts reads testdata/posts.json, a few posts of
// `go run ./bench/corpus -n 10000 -categories 50 -seed 1` as the posts
// source reads them.
func corpusPosts(tb testing.TB) []article.Article {
	tb.Helper()
	data, err := os.ReadFile("testdata/posts.json")
	if err != nil {
		tb.Fatal(err)
	}
	var posts []goldenPost
	if err := json.Unmarshal(data, &posts); err != nil {
		tb.Fatal(err)
	}
	arts := make([]article.Article, len(posts))
	for i, p := range posts {
		arts[i] = article.Article{ID: p.Link, SourceID: "blog", Title: p.Title, Link: p.Link,
			Published: p.Published, Tags: p.Tags, Categories: p.Categories, Content: p.Content}
	}
	return arts
}

// fuzzSeeds returns the strings of the seed corpus files of the fuzz
// targets in testdata/fuzz.
func fuzzSeeds(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob("testdata/fuzz/*/*")
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, l := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(l, "string("); ok {
				s, err := strconv.Unquote(strings.TrimSuffix(v, ")"))
				if err != nil {
					tb.Fatalf("%s: %v", f, err)
				}
				out = append(out, s)
			}
		}
	}
	return out
}

// hostile is markup and text that has tripped sanitizers, serializers
// and text extraction: encoded schemes, broken tags, raw-text elements,
// entities that decode to markup, control characters, invalid UTF-8, and
// every kind of white space.
var hostile = []string{
	`<a href="javascript:alert(1)">x</a>`, `<a href="JaVaScRiPt:alert(1)">x</a>`,
	"<a href=\"java\x00script:alert(1)\">x</a>", `<a href=" &#14;javascript:alert(1)">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`, `<a href="mailto:a@b.c?subject=hi">m</a>`,
	`<a href="MAILTO:A@B.C">m</a>`, `<a href="mailto:a b@c">m</a>`, `<a href="//evil.example/x">p</a>`,
	`<a href="?q=1&amp;utm_source=x#f">q</a>`, `<a href="#top">t</a>`, `<a href="http://[::1]:80/">v6</a>`,
	`<a href="https://Example.COM:443/A?B=1">c</a>`, `<a href="%zz">bad</a>`, `<a>no href</a>`,
	`<img src="x.png" srcset="a.png 1x, b.png 2x" alt="a&quot;b">`, `<img src=" /x.png ">`,
	`<img srcset="  , a.png,b.png 2x,, c.png  3x ">`, `<video src="v.mp4" poster="javascript:x" controls muted loop>`,
	`<audio src="a.mp3" preload="auto" onplay="x()"></audio>`, `<source src="a.webm" type="video/webm" media="(min-width: 1px)">`,
	`<blockquote cite="javascript:x">q</blockquote>`, `<q cite="/q">q</q>`, `<del datetime="2020-01-01T00:00:00Z">d</del>`,
	`<time datetime="not a date">t</time>`, `<p lang="en-GB" dir="rtl" title="t">l</p>`, `<p lang="x y">l</p>`,
	`<ol start="3" reversed type="a"><li value="7">v</li></ol>`, `<table width="100%"><col span="2"><tr><th scope="row" colspan="2">h</th></tr></table>`,
	`<details open><summary>s</summary>d</details>`, `<div style="color:red" class="c" id="i">d</div>`,
	`<script>alert(1)</script>`, `<SCRIPT SRC=//x.js></SCRIPT>`, `<style>*{}</style>`, `<iframe src="/x">i</iframe>`,
	`<noscript><p>n</p></noscript>`, `<template><p>t</p></template>`, `<textarea><p>t</p></textarea>`,
	`<title>t</title>`, `<select><option>o</option></select>`, `<svg><g onload="x()"><text>s</text></g></svg>`,
	`<math><mi>x</mi></math>`, `<object data="x"><param name="a"></object>`, `<embed src="x">`,
	`<form><input value="v"><button>b</button></form>`, `<xmp><p>x</p></xmp>`, `<plaintext><p>x`,
	`<!-- c --><!DOCTYPE html><?php x ?><![CDATA[d]]>`, `<p`, `<p title="unterminated`, `</`, `<>`, `< p>`,
	`<br/><br></br><hr noshade><wbr>`, `<pre>` + "\n\nx\r\ny" + `</pre>`, `<p>a<p>b<li>c<dd>d<tr>e`,
	`<b><i>x</b></i>`, `<table><p>foster</p><tr><td>c</td></tr></table>`, `<ruby>字<rt>zì</rt></ruby>`,
	`<a href="/a"><a href="/b">nested</a></a>`, `<p><div>inside p</div></p>`, `<h1><h2>h</h2></h1>`,
	`&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;`, `&lt;b&gt;bold&lt;/b&gt;`, `&lt;script&gt;x&lt;/script&gt;y`,
	`&lt;img src=x onerror=alert(1)&gt;`, `&amp;amp;`, `&nbsp;&ensp;&emsp;&thinsp;&#x3000;&#160;`,
	`&#0;&#1;&#11;&#x1F;&#xD800;&#xFFFE;&#x10FFFF;&#x110000;&#128512;`, `&copy &notin; &notit; &AMP; &amp`,
	`&#65 &#x41 &#; &#x; &;`, "a\x00b\x01c\x08d\x0be\x0cf\x1bg\x7fh", "\u0085\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000",
	"\u200b\u200c\u200d\ufeff", "\ufffd\ufffe\uffff", "\xff\xfe\xc3\x28\xe2\x82\xed\xa0\x80\xf4\x90\x80\x80",
	"\r\n\r\n\t \v\f", "中文。English! 日本語？ end. “quote”。）」』’", "\U0001F600\U0001F1E8\U0001F1F3",
	"x. y! z? 。a！b？c", `He said "hi." Then left.`, "1 < 2 > 0 & 3", "a<b", "a&b", "<3", "&",
}

// wellFormed is markup the parser leaves as it is, or nearly: properly
// nested, as Markdown renderers write it, with the cases where the parser
// does repair something close by (formatting elements' attributes
// sorted, a newline after <pre> dropped, lists and links nested).
var wellFormedPieces = []string{
	"<p>plain</p>\n<p>two &amp; &lt;three&gt; &#39;q&#39; &#34;d&#34;</p>",
	`<h2 title="t">H</h2><p><em>e</em> <strong>s</strong> <code>c &lt; d</code> <a href="/x" title="b">l</a></p>`,
	`<p><a title="z" href="/x">sorted</a></p>`, `<p><a href="/b" href="/a">dup</a></p>`, `<p><a title="b" title="a" href="/c">dup</a></p>`,
	`<p><strong title="b" lang="en">s</strong><em dir="rtl" title="x">e</em></p>`, `<p><span title="b" lang="en">not sorted</span></p>`,
	"<ul>\n<li>one</li>\n<li>two <ul><li>nested</li></ul></li>\n</ul>", `<ol start="2"><li>x</li></ol>`,
	`<li>top</li>`, `<ul><p>in list</p><li>x</li></ul>`, `<ul><li><em><li>x</li></em></li></ul>`, `<ul><li><p>p</p></li></ul>`,
	`<dl><dt>t</dt><dd>d</dd></dl>`, `<dd>lone</dd>`, `<dl><dt>a<dd>b</dl>`, `<dl><dt><em><dd>x</dd></em></dt></dl>`,
	"<pre><code>x := 1\n</code></pre>", "<pre>\nleading</pre>", "<pre>\n\nleading</pre>", "<pre>text</pre>",
	"<pre>&amp;x</pre>", "<pre></pre>", "<pre> sp</pre>", "<pre>&#10;x</pre>", "<pre><em>\nx</em></pre>", "<pre><a>\nx</a></pre>",
	`<blockquote><p>q</p></blockquote><div><p>d</p></div>`, `<hr><hr/><br><br/><wbr>`, `<p><hr></p>`, `<p><br/></p>`,
	`<p><img src="/i.png" alt="i"></p>`, `<p>a<img alt="no src">b</p>`, `<p>a<img src="javascript:x">b</p>`,
	`<a>no href</a>`, `<p>x<a>no href</a>y</p>`, `<a href="javascript:x">bad</a>`, `<a><p>block</p></a>`,
	`<p>a<p>b</p>`, `<p><div>x</div></p>`, `<h1><h2>x</h2></h1>`, `<h1><em><h2>x</h2></em></h1>`, `<p><h3>x</h3></p>`,
	`<a href="/1"><a href="/2">x</a></a>`, `<a href="/1"><em><a href="/2">x</a></em></a>`,
	`<b><i>x</b></i>`, `<em><p>x</p></em>`, `<a href="/x"><p>block in link</p></a>`, `<p><strong>a</p><p>b</strong></p>`,
	`<b><b><b><b>deep</b></b></b></b>`, `<b title="x"><b title="x"><b title="x"><b title="x">ark</b></b></b></b>`,
	`<span>s</span><abbr title="a">a</abbr><sub>1</sub><sup>2</sup><q cite="/q">q</q><del>d</del><ins>i</ins><time datetime="2020-01-01">t</time>`,
	`<p/>x`, `<span/>y`, `<br></br>`, `<img src="/a.png"></img>`, `</p>stray`, `<p>x</p></div>`, `<div>unclosed`, `text only & more`,
	`<p>x</p>` + "\r\n" + `<p>y</p>`, `<p>x&#13;y</p>`, `<p title="a&#10;b">n</p>`, `<p title="a&#13;b">n</p>`, `<p title="&amp;lt;">e</p>`,
	`<a href="/x?a=1&amp;b=2">q</a>`, `<a href="/x?a=1&b=2&copy=3">q</a>`, `<p title="x&notit;y">a</p>`,
	`<p>` + strings.Repeat("<span>", 300) + "deep" + strings.Repeat("</span>", 300) + `</p>`,
	strings.Repeat("<div>", 250) + "deep" + strings.Repeat("</div>", 250),
	strings.Repeat("<span>", 520) + "too deep" + strings.Repeat("</span>", 520),
	"<pre><a href=\"http://\">\nunwrapped</a></pre>", "<p><a href=\"http://\">unwrapped</a></p>",
	`<details open><summary>s</summary><p>d</p></details>`, `<figure><img src="/f.png"><figcaption>c</figcaption></figure>`,
	`<section><article><header>h</header><aside>a</aside><footer>f</footer></article></section>`,
	`<table><tr><td>t</td></tr></table>`, `<video src="/v.mp4"></video>`, `<ruby>字<rt>zì</rt></ruby>`,
	`<p>` + "\u00a0" + `nbsp&nbsp;<em>` + "\u3000" + `</em></p>`, `<p>&#1;&#0;&#xFFFE;x</p>`, `<p lang="zh-CN">中文。</p>`,
	`<ul><li><p>p in li</p><li>next</ul>`, `<strong><em>x</strong></em>y`, `<p>a</p >`, `<p >a</p>`, `<P>a</P>`,
	// Summaries: '<' or '&' in the text before and after the summary's
	// 200 runes, and around the 201st.
	"<p>" + strings.Repeat("word ", 60) + "</p><p>&amp;lt;b&amp;gt; &lt;script&gt;hidden&lt;/script&gt; tail</p>",
	"<p>a &lt;b&gt; " + strings.Repeat("word ", 60) + "</p>", "<p>a &amp;lt;i&amp;gt; " + strings.Repeat("word ", 60) + "</p>",
	"<p>" + strings.Repeat("w ", 99) + "x</p><p>&lt;b&gt;" + strings.Repeat("v ", 60) + "</p>",
	"<p>" + strings.Repeat("w ", 100) + "&lt;b&gt;</p><p>" + strings.Repeat("v ", 60) + "</p>",
	"<p>" + strings.Repeat("字", 199) + "。</p><p>&amp;lt;b&amp;gt;</p>", "<p>" + strings.Repeat("字", 200) + "</p><p>&lt;b&gt;</p>",
	`<p title=a>x</p>`, `<p title='a'>x</p>`, `<p TITLE="a">x</p>`, `<p title="a" >x</p>`, `<p title>x</p>`,
}

// goldenAtoms are the small pieces goldenCases mixes into titles,
// authors, tags and summaries.
var goldenAtoms = []string{
	" ", "  ", "\t", "\n", "\r\n", "\r", "\v", "\f", "\u00a0", "\u3000", "\u2028", "\u0085", "\u200b",
	"\x00", "\x1b", "\ufffe", "\xff", "\xe4\xb8", "&amp;", "&lt;", "&gt;", "&amp;lt;b&amp;gt;", "&nbsp;",
	"&#11;", "&quot;", "&#x1F600;", "<", ">", "&", "。", "！", "？", ".", "!", "?", "”", "」", "）", "\"", ")",
	"😀", "中", "文", "word", "Go", "go", "<p>", "</p>", "<br>", "<b>", "</b>", "<script>", "</script>",
	"<a href=\"/x\">", "</a>", "<style>", "</style>", "<em>", "</em>", "<li>", "<!--", "-->",
}

var goldenLinks = []string{
	"", " ", "/2022/02/x.html", "x.html?utm_source=rss&id=1#frag", "https://Example.com:443/p?fbclid=1",
	"http://example.com:80", "//cdn.example.net/p", "javascript:alert(1)", "mailto:a@b.c",
	"https://blog.example.com/cat06/2025/11/01/post-06120-ti.html", "%zz", "ftp://x/y",
	"https://例子.中国/路径?查询=1", " https://example.com/a b ",
}

var goldenBases = []string{"https://Example.com/feed.xml", "", "https://blog.example.com/", "not a url", "http://h/dir/"}

// goldenCases returns the inputs of TestArticleGolden. The mixes come
// from a fixed seed, so the list is the same on every run.
func goldenCases(tb testing.TB) []goldenCase {
	posts := corpusPosts(tb)
	pieces := append(fuzzSeeds(tb), seeds...)
	pieces = append(pieces, hostile...)
	pieces = append(pieces, wellFormedPieces...)
	pieces = append(pieces, benchContent(tb))
	for _, p := range posts {
		pieces = append(pieces, p.Content)
	}
	var cases []goldenCase
	for i, p := range posts {
		cases = append(cases, goldenCase{name: fmt.Sprintf("post-%d", i), a: p, base: "https://blog.example.com/", summaryLen: 200})
	}
	for i, p := range pieces {
		cases = append(cases,
			goldenCase{name: fmt.Sprintf("piece-%d", i), a: article.Article{Title: p, Content: p, Author: p, Tags: []string{p}}, base: feedURL, summaryLen: 200},
			goldenCase{name: fmt.Sprintf("piece-%d-summary", i), a: article.Article{Summary: p, Link: "/x"}, base: feedURL, summaryLen: 50})
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		cases = append(cases, goldenCase{name: fmt.Sprintf("mix-%d", i), a: mixArticle(r, pieces),
			base: goldenBases[r.IntN(len(goldenBases))], summaryLen: []int{200, 200, 50, 1, 0, 37}[r.IntN(6)]})
	}
	return cases
}

// mixArticle makes an article of random atoms, pieces and slices of
// pieces (cut anywhere, even inside a tag or a UTF-8 sequence).
func mixArticle(r *rand.Rand, pieces []string) article.Article {
	text := func(maxAtoms int, withPieces bool) string {
		var b strings.Builder
		for range r.IntN(maxAtoms + 1) {
			switch k := r.IntN(10); {
			case withPieces && k == 0:
				b.WriteString(pieces[r.IntN(len(pieces))])
			case withPieces && k == 1:
				p := pieces[r.IntN(len(pieces))]
				i := r.IntN(len(p) + 1)
				j := i + r.IntN(len(p)-i+1)
				b.WriteString(p[i:j])
			default:
				b.WriteString(goldenAtoms[r.IntN(len(goldenAtoms))])
			}
		}
		return b.String()
	}
	a := article.Article{
		Title:  text(12, r.IntN(4) == 0),
		Link:   goldenLinks[r.IntN(len(goldenLinks))],
		Image:  goldenLinks[r.IntN(len(goldenLinks))],
		Author: text(4, false),
	}
	switch r.IntN(4) {
	case 0:
		a.ID = a.Link
	case 1:
		a.ID = text(3, false)
	}
	switch r.IntN(3) {
	case 0:
		a.Summary = text(400, false)
	case 1:
		a.Summary = text(20, true)
	}
	if r.IntN(5) > 0 {
		a.Content = text(30, true)
	}
	for range r.IntN(4) {
		a.Tags = append(a.Tags, text(3, false))
	}
	for range r.IntN(3) {
		a.Categories = append(a.Categories, text(2, false))
	}
	for range r.IntN(3) {
		a.Enclosures = append(a.Enclosures, article.Enclosure{URL: goldenLinks[r.IntN(len(goldenLinks))],
			Type: text(2, false), Length: r.Int64N(3) - 1})
	}
	if r.IntN(2) == 0 {
		a.Published = now.Add(time.Duration(r.Int64N(48)-36) * time.Hour)
	}
	if r.IntN(2) == 0 {
		a.Updated = now.Add(time.Duration(r.Int64N(48)-36) * time.Hour).In(time.FixedZone("", 3600*(r.IntN(24)-12)))
	}
	return a
}
