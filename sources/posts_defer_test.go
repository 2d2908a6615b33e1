package sources

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
)

// TestPostsDeferText: with Env.DeferText a posts source marks each
// article Deferred with its file and the digest of its bytes, and
// renders of a long post only the start (Partial); ReadFile renders the
// post whole, still marked, and gives nothing for a path outside the
// folder or a file gone.
func TestPostsDeferText(t *testing.T) {
	dir := t.TempDir()
	para := strings.Repeat("日照市的春天来得比较晚，海边的风依然很冷。", 10)
	long := "---\ntitle: Long\n---\n## 周报\n\n" + para + "\n\n" + para + "\n\nThe last paragraph.\n"
	files := map[string]string{
		"2024-01-02-long.md":   long,
		"2024-01-03-short.md":  "---\ntitle: Short\n---\nOne line.\n",
		"2024-01-04-page.html": "---\ntitle: HTML\n---\n<p>" + para + "</p>\n<p>Last.</p>\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	now := func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
	cfg := config.Source{ID: "blog", Type: "posts", Path: dir, SiteURL: "https://example.org/"}
	plain := collectPosts(t, cfg, Env{Now: now})
	b := collectPosts(t, cfg, Env{Now: now, DeferText: true, SummaryRunes: 20})
	if len(b.Articles) != 3 || len(plain.Articles) != 3 {
		t.Fatalf("%d and %d articles, want 3", len(b.Articles), len(plain.Articles))
	}
	for i, a := range b.Articles {
		full := plain.Articles[i]
		d := a.Defer
		if full.Defer != nil || d == nil || filepath.Dir(d.Path) != dir || len(d.Digest) != 32 {
			t.Fatalf("%s: Defer %+v (without DeferText %+v)", a.Title, d, full.Defer)
		}
		if !strings.HasPrefix(full.Content, a.Content) || d.Partial != (a.Content != full.Content) {
			t.Errorf("%s: partial %v, content %q is not the start of %q", a.Title, d.Partial, a.Content, full.Content)
		}
		if a.Title == "Long" && (!d.Partial || strings.Contains(a.Content, "last paragraph")) {
			t.Errorf("long post rendered whole: %q", a.Content)
		}
		if a.Title != "Long" && d.Partial {
			t.Errorf("%s: partial", a.Title)
		}
		a.Defer, a.Content, full.Content = nil, "", ""
		if !reflect.DeepEqual(postOf(a), postOf(full)) || a.Via != full.Via {
			t.Errorf("%s: %+v, without DeferText %+v", a.Title, postOf(a), postOf(full))
		}
	}

	s, err := New(cfg, Env{Now: now, Location: postsZone(t), DeferText: true, SummaryRunes: 20})
	if err != nil {
		t.Fatal(err)
	}
	r := s.(FileReader)
	path := filepath.Join(dir, "2024-01-02-long.md")
	got, err := r.ReadFile(t.Context(), path)
	if err != nil || len(got.Articles) != 1 {
		t.Fatalf("ReadFile: %+v, %v", got, err)
	}
	if a := got.Articles[0]; a.Content != plain.Articles[0].Content || a.Defer == nil || a.Defer.Partial || a.Defer.Digest != b.Articles[0].Defer.Digest {
		t.Errorf("ReadFile: content %q, Defer %+v", a.Content, a.Defer)
	}
	if got.BaseURL != "https://example.org/" {
		t.Errorf("BaseURL %q", got.BaseURL)
	}
	outside := filepath.Join(t.TempDir(), "2024-01-02-long.md")
	if err := os.WriteFile(outside, []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{outside, filepath.Join(dir, "..", filepath.Base(dir)+"x", "2024-01-02-long.md"), filepath.Join(dir, "2024-01-09-gone.md"), filepath.Join(dir, "notapost.md")} {
		if got, err := r.ReadFile(t.Context(), p); err != nil || len(got.Articles)+len(got.Skipped) != 0 {
			t.Errorf("ReadFile(%s): %+v, %v; want nothing", p, got, err)
		}
	}
}
