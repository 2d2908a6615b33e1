package jekyll_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/sources"
)

// TestRoundTrip writes posts and reads them back through the posts
// source: title, date with its offset, categories, tags and author
// must come back as they went in.
func TestRoundTrip(t *testing.T) {
	base := time.Date(2022, 2, 14, 8, 47, 41, 0, cst)
	tests := []struct {
		name       string
		title      string
		published  time.Time
		categories []string
		tags       []string
		author     string
		wantTags   []string // when not tags or the default
	}{
		{name: "double quote", title: `他说"你好"`},
		{name: "colon", title: "Go 1.26: what's new"},
		{name: "hash", title: "# not a comment #1"},
		{name: "dash", title: "- x"},
		{name: "star", title: "* x"},
		{name: "ampersand", title: "&anchor x"},
		{name: "brackets", title: "[x]"},
		{name: "braces", title: "{x}"},
		{name: "single quote", title: "it's 'quoted'"},
		{name: "backslash", title: `C:\path\n not a newline`},
		{name: "chinese", title: "我市举行春季重点项目集中开工仪式：第一批"},
		{name: "emoji", title: "🎉 launch day 🚀"},
		{name: "yaml words", title: "null", tags: []string{"true", "123", "no"}},
		{name: "long", title: strings.Repeat("很长的标题 with words, ", 12) + "end"},
		{name: "control", title: "tab\there\u0085next"},
		{name: "tag specials", title: "t", tags: []string{"#tag", "- dash", "a:b", `"q"`}},
		{name: "tag with space", title: "t", tags: []string{"two words", "one"}},
		{name: "tag with ideographic space", title: "t", tags: []string{"日照\u3000日报", "x"}},
		{name: "categories", title: "t", categories: []string{"rizhaoribao", "local-news"}, tags: []string{"a", "b"}},
		{name: "default tag", title: "t", categories: []string{"rizhaoribao"}},
		{name: "default tag unknown category", title: "t", categories: []string{"other"}, wantTags: []string{"other"}},
		{name: "author", title: "t", author: `Dr. "Who": #1`},
		{name: "negative offset", title: "t", published: time.Date(2022, 2, 13, 23, 5, 0, 0, time.FixedZone("", -(3*3600+1800)))},
		{name: "odd offset", title: "t", published: time.Date(2022, 2, 14, 0, 1, 2, 0, time.FixedZone("", 5*3600+45*60))},
		{name: "utc", title: "t", published: time.Date(2022, 2, 14, 23, 59, 59, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := exampleArticle()
			a.Title, a.Author, a.Tags = tt.title, tt.author, tt.tags
			if tt.categories != nil {
				a.Categories = tt.categories
			}
			if !tt.published.IsZero() {
				a.Published = tt.published
			} else {
				a.Published = base
			}
			dir := t.TempDir()
			write(t, newWriter(dir, 0, "", time.Now()), a)
			got := readBack(t, dir)

			if got.Title != a.Title {
				t.Errorf("title = %q, want %q", got.Title, a.Title)
			}
			if g, w := got.Published.Format(time.RFC3339), a.Published.Format(time.RFC3339); g != w {
				t.Errorf("date = %s, want %s", g, w)
			}
			if !slices.Equal(got.Categories, a.Categories) {
				t.Errorf("categories = %q, want %q", got.Categories, a.Categories)
			}
			wantTags := a.Tags
			switch {
			case tt.wantTags != nil:
				wantTags = tt.wantTags
			case len(a.Tags) == 0: // the first category's title
				wantTags = []string{"日照日报新闻"}
			}
			if !slices.Equal(got.Tags, wantTags) {
				t.Errorf("tags = %q, want %q", got.Tags, wantTags)
			}
			if got.Author != a.Author {
				t.Errorf("author = %q, want %q", got.Author, a.Author)
			}
			if !strings.Contains(got.Content, a.Content) {
				t.Errorf("content = %q, want it to hold %q", got.Content, a.Content)
			}
		})
	}
}

// readBack reads the one post in dir through the posts source.
func readBack(t *testing.T, dir string) article.Article {
	t.Helper()
	return readBackWith(t, dir, "")
}

// readBackWith is readBack with a footer pattern ("" for the default).
func readBackWith(t *testing.T, dir, footer string) article.Article {
	t.Helper()
	src, err := sources.New(config.Source{ID: "rt", Type: "posts", Path: dir, SiteURL: "https://news.example.org/", Footer: footer},
		sources.Env{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	b, err := src.Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Skipped) != 0 || len(b.Articles) != 1 {
		entries, _ := os.ReadDir(dir)
		t.Fatalf("read back %d articles, skipped %v; folder: %v", len(b.Articles), b.Skipped, entries)
	}
	return b.Articles[0]
}

// TestContentRoundTrip checks that Markdown leaves an article's HTML
// alone when the posts source renders it: no code blocks from indented
// lines, no emphasis from "*" and "_" in the text.
func TestContentRoundTrip(t *testing.T) {
	tests := []struct {
		name, content string
		want          []string // in the rendered content, in order
	}{
		{"indented after blank line", "<p>a</p>\n\n    <p>b</p>", []string{"<p>a</p>", "<p>b</p>"}},
		{"text with stars", "a *b* _c_ 2*3", []string{"a *b* _c_ 2*3"}},
		{"text after blank line", "<p>a</p>\n\nb *c*", []string{"<p>a</p>", "b *c*"}},
		{"markdown heading in text", "<div>x\n\n# not a heading</div>", []string{"# not a heading"}},
		{"pre with blank lines", "<pre>line 1\n\n    line 3</pre>", []string{"<pre>line 1\n&#10;    line 3</pre>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := exampleArticle()
			a.Content = tt.content
			dir := t.TempDir()
			write(t, newWriter(dir, 0, "", time.Now()), a)
			got := readBack(t, dir).Content
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("content = %q, want %q in it", got, w)
				}
				rest = rest[i+len(w):]
			}
			for _, bad := range []string{"<code>", "<em>", "<h1", "<strong>"} {
				if strings.Contains(got, bad) {
					t.Errorf("content = %q: Markdown added %s", got, bad)
				}
			}
		})
	}
}
