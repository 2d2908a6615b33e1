package jekyll

import (
	"strings"
	"testing"
)

func TestHTMLBlock(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"one paragraph", "<p>……正文……</p>", "<p>……正文……</p>"},
		{"empty", " \n\t", ""},
		{"surrounding space", "\n\n  <p>a</p>\n\n", "<p>a</p>"},
		{"blank lines and indentation", "<p>a</p>\n\n    <p>b\n\n      c</p>", "<p>a</p>\n<p>b\nc</p>"},
		{"crlf", "<p>a</p>\r\n\r\n<p>b</p>", "<p>a</p>\n<p>b</p>"},
		{"text first", "a *b* _c_", "<div>\na *b* _c_\n</div>"},
		{"inline tag first", "<span>a</span>\n\n<p>b</p>", "<div>\n<span>a</span>\n<p>b</p>\n</div>"},
		{"comment then block", "<!-- x -->\n<p>a</p>", "<!-- x -->\n<p>a</p>"},
		{"pre kept", "<p>a</p>\n<pre>\n  x\n    y\n</pre>", "<div>\n<p>a</p>\n<pre>\n  x\n    y\n</pre>\n</div>"},
		{"pre blank lines", "<pre>a\n\n  \nb</pre>", "<div>\n<pre>a\n&#10;  \nb</pre>\n</div>"},
		{"pre blank line runs", "<pre>a\n\n\n\nb\n\n</pre>", "<div>\n<pre>a\n&#10;\n&#10;b\n&#10;</pre>\n</div>"},
		{"nested pre", "<pre><pre>a\n\nb</pre>\n\nc</pre>\n\nd", "<div>\n<pre><pre>a\n&#10;b</pre>\n&#10;c</pre>\nd\n</div>"},
		{"stray end tag", "<p>a</pre>\n\nb</p>", "<div>\n<p>a</pre>\nb</p>\n</div>"},
		{"blocks only", "<h2>t</h2>\n<p>a <em>b</em><br>c</p>\n<hr>\n<figure><img src=x></figure>", "<h2>t</h2>\n<p>a <em>b</em><br>c</p>\n<hr>\n<figure><img src=x></figure>"},
		{"text after a block", "<p>a</p>\nb *c*", "<div>\n<p>a</p>\nb *c*\n</div>"},
		{"image after a block", "<p>a</p><img src=x>", "<div>\n<p>a</p><img src=x>\n</div>"},
		{"cut off", "<p>a\n\n<a href=", "<p>a\n<a href="},
		{"attributes untouched", "<p title=\"a\n\nb\">c</p>", "<p title=\"a\n\nb\">c</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlBlock(tt.in); got != tt.want {
				t.Errorf("htmlBlock(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzHTMLBlock checks that only white space changes: the wrapper and
// the "&#10;" that stand for line breaks aside, every other character of
// the content is kept, in order.
func FuzzHTMLBlock(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "<pre>a\n\nb</pre>", "a *b*", "<p>a\n\n  b</p><img src=x>", "<p title='a\n\nb'>c</p>", "<pre><!--\n\n-->"} {
		f.Add(s)
	}
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	f.Fuzz(func(t *testing.T, in string) {
		out := htmlBlock(in)
		if strings.HasPrefix(out, "<div>\n") && strings.HasSuffix(out, "\n</div>") && !strings.HasPrefix(strings.TrimSpace(in), "<div>\n") {
			out = out[len("<div>\n") : len(out)-len("\n</div>")]
		}
		got := squeeze(strings.ReplaceAll(out, "&#10;", ""))
		if want := squeeze(strings.ReplaceAll(strings.ReplaceAll(in, "\r\n", "\n"), "&#10;", "")); got != want {
			t.Errorf("htmlBlock(%q) = %q: not only white space changed", in, htmlBlock(in))
		}
	})
}
