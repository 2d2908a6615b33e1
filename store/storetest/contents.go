package storetest

import (
	"context"
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
// kept: the same article, its marker rendered or another marker.
func withContent(a article.Article, content string) article.Article {
	a.Content = content
	return a
}

func changes(t *testing.T, s Store) map[string]int64 {
	t.Helper()
	c, err := s.Changes(t.Context())
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	return c
}

func categories(t *testing.T, s Store) []store.CategoryInfo {
	t.Helper()
	c, err := s.Categories(t.Context())
	if err != nil {
		t.Fatalf("Categories: %v", err)
	}
	return c
}

// testSetContents: SetContents puts a rendered text in place of the
// marker it was rendered from and changes nothing else, not even the
// change numbers; an update whose Old is no longer stored is skipped.
func testSetContents(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	a, b := deferred("a", 1, "/posts/a.md", "news", "go"), art("b", 2, "news")
	a.Updated = at(3)
	save(t, s, "src", at(10), a, b)
	save(t, s, "other", at(10), art("c", 3, "sport"))
	arts, cats, seqs := articles(t, s, "", 0), categories(t, s), changes(t, s)

	if err := s.SetContents(ctx, nil); err != nil {
		t.Fatalf("SetContents(nil): %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.SetContents(cancelled, nil); err != nil {
		t.Errorf("SetContents of no update with a cancelled context: %v, want nil (nothing to write)", err)
	}
	rendered := "<p>Rendered a</p>"
	all := []store.ContentUpdate{
		{SourceID: "src", ID: "a", Old: a.Content, Content: rendered},
		{SourceID: "src", ID: "b", Old: "<p>an older text of b</p>", Content: "<p>not put</p>"},
		{SourceID: "src", ID: "missing", Old: a.Content, Content: "<p>no article</p>"},
		{SourceID: "other", ID: "a", Old: a.Content, Content: "<p>another source's id</p>"},
	}
	if err := s.SetContents(cancelled, all); err == nil {
		t.Error("SetContents with a cancelled context succeeded, want an error")
	}
	checkEqual(t, "articles after a cancelled SetContents", articles(t, s, "", 0), arts)

	if err := s.SetContents(ctx, all); err != nil {
		t.Fatalf("SetContents: %v", err)
	}
	want := append([]article.Article(nil), arts...)
	for i := range want {
		if want[i].SourceID == "src" && want[i].ID == "a" {
			want[i].Content = rendered
		}
	}
	checkEqual(t, "articles", articles(t, s, "", 0), want)
	checkEqual(t, "categories", categories(t, s), cats)
	checkEqual(t, "changes", changes(t, s), seqs)

	// The stored text is no marker: the marker is stale now.
	err := s.SetContents(ctx, []store.ContentUpdate{{SourceID: "src", ID: "a", Old: a.Content, Content: "<p>again</p>"}})
	if err != nil {
		t.Fatalf("SetContents with a stale Old: %v", err)
	}
	checkEqual(t, "articles after a stale update", articles(t, s, "", 0), want)

	// The rendered article saved with its hash is unchanged, and left
	// as it is.
	checkResult(t, save(t, s, "src", at(11), withContent(a, rendered), b), store.SaveResult{Unchanged: 2})
	checkEqual(t, "articles after a save of the rendered article", articles(t, s, "", 0), want)
	checkEqual(t, "changes after the save", changes(t, s), seqs)
}

// testSaveMarker: a save of an article whose content is a marker puts
// the marker in place of another stored content of the same hash (a
// text rendered from it), and changes nothing else.
func testSaveMarker(t *testing.T, open Opener) {
	a := deferred("a", 1, "/posts/a.md", "news")
	moved := withContent(a, article.Deferred{Path: "/posts/moved/a.md", Digest: "digest-a"}.String())
	edited := deferred("a", 1, "/posts/a.md", "news")
	edited.Title = "Edited"
	edited.Content = article.Deferred{Path: "/posts/a.md", Digest: "digest-a2"}.String()
	edited.Hash = article.ContentHash(&edited)
	rendered := "<p>Rendered a</p>"
	tests := []struct {
		name        string
		stored      string // the content put in after the first save; "" for none
		arts        []article.Article
		want        store.SaveResult
		wantContent string
	}{
		{"over its rendered text", rendered, []article.Article{a}, store.SaveResult{Unchanged: 1}, a.Content},
		{"over the same marker", "", []article.Article{a}, store.SaveResult{Unchanged: 1}, a.Content},
		{"over another marker", "", []article.Article{moved}, store.SaveResult{Unchanged: 1}, moved.Content},
		{"twice in a batch", rendered, []article.Article{a, a}, store.SaveResult{Unchanged: 2}, a.Content},
		{"then edited in the batch", rendered, []article.Article{moved, edited},
			store.SaveResult{Unchanged: 1, Updated: 1, Changed: []string{"news"}}, edited.Content},
		{"edited then again in the batch", rendered, []article.Article{edited, edited},
			store.SaveResult{Unchanged: 1, Updated: 1, Changed: []string{"news"}}, edited.Content},
		{"with a new category", rendered, []article.Article{withContent(deferred("a", 1, "/posts/a.md", "news", "go"), a.Content)},
			store.SaveResult{Unchanged: 1, Changed: []string{"go", "news"}}, a.Content},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			save(t, s, "src", at(10), a)
			if tt.stored != "" {
				err := s.SetContents(t.Context(), []store.ContentUpdate{{SourceID: "src", ID: "a", Old: a.Content, Content: tt.stored}})
				if err != nil {
					t.Fatal(err)
				}
			}
			before, seqs := only(t, articles(t, s, "", 0)), changes(t, s)
			checkResult(t, save(t, s, "src", at(11), tt.arts...), tt.want)
			got := only(t, articles(t, s, "", 0))
			checkEqual(t, "content", got.Content, tt.wantContent)
			if tt.want.Updated > 0 {
				return
			}
			want := withContent(before, tt.wantContent)
			if tt.want.Changed == nil {
				checkEqual(t, "changes", changes(t, s), seqs)
			} else {
				want.Categories = []string{"news", "go"}
			}
			checkEqual(t, "article", got, want)
		})
	}
}
