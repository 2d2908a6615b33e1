package jekyll_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// TestAuthorsFrontMatter: one author is a string, as before; several are
// a list, each as written.
func TestAuthorsFrontMatter(t *testing.T) {
	tests := []struct {
		name    string
		author  string
		authors []string
		want    any
	}{
		{"none", "", nil, nil},
		{"one", "Ann Author", nil, "Ann Author"},
		{"several", "Ann Author", []string{"Ann Author", `Dr. "Who": #1`, "{{ site.x }}"}, []any{"Ann Author", `Dr. "Who": #1`, "{{ site.x }}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := exampleArticle()
			a.Author, a.Authors = tt.author, tt.authors
			dir := t.TempDir()
			write(t, newWriter(dir, 0, "", time.Now()), a)
			data, err := os.ReadFile(filepath.Join(dir, "2022-02-14-NW202202141234567890.md"))
			if err != nil {
				t.Fatal(err)
			}
			_, rest, _ := strings.Cut(string(data), "---\n")
			fm, _, _ := strings.Cut(rest, "---\n")
			var m map[string]any
			if err := yaml.Unmarshal([]byte(fm), &m); err != nil {
				t.Fatalf("front matter: %v\n%s", err, fm)
			}
			if got := m["author"]; !equal(got, tt.want) {
				t.Errorf("author = %#v, want %#v\n%s", got, tt.want, fm)
			}
		})
	}
}

func equal(a, b any) bool {
	as, _ := yaml.Marshal(a)
	bs, _ := yaml.Marshal(b)
	return string(as) == string(bs)
}
