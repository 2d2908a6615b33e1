package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
)

func testSaveCounts(t *testing.T, open Opener) {
	a1, a2, a3 := art("a1", 1, "news"), art("a2", 2, "news", "go"), art("a3", 3, "sport")
	grown := a1
	grown.Categories = []string{"news", "local"} // same hash: filed by a rule, say
	sameLink := art("a1-again", 4, "go")
	sameLink.Link = a1.Link
	type step struct {
		arts []article.Article
		want store.SaveResult
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"new", []step{{[]article.Article{a1, a2}, store.SaveResult{New: 2, Changed: []string{"go", "news"}}}}},
		{"empty batch", []step{{nil, store.SaveResult{}}}},
		{"unchanged", []step{
			{[]article.Article{a1}, store.SaveResult{New: 1, Changed: []string{"news"}}},
			{[]article.Article{a1}, store.SaveResult{Unchanged: 1}},
		}},
		{"updated", []step{
			{[]article.Article{a1}, store.SaveResult{New: 1, Changed: []string{"news"}}},
			{[]article.Article{edited(a1, "new text")}, store.SaveResult{Updated: 1, Changed: []string{"news"}}},
		}},
		{"mixed", []step{
			{[]article.Article{a1, a2}, store.SaveResult{New: 2, Changed: []string{"go", "news"}}},
			{[]article.Article{a1, edited(a2, "x"), a3}, store.SaveResult{New: 1, Updated: 1, Unchanged: 1,
				Changed: []string{"go", "news", "sport"}}},
		}},
		{"category set grew", []step{
			{[]article.Article{a1}, store.SaveResult{New: 1, Changed: []string{"news"}}},
			// news lists a1's categories: local is one now.
			{[]article.Article{grown}, store.SaveResult{Unchanged: 1, Changed: []string{"local", "news"}}},
			{[]article.Article{grown}, store.SaveResult{Unchanged: 1}},
		}},
		{"same id twice in a batch", []step{
			{[]article.Article{a1, a1}, store.SaveResult{New: 1, Unchanged: 1, Changed: []string{"news"}}},
		}},
		{"same source reusing a link", []step{
			{[]article.Article{a1, sameLink}, store.SaveResult{New: 2, Changed: []string{"go", "news"}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			for i, st := range tt.steps {
				checkResult(t, save(t, s, "src", at(100+i), st.arts...), st.want)
			}
		})
	}
}

func testUpdateKeepsIdentity(t *testing.T, open Opener) {
	east := time.FixedZone("", 8*3600)
	orig := art("a", 0, "news")
	orig.Published = time.Date(2025, 3, 1, 8, 0, 0, 0, east)
	orig.Updated = time.Date(2025, 3, 1, 9, 0, 0, 0, east)
	saved, now := at(2), at(10)
	tests := []struct {
		name               string
		published, updated time.Time
		wantUpdated        time.Time
	}{
		{"no dates", time.Time{}, time.Time{}, now},
		{"later updated", time.Time{}, at(5).In(east), at(5).In(east)},
		{"earlier updated", time.Time{}, orig.Published, now},
		{"other published", at(3), time.Time{}, now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			save(t, s, "src", saved, orig)
			in := edited(orig, "<p>edited</p>")
			in.Title = "Edited"
			in.Published, in.Updated = tt.published, tt.updated
			checkResult(t, save(t, s, "src", now, in), store.SaveResult{Updated: 1, Changed: []string{"news"}})
			got := only(t, articles(t, s, "", 0))
			checkEqual(t, "id", got.ID, "a")
			checkEqual(t, "title", got.Title, "Edited")
			checkEqual(t, "content", got.Content, "<p>edited</p>")
			checkEqual(t, "hash", got.Hash, in.Hash)
			checkTime(t, "published", got.Published, orig.Published)
			checkTime(t, "updated", got.Updated, tt.wantUpdated)
		})
	}
}

func testZeroPublished(t *testing.T, open Opener) {
	s := open(t)
	a := art("undated", 0, "news")
	a.Published = time.Time{}
	first := at(1)
	save(t, s, "src", first, a)
	got := only(t, articles(t, s, "", 0))
	checkTime(t, "published after first save", got.Published, first)
	checkTime(t, "updated after first save", got.Updated, first)

	save(t, s, "src", at(2), a)
	checkTime(t, "published after unchanged save", only(t, articles(t, s, "", 0)).Published, first)

	save(t, s, "src", at(3), edited(a, "later"))
	got = only(t, articles(t, s, "", 0))
	checkTime(t, "published after update", got.Published, first)
	checkTime(t, "updated after update", got.Updated, at(3))

	dated := art("dated", 0)
	dated.Published = time.Date(2025, 3, 1, 18, 0, 0, 0, time.FixedZone("", 9*3600)) // the newest
	save(t, s, "other", at(4), dated)
	got = only(t, articles(t, s, "", 1))
	checkTime(t, "updated of a dated article without one", got.Updated, dated.Published)
}

// testUndatedOrder: undated articles saved together take first-seen
// times a second apart in the source's order, the first newest, and keep
// them when saved again with new ones before them.
func testUndatedOrder(t *testing.T, open Opener) {
	s := open(t)
	var arts []article.Article
	for _, id := range []string{"u201", "u200", "u202", "u203"} {
		a := art(id, 0, "news")
		a.Published = time.Time{}
		arts = append(arts, a)
	}
	save(t, s, "src", at(1), arts...)
	want := []string{"src/u201", "src/u200", "src/u202", "src/u203"}
	got := articles(t, s, "news", 0)
	checkEqual(t, "order", keys(got), want)
	for i, a := range got {
		checkTime(t, a.ID+" published", a.Published, at(1).Add(-time.Duration(i)*time.Second))
	}

	fresh := art("u204", 0, "news")
	fresh.Published = time.Time{}
	save(t, s, "src", at(2), append([]article.Article{fresh}, arts...)...)
	got = articles(t, s, "news", 0)
	checkEqual(t, "order after a new one", keys(got), append([]string{"src/u204"}, want...))
	checkTime(t, "u203 published after the second save", got[4].Published, at(1).Add(-3*time.Second))
}

func testOffsets(t *testing.T, open Opener) {
	s := open(t)
	east, west := time.FixedZone("", 8*3600), time.FixedZone("", -5*3600)
	a := art("east", 0, "news")
	a.Published = time.Date(2025, 3, 1, 10, 0, 0, 123456789, east) // 02:00Z
	a.Updated = time.Date(2025, 3, 1, 11, 30, 0, 0, west)
	b := art("utc", 0, "news")
	b.Published = time.Date(2025, 3, 1, 3, 0, 0, 0, time.UTC) // later, though 3 < 10
	save(t, s, "src", at(24), a, b)
	got := articles(t, s, "news", 0)
	checkEqual(t, "order", keys(got), []string{"src/utc", "src/east"})
	checkTime(t, "published", got[1].Published, a.Published)
	checkTime(t, "updated", got[1].Updated, a.Updated)
	if g := got[1].Published.Format(time.RFC3339); g != "2025-03-01T10:00:00+08:00" {
		t.Errorf("published = %s, want the +08:00 offset kept", g)
	}
	checkTime(t, "utc published", got[0].Published, b.Published)
}

func testSaveIsAtomic(t *testing.T, open Opener) {
	a1, a3 := art("a1", 1, "news"), art("a3", 3, "news")
	bad := art("", 2, "news")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		arts []article.Article
	}{
		{"cancelled context", cancelled, []article.Article{edited(a1, "x"), a3}},
		{"bad article mid-batch", context.Background(), []article.Article{edited(a1, "x"), a3, bad}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			save(t, s, "src", at(10), a1)
			_, err := s.Save(tt.ctx, "src", tt.arts, at(11))
			if err == nil {
				t.Fatal("Save succeeded, want an error")
			}
			if !strings.Contains(err.Error(), "save articles of src") {
				t.Errorf("error %q does not name the source", err)
			}
			got := only(t, articles(t, s, "", 0))
			checkEqual(t, "content after failed save", got.Content, a1.Content)
			checkResult(t, save(t, s, "src", at(12), a1, a3), store.SaveResult{New: 1, Unchanged: 1, Changed: []string{"news"}})
		})
	}
}
