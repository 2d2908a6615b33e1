package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func parseString(t *testing.T, text string, env map[string]string) (*Config, error) {
	t.Helper()
	return Parse("c.yml", []byte(text), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
}

// TestDecodeProblems: each kind of decoding problem, once, in words; a
// value that could not be decoded gets no second problem from
// validation.
func TestDecodeProblems(t *testing.T) {
	base := "site: {base_url: https://x.org/}\n"
	tests := []struct{ name, yaml, want string }{
		{"whole number", "output: {items: fifty}\n", `c.yml:2: output.items: want a whole number, got "fifty"`},
		{"fraction", "output: {items: 2.5}\n", `c.yml:2: output.items: want a whole number, got "2.5"`},
		{"duration", "defaults: {timeout: 30 seconds}\n", `c.yml:2: defaults.timeout: want a duration such as 30s or 5m (units: s, m, h, d, w), got "30 seconds"`},
		{"duration as a list", "defaults: {timeout: [30s]}\n", `c.yml:2: defaults.timeout: want a duration such as 30s or 5m (units: s, m, h, d, w), got a list`},
		{"size", "defaults: {max_body: lots}\n", `c.yml:2: defaults.max_body: want a size such as 512KiB or 10MiB, got "lots"`},
		{"bool", "defaults: {allow_private: maybe}\n", `c.yml:2: defaults.allow_private: want true or false, got "maybe"`},
		{"text as a mapping", "server: {listen: {a: b}}\n", `c.yml:2: server.listen: want text, got a mapping`},
		{"section as text", "store: data.db\n", `c.yml:2: store: want a mapping of keys to values, got "data.db"`},
		{"whole file as text", "", ""},
		{"select as text, no required select.item after it",
			"sources:\n  - {id: a, type: html, url: https://x.org/, select: li}\n",
			`c.yml:3: sources[0] (a).select: want a mapping of keys to values, got "li"`},
		{"key given twice", "output:\n  items: 5\n  items: 6\n", `c.yml:4: output.items: given twice (first on line 3)`},
		{"unset variable, no required after it", "store: {path: \"${NOPE}\"}\n", "c.yml:2: store.path: environment variable NOPE is not set"},
		{"long value cut", "output: {items: " + strings.Repeat("x", 80) + "}\n", `c.yml:2: output.items: want a whole number, got "` + strings.Repeat("x", 59) + `…"`},
		{"id quoted when not a slug", "sources:\n  - {id: \"Le Monde\", type: feed}\n",
			"c.yml:3: sources[0] (\"Le Monde\").id: \"Le Monde\" must be lower-case letters, digits, - or _ (at most 80)\n" +
				"c.yml:3: sources[0] (\"Le Monde\").url: required for type feed (an http(s) URL or a file path)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := base + tt.yaml
			if tt.name == "whole file as text" {
				text, tt.want = "just words\n", `c.yml:1: want a mapping of keys to values, got "just words"`
			}
			_, err := parseString(t, text, nil)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}

// TestAnchorsAndMerges: YAML anchors, aliases and "<<" merges decode as
// YAML says, with the mapping's own keys over merged ones; top-level
// x- keys hold anchors.
func TestAnchorsAndMerges(t *testing.T) {
	cfg, err := parseString(t, `site: {base_url: https://x.org/}
x-api: &api
  type: feed
  schedule: "@every 2h"
  timeout: 10s
x-tags: &tags [a, b]
sources:
  - <<: *api
    id: one
    url: https://x.org/one.xml
    timeout: 5s
    tags: *tags
  - <<: [*api]
    id: two
    url: https://x.org/two.xml
`, nil)
	if err != nil {
		t.Fatal(err)
	}
	one, two := cfg.Sources[0], cfg.Sources[1]
	if one.Type != "feed" || one.Schedule != "@every 2h" || time.Duration(one.Timeout) != 5*time.Second || strings.Join(one.Tags, ",") != "a,b" {
		t.Errorf("one = %+v", one)
	}
	if two.Type != "feed" || time.Duration(two.Timeout) != 10*time.Second {
		t.Errorf("two = %+v", two)
	}
}

// TestAliasExpansionBounded: a few kilobytes of aliases that would
// expand to millions of values, nested as the configuration's lists
// nest (categories, their rules, their keywords), are refused with one
// problem.
func TestAliasExpansionBounded(t *testing.T) {
	const n = 300
	list := func(item string) string { return "[" + strings.TrimSuffix(strings.Repeat(item+", ", n), ", ") + "]" }
	text := "site: {base_url: https://x.org/}\n" +
		"x-words: &words " + list("k") + "\n" +
		"x-rule: &rule {keywords: *words}\n" +
		"x-rules: &rules " + list("*rule") + "\n" +
		"x-cat: &cat {id: c, rules: *rules}\n" +
		"categories: " + list("*cat") + "\n"
	_, err := parseString(t, text, nil)
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || !strings.Contains(err.Error(), "too many values once aliases are expanded") {
		t.Errorf("alias bomb: %d problems, %.300v", len(ps), err)
	}
}

// TestEnvNumber: a plain value from the environment is read as what it
// holds, so ${ITEMS} can be a number; a quoted one stays text.
func TestEnvNumber(t *testing.T) {
	env := map[string]string{"ITEMS": "20"}
	cfg, err := parseString(t, "site: {base_url: https://x.org/}\noutput:\n  items: ${ITEMS}\n", env)
	if err != nil || cfg.Output.Items != 20 {
		t.Fatalf("items = %v, %v", cfg, err)
	}
	_, err = parseString(t, "site: {base_url: https://x.org/}\noutput:\n  items: \"${ITEMS}\"\n", env)
	if want := `c.yml:3: output.items: want a whole number, got "20"`; err == nil || err.Error() != want {
		t.Errorf("quoted: %v, want %s", err, want)
	}
}

// TestTabs: tabs that indent are reported on their lines; a tab inside a
// value is not a problem.
func TestTabs(t *testing.T) {
	if _, err := parseString(t, "site:\n  base_url: https://x.org/\n  title: \"a\\tb\"\n  description: |\n    one\n    \ttwo\n", nil); err != nil {
		t.Errorf("tab inside values: %v", err)
	}
	_, err := parseString(t, "site:\n  base_url: https://x.org/\n\ttitle: t\n", nil)
	if want := "c.yml:3: a tab indents this line: YAML indents with spaces only (replace the tab with spaces)"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestWarnings: what works but is likely not meant is a warning: Inspect
// lists it, Load accepts the file.
func TestWarnings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yml")
	text := `site: {base_url: https://x.org/}
sources:
  - {id: fast, type: feed, url: https://news.example.org/feed.xml, schedule: "@every 30s"}
  - {id: local, type: feed, url: http://127.0.0.1:8099/feed.xml, schedule: "*/10 * * * * *"}
  - {id: seconds, type: feed, url: https://news.example.org/b.xml, schedule: "0,30 * * * * *"}
  - {id: api, type: json, url: https://api.example.org/, items: "$.data.list", fields: {title: "title"}}
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, ps := Inspect(path)
	if cfg == nil || len(ps.Errors()) != 0 {
		t.Fatalf("Inspect: %v", ps)
	}
	want := []string{
		path + `:3: warning: sources[0] (fast).schedule: "@every 30s" runs every 30s against news.example.org: under a minute between fetches is more than most sites allow, and rarely brings news sooner (use 1m or more)`,
		path + `:5: warning: sources[2] (seconds).schedule: "0,30 * * * * *" runs every 30s against news.example.org`,
		path + `:6: warning: sources[3] (api).items: "$.data.list" looks like JSONPath`,
	}
	if len(ps) != len(want) {
		t.Fatalf("warnings:\n%v", ps)
	}
	for i, w := range want {
		if !strings.HasPrefix(ps[i].String(), w) || !ps[i].Warning {
			t.Errorf("warning %d:\n%s\nwant:\n%s", i, ps[i], w)
		}
	}
	if _, err := Load(path); err != nil {
		t.Errorf("Load refuses a file with warnings only: %v", err)
	}
}

// TestScheduleFires: a schedule must fire at least once a year, from
// any day; MinInterval finds the shortest gap between runs.
func TestScheduleFires(t *testing.T) {
	tests := []struct {
		spec    string
		want    string // "" when valid
		minimum time.Duration
	}{
		{"0 0 30 2 *", "never fires", 0},
		{"0 0 31 4 *", "never fires", 0},
		{"0 0 29 2 *", "fires less than once a year", 0},
		{"@every 9000h", "fires less than once a year", 0},
		{"0 0 1 1 *", "", 365 * 24 * time.Hour},
		{"0 0 31 12 *", "", 365 * 24 * time.Hour},
		{"0 0 31 * *", "", 31 * 24 * time.Hour},
		{"0,30 * * * * *", "", 30 * time.Second},
		{"@every 10s", "", 10 * time.Second},
		{"CRON_TZ=Asia/Shanghai 0 8 * * 1-5", "", 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			err := CheckSchedule(tt.spec)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("CheckSchedule = %v, want %q", err, tt.want)
			}
			if got := MinInterval(tt.spec); tt.want == "" && got != tt.minimum {
				t.Errorf("MinInterval = %v, want %v", got, tt.minimum)
			}
		})
	}
}
