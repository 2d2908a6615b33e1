package site

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// manyArticles returns n articles of category c, newest first, the
// newest dated at newest.
func manyArticles(c string, n int, newest time.Time) []Article {
	as := make([]Article, n)
	for i := range as {
		t := newest.Add(-time.Duration(i) * time.Hour)
		as[i] = Article{Key: fmt.Sprintf("%s/%d", c, t.Unix()), Title: fmt.Sprintf("文章 %d", t.Unix()), Link: "https://example.cn/" + fmt.Sprint(t.Unix()),
			Published: t, Summary: "摘要", Source: "日照日报", Category: c, HasPage: true}
	}
	return as
}

func categoryFiles(t *testing.T, th *Theme, s Site, c Category, as []Article) map[string][]byte {
	t.Helper()
	pages, err := th.Category(s, c, as)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for _, p := range pages {
		if _, dup := m[p.Path]; dup {
			t.Fatalf("two pages at %s", p.Path)
		}
		m[p.Path] = p.Body
	}
	return m
}

// changed counts the files written (new or different) and removed going
// from before to after.
func changed(before, after map[string][]byte) (written, removed int) {
	for p, b := range after {
		if old, ok := before[p]; !ok || !bytes.Equal(old, b) {
			written++
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			removed++
		}
	}
	return written, removed
}

// TestOneArticleRewritesBoundedPages adds one new article to a category
// of every size from 0 to 120 articles (5 a page) and counts the category
// pages that change: at most 3 (the newest page; when it fills up, the
// new numbered page and the one before it), never a removal. With
// retention (the oldest article dropped as the new one comes, Offset
// counting it), at most 4 written (also the oldest page) and 1 removed.
func TestOneArticleRewritesBoundedPages(t *testing.T) {
	th, err := LoadTheme(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := fixture(base)
	s.PerPage = 5
	c := s.Categories[0]
	newest := time.Date(2026, 11, 30, 9, 0, 0, 0, cst)
	all := manyArticles(c.ID, 121, newest)
	maxWritten := 0
	for n := 0; n < 120; n++ {
		before := categoryFiles(t, th, s, c, all[1:n+1])
		after := categoryFiles(t, th, s, c, all[:n+1])
		w, r := changed(before, after)
		maxWritten = max(maxWritten, w)
		if w > 3 || r > 0 {
			t.Errorf("%d articles + 1: %d pages written, %d removed; want at most 3 and none", n, w, r)
		}
		checkArticles(t, th, s, c, all[:n+1])
	}
	t.Logf("adding one article to 0…119: at most %d category pages written", maxWritten)

	maxWritten, maxRemoved := 0, 0
	const keep = 37
	for dropped := 0; dropped < 60; dropped++ {
		// all[:60-dropped] are yet to come, all[60-dropped+keep:] are
		// dropped already.
		window := all[60-dropped : 60-dropped+keep]
		cb := c
		cb.Offset = 121 - (60 - dropped + keep)
		ca := cb
		ca.Offset++
		before := categoryFiles(t, th, s, cb, window)
		after := categoryFiles(t, th, s, ca, all[60-dropped-1:60-dropped+keep-1])
		w, r := changed(before, after)
		maxWritten, maxRemoved = max(maxWritten, w), max(maxRemoved, r)
		if w > 4 || r > 1 {
			t.Errorf("offset %d, %d kept, one in one out: %d pages written, %d removed; want at most 4 and 1", cb.Offset, keep, w, r)
		}
		checkArticles(t, th, s, ca, all[60-dropped-1:60-dropped+keep-1])
	}
	t.Logf("with retention (one in, one out): at most %d written, %d removed", maxWritten, maxRemoved)
}

// checkArticles checks that the pages of c list every article once, in
// order, and that the newest page is never nearly empty.
func checkArticles(t *testing.T, th *Theme, s Site, c Category, as []Article) {
	t.Helper()
	spans := Paginate(c, len(as), s.PerPage)
	next := 0
	for _, sp := range spans {
		if sp.From != next || sp.To < sp.From {
			t.Fatalf("%d articles, offset %d: pages %+v do not cover them in order", len(as), c.Offset, spans)
		}
		next = sp.To
	}
	if next != len(as) {
		t.Fatalf("%d articles, offset %d: pages %+v cover %d", len(as), c.Offset, spans, next)
	}
	if head := spans[0]; len(as) >= s.PerPage && head.To-head.From < s.PerPage {
		t.Errorf("%d articles: the newest page lists %d, fewer than a page", len(as), head.To)
	}
}
