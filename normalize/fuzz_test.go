package normalize

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// seeds are inputs that have broken sanitizers or serializers before:
// Chinese and GBK bytes, broken nesting, control characters, encoded
// schemes, huge attributes and deep nesting.
var seeds = []string{
	"<p>中文内容，“引号”：冒号。</p>",
	"<p>\xc4\xe3\xba\xc3\xca\xc0\xbd\xe7</p>", // GBK bytes passed off as UTF-8
	"<p><strong>a</p><p></strong>b</p>",
	"<div><p>unclosed",
	"a</span>b</div></p>",
	"<table><td>x<tr><p>y</table>",
	"<p>a\x00b\vc\x1fd\uFFFEe</p>",
	"<a href=\"jav&#x61;script:alert(1)\">x</a>",
	"<a href=\"&#106;avascript:alert(1)\">x</a>",
	"<img src=x onerror=alert(1)><svg onload=alert(1)>",
	"<scr<script>ipt>alert(1)</script>",
	"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
	"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
	"<a href=\"/x\" title=\"" + strings.Repeat("A\"'<>&", 2000) + "\">x</a>",
	strings.Repeat("<div><b><i>", 500) + "deep" + strings.Repeat("</i></b></div>", 10),
	strings.Repeat("<ul><li><em>", 100) + "nested" + strings.Repeat("</p></em>", 50),
	"<pre>\n\nx</pre><br/><br></br><p/>",
	"<img srcset=\",,, //a/b 1x,,javascript:x 2x\">",
	"<![CDATA[x]]><?xml version=\"1.0\"?><!DOCTYPE x>",
}

// FuzzHTML checks HTML's promises on any input: no script element, no
// event handler attribute, no URL attribute that is not http(s) or mailto,
// valid UTF-8 and well-formed XML. The output is checked by tokenizing
// it, not by searching the string: text may mention "javascript:" or
// " onclick=" harmlessly, escaped.
func FuzzHTML(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	for _, s := range wellFormedPieces { // markup HTML writes without the parser
		f.Add(s)
	}
	n := New(nil)
	f.Fuzz(func(t *testing.T, in string) {
		out := n.HTML(in, "https://example.com/a/b.html")
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Fatalf("script in %q", out)
		}
		if err := wellFormed(out); err != nil {
			t.Fatalf("HTML(%q) = %q, not well-formed: %v", in, out, err)
		}
		z := html.NewTokenizer(strings.NewReader(out))
		for z.Next() != html.ErrorToken {
			for _, a := range z.Token().Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Fatalf("event handler %s in %q", a.Key, out)
				}
				if !safeURLAttr(a) {
					t.Fatalf("unsafe %s=%q in %q", a.Key, a.Val, out)
				}
			}
		}
	})
}

// safeURLAttr reports whether a URL attribute holds only absolute http(s)
// URLs (or, for href, a mailto: link).
func safeURLAttr(a html.Attribute) bool {
	switch a.Key {
	case "href":
		return hasPrefix(a.Val, "https://", "http://", "mailto:")
	case "src", "poster", "cite":
		return hasPrefix(a.Val, "https://", "http://")
	case "srcset":
		for _, c := range strings.Split(a.Val, ", ") {
			if !hasPrefix(c, "https://", "http://") {
				return false
			}
		}
	}
	return true
}

func hasPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// FuzzSummary checks that a summary is valid UTF-8 and at most one rune
// (the ellipsis) longer than asked.
func FuzzSummary(f *testing.F) {
	for _, s := range []string{
		strings.Repeat("中华人民共和国。", 50), strings.Repeat("word ", 100), "short",
		"\xc4\xe3\xba\xc3" + strings.Repeat("\xff", 300), strings.Repeat("a\vb\x00", 200),
		strings.Repeat("😀", 300), strings.Repeat("。”", 150),
	} {
		f.Add(s, 200)
		f.Add(s, 1)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = int(uint(max) % 1024)
		got := Summary(s, max)
		if !utf8.ValidString(got) {
			t.Fatalf("Summary(%q, %d) = %q: invalid UTF-8", s, max, got)
		}
		if n := utf8.RuneCountInString(got); n > max+1 {
			t.Fatalf("Summary(%q, %d) has %d runes", s, max, n)
		}
		if XMLSafe(got) != got {
			t.Fatalf("Summary(%q, %d) = %q: not XML-safe", s, max, got)
		}
	})
}

// FuzzTextPrefix checks that the summary made from textPrefix is the one
// made from Text of the whole, as ArticleWithin made it before.
func FuzzTextPrefix(f *testing.F) {
	for _, s := range append(slices.Clone(seeds), wellFormedPieces...) {
		f.Add(s, 200)
	}
	for _, s := range []string{
		strings.Repeat("<p>中华人民共和国。</p>", 50), strings.Repeat("<b>word</b> ", 100),
		strings.Repeat("<p>x</p>", 199) + "&lt;b&gt;", strings.Repeat("a ", 199) + "<i>&amp;lt;</i>",
		strings.Repeat("<p>a</p>", 100) + "<script>" + strings.Repeat("b ", 300) + "</script>",
		"\xe4<b>\xb8\xad</b>" + strings.Repeat(" x", 300), strings.Repeat("é<br>", 300),
		"<p>" + strings.Repeat("a", 199) + "</p>" + "<p>b</p>", strings.Repeat("\u3000<i>y</i>", 300),
	} {
		f.Add(s, 200)
		f.Add(s, 1)
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = 1 + int(uint(max)%512)
		want := summary(retext(Text(s)), max)
		if got := summary(retext(textPrefix(s, max+1)), max); got != want {
			t.Fatalf("summary from textPrefix(%q, %d) = %q, from Text %q", s, max+1, got, want)
		}
	})
}
