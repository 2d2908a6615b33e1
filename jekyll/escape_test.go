package jekyll

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

func TestMDText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"chinese kept", "日照日报新闻", "日照日报新闻"},
		{"letters and spaces kept", "World News 2", "World News 2"},
		{"script", "<script>alert(1)</script>", "&#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62;"},
		{"link", "[x](javascript:alert(1))", "&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;"},
		{"liquid", "{{ site.deploy_token }}", "&#123;&#123; site&#46;deploy&#95;token &#125;&#125;"},
		{"markdown", "*a* _b_ `c` \\d |e ~f #g", "&#42;a&#42; &#95;b&#95; &#96;c&#96; &#92;d &#124;e &#126;f &#35;g"},
		{"entity", "&lt;b&gt; & co", "&#38;lt&#59;b&#38;gt&#59; &#38; co"},
		{"line breaks", " a\n\nb\r\n  c\u2028d\u0085e ", "a b c d e"},
		{"full-width kept", "日照｜新闻（一）", "日照｜新闻（一）"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mdText(tt.in); got != tt.want {
				t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzMDText checks that escaped text holds nothing Markdown, HTML or
// Liquid would read as syntax, and shows the same text.
func FuzzMDText(f *testing.F) {
	for _, s := range []string{"日照日报新闻", "<script>", "[x](y)", "{{a}}", "&amp;", "a\nb"} {
		f.Add(s)
	}
	syntax := regexp.MustCompile(`[!-/:-@\[-` + "`" + `{-~]`)
	f.Fuzz(func(t *testing.T, in string) {
		got := mdText(in)
		bare := regexp.MustCompile(`&#\d+;`).ReplaceAllString(got, "")
		if m := syntax.FindString(bare); m != "" || strings.ContainsAny(got, "\n\r") {
			t.Fatalf("mdText(%q) = %q holds %q", in, got, m)
		}
		want := strings.Join(strings.FieldsFunc(strings.ToValidUTF8(in, "\uFFFD"), isBreak), " ")
		if shown := html.UnescapeString(got); shown != want {
			t.Errorf("mdText(%q) shows %q, want %q", in, shown, want)
		}
	})
}

func isBreak(r rune) bool {
	return r == ' ' || r < ' ' || r == 0x7f || r >= 0x80 && r <= 0x9f || r == '\u2028' || r == '\u2029'
}

func TestLinkURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "https://news.example.org/a/b.html?x=1", "https://news.example.org/a/b.html?x=1"},
		{"protocol-relative", "//news.example.org", "//news.example.org"},
		{"relative", "/category/x.html", "/category/x.html"},
		{"javascript", "javascript:alert(1)", ""},
		{"javascript upper case", " JaVaScRiPt:alert(1)", ""},
		{"javascript with a tab", "java\tscript:alert(1)", ""},
		{"data", "data:text/html,<script>", ""},
		{"entity colon", "javascript&#58;alert(1)", "javascript&amp;#58;alert%281%29"},
		{"paren breaks out", "http://x/a) [y](javascript:alert(1)", "http://x/a%29%20[y]%28javascript:alert%281%29"},
		{"space and angle", "http://x/a b<c>", "http://x/a%20b%3Cc%3E"},
		{"liquid", "http://x/{{site.deploy_token}}", "http://x/%7B%7Bsite.deploy_token%7D%7D"},
		{"query ampersand", "http://x/?a=1&b=2", "http://x/?a=1&amp;b=2"},
		{"chinese kept", "http://x/新闻", "http://x/新闻"},
		{"ideographic space", "http://x/a\u3000b", "http://x/a%E3%80%80b"},
		{"empty", "  ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linkURL(tt.in); got != tt.want {
				t.Errorf("linkURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAutolinkURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "http://news.example.com/a?x=1&y=2", "http://news.example.com/a?x=1&y=2"},
		{"scheme lower-cased", "HTTPS://news.example.com/", "https://news.example.com/"},
		{"relative", "//news.example.com/a", ""},
		{"javascript", "javascript:alert(1)", ""},
		{"angle ends it", "http://x/a><script>alert(1)</script>", "http://x/a%3E%3Cscript%3Ealert(1)%3C/script%3E"},
		{"space", "http://x/a b", "http://x/a%20b"},
		{"liquid", "http://x/{%include footer.html%}", "http://x/%7B%include%20footer.html%%7D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := autolinkURL(tt.in); got != tt.want {
				t.Errorf("autolinkURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPathSegment(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rizhaoribao", "rizhaoribao"},
		{"local-news_2.x~", "local-news_2.x~"},
		{"../x", "..%2Fx"},
		{"..", "%2E%2E"},
		{"a b)(c", "a%20b%29%28c"},
		{"javascript:alert(1)", "javascript%3Aalert%281%29"},
		{"日照", "%E6%97%A5%E7%85%A7"},
		{"{{x}}", "%7B%7Bx%7D%7D"},
	}
	for _, tt := range tests {
		if got := pathSegment(tt.in); got != tt.want {
			t.Errorf("pathSegment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"日照日报新闻", "日照日报新闻"},
		{"<script>alert(1)</script>", "scriptalert(1)/script"},
		{"{{ site.deploy_token }}", "site.deploy_token"},
		{"{% include footer.html %}", "% include footer.html %"},
		{"a\nb\tc\u2028d", "a b c d"},
		{`R&D "q" #1`, `R&D "q" #1`},
	}
	for _, tt := range tests {
		if got := label(tt.in); got != tt.want {
			t.Errorf("label(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzLinkURL checks that a link destination cannot end early, hold
// Liquid, or name a scheme but http and https, whatever Markdown decodes.
func FuzzLinkURL(f *testing.F) {
	for _, s := range []string{"https://x/a?b=1&c=2", "javascript:alert(1)", "java\tscript:x", "//x/a b)", "&#106;avascript:x", "javascript&#58;x"} {
		f.Add(s)
	}
	scheme := regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*):`)
	f.Fuzz(func(t *testing.T, in string) {
		got := linkURL(in)
		if strings.ContainsAny(got, " \t\r\n()<>\"'{}\\`") || strings.ContainsFunc(got, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			t.Fatalf("linkURL(%q) = %q can end a destination or hold Liquid", in, got)
		}
		// What CommonMark gives the browser: entities decoded, then the
		// browser drops tabs and line breaks.
		decoded := strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(html.UnescapeString(got))
		if m := scheme.FindStringSubmatch(decoded); m != nil && !strings.EqualFold(m[1], "http") && !strings.EqualFold(m[1], "https") {
			t.Errorf("linkURL(%q) = %q: scheme %q", in, got, m[1])
		}
	})
}
