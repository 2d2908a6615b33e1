package normalize

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/feedsmith/feedsmith/article"
)

func TestCutHTML(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"fits", "<p>短</p>", 100, "<p>短</p>"},
		{"no limit", "<p>短</p>", 0, "<p>短</p>"},
		{"rune boundary", "<p>中文内容", 9, "<p>中文"}, // 3 + 3 + 3; "内" would need 3 more
		{"inside a rune", "<p>中文内容", 10, "<p>中文"},
		{"inside a tag", "<p>ab<a href=\"https://x/\">c</a>", 12, "<p>ab"},
		{"after a lone <", "<p>ab<x", 6, "<p>ab"},
		{"inside an end tag", "<p>ab</p>", 7, "<p>ab"},
		{"inside a comment", "<p>ab<!-- x -->", 9, "<p>ab"},
		{"inside an entity", "<p>a&amp;b", 7, "<p>a"},
		{"inside a numeric reference", "<p>a&#1234;b", 8, "<p>a"},
		{"after a whole entity", "<p>a&amp;b", 9, "<p>a&amp;"},
		{"a < in text stays", "1 < 2 and more", 7, "1 < 2 a"},
		{"a & in text stays", "AT & T and more", 6, "AT & T"},
		{"a closed tag stays", "<p>ab</p>cd", 10, "<p>ab</p>c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CutHTML(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("CutHTML(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

// TestArticleWithin cuts every field of an article far over its limits:
// each comes back within its limit, valid UTF-8, the text fields ending
// in "…", the Chinese characters whole, the content well-formed.
func TestArticleWithin(t *testing.T) {
	lim := Limits{Title: 2048, Author: 512, Summary: 1000, Content: 4096}
	big := strings.Repeat("中文标题", 1<<20/12) // 1 MiB of 3-byte runes
	a := &article.Article{
		Title:   big,
		Author:  "作者" + big,
		Summary: strings.Repeat("摘要 ", 1<<18),
		Content: "<div>" + strings.Repeat("<p>正文 &amp; <b>粗体</b> <a href=\"/x\">链接</a></p>", 1<<14) + "</div>",
		Tags:    []string{big, "short"},
	}
	n := New(clock)
	n.SummaryLen = 1 << 20 // the summary limit, not SummaryLen, is what cuts
	n.ArticleWithin(a, feedURL, lim)
	for _, f := range []struct {
		name, v string
		max     int
	}{{"title", a.Title, lim.Title}, {"author", a.Author, lim.Author}, {"summary", a.Summary, lim.Summary}, {"tag", a.Tags[0], lim.Title}} {
		if len(f.v) > f.max || !utf8.ValidString(f.v) || !strings.HasSuffix(f.v, ellipsis) {
			t.Errorf("%s: %d bytes (limit %d), valid UTF-8 %v, ends %q", f.name, len(f.v), f.max, utf8.ValidString(f.v), f.v[max(0, len(f.v)-9):])
		}
		if len(f.v) < f.max-2*utf8.UTFMax-len(ellipsis) {
			t.Errorf("%s: cut to %d bytes, far below its limit %d", f.name, len(f.v), f.max)
		}
		if strings.ContainsRune(f.v, utf8.RuneError) {
			t.Errorf("%s: a broken character", f.name)
		}
	}
	if a.Tags[1] != "short" {
		t.Errorf("tags = %q", a.Tags[1:])
	}
	if len(a.Content) > lim.Content || len(a.Content) < lim.Content/2 {
		t.Errorf("content: %d bytes, want at most %d and not much less", len(a.Content), lim.Content)
	}
	if err := wellFormed(a.Content); err != nil {
		t.Errorf("content not well-formed: %v\n%s", err, a.Content)
	}
	if !strings.HasSuffix(a.Content, "</div>") {
		t.Errorf("content does not end with its div closed: …%s", a.Content[len(a.Content)-40:])
	}
}

// TestContentGrowth cuts content that sanitizing makes longer than its
// input (escaped characters, absolute links): the result still fits, at
// a node boundary, well-formed.
func TestContentGrowth(t *testing.T) {
	n := New(clock)
	for _, in := range []string{
		"<p>" + strings.Repeat("&&<<>>", 2000) + "</p>",
		strings.Repeat(`<p><a href="/a">x</a><img src="/i.png"></p>`, 300),
		strings.Repeat("<ul><li><em>项目 &quot;引号&quot;</em></li>", 200) + strings.Repeat("</ul>", 200),
		"<pre>\n\n" + strings.Repeat("代码 & more\n", 1000) + "</pre>",
	} {
		for _, max := range []int{1, 7, 100, 1000, 4000} {
			out := n.html(in, "https://example.com/some/long/path/to/the/article/", nil, max)
			if len(out) > max {
				t.Errorf("html(%.30q…, %d) has %d bytes", in, max, len(out))
			}
			if err := wellFormed(out); err != nil || !utf8.ValidString(out) {
				t.Errorf("html(%.30q…, %d) = %q: %v", in, max, out, err)
			}
			if max >= 1000 && len(out) < max/2 {
				t.Errorf("html(%.30q…, %d) kept only %d bytes", in, max, len(out))
			}
		}
	}
}

// FuzzCut checks the cuts' promises on any input and limit: valid UTF-8
// in (made so by XMLSafe) gives valid UTF-8 out, within the limit; raw
// cuts are prefixes; content is well-formed.
func FuzzCut(f *testing.F) {
	for _, s := range seeds {
		f.Add(s, 10)
		f.Add(s, 100)
	}
	f.Add(strings.Repeat("中文&amp;<b>粗</b>", 100), 77)
	f.Add("<p>a&#x1F600;b</p>", 9)
	n := New(nil)
	f.Fuzz(func(t *testing.T, in string, max int) {
		max = 1 + int(uint(max)%4096)
		raw := CutHTML(in, max)
		if len(raw) > max || !strings.HasPrefix(in, raw) {
			t.Fatalf("CutHTML(%q, %d) = %q: not a prefix within the limit", in, max, raw)
		}
		if utf8.ValidString(in) && !utf8.ValidString(raw) {
			t.Fatalf("CutHTML(%q, %d) = %q: invalid UTF-8", in, max, raw)
		}
		out := n.html(in, "https://example.com/a/b.html", nil, max)
		if len(out) > max || !utf8.ValidString(out) {
			t.Fatalf("html(%q, %d) = %q: %d bytes, valid UTF-8 %v", in, max, out, len(out), utf8.ValidString(out))
		}
		if err := wellFormed(out); err != nil {
			t.Fatalf("html(%q, %d) = %q: not well-formed: %v", in, max, out, err)
		}
		for _, clean := range []func(string) string{line, func(s string) string { return retext(Text(s)) }} {
			if got := capped(in, max, CutHTML, clean); len(got) > max || !utf8.ValidString(got) {
				t.Fatalf("capped(%q, %d) = %q", in, max, got)
			}
		}
	})
}

// TestCounts: one item with 300,000 categories (an 8.9 MB document is
// under max_body) keeps the first MaxNames tags, categories and authors,
// and the first MaxEnclosures enclosures, in their order.
func TestCounts(t *testing.T) {
	a := article.Article{ID: "x", Title: "t", Link: "http://example.com/a", Content: "<p>c</p>"}
	for i := range 300000 {
		a.Tags = append(a.Tags, fmt.Sprintf("tag%d", i))
		a.Categories = append(a.Categories, fmt.Sprintf("c%d", i%150))
		a.Authors = append(a.Authors, fmt.Sprintf("Author %d", i))
		a.Enclosures = append(a.Enclosures, article.Enclosure{URL: fmt.Sprintf("http://example.com/%d.mp3", i), Type: "audio/mpeg"})
	}
	New(nil).Article(&a, "http://example.com/")
	if len(a.Tags) != MaxNames || a.Tags[0] != "tag0" || a.Tags[MaxNames-1] != fmt.Sprintf("tag%d", MaxNames-1) {
		t.Errorf("%d tags, first %q: want the first %d", len(a.Tags), a.Tags[0], MaxNames)
	}
	if len(a.Categories) != MaxNames {
		t.Errorf("%d categories, want %d", len(a.Categories), MaxNames)
	}
	if len(a.Authors) != MaxNames || a.Author != "Author 0" {
		t.Errorf("%d authors, first %q: want the first %d", len(a.Authors), a.Author, MaxNames)
	}
	if len(a.Enclosures) != MaxEnclosures || a.Enclosures[0].URL != "http://example.com/0.mp3" {
		t.Errorf("%d enclosures, want the first %d", len(a.Enclosures), MaxEnclosures)
	}
}
