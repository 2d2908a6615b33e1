package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestShippedConfig(t *testing.T) {
	cfg, err := Load("../config.yaml")
	if err != nil {
		t.Fatalf("shipped config.yaml: %v", err)
	}
	if len(cfg.Sources) == 0 || len(cfg.Categories) == 0 {
		t.Fatalf("shipped config has %d sources and %d categories", len(cfg.Sources), len(cfg.Categories))
	}
	if !filepath.IsAbs(cfg.Store.Path) || !filepath.IsAbs(cfg.Output.Dir) {
		t.Errorf("paths not resolved against the config folder: %q %q", cfg.Store.Path, cfg.Output.Dir)
	}
	for _, s := range cfg.Sources {
		if s.Schedule == "" || s.Timeout == 0 || s.MaxBody == 0 {
			t.Errorf("source %s: defaults not applied: %+v", s.ID, s)
		}
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct {
		file string
		want []string // each line of the error, in order
	}{
		{"invalid-unknown-key.yml", []string{
			"testdata/invalid-unknown-key.yml:3: site.titel: unknown key (known: author, base_url, description, language, timezone, title)",
			"testdata/invalid-unknown-key.yml:8: sources[0] (a).shedule: unknown key (known: allow, allow_private, category, charset, date_format, detail, fields, footer, id, items, jitter, language, max_author, max_body, max_content, max_items, max_summary, max_title, pages, path, permalink, schedule, select, site_url, tags, timeout, timezone, type, url)",
		}},
		{"invalid-many.yml", []string{
			`testdata/invalid-many.yml:2: site.base_url: "/relative/" is not an absolute http(s) URL`,
			`testdata/invalid-many.yml:3: site.timezone: unknown time zone "Mars/Olympus"`,
			`testdata/invalid-many.yml:5: output.items: must be at least 1`,
			`testdata/invalid-many.yml:7: categories[0] ("News").id: "News" must be lower-case letters, digits, - or _ (at most 80)`,
			"testdata/invalid-many.yml:10: categories[1] (tech).rules[0].match: invalid regular expression: error parsing regexp: missing closing ): `(unclosed`",
			`testdata/invalid-many.yml:11: categories[2] (tech).id: "tech" is already used by categories[1]`,
			`testdata/invalid-many.yml:13: sources[0] (a).url: required for type feed (an http(s) URL or a file path)`,
			`testdata/invalid-many.yml:15: sources[1] (a).id: "a" is already used by sources[0]`,
			`testdata/invalid-many.yml:18: sources[1] (a).category: "nowhere" is not declared under categories`,
			`testdata/invalid-many.yml:19: sources[1] (a).schedule: invalid schedule "TZ=UTC"`,
			`testdata/invalid-many.yml:21: sources[2] (c).type: unknown type "scraper" (one of feed, html, json, posts)`,
		}},
		{"invalid-type.yml", []string{
			`testdata/invalid-type.yml:4: store.max_items: want a whole number, got "many"`,
			`testdata/invalid-type.yml:5: store.max_age: want a duration such as 30s or 5m (units: s, m, h, d, w), got "forever"`,
		}},
		{"invalid-server.yml", []string{
			`testdata/invalid-server.yml:3: server.listen: "8080" is not a host:port address`,
			`testdata/invalid-server.yml:5: websub.hub: "pubsubhubbub.example.org" is not an absolute http(s) URL`,
		}},
		{"invalid-caps.yml", []string{
			"testdata/invalid-caps.yml:3: defaults.max_items: must be at least 1 (a cap cannot be switched off; raise it instead)",
			"testdata/invalid-caps.yml:5: defaults.max_content: must be at least 1 (a cap cannot be switched off; raise it instead)",
			"testdata/invalid-caps.yml:10: sources[0] (a).max_items: must not be negative (0 takes defaults.max_items)",
		}},
		{"invalid-caps-type.yml", []string{
			`testdata/invalid-caps-type.yml:3: defaults.max_items: want a whole number, got "many"`,
			`testdata/invalid-caps-type.yml:4: defaults.max_title: want a size such as 512KiB or 10MiB, got "2 lines"`,
			`testdata/invalid-caps-type.yml:9: sources[0] (a).max_author: want a size such as 512KiB or 10MiB, got "-5"`,
		}},
		{"invalid-env.yml", []string{
			"testdata/invalid-env.yml:2: site.base_url: environment variable FEEDSMITH_TEST_UNSET_VAR is not set",
		}},
		{"invalid-allow.yml", []string{
			`testdata/invalid-allow.yml:3: defaults.allow[0]: "10.0.0.0/33" is not a host name, an IP address or a CIDR range`,
			`testdata/invalid-allow.yml:7: sources[0] (a).url: "https://user:xxxxx@api.example.org/list" holds credentials (user:password@), which are never sent: remove them`,
			`testdata/invalid-allow.yml:11: sources[0] (a).fields.link: invalid template: the branches of {{if}} end in different parts of the URL (query and path)`,
			`testdata/invalid-allow.yml:13: sources[0] (a).detail.url: invalid template: {{template "t"}} is not allowed in a URL template`,
			`testdata/invalid-allow.yml:18: sources[0] (a).allow[2]: "not a host!" is not a host name, an IP address or a CIDR range`,
			`testdata/invalid-allow.yml:19: sources[0] (a).allow[3]: "10.0.0.300" is not a host name, an IP address or a CIDR range`,
		}},
		{"invalid-footer.yml", []string{
			"testdata/invalid-footer.yml:6: sources[0] (mirror).footer: invalid regular expression: error parsing regexp: missing closing ): `(unclosed`",
			`testdata/invalid-footer.yml:10: sources[1] (empty).footer: "\\s*" matches the empty string: a footer is some text`,
			`testdata/invalid-footer.yml:14: sources[2] (named).footer: group "url": the only named group is link (the source link)`,
			`testdata/invalid-footer.yml:18: sources[3] (feed).footer: only for type posts`,
		}},
		{"invalid-together.yml", []string{
			`testdata/invalid-together.yml:4: site.timezone: unknown time zone "Mars/Olympus"`,
			`testdata/invalid-together.yml:6: output.items: want a whole number, got "fifty"`,
			`testdata/invalid-together.yml:8: defaults.timeout: want a duration such as 30s or 5m (units: s, m, h, d, w), got "30 seconds"`,
			`testdata/invalid-together.yml:9: defaults.allow_private: want true or false, got "maybe"`,
			`testdata/invalid-together.yml:10: defaults.allow: want a list, got "intranet.example"`,
			`testdata/invalid-together.yml:14: categories[0] (news).title: given twice (first on line 13)`,
			`testdata/invalid-together.yml:20: sources[0] (listing).select.item: invalid CSS selector "ul.news li[[[": expected identifier, found [ instead`,
			`testdata/invalid-together.yml:23: sources[0] (listing).tags: want a list, got "news"`,
			`testdata/invalid-together.yml:27: sources[1] (releases).category: want a category id or a mapping with id and title, got a list`,
			`testdata/invalid-together.yml:28: sources[1] (releases).schedule: schedule "0 0 30 2 *" never fires (no such date)`,
			`testdata/invalid-together.yml:31: sources[2] (broken).select: want a mapping of keys to values, got "li"`,
		}},
		{"invalid-tab.yml", []string{
			`testdata/invalid-tab.yml:2: a tab indents this line: YAML indents with spaces only (replace the tab with spaces)`,
			`testdata/invalid-tab.yml:5: a tab indents this line: YAML indents with spaces only (replace the tab with spaces)`,
		}},
		{"invalid-extract.yml", []string{
			`testdata/invalid-extract.yml:6: sources[0] (api).items: invalid gjson path "data.#(type==\"news\"": query #(…) is not closed (no ")")`,
			`testdata/invalid-extract.yml:8: sources[0] (api).fields.title: invalid gjson path "title.": ends in "." with nothing after it`,
			`testdata/invalid-extract.yml:9: sources[0] (api).fields.link: invalid gjson path "url\\": ends in a lone "\" (it escapes the character after it)`,
			`testdata/invalid-extract.yml:11: sources[0] (api).fields.author: invalid gjson path "[author.name,author.email": multipath is not closed (no "]")`,
			`testdata/invalid-extract.yml:14: sources[0] (api).detail.content: invalid gjson path "data.#(id==1)x": unexpected "x" after query #(id==1)`,
			`testdata/invalid-extract.yml:19: sources[1] (page).select.item: invalid CSS selector "li:nth-child(2n+": expected integer, but didn't find it`,
			`testdata/invalid-extract.yml:21: sources[1] (page).select.link: invalid CSS selector "a[href": unexpected EOF in attribute selector`,
			`testdata/invalid-extract.yml:22: sources[1] (page).select.date: invalid CSS selector "span::date": unknown pseudoelement :date`,
			`testdata/invalid-extract.yml:24: sources[1] (page).detail.content: invalid CSS selector "div.article >": expected selector, found EOF instead`,
			`testdata/invalid-extract.yml:28: sources[2] (feed).schedule: schedule "0 0 29 2 *" fires less than once a year`,
		}},
		{"invalid-alias.yml", []string{
			`testdata/invalid-alias.yml:4: sources[0] (a).timeout: want a duration such as 30s or 5m (units: s, m, h, d, w), got "soon"`,
			`testdata/invalid-alias.yml:13: sources[1] (b).select: alias *loop is inside its own anchor`,
		}},
		{"invalid-output.yml", []string{
			`testdata/invalid-output.yml:4: output.per_page: must be between 1 and 1000`,
			`testdata/invalid-output.yml:5: output.theme: theme: template: home.html:1: bad character U+007D '}'`,
		}},
		{"invalid-s3.yml", []string{
			`testdata/invalid-s3.yml:3: outputs.s3.secret_access_key: required with access_key_id`,
			`testdata/invalid-s3.yml:4: outputs.s3.endpoint: "http://127.0.0.1:7070/feeds" has a path: the bucket goes in bucket, a folder in prefix`,
			`testdata/invalid-s3.yml:5: outputs.s3.bucket: "Feeds_2025" is not a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit`,
			`testdata/invalid-s3.yml:6: outputs.s3.prefix: "/site/../x" is not a folder path such as site/ (no leading /, no . or .. parts, no //)`,
			`testdata/invalid-s3.yml:7: outputs.s3.region: "us east" is not a region name such as us-east-1`,
		}},
		{"invalid-store-both.yml", []string{
			"testdata/invalid-store-both.yml:5: store.url: store.path and store.url are both set: keep store.path for a SQLite file or store.url for PostgreSQL, not both",
		}},
		{"invalid-store-scheme.yml", []string{
			`testdata/invalid-store-scheme.yml:4: store.url: "mysql://feedsmith:xxxxx@db.example/feeds" is not a postgres:// or postgresql:// URL`,
		}},
		{"invalid-store-url.yml", []string{
			`testdata/invalid-store-url.yml:4: store.url: not a URL: invalid port ":port" after host`,
		}},
		{"invalid-store-empty.yml", []string{
			`testdata/invalid-store-empty.yml:5: store.url: empty: a postgres:// URL (remove the key to keep the SQLite file of store.path)`,
		}},
		{"invalid-syntax.yml", []string{
			"testdata/invalid-syntax.yml:3: mapping values are not allowed in this context",
		}},
		{"invalid-language.yml", []string{
			`testdata/invalid-language.yml:3: site.language: "english" is not a BCP 47 language tag: a language, then optionally a script or region, joined by hyphens (such as en, zh-CN, zh-Hant or pt-BR)`,
			`testdata/invalid-language.yml:6: categories[0] (news).language: "zh_CN" is not written as a BCP 47 language tag: write "zh-CN"`,
			`testdata/invalid-language.yml:13: sources[0] (a).language: "xx-YY" is not a known language tag: no language, script or region "xx" (such as en, zh-CN, zh-Hant or pt-BR)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := Load(filepath.Join("testdata", tt.file))
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load: %v, want Problems", err)
			}
			got := strings.Split(err.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestEnvExpansion(t *testing.T) {
	t.Setenv("FEEDSMITH_TEST_BASE", "https://feeds.example.org")
	cfg, err := Load("testdata/valid-env.yml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Site.BaseURL != "https://feeds.example.org/" {
		t.Errorf("base_url = %q", cfg.Site.BaseURL)
	}
	if want, _ := filepath.Abs("testdata/feeds/a.xml"); cfg.Sources[0].URL != want {
		t.Errorf("url = %q, want %q", cfg.Sources[0].URL, want)
	}
}

// TestStoreURL: store.url selects PostgreSQL, its password from the
// environment; the SQLite default path is dropped, and the store's
// name in logs hides the password.
func TestStoreURL(t *testing.T) {
	t.Setenv("FEEDSMITH_TEST_DB_PASSWORD", "s3cret")
	cfg, err := Load("testdata/valid-store-url.yml")
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://feedsmith:s3cret@db.example/feeds?sslmode=require"; cfg.Store.URL != want || cfg.Store.Path != "" {
		t.Errorf("store = %+v, want url %s and no path", cfg.Store, want)
	}
	if got, want := cfg.Store.Location(), "postgres://feedsmith:xxxxx@db.example/feeds?sslmode=require"; got != want {
		t.Errorf("Location() = %s, want %s", got, want)
	}
	if got := (Store{URL: "postgres://db.example/feeds?password=s3cret"}).Location(); strings.Contains(got, "s3cret") {
		t.Errorf("Location() = %s, shows the password", got)
	}
	shipped, err := Load("../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if shipped.Store.URL != "" || shipped.Store.Location() != shipped.Store.Path {
		t.Errorf("the shipped config's store = %+v, want the SQLite file", shipped.Store)
	}
}

func TestIssue3JSONSource(t *testing.T) {
	cfg, err := Load("testdata/valid-json.yml")
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Sources[0]
	if s.Category.ID != "{{pinyin .medianame}}" || s.Category.Title != "{{.medianame}}新闻" || !s.Category.Templated() {
		t.Errorf("category = %+v", s.Category)
	}
	if s.Items != "record" || s.Fields.ID != "infoCode" || s.Detail == nil || s.Detail.Content != "text" || s.Tags[0] != "{{.medianame}}新闻" {
		t.Errorf("source = %+v", s)
	}
	j := cfg.Outputs.Jekyll
	if j == nil || !filepath.IsAbs(j.Dir) || time.Duration(j.Keep) != 72*time.Hour || j.SiteURL != "//news.example.org" {
		t.Errorf("jekyll = %+v", j)
	}
	if _, err := Parse("x.yml", []byte("site: {base_url: https://x.org/}\nsources:\n  - {id: a, type: json, url: https://x.org/, items: r, fields: {title: \"{{.t\"}, category: {id: \"{{nope .x}}\"}}\n"), os.LookupEnv); err == nil ||
		!strings.Contains(err.Error(), "sources[0] (a).category.id: invalid template") || !strings.Contains(err.Error(), "sources[0] (a).fields.title: invalid template") {
		t.Errorf("bad templates: %v", err)
	}
}

func TestSchedule(t *testing.T) {
	tests := []struct {
		spec string
		want time.Duration // 0: invalid
	}{
		{"@every 10m", 10 * time.Minute},
		{"@hourly", time.Hour},
		{"*/5 * * * *", 5 * time.Minute},
		{"30 */2 * * * *", 2 * time.Minute},
		{"CRON_TZ=Asia/Shanghai 0 8 * * *", 24 * time.Hour},
		{"TZ=UTC", 0},
		{"CRON_TZ=", 0},
		{"not a schedule", 0},
		{"", 0},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			err := CheckSchedule(tt.spec)
			if (err == nil) != (tt.want != 0) {
				t.Fatalf("CheckSchedule(%q) = %v", tt.spec, err)
			}
			if got := Interval(tt.spec); got != tt.want {
				t.Errorf("Interval(%q) = %v, want %v", tt.spec, got, tt.want)
			}
		})
	}
}

func TestUnits(t *testing.T) {
	if d, err := ParseDuration("30d"); err != nil || d != 30*24*time.Hour {
		t.Errorf("30d = %v, %v", d, err)
	}
	if n, err := ParseByteSize("10MiB"); err != nil || n != 10<<20 {
		t.Errorf("10MiB = %v, %v", n, err)
	}
	if _, err := ParseByteSize("-1"); err == nil {
		t.Error("negative size accepted")
	}
}
