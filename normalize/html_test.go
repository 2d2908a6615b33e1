package normalize

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

const base = "https://example.com/news/a.html"

// wellFormed returns an error unless s is well-formed XML inside a root
// element.
func wellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader("<root>" + s + "</root>"))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestHTML(t *testing.T) {
	n := New(func() time.Time { return time.Time{} })
	tests := []struct{ name, in, want string }{
		// Broken nesting comes back balanced.
		{"crossed strong", "<p><strong>a</p><p></strong>b</p>", "<p><strong>a</strong></p><p>b</p>"},
		{"unclosed div", "<div><p>text", "<div><p>text</p></div>"},
		{"stray end tag", "a</span>b", "ab"},
		{"unclosed li", "<ul><li>one<li>two</ul>", "<ul><li>one</li><li>two</li></ul>"},
		{"void elements", "a<br>b<hr>", "a<br/>b<hr/>"},
		{"table repaired", "<table><td>x</table>", "<table><tbody><tr><td>x</td></tr></tbody></table>"},

		// Characters XML does not allow are removed, never replaced.
		{"vertical tab in text", "<p>a\vb</p>", "<p>ab</p>"},
		{"control chars in attribute", `<img src="/a.png" alt="x` + "\x01\x0b" + `y">`, `<img src="https://example.com/a.png" alt="xy"/>`},
		{"control char reference", "<p>a&#11;b&#x1;c</p>", "<p>abc</p>"},
		{"invalid utf-8", "<p>a\xffb</p>", "<p>ab</p>"},

		// Active content removed; a link left without href goes with it.
		{"script", "<p>a</p><script>alert(1)</script>", "<p>a</p>"},
		{"style", "<style>body{display:none}</style><p>a</p>", "<p>a</p>"},
		{"iframe", `<iframe src="https://evil.example/"></iframe><p>a</p>`, "<p>a</p>"},
		{"object embed", `<object data="x.swf"><embed src="x.swf"></object>b`, "b"},
		{"form", `<form action="/x"><input name="q"><button>go</button></form>`, "go"},
		{"onerror", `<img src="/a.png" onerror="alert(1)">`, `<img src="https://example.com/a.png"/>`},
		{"onclick", `<p onclick="x()">a</p>`, "<p>a</p>"},
		{"javascript href", `<a href="javascript:alert(1)">a</a>`, "a"},
		{"entity-encoded javascript", `<a href="jav&#x61;script:alert(1)">a</a>`, "a"},
		{"tab in javascript", "<a href=\"java\tscript:alert(1)\">a</a>", "a"},
		{"upper-case javascript", `<a href="JAVASCRIPT:alert(1)">a</a>`, "a"},
		{"vbscript", `<a href="vbscript:msgbox(1)">a</a>`, "a"},
		{"data url", `<img src="data:image/png;base64,iVBORw0KGgo="><a href="data:text/html,x">a</a>`, "a"},
		{"base", `<base href="https://evil.example/"><a href="/x">a</a>`, `<a href="https://example.com/x">a</a>`},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=https://evil.example/">a`, "a"},
		{"style attribute", `<p style="background:url(javascript:x)" class="c">a</p>`, "<p>a</p>"},
		{"svg", `<svg onload="alert(1)"><script>alert(1)</script></svg>a`, "a"},
		{"comment", "a<!-- <script>x</script> -->b", "ab"},

		// URLs made absolute; unusable ones dropped.
		{"relative href", `<a href="b.html" title="t">b</a>`, `<a href="https://example.com/news/b.html" title="t">b</a>`},
		{"absolute-path src", `<img src="/i.png" alt="i" width="10" height="20">`, `<img src="https://example.com/i.png" alt="i" width="10" height="20"/>`},
		{"protocol-relative src", `<img src="//cdn.example.net/i.png">`, `<img src="https://cdn.example.net/i.png"/>`},
		{"absolute href kept", `<a href="http://other.org/x?a=1&amp;b=2">x</a>`, `<a href="http://other.org/x?a=1&amp;b=2">x</a>`},
		{"mailto kept", `<a href="mailto:me@example.com">me</a>`, `<a href="mailto:me@example.com">me</a>`},
		{"srcset", `<img src="a.png" srcset="a.png 1x, /b.png 2x, javascript:x 3x">`, `<img src="https://example.com/news/a.png" srcset="https://example.com/news/a.png 1x, https://example.com/b.png 2x"/>`},
		{"srcset comma in url", `<img src="a.png" srcset="/w_1,h_2/a.png 640w,/c.png 1280w">`, `<img src="https://example.com/news/a.png" srcset="https://example.com/w_1,h_2/a.png 640w, https://example.com/c.png 1280w"/>`},
		{"video poster", `<video src="v.mp4" poster="p.jpg" controls></video>`, `<video src="https://example.com/news/v.mp4" poster="https://example.com/news/p.jpg" controls=""></video>`},
		{"blockquote cite", `<blockquote cite="/src">q</blockquote>`, `<blockquote cite="https://example.com/src">q</blockquote>`},
		{"img without src dropped", `<img alt="x">a`, "a"},
		{"duplicate attribute", `<a href="/a" href="/b">x</a>`, `<a href="https://example.com/a">x</a>`},

		// Formatting survives and text is escaped for XML.
		{"formatting kept", "<h2>T</h2><pre><code>x &lt; y</code></pre><figure><img src=\"/f.png\"><figcaption>c</figcaption></figure>",
			`<h2>T</h2><pre><code>x &lt; y</code></pre><figure><img src="https://example.com/f.png"/><figcaption>c</figcaption></figure>`},
		{"html entities decoded", "<p>&nbsp;&copy;&hellip;&mdash;</p>", "<p>\u00a0©…—</p>"},
		{"chinese", "<p>中文“引号”：冒号</p>", "<p>中文“引号”：冒号</p>"},
		{"quotes in attribute", `<a href="/x" title="a &quot;b&quot; 'c'">x</a>`, `<a href="https://example.com/x" title="a &#34;b&#34; &#39;c&#39;">x</a>`},
		{"too deep for the parser", strings.Repeat("<div>", 600) + "deep &amp; <b>down</b>", "<p>deep &amp; down</p>"},
		{"empty", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := n.HTML(tt.in, base)
			if got != tt.want {
				t.Errorf("HTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if err := wellFormed(got); err != nil {
				t.Errorf("HTML(%q) = %q, not well-formed XML: %v", tt.in, got, err)
			}
		})
	}
}

func TestHTMLWithoutBase(t *testing.T) {
	n := New(nil)
	got := n.HTML(`<a href="rel.html">r</a><img src="/i.png"><a href="https://ok.example/">ok</a>`, "")
	want := `r<a href="https://ok.example/">ok</a>`
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
