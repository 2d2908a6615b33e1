package jekyll_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

// TestUnsafeIDs writes articles whose ids try to leave the folder: every
// post must land in it, under a distinct Jekyll post name.
func TestUnsafeIDs(t *testing.T) {
	ids := map[string]string{
		"parent":           "../../outside",
		"parent only":      "..",
		"dot":              ".",
		"absolute":         "/etc/passwd",
		"slash":            "a/b",
		"trailing slash":   "a/b/",
		"backslash":        `..\..\outside`,
		"drive":            `C:\outside`,
		"nul":              "x\x00y",
		"newline":          "x\ny",
		"very long":        strings.Repeat("长", 300) + strings.Repeat("a", 300),
		"windows reserved": "CON",
		"reserved lower":   "nul",
		"reserved ext":     "com1.txt",
		"empty":            "",
		"url":              "https://example.org/../../outside?x=../../y",
		"same as another":  "NW1",
		"case of another":  "nw1",
	}
	root := t.TempDir()
	dir := filepath.Join(root, "_posts")
	var arts []article.Article
	for _, id := range ids {
		a := exampleArticle()
		a.ID = id
		arts = append(arts, a)
	}
	dup := exampleArticle() // the same id from another source
	dup.ID, dup.SourceID = "NW1", "other"
	arts = append(arts, dup)
	if st := write(t, newWriter(dir, 0, "", time.Now()), arts...); st.Written != len(arts) {
		t.Errorf("stats = %+v, want %d written", st, len(arts))
	}
	if got := names(t, root); len(got) != 1 || got[0] != "_posts" {
		t.Errorf("files outside the folder: %q", got)
	}
	postRE := regexp.MustCompile(`^2022-02-14-[A-Za-z0-9][A-Za-z0-9._-]*\.md$`)
	lower := map[string]bool{}
	got := names(t, dir)
	for _, n := range got {
		if !postRE.MatchString(n) || strings.Contains(n, "..") || len(n) > 100 {
			t.Errorf("unsafe post name %q", n)
		}
		lower[strings.ToLower(n)] = true
	}
	if len(lower) != len(arts) {
		t.Errorf("%d distinct names (ignoring case) for %d articles: %q", len(lower), len(arts), got)
	}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Dir(p) != dir {
			t.Errorf("%s is outside %s", p, dir)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
