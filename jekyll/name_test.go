package jekyll

import (
	"regexp"
	"strings"
	"testing"
)

func TestFileID(t *testing.T) {
	tests := []struct {
		name, id string
		want     string // "~" + prefix: the readable part, then a hash
	}{
		{"info code kept as written", "NW202202141234567890", "NW202202141234567890"},
		{"safe punctuation kept", "a_b.c-d", "a_b.c-d"},
		{"query value", "http://news.example.com/html_News/NewsShare.html?infoCode=NW202202141234567890", "~NW202202141234567890-"},
		{"last path segment", "https://example.org/2022/02/14/spring-projects/", "~spring-projects-"},
		{"web extension dropped", "https://example.org/news/123.html", "~123-"},
		{"longest query value", "https://example.org/index.php?p=123&lang=en", "~123-"},
		{"path before query", "https://example.org/news/spring?lang=en", "~spring-"},
		{"host only", "https://example.org/", "~example.org-"},
		{"chinese in pinyin", "日照日报", "~rizhaoribao-"},
		{"slashes", "a/b", "~b-"},
		{"parent", "../../etc/passwd", "~passwd-"},
		{"dots", "..", "~"},
		{"dot runs", "a..b", "~a.b-"},
		{"nul", "x\x00y", "~x-y-"},
		{"backslash", `..\..\x`, "~x-"},
		{"empty", "", "~"},
		{"urn", "urn:uuid:1234", "~urn-uuid-1234-"},
		{"long", strings.Repeat("a", 500), "~" + strings.Repeat("a", maxIDLen-9) + "-"},
	}
	safe := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	seen := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fileID(tt.id)
			if prefix, hashed := strings.CutPrefix(tt.want, "~"); hashed {
				if !strings.HasPrefix(got, prefix) || len(got) != len(prefix)+8 {
					t.Errorf("fileID(%q) = %q, want %q and a hash", tt.id, got, prefix)
				}
			} else if got != tt.want {
				t.Errorf("fileID(%q) = %q, want %q", tt.id, got, tt.want)
			}
			if !safe.MatchString(got) || strings.Contains(got, "..") || len(got) > maxIDLen {
				t.Errorf("fileID(%q) = %q is not a safe name", tt.id, got)
			}
			if other, ok := seen[got]; ok {
				t.Errorf("fileID(%q) = fileID(%q) = %q", tt.id, other, got)
			}
			seen[got] = tt.id
		})
	}
}

func FuzzFileID(f *testing.F) {
	for _, s := range []string{"NW202202141234567890", "../x", "https://a.org/b?c=d", "日照", "CON", "\x00"} {
		f.Add(s)
	}
	safe := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	f.Fuzz(func(t *testing.T, id string) {
		got := fileID(id)
		if !safe.MatchString(got) || strings.Contains(got, "..") || len(got) > maxIDLen {
			t.Errorf("fileID(%q) = %q is not a safe name", id, got)
		}
		if plain := safe.MatchString(id) && !strings.ContainsAny(id, ".-_") && len(id) <= maxIDLen; plain && got != id {
			t.Errorf("fileID(%q) = %q, want the id as written", id, got)
		}
	})
}
