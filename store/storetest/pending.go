package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
)

// testPendingDetails: pending details come back per source, in order,
// with their listing data whole; setting them replaces the source's, and
// none clears them.
func testPendingDetails(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	pub := time.Date(2026, 3, 1, 8, 30, 0, 0, time.FixedZone("CST", 8*3600))
	a := article.Article{ID: "n2", SourceID: "api", Title: "第二条", Link: "/n/2",
		Summary: "list text", Content: "<p>list</p>", Published: pub,
		Tags: []string{"t"}, Enclosures: []article.Enclosure{{URL: "http://x/a.mp3", Type: "audio/mpeg", Length: 3}}}
	b := article.Article{ID: "n1", SourceID: "api", Title: "first"}
	want := []store.PendingDetail{
		{URL: "http://api.example/n/2", BaseURL: "http://api.example/list", Article: a, Attempts: 1},
		{URL: "http://api.example/n/1", BaseURL: "http://api.example/list", Article: b, Attempts: 2},
	}
	if err := s.SetPendingDetails(ctx, "api", want); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPendingDetails(ctx, "other", want[1:]); err != nil {
		t.Fatal(err)
	}
	got, err := s.PendingDetails(ctx, "api")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].Article.Published.Equal(pub) {
		t.Fatalf("PendingDetails = %+v, want %+v", got, want)
	}
	if _, off := got[0].Article.Published.Zone(); off != 8*3600 {
		t.Errorf("published offset = %d, want %d", off, 8*3600)
	}
	got[0].Article.Published = pub
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PendingDetails = %+v\nwant %+v", got, want)
	}
	if err := s.SetPendingDetails(ctx, "api", want[1:]); err != nil {
		t.Fatal(err)
	}
	if got, err := s.PendingDetails(ctx, "api"); err != nil || len(got) != 1 || got[0].Article.ID != "n1" {
		t.Errorf("after replacing: %+v, %v; want n1 only", got, err)
	}
	if err := s.SetPendingDetails(ctx, "api", nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.PendingDetails(ctx, "api"); err != nil || len(got) != 0 {
		t.Errorf("after clearing: %+v, %v; want none", got, err)
	}
	if got, err := s.PendingDetails(ctx, "other"); err != nil || len(got) != 1 {
		t.Errorf("other source: %+v, %v; want its one", got, err)
	}
}

// testPendingAttempts: a pending detail's attempts and first failure
// come back as set (the time to the nanosecond); one set without them
// counts one attempt, never failed at a known time.
func testPendingAttempts(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	first := time.Date(2026, 3, 1, 8, 30, 0, 123456789, time.UTC)
	set := []store.PendingDetail{
		{URL: "http://api.example/n/1", Article: article.Article{ID: "n1", SourceID: "api"}, Attempts: 4, FirstFailed: first},
		{URL: "http://api.example/n/2", Article: article.Article{ID: "n2", SourceID: "api"}},
	}
	if err := s.SetPendingDetails(ctx, "api", set); err != nil {
		t.Fatal(err)
	}
	got, err := s.PendingDetails(ctx, "api")
	if err != nil || len(got) != 2 {
		t.Fatalf("PendingDetails = %+v, %v; want 2", got, err)
	}
	if got[0].Attempts != 4 || !got[0].FirstFailed.Equal(first) {
		t.Errorf("n1: %d attempts, first failed %v; want 4 and %v", got[0].Attempts, got[0].FirstFailed, first)
	}
	if got[1].Attempts != 1 || !got[1].FirstFailed.IsZero() {
		t.Errorf("n2: %d attempts, first failed %v; want 1 and none", got[1].Attempts, got[1].FirstFailed)
	}
	set[0].Attempts = 5
	if err := s.SetPendingDetails(ctx, "api", set[:1]); err != nil {
		t.Fatal(err)
	}
	if got, err := s.PendingDetails(ctx, "api"); err != nil || len(got) != 1 || got[0].Attempts != 5 {
		t.Errorf("after another failure: %+v, %v; want n1 with 5 attempts", got, err)
	}
}

// testClearPendingExcept: the pending details of the sources not named
// are cleared, the named ones' kept; naming none clears them all.
func testClearPendingExcept(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	for _, id := range []string{"kept", "gone", "also-gone"} {
		p := []store.PendingDetail{{URL: "http://x/" + id, Article: article.Article{ID: "a", SourceID: id}}}
		if err := s.SetPendingDetails(ctx, id, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ClearPendingExcept(ctx, []string{"kept", "never-pending"}); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]int{"kept": 1, "gone": 0, "also-gone": 0} {
		if got, err := s.PendingDetails(ctx, id); err != nil || len(got) != want {
			t.Errorf("%s: %d pending, %v; want %d", id, len(got), err, want)
		}
	}
	if err := s.ClearPendingExcept(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.PendingDetails(ctx, "kept"); err != nil || len(got) != 0 {
		t.Errorf("after naming none: %d pending, %v; want none", len(got), err)
	}
}
