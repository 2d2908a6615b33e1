package normalize

import (
	"reflect"
	"testing"

	"github.com/feedsmith/feedsmith/article"
)

// TestArticleAuthors: author names are plain text as titles are, every
// author is kept in order without repeats, and Authors is set only when
// there are several.
func TestArticleAuthors(t *testing.T) {
	tests := []struct {
		name       string
		author     string
		authors    []string
		wantAuthor string
		want       []string
	}{
		{"markup stripped", "<p>Item Author</p>", nil, "Item Author", nil},
		{"entities decoded", "AT&amp;T &#x738B;&#33459;", nil, "AT&T 王芳", nil},
		{"escaped markup is not markup", "&lt;b&gt;Eve&lt;/b&gt;", nil, "Eve", nil},
		{"address kept", "Ann <ann@example.com>", nil, "Ann <ann@example.com>", nil},
		{"several", "", []string{" Ann ", "<b>Bob</b>", "Ann", "", "carol@example.org"}, "Ann", []string{"Ann", "Bob", "carol@example.org"}},
		{"one of several left", "", []string{"Ann", "<br>", "Ann"}, "Ann", nil},
		// The store joins several authors with U+001F: never in a name.
		{"separator dropped", "", []string{"A\x1fB", "C"}, "AB", []string{"AB", "C"}},
		{"none", "<br>", nil, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := article.Article{Title: "t", Author: tt.author, Authors: tt.authors}
			New(nil).Article(&a, "https://example.com/")
			if a.Author != tt.wantAuthor || !reflect.DeepEqual(a.Authors, tt.want) {
				t.Errorf("Author %q, Authors %q; want %q, %q", a.Author, a.Authors, tt.wantAuthor, tt.want)
			}
		})
	}
}
