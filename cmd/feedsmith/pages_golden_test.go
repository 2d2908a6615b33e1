package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestShippedPagesGolden builds the shipped configuration and compares
// every page of the site (the home, category, article and status pages)
// with testdata/site/: what a reader of the example site
// sees, reviewed as a diff. go test ./cmd/feedsmith -run
// TestShippedPagesGolden -update rewrites them.
func TestShippedPagesGolden(t *testing.T) {
	dir, cfg := shippedConfig(t)
	if code, out, errs := runCommand(t, "build", "-config", cfg); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, out, errs)
	}
	pub := filepath.Join(dir, "public")
	golden := filepath.Join("testdata", "site")
	var got []string
	err := filepath.WalkDir(pub, func(p string, d os.DirEntry, err error) error {
		// The pages; not the feeds (tested on their own) nor the theme's
		// files, which are site/theme's as they are.
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(pub, p)
		got = append(got, rel)
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		want := filepath.Join(golden, rel)
		if *update {
			if err := os.MkdirAll(filepath.Dir(want), 0o755); err != nil {
				return err
			}
			return os.WriteFile(want, body, 0o644)
		}
		if w, err := os.ReadFile(want); err != nil || string(w) != string(body) {
			t.Errorf("%s differs from %s (%v); -update rewrites it:\n%s", rel, want, err, body)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	filepath.WalkDir(golden, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(golden, p)
			want = append(want, rel)
		}
		return nil
	})
	slices.Sort(got)
	if !*update && !slices.Equal(got, want) {
		t.Errorf("pages %q, golden files %q", got, want)
	}
}
