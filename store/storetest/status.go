package storetest

import (
	"context"
	"github.com/feedsmith/feedsmith/article"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/store"
)

func testSourceStatus(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	zone := time.FixedZone("", 2*3600)
	ok := store.SourceStatus{SourceID: "a", LastAttempt: at(4).In(zone), LastSuccess: at(4).In(zone),
		New: 3, Updated: 2, Unchanged: 1}
	failed := store.SourceStatus{SourceID: "a", LastAttempt: at(5).In(zone),
		LastError: "fetch https://example.org/feed: 503 Service Unavailable"}
	never := store.SourceStatus{SourceID: "b", LastAttempt: at(6), LastError: "no such host"}
	save(t, s, "a", at(4), art("x", 1), art("y", 2, "news"))
	for _, st := range []store.SourceStatus{never, ok, failed} {
		if err := s.SetSourceStatus(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.SourceStatuses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := failed // a failure keeps the time of the last success
	a.LastSuccess, a.Articles = ok.LastSuccess, 2
	want := []store.SourceStatus{a, never}
	if len(got) != len(want) {
		t.Fatalf("statuses = %+v, want %+v", got, want)
	}
	for i := range want {
		checkTime(t, want[i].SourceID+" last attempt", got[i].LastAttempt, want[i].LastAttempt)
		checkTime(t, want[i].SourceID+" last success", got[i].LastSuccess, want[i].LastSuccess)
		checkEqual(t, want[i].SourceID+" last success is zero", got[i].LastSuccess.IsZero(), want[i].LastSuccess.IsZero())
		g, w := got[i], want[i]
		g.LastAttempt, g.LastSuccess, w.LastAttempt, w.LastSuccess = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		checkEqual(t, "status", g, w)
	}
}

func testValidators(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	const url = "https://example.org/feed.xml"
	steps := []struct {
		name               string
		set                bool
		etag, lastModified string
	}{
		{name: "unknown"},
		{name: "set", set: true, etag: `"abc"`, lastModified: "Sat, 01 Mar 2025 10:00:00 GMT"},
		{name: "etag only", set: true, etag: `W/"def"`},
		{name: "forgotten", set: true},
	}
	for _, st := range steps {
		if st.set {
			if err := s.SetValidators(ctx, url, st.etag, st.lastModified); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		etag, lm, err := s.Validators(ctx, url)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		checkEqual(t, st.name+" etag", etag, st.etag)
		checkEqual(t, st.name+" last-modified", lm, st.lastModified)
	}
	if etag, lm, err := s.Validators(ctx, "https://example.org/other"); err != nil || etag != "" || lm != "" {
		t.Errorf("other url: %q, %q, %v; want nothing", etag, lm, err)
	}
	// The body hash is kept beside the validators, each forgotten alone.
	if h, err := s.BodyHash(ctx, url); err != nil || h != "" {
		t.Errorf("body hash before any: %q, %v", h, err)
	}
	for _, step := range []func() error{
		func() error { return s.SetBodyHash(ctx, url, "h1") },
		func() error { return s.SetValidators(ctx, url, `"e"`, "") },
		func() error { return s.SetValidators(ctx, url, "", "") },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
		if h, err := s.BodyHash(ctx, url); err != nil || h != "h1" {
			t.Errorf("body hash = %q, %v; want h1", h, err)
		}
	}
	if err := s.SetBodyHash(ctx, url, ""); err != nil {
		t.Fatal(err)
	}
	if h, err := s.BodyHash(ctx, url); err != nil || h != "" {
		t.Errorf("forgotten body hash = %q, %v", h, err)
	}
}

// testFullText: an article saved with its full text can be read back for
// the detail step; one saved with list data only cannot, until an update
// brings the full text.
func testFullText(t *testing.T, open Opener) {
	s := open(t)
	ctx := context.Background()
	listOnly := art("a1", 1, "news")
	full := art("a2", 2, "news")
	full.Content, full.FullText = "<p>全文</p>", true
	full.Hash = article.ContentHash(&full)
	save(t, s, "src", at(10), listOnly, full)
	check := func(id, wantContent string, wantOK bool) {
		t.Helper()
		content, ok, err := s.FullText(ctx, "src", id)
		if err != nil || ok != wantOK || content != wantContent {
			t.Errorf("FullText(%s) = %q, %v, %v; want %q, %v", id, content, ok, err, wantContent, wantOK)
		}
	}
	check("a1", "", false)
	check("a2", "<p>全文</p>", true)
	check("missing", "", false)
	if _, ok, _ := s.FullText(ctx, "other", "a2"); ok {
		t.Error("FullText found another source's article")
	}
	detailed := listOnly
	detailed.Content, detailed.FullText = "<p>later</p>", true
	detailed.Hash = article.ContentHash(&detailed)
	if r := save(t, s, "src", at(11), detailed); r.Updated != 1 {
		t.Errorf("detail arriving later: %+v, want an update", r)
	}
	check("a1", "<p>later</p>", true)
}
