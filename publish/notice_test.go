package publish

import (
	"context"
	"strings"
	"testing"
)

// TestStatusNotices checks that the status page shows what Notices
// gives, HTML-escaped, and nothing when there is none.
func TestStatusNotices(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	p := New(testConfig(), st, "test")
	index := func() string {
		t.Helper()
		tree, _, err := p.RenderChanged(ctx, []string{})
		if err != nil {
			t.Fatal(err)
		}
		return string(fileAt(t, tree, "status.html").Body)
	}
	if got := index(); strings.Contains(got, `class="notice"`) {
		t.Errorf("a notice without Notices:\n%s", got)
	}
	var notices []string
	p.Notices = func() []string { return notices }
	if got := index(); strings.Contains(got, `class="notice"`) {
		t.Errorf("a notice though Notices gives none:\n%s", got)
	}
	notices = []string{"output dir: write pub<b>lic/feeds/news.atom: no space left on device"}
	got := index()
	want := `<p class="notice" role="alert" dir="auto">output dir: write pub&lt;b&gt;lic/feeds/news.atom: no space left on device</p>`
	if !strings.Contains(got, want) {
		t.Errorf("status.html lacks\n%s\nin\n%s", want, got)
	}
	if strings.Contains(got, "<b>") {
		t.Error("the notice's text is not escaped")
	}
}

// fileAt returns the file of t at path.
func fileAt(t *testing.T, tree Tree, path string) File {
	t.Helper()
	for _, f := range tree {
		if f.Path == path {
			return f
		}
	}
	t.Fatalf("no %s in the tree", path)
	return File{}
}
