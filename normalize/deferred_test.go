package normalize

import (
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/article"
)

// TestDeferred: an article whose text a posts source rendered only in
// part gets the summary of the whole text when the part holds enough of
// it, is marked Short when it does not, and is stored with the marker in
// place of its content, hashed so.
func TestDeferred(t *testing.T) {
	n := New(nil)
	long := strings.Repeat("日照市的春天来得比较晚，海边的风依然很冷。", 20)
	whole := "<h2>周报</h2>\n<p>" + long + "</p>\n<p>Second paragraph.</p>"
	part := "<h2>周报</h2>\n<p>" + long + "</p>\n"
	base := article.Article{ID: "https://example.org/a", Title: "周报", Link: "https://example.org/a"}

	full := base
	full.Content = whole
	n.Article(&full, "")

	for _, tc := range []struct {
		name    string
		content string
		partial bool
		short   bool
	}{
		{"enough", part, true, false},
		{"whole", whole, false, false},
		{"too little", "<h2>周报</h2>\n<p>短。</p>\n", true, true},
		{"entities, which retext reads whole", "<p>a &amp; b " + long + "</p>\n", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &article.Deferred{Path: "/posts/2026-01-02-a.md", Digest: "d1", Partial: tc.partial}
			a := base
			a.Content, a.Defer = tc.content, d
			n.Article(&a, "")
			if d.Short != tc.short {
				t.Fatalf("Short = %v, want %v", d.Short, tc.short)
			}
			if a.Content != d.String() {
				t.Fatalf("content %q, want the marker", a.Content)
			}
			check := a
			check.Defer, check.Content = nil, article.DeferredMarker+d.Digest
			if a.Hash != article.ContentHash(&check) {
				t.Error("hash is not the digest's")
			}
			moved := base
			moved.Content, moved.Defer = tc.content, &article.Deferred{Path: "/elsewhere/2026-01-02-a.md", Digest: "d1", Partial: tc.partial}
			n.Article(&moved, "")
			if moved.Hash != a.Hash || moved.Content == a.Content {
				t.Error("a post moved to another file changed its hash, or kept its marker")
			}
			if !tc.short && tc.content != "<p>a &amp; b "+long+"</p>\n" && a.Summary != full.Summary {
				t.Errorf("summary %q, the whole text's is %q", a.Summary, full.Summary)
			}
		})
	}
}
