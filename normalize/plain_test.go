package normalize

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html/atom"
)

// plainAgrees checks that sanitizePlain, when it takes s, writes what
// bluemonday writes.
func plainAgrees(t *testing.T, n *Normalizer, s string) bool {
	t.Helper()
	var out bytes.Buffer
	if !sanitizePlain(s, &out) {
		return false
	}
	if want := n.policy.Sanitize(s); out.String() != want {
		t.Errorf("sanitizePlain(%q) = %q, bluemonday %q", s, out.String(), want)
	}
	return true
}

// TestPlainPolicyTable checks policyElements and policyGlobal against
// newPolicy: every element the atom table knows, with and without each
// attribute newPolicy knows, with values its patterns take and refuse.
func TestPlainPolicyTable(t *testing.T) {
	n := New(nil)
	keys := map[string]bool{"class": true, "style": true, "onclick": true, "id": true}
	for k := range policyGlobal {
		keys[k] = true
	}
	for _, el := range policyElements {
		for k := range el.attrs {
			keys[k] = true
		}
	}
	values := []string{"", "x", "1", "50%", "-1", "en", "en-GB", "ltr", "rtl", "row", "disc", "A", "i",
		"2022-02-14T08:47:41Z", "image/webp", "(min-width: 600px)", "/a.jpg", "https://e.com/a?b=1&amp;c=2",
		"javascript:alert(1)", "data:image/png;base64,AAAA", " /pad ", "a b", "http://[::1", "%zz", "mailto:x@y.z",
		"//e.com/x", "HTTP://E.COM/Ü", "a&lt;b&#34;c&#39;", "?q", "#f"}
	taken := 0
	names := map[string]bool{"foo": true, "o": true}
	for a := atom.Atom(0); a < 1<<20; a++ {
		// An Atom packs an offset and a length into its table: each
		// name is one of them.
		if name := a.String(); name != "" && atom.Lookup([]byte(name)) == a {
			names[name] = true
		}
	}
	for name := range policyElements {
		if !names[name] {
			t.Fatalf("no atom %s", name)
		}
	}
	for name := range names {
		for _, form := range []string{"<%s>t</%[1]s>", "<%s/>t", "<%s>t<%[1]s>u</%[1]s>v</%[1]s>"} {
			if plainAgrees(t, n, fmt.Sprintf(form, name)) {
				taken++
			}
		}
		_, allowed := policyElements[name]
		for k := range keys {
			vs := values
			if !allowed {
				vs = values[:2] // the element is dropped: any attribute will do
			}
			for _, v := range vs {
				s := fmt.Sprintf(`<%s %s="%s">t</%[1]s>`, name, k, v)
				if plainAgrees(t, n, s) {
					taken++
				}
				plainAgrees(t, n, fmt.Sprintf(`<%s title="t" %s="%s" %[2]s="y"/>`, name, k, v))
			}
			plainAgrees(t, n, fmt.Sprintf(`<%s %s>t</%[1]s>`, name, k))
		}
	}
	if taken < 1000 {
		t.Errorf("sanitizePlain took only %d inputs", taken)
	}
}

// plainSeeds are markup sanitizePlain must agree with bluemonday on, or
// leave to it.
var plainSeeds = []string{
	"", "text", "a > b & c \" d ' e", "&amp;&lt;&gt;&quot;&#39;&nbsp;&notit;&amp &bogus;",
	`<p>中文</p><p><img src="/images/0-0.jpg" alt="天气" width="640"></p>`,
	`<p>See <a href="https://site0000.example.org/archive/4.html">the archive</a> or <a href="https://example.com/?q=0&amp;lang=zh">搜索</a>.</p>`,
	`<a href="javascript:alert(1)">x</a>y</a>`, `<a>no href</a>`, `<a title="t">title only</a>`,
	`<a href=" /pad ">x</a>`, `<a href="/a b">x</a>`, `<a href="&#106;avascript:x">x</a>`,
	`<A HREF="/UP">x</A>`, `<P Class="x">y</p>`, `<img src="/a.jpg"/>`, `<img src="/a.jpg" />`, `<img>`,
	`<br/><br /><hr>`, `<big>b</big>`, `<big title="t">b</big>`, `<font color="red">f</font>`,
	`<p a="1"b="2">x</p>`, `<p a = "1">x</p>`, `<p a=1>x</p>`, `<p a='1'>x</p>`, `<p a="<>">x</p>`,
	`<p title="&ampx;">x</p>`, `<p title="&notit;">x</p>`, `<p title="&semi;">x</p>`, `<p title="&#x41;&#65;">x</p>`,
	`<p title="a&amp=b">x</p>`, `<a href="/c?utm_source=rss&utm_medium=feed">x</a>`, `<a href="/?a=1&lang=zh&copy2&amp">x</a>`,
	`<p title="&copy2">x</p>`, `<p title="&copy=2">x</p>`, `<p title="x&amp">x</p>`, `<p title="&#38&#x26;&#X41b&#;&#xZ&;& &&">x</p>`,
	`<p title="&ampx;&notit;&bogus;&semi;&lt;">x</p>`, `<img src="/a.jpg?w=1&h=2&amp;q=3" alt="&quot;q&quot;">`, `<script>x</script>`, `<style>x</style>`, `<!-- c -->x`, `<!DOCTYPE html>x`,
	`<o:p>x</o:p>`, `<h1-x>y</h1-x>`, "<p>a\rb</p>", "<p>a\x00b</p>", `<p`, `<p title="x`, `</p`, `</ p>`, `< p>`,
	`<img src="data:image/png;base64,AA AA">`, `<ol start="3" reversed type="a"><li value="2">x</li></ol>`,
	`<td colspan="2" rowspan="x">c</td>`, `<th scope="row">h</th>`, `<details open><summary>s</summary></details>`,
	`<time datetime="2022-02-14">t</time>`, `<q cite="/q">q</q>`, `<video src="/v.mp4" poster="/p.jpg" controls></video>`,
	`<source src="/a.webp" srcset="/a.webp 1x" type="image/webp" media="(min-width: 600px)">`,
	`<p dir="ltr" lang="zh-CN" title="t">x</p>`, `<p dir="up" lang="1">x</p>`,
}

func TestPlainSeeds(t *testing.T) {
	n := New(nil)
	for _, s := range append(slices.Clone(plainSeeds), append(seeds, wellFormedPieces...)...) {
		plainAgrees(t, n, s)
		plainAgrees(t, n, strings.ToUpper(s))
	}
}

// FuzzPlain checks that sanitizePlain writes what bluemonday writes
// whenever it takes the input.
func FuzzPlain(f *testing.F) {
	for _, s := range append(slices.Clone(plainSeeds), append(seeds, wellFormedPieces...)...) {
		f.Add(s)
	}
	n := New(nil)
	f.Fuzz(func(t *testing.T, s string) {
		plainAgrees(t, n, s)
	})
}
