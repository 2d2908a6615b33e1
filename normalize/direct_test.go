package normalize

import (
	"bytes"
	"strings"
	"testing"
)

// TestDirect checks which markup direct writes itself; that it writes
// the same bytes as the parser is TestArticleGolden's job.
func TestDirect(t *testing.T) {
	n := New(clock)
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"goldmark post", corpusPosts(t)[0].Content, true},
		{"strong across paragraphs", corpusPosts(t)[4].Content, false},
		{"formatting and links", `<h2>T</h2><p><em>a</em> <a href="/x" title="t">b</a><br><img src="/i.png"></p>`, true},
		{"lists", "<ul>\n<li>a<ul><li>b</li></ul></li>\n</ul><ol><li>c</li></ol><dl><dt>d</dt><dd>e</dd></dl>", true},
		{"code block", "<pre><code>x := 1\n</code></pre>", true},
		{"newline after pre", "<pre>\nx</pre>", false},
		{"unclosed", "<p>a<p>b", false},
		{"block in p", "<p><div>x</div></p>", false},
		{"link in link", `<a href="/a"><a href="/b">x</a></a>`, false},
		{"li outside a list", "<li>x</li>", false},
		{"table", "<table><tr><td>x</td></tr></table>", false},
		{"too deep", strings.Repeat("<span>", 300) + strings.Repeat("</span>", 300), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var src, out bytes.Buffer
			if err := n.policy.SanitizeReaderToWriter(strings.NewReader(tt.in), &src); err != nil {
				t.Fatal(err)
			}
			if got := direct(src.Bytes(), base, &out, nil); got != tt.want {
				t.Errorf("direct(%q) = %v, want %v", src.String(), got, tt.want)
			}
		})
	}
}

// FuzzDirect checks direct against the parser: whenever direct takes the
// policy's output, it must write what repair writes, text included.
func FuzzDirect(f *testing.F) {
	for _, s := range wellFormedPieces {
		f.Add(s)
	}
	for _, p := range corpusPosts(f) {
		f.Add(p.Content)
	}
	n := New(nil)
	f.Fuzz(func(t *testing.T, in string) {
		var src, got, want bytes.Buffer
		if err := n.policy.SanitizeReaderToWriter(strings.NewReader(XMLSafe(in)), &src); err != nil {
			return
		}
		var gotText, wantText lineWriter
		if !direct(src.Bytes(), base, &got, &gotText) {
			return
		}
		if err := repair(src.Bytes(), base, &want, &wantText); err != nil {
			t.Fatalf("direct wrote %q, which the parser refuses: %v", src.String(), err)
		}
		if g, w := bytes.TrimSpace(got.Bytes()), bytes.TrimSpace(want.Bytes()); !bytes.Equal(g, w) {
			t.Fatalf("policy output %q:\ndirect %q\nparser %q", src.String(), g, w)
		}
		if gotText.String() != wantText.String() {
			t.Fatalf("policy output %q:\ndirect text %q\nparser text %q", src.String(), gotText.String(), wantText.String())
		}
	})
}
