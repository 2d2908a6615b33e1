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
		{URL: "http://api.example/n/2", BaseURL: "http://api.example/list", Article: a},
		{URL: "http://api.example/n/1", BaseURL: "http://api.example/list", Article: b},
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
