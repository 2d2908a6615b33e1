package storetest

import (
	"testing"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
)

func testDedupeByLink(t *testing.T, open Opener) {
	s := open(t)
	first := art("a-1", 1, "news")
	dup := art("b-77", 2, "local") // another source's id for the same page
	dup.Link = first.Link
	dup.Title = "Another title"
	dup.Hash = article.ContentHash(&dup)

	save(t, s, "a", at(10), first)
	// news lists the article's categories, local among them now.
	checkResult(t, save(t, s, "b", at(11), dup), store.SaveResult{Unchanged: 1, Changed: []string{"local", "news"}})
	checkResult(t, save(t, s, "b", at(12), dup), store.SaveResult{Unchanged: 1})
	checkResult(t, save(t, s, "b", at(13), edited(dup, "b's edit")), store.SaveResult{Unchanged: 1})

	got := only(t, articles(t, s, "", 0))
	checkEqual(t, "kept", got.SourceID+"/"+got.ID, "a/a-1")
	checkEqual(t, "title", got.Title, first.Title)
	checkEqual(t, "content", got.Content, first.Content)
	checkEqual(t, "categories", got.Categories, []string{"news", "local"})
	checkEqual(t, "local feed", keys(articles(t, s, "local", 0)), []string{"a/a-1"})

	// The first source still updates it.
	checkResult(t, save(t, s, "a", at(14), edited(first, "a's edit")),
		store.SaveResult{Updated: 1, Changed: []string{"local", "news"}})

	for _, id := range []string{"a", "b"} {
		if err := s.SetSourceStatus(t.Context(), store.SourceStatus{SourceID: id}); err != nil {
			t.Fatal(err)
		}
	}
	sts, err := s.SourceStatuses(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sts {
		checkEqual(t, "articles of "+st.SourceID, st.Articles, 1)
	}
}

func testDedupeNotByEmptyLink(t *testing.T, open Opener) {
	s := open(t)
	a := art("same-id", 1, "news")
	a.Link = ""
	a.Hash = article.ContentHash(&a)
	checkResult(t, save(t, s, "a", at(10), a), store.SaveResult{New: 1, Changed: []string{"news"}})
	checkResult(t, save(t, s, "b", at(10), a), store.SaveResult{New: 1, Changed: []string{"news"}})
	checkEqual(t, "articles", keys(articles(t, s, "news", 0)), []string{"a/same-id", "b/same-id"})
}

// testDedupeByFragmentLink: links are compared whole, fragment included
// (normalize keeps it: page#n1 and page#n2 are two items upstream), so
// the same fragment link from two sources is one article, and another
// fragment of the same page is another article.
func testDedupeByFragmentLink(t *testing.T, open Opener) {
	s := open(t)
	n1, n2, same := art("a-1", 1, "news"), art("b-2", 2, "news"), art("b-1", 3, "news")
	n1.Link, n2.Link, same.Link = "https://example.org/news.html#n1", "https://example.org/news.html#n2", "https://example.org/news.html#n1"
	for _, a := range []*article.Article{&n1, &n2, &same} {
		a.Hash = article.ContentHash(a)
	}
	save(t, s, "a", at(10), n1)
	checkResult(t, save(t, s, "b", at(11), n2, same), store.SaveResult{New: 1, Unchanged: 1, Changed: []string{"news"}})
	checkEqual(t, "articles", keys(articles(t, s, "news", 0)), []string{"b/b-2", "a/a-1"})
}
