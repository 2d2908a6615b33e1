package publish

import (
	"context"
	"strings"
	"testing"
)

// TestIndexNotices checks that the index page shows what Notices gives,
// HTML-escaped, and nothing when there is none.
func TestIndexNotices(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	p := New(testConfig(), st, "test")
	index := func() string {
		t.Helper()
		tree, err := p.RenderChanged(ctx, []string{})
		if err != nil {
			t.Fatal(err)
		}
		return string(tree[len(tree)-1].Body)
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
	want := `<p class="notice" role="alert">output dir: write pub&lt;b&gt;lic/feeds/news.atom: no space left on device</p>`
	if !strings.Contains(got, want) {
		t.Errorf("index.html lacks\n%s\nin\n%s", want, got)
	}
	if strings.Contains(got, "<b>") {
		t.Error("the notice's text is not escaped")
	}
}
