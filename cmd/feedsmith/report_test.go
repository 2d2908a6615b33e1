package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBuildReport: a build prints its sources in configuration order
// however they finish, each failure once, then the files it wrote and
// the count of failed sources last; -strict gives a partial failure an
// exit status of its own.
func TestBuildReport(t *testing.T) {
	// The first source answers only once the last has been answered, so
	// the first to finish is the last in the configuration.
	lastServed := make(chan struct{})
	var once sync.Once
	feed := func(title string) string {
		return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.org/</link><description>d</description>` +
			`<item><title>` + title + `</title><link>https://example.org/` + title + `</link><pubDate>Mon, 14 Feb 2022 08:47:41 +0800</pubDate></item></channel></rss>`
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow.rss":
			select {
			case <-lastServed:
			case <-time.After(10 * time.Second): // never mind the order then; the test still checks it
			}
		case "/last.rss":
			defer once.Do(func() { close(lastServed) })
		}
		fmt.Fprint(w, feed(strings.TrimSuffix(r.URL.Path[1:], ".rss")))
	}))
	defer up.Close()
	dir := t.TempDir()
	cfg := putFile(t, dir, "config.yaml", fmt.Sprintf(`site: {base_url: https://feeds.example.org/}
store: {path: db.sqlite}
categories: [{id: news}]
defaults: {allow_private: true}
sources:
  - {id: slow, type: feed, url: %[1]s/slow.rss, category: news}
  - {id: missing, type: posts, path: no-such-folder}
  - {id: last, type: feed, url: %[1]s/last.rss, category: news}
`, up.URL))

	code, out, errs := runBinary(t, dir, nil, nil, "build", "-strict", cfg)
	if code != exitSourcesFailed {
		t.Errorf("build -strict with one source of three failing: exit %d, want %d\n%s%s", code, exitSourcesFailed, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var ids []string
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 1 && (f[1] == "feed" || f[1] == "posts") {
			ids = append(ids, f[0])
		}
	}
	if strings.Join(ids, " ") != "slow missing last" {
		t.Errorf("rows %q, want them in configuration order:\n%s", ids, out)
	}
	if n := strings.Count(out+errs, "no-such-folder"); n != 1 {
		t.Errorf("the failure is printed %d times, want once:\nstdout:\n%s\nstderr:\n%s", n, out, errs)
	}
	wrote := regexp.MustCompile(`^wrote (\d+) of (\d+) files, (\d+) unchanged, to \S+public in [0-9.hms]+$`) // 120ms, 3.134s
	if len(lines) < 2 || !wrote.MatchString(lines[len(lines)-2]) || lines[len(lines)-1] != "1 of 3 sources failed: missing" {
		t.Errorf("last lines are not the files written and the sources failed:\n%s", out)
	}

	code, out, _ = runBinary(t, dir, nil, nil, "build", cfg)
	if code != 0 || !strings.Contains(out, "\nwrote 0 of 9 files, 9 unchanged, to ") || !strings.HasSuffix(out, "\n1 of 3 sources failed: missing\n") {
		t.Errorf("build without -strict: exit %d, want 0; nothing new, so nothing written:\n%s", code, out)
	}
	if err := os.WriteFile(cfg, []byte("site: {base_url: https://feeds.example.org/}\nstore: {path: db.sqlite}\nsources:\n  - {id: missing, type: posts, path: no-such-folder}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runBinary(t, dir, nil, nil, "build", "-strict", cfg); code != 1 || !strings.HasSuffix(out, "1 of 1 sources failed: missing\n") {
		t.Errorf("build -strict with every source failing: exit %d, want 1\n%s", code, out)
	}
}

// TestSecondBuildWritesNothing: the README's claim, on the real binary.
// A second build of the shipped configuration writes no file, status.html
// included: the status page on disk shows no run times nor counts, only
// what changes when the sources' states do.
func TestSecondBuildWritesNothing(t *testing.T) {
	dir, cfg := shippedConfig(t)
	pub := filepath.Join(dir, "public")
	code, out, errs := runBinary(t, dir, nil, nil, "build", cfg)
	if code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, out, errs)
	}
	status, err := os.ReadFile(filepath.Join(pub, "status.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"上次运行", "上次成功", "下次运行", `class="live"`} {
		if strings.Contains(string(status), bad) {
			t.Errorf("status.html on disk shows %q", bad)
		}
	}
	if !strings.Contains(string(status), `<span class="state ok">正常</span>`) {
		t.Errorf("status.html does not say the sources are ok:\n%s", status)
	}
	// Files rewritten with the same bytes would get a new mtime: set them
	// an hour back, so that even a write within the same clock tick shows.
	hourAgo := time.Now().Add(-time.Hour)
	before := snapshot(t, pub)
	for name := range before {
		if err := os.Chtimes(filepath.Join(pub, name), hourAgo, hourAgo); err != nil {
			t.Fatal(err)
		}
	}
	before = snapshot(t, pub)
	code, out, errs = runBinary(t, dir, nil, nil, "build", cfg)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("wrote 0 of %d files, %d unchanged", len(before), len(before))) {
		t.Errorf("second build: exit %d, want 0 writing none of %d files\n%s%s", code, len(before), out, errs)
	}
	after := snapshot(t, pub)
	for name, b := range before {
		if a := after[name]; string(a.body) != string(b.body) || !a.mod.Equal(b.mod) {
			t.Errorf("%s was rewritten", name)
		}
	}
}

// TestPreviewFitsTheTerminal: on the real binary, piped, the preview
// table is at most 120 columns (COLUMNS when set), its columns aligned by
// display width after Chinese text, long cells cut with "…"; an unknown
// id lists the valid ones.
func TestPreviewFitsTheTerminal(t *testing.T) {
	dir, cfg := shippedConfig(t)
	for _, width := range []int{defaultTableWidth, 80} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			var env []string
			if width != defaultTableWidth {
				env = []string{fmt.Sprintf("COLUMNS=%d", width)}
			}
			code, out, errs := runBinary(t, dir, nil, env, "preview", "haibin", cfg)
			if code != 0 {
				t.Fatalf("preview: exit %d\n%s%s", code, out, errs)
			}
			lines := strings.Split(out, "\n")
			header := lines[0]
			dateAt := displayWidth(header[:strings.Index(header, "DATE")])
			rows := 0
			for _, l := range lines[1:] {
				i := strings.Index(l, "2022-03-0")
				if i < 0 {
					continue
				}
				rows++
				if at := displayWidth(l[:i]); at != dateAt {
					t.Errorf("date at column %d, header's at %d: %q", at, dateAt, l)
				}
				if w := displayWidth(l); w > width {
					t.Errorf("row %d columns wide, want at most %d: %q", w, width, l)
				}
				if !strings.Contains(l, "…") {
					t.Errorf("no cell cut in %q", l)
				}
			}
			if rows != 3 || displayWidth(header) > width {
				t.Errorf("%d rows, header %d wide:\n%s", rows, displayWidth(header), out)
			}
		})
	}
	code, _, errs := runBinary(t, dir, nil, nil, "preview", "nope", cfg)
	if code != 2 || !strings.Contains(errs, `no source "nope"`) || !strings.Contains(errs, "news-mirror, blog, haibin, market-news, lanshan, releases") {
		t.Errorf("unknown id: exit %d, stderr %q", code, errs)
	}
}
