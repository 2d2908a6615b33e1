package storetest

import (
	"testing"
)

// testUploaded: what was uploaded comes back per output and by path;
// saving replaces the saved paths only, forgetting removes exactly the
// paths named, and neither touches another output.
func testUploaded(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	const a, b = "http://127.0.0.1:7070/feeds/site/", "http://127.0.0.1:7070/feeds/"
	check := func(step, output string, want map[string]string) {
		t.Helper()
		got, err := s.UploadedFiles(ctx, output)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		checkEqual(t, step+": "+output, got, want)
	}
	check("empty", a, map[string]string{})
	if err := s.SaveUploaded(ctx, a, map[string]string{"feeds/news.atom": "aa01", "index.html": "bb02", "category/新闻.html": "cc03"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveUploaded(ctx, b, map[string]string{"index.html": "ff09"}); err != nil {
		t.Fatal(err)
	}
	check("saved", a, map[string]string{"feeds/news.atom": "aa01", "index.html": "bb02", "category/新闻.html": "cc03"})
	check("saved", b, map[string]string{"index.html": "ff09"})
	if err := s.SaveUploaded(ctx, a, map[string]string{"index.html": "bb04", "feeds/tech.atom": "dd05"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveUploaded(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	check("replaced", a, map[string]string{"feeds/news.atom": "aa01", "index.html": "bb04", "category/新闻.html": "cc03", "feeds/tech.atom": "dd05"})
	if err := s.ForgetUploaded(ctx, a, []string{"feeds/news.atom", "category/新闻.html", "feeds/never.atom"}); err != nil {
		t.Fatal(err)
	}
	if err := s.ForgetUploaded(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	check("forgotten", a, map[string]string{"index.html": "bb04", "feeds/tech.atom": "dd05"})
	check("forgotten", b, map[string]string{"index.html": "ff09"})
}
