package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary YAML to the loader: it never panics, a
// refusal is a Problems list whose every line names the file, and an
// accepted configuration satisfies what validation promises.
func FuzzParse(f *testing.F) {
	for _, p := range []string{"../config.yaml", "testdata/*.yml"} {
		files, _ := filepath.Glob(p)
		for _, name := range files {
			if data, err := os.ReadFile(name); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("site: {base_url: https://x.org/}\nsources: [{id: a, type: feed, url: \"\\x00\", schedule: \"TZ=UTC\"}]\n"))
	f.Add([]byte("site:\n  base_url: https://x.org/\ncategories:\n  - id: 日照\n    rules: [{match: \"(?i\"}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yml", data, func(string) (string, bool) { return "", false })
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error is not a Problems list: %v", err)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "fuzz.yml") {
					t.Fatalf("problem line without the file name: %q", line)
				}
			}
			return
		}
		if !strings.HasSuffix(cfg.Site.BaseURL, "/") || cfg.Output.Items < 1 {
			t.Fatalf("accepted config breaks validation: %+v", cfg.Site)
		}
		for _, s := range cfg.Sources {
			if !SlugPattern.MatchString(s.ID) || CheckSchedule(s.Schedule) != nil || !utf8.ValidString(s.ID) {
				t.Fatalf("accepted source %+v", s)
			}
		}
		for _, c := range cfg.Categories {
			if !SlugPattern.MatchString(c.ID) {
				t.Fatalf("accepted category id %q", c.ID)
			}
		}
	})
}
