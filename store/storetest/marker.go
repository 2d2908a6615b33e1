package storetest

import (
	"testing"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
)

// deferred returns article id as a posts source stores it before its
// text is rendered: with the marker of the file path for content, and
// the hash of that.
func deferred(id string, h int, path string, cats ...string) article.Article {
	a := art(id, h, cats...)
	a.Content = article.Deferred{Path: path, Digest: "digest-" + id}.String()
	a.Hash = article.ContentHash(&a)
	return a
}

// withContent returns a with content in place of its own and its hash
// kept: the same article, stored under another marker (moved).
func withContent(a article.Article, content string) article.Article {
	a.Content = content
	return a
}

// testSaveMarker: a save of an article whose content is a marker puts
// the marker in place of another stored content of the same hash (the
// marker of the file the post was moved from), and changes nothing
// else.
func testSaveMarker(t *testing.T, open Opener) {
	a := deferred("a", 1, "/posts/a.md", "news")
	moved := withContent(a, article.Deferred{Path: "/posts/moved/a.md", Digest: "digest-a"}.String())
	edited := deferred("a", 1, "/posts/a.md", "news")
	edited.Title = "Edited"
	edited.Content = article.Deferred{Path: "/posts/a.md", Digest: "digest-a2"}.String()
	edited.Hash = article.ContentHash(&edited)
	tests := []struct {
		name        string
		stored      string // the marker saved after the first save; "" for none
		arts        []article.Article
		want        store.SaveResult
		wantContent string
	}{
		{"over the same marker", "", []article.Article{a}, store.SaveResult{Unchanged: 1}, a.Content},
		{"over another marker", "", []article.Article{moved}, store.SaveResult{Unchanged: 1}, moved.Content},
		{"moved back", moved.Content, []article.Article{a}, store.SaveResult{Unchanged: 1}, a.Content},
		{"twice in a batch", "", []article.Article{moved, moved}, store.SaveResult{Unchanged: 2}, moved.Content},
		{"then edited in the batch", "", []article.Article{moved, edited},
			store.SaveResult{Unchanged: 1, Updated: 1, Changed: []string{"news"}}, edited.Content},
		{"edited then again in the batch", "", []article.Article{edited, edited},
			store.SaveResult{Unchanged: 1, Updated: 1, Changed: []string{"news"}}, edited.Content},
		{"with a new category", "", []article.Article{withContent(deferred("a", 1, "/posts/a.md", "news", "go"), moved.Content)},
			store.SaveResult{Unchanged: 1, Changed: []string{"go", "news"}}, moved.Content},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			save(t, s, "src", at(10), a)
			if tt.stored != "" {
				save(t, s, "src", at(10), withContent(a, tt.stored))
			}
			before, seqs := only(t, articles(t, s, "", 0)), changesOf(t, s)
			checkResult(t, save(t, s, "src", at(11), tt.arts...), tt.want)
			got := only(t, articles(t, s, "", 0))
			checkEqual(t, "content", got.Content, tt.wantContent)
			if tt.want.Updated > 0 {
				return
			}
			want := withContent(before, tt.wantContent)
			if tt.want.Changed == nil {
				checkEqual(t, "changes", changesOf(t, s), seqs)
			} else {
				want.Categories = []string{"news", "go"}
			}
			checkEqual(t, "article", got, want)
		})
	}
}

// testTextDeferred: the first save of an article with a marker where a
// rendered text is stored (its source began to defer its texts) writes
// the new version but keeps the updated time, in the article and its
// categories' order; a later edit of the deferred article is updated as
// any other.
func testTextDeferred(t *testing.T, open Opener) {
	s := open(t)
	a := art("a", 1, "news")
	b := art("b", 2, "news")
	save(t, s, "src", at(10), a, b)
	before := articles(t, s, "news", 0)

	d := deferred("a", 1, "/posts/a.md", "news")
	checkResult(t, save(t, s, "src", at(20), d), store.SaveResult{Updated: 1, Changed: []string{"news"}})
	after := articles(t, s, "news", 0)
	checkEqual(t, "order", keys(after), keys(before))
	got := after[1]
	checkEqual(t, "content", got.Content, d.Content)
	checkEqual(t, "updated", got.Updated, before[1].Updated)

	e := d
	e.Content = article.Deferred{Path: "/posts/a.md", Digest: "digest-a-edited"}.String()
	e.Hash = article.ContentHash(&e)
	checkResult(t, save(t, s, "src", at(30), e), store.SaveResult{Updated: 1, Changed: []string{"news"}})
	edited := articles(t, s, "news", 0)
	checkEqual(t, "order after the edit", keys(edited), keys(before))
	checkEqual(t, "updated after the edit", edited[1].Updated.Equal(at(30)), true)
}
