package storetest

import (
	"maps"
	"reflect"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/store"
)

func testFileStamps(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	fp, stamps, err := s.FileStamps(ctx, "blog")
	if err != nil || fp != "" || len(stamps) != 0 {
		t.Fatalf("new store: %q %v %v", fp, stamps, err)
	}
	a := store.FileStamp{Path: "/posts/2025-01-01-海.md", Size: 10, ModUnix: 1_700_000_000_123_456_789}
	b := store.FileStamp{Path: "/posts/b.md", Size: 0, ModUnix: -5}
	if err := s.SaveFileStamps(ctx, "blog", "v1", []store.FileStamp{a, b}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveFileStamps(ctx, "other", "v9", []store.FileStamp{a}); err != nil {
		t.Fatal(err)
	}
	fp, stamps, err = s.FileStamps(ctx, "blog")
	if want := map[string]store.FileStamp{a.Path: a, b.Path: b}; err != nil || fp != "v1" || !reflect.DeepEqual(stamps, want) {
		t.Fatalf("FileStamps = %q %v %v, want v1 %v", fp, stamps, err, want)
	}
	// A save replaces what was recorded: b changed, a is gone.
	b.Size = 21
	if err := s.SaveFileStamps(ctx, "blog", "v2", []store.FileStamp{b}); err != nil {
		t.Fatal(err)
	}
	fp, stamps, err = s.FileStamps(ctx, "blog")
	if want := map[string]store.FileStamp{b.Path: b}; err != nil || fp != "v2" || !reflect.DeepEqual(stamps, want) {
		t.Fatalf("after v2: %q %v %v, want v2 %v", fp, stamps, err, want)
	}
	if fp, stamps, _ := s.FileStamps(ctx, "other"); fp != "v9" || len(stamps) != 1 {
		t.Errorf("other source: %q %v", fp, stamps)
	}
	if err := s.SaveFileStamps(ctx, "blog", "v3", nil); err != nil {
		t.Fatal(err)
	}
	if fp, stamps, err := s.FileStamps(ctx, "blog"); err != nil || fp != "v3" || len(stamps) != 0 {
		t.Errorf("after an empty save: %q %v %v", fp, stamps, err)
	}
}

// testChanges checks that a category's change number moves exactly when
// its feed would: a save that adds or edits its articles, a prune that
// removes some; "" moves on any change.
func testChanges(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	changes := func() map[string]int64 {
		t.Helper()
		c, err := s.Changes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	moved := func(before, after map[string]int64) []string {
		var ids []string
		for _, id := range []string{"", "news", "go"} {
			if after[id] != before[id] {
				ids = append(ids, id)
			}
		}
		return ids
	}
	c0 := changes()
	save(t, s, "s", at(100), art("n1", 10, "news"), art("g1", 20, "go"))
	c1 := changes()
	if m := moved(c0, c1); !reflect.DeepEqual(m, []string{"", "news", "go"}) {
		t.Errorf("first save moved %q", m)
	}
	save(t, s, "s", at(101), art("n1", 10, "news"), art("g1", 20, "go"))
	c2 := changes()
	if m := moved(c1, c2); m != nil {
		t.Errorf("unchanged save moved %q", m)
	}
	save(t, s, "s", at(102), edited(art("n1", 10, "news"), "<p>new</p>"))
	c3 := changes()
	if m := moved(c2, c3); !reflect.DeepEqual(m, []string{"", "news"}) {
		t.Errorf("edit moved %q", m)
	}
	if c3["news"] <= c2["news"] {
		t.Errorf("change numbers went back: %v then %v", c2, c3)
	}
	if _, _, err := s.Prune(ctx, 0, 5, at(103)); err != nil {
		t.Fatal(err)
	}
	c4 := changes()
	if !maps.Equal(c3, c4) {
		t.Errorf("a prune that removed nothing moved %v to %v", c3, c4)
	}
	if _, _, err := s.Prune(ctx, 85*time.Hour, 0, at(100)); err != nil { // n1 is 90 h old
		t.Fatal(err)
	}
	if m := moved(c4, changes()); !reflect.DeepEqual(m, []string{"", "news"}) {
		t.Errorf("prune moved %q", m)
	}
}

func testRendered(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	if r, err := s.Rendered(ctx, "/out"); err != nil || len(r) != 0 {
		t.Fatalf("new store: %v %v", r, err)
	}
	r1 := map[string]store.Rendered{"news": {Seq: 3, Stamp: "a"}, "go": {Seq: 1, Stamp: "b"}}
	if err := s.SetRendered(ctx, "/out", r1); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRendered(ctx, "/out", map[string]store.Rendered{"news": {Seq: 4, Stamp: "c"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRendered(ctx, "/other", map[string]store.Rendered{"news": {Seq: 9, Stamp: "z"}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]store.Rendered{"news": {Seq: 4, Stamp: "c"}, "go": {Seq: 1, Stamp: "b"}}
	if r, err := s.Rendered(ctx, "/out"); err != nil || !reflect.DeepEqual(r, want) {
		t.Errorf("Rendered = %v %v, want %v", r, err, want)
	}
	// A removed category's record goes, in that folder only.
	if err := s.ForgetRendered(ctx, "/out", []string{"news", "never-rendered"}); err != nil {
		t.Fatal(err)
	}
	if err := s.ForgetRendered(ctx, "/out", nil); err != nil {
		t.Fatal(err)
	}
	want = map[string]store.Rendered{"go": {Seq: 1, Stamp: "b"}}
	if r, err := s.Rendered(ctx, "/out"); err != nil || !reflect.DeepEqual(r, want) {
		t.Errorf("Rendered after ForgetRendered = %v %v, want %v", r, err, want)
	}
	want = map[string]store.Rendered{"news": {Seq: 9, Stamp: "z"}}
	if r, err := s.Rendered(ctx, "/other"); err != nil || !reflect.DeepEqual(r, want) {
		t.Errorf("Rendered of another folder = %v %v, want %v", r, err, want)
	}
}
