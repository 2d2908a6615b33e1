package storetest

import (
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
}
