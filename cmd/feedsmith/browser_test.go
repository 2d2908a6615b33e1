package main

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/internal/browser"
	"github.com/feedsmith/feedsmith/internal/testutil"
)

// TestBrowserDaemon opens the site the daemon serves from the shipped
// configuration in headless Chromium: the home page, a Chinese category
// page, an article page and the status page, at 1280 and 390 px wide.
// None may scroll sideways, each shows its title, has the feeds'
// autodiscovery links, logs no console error and makes no request to
// another host than the daemon, under the daemon's own headers (its
// Content-Security-Policy forbids scripts, inline styles and other
// hosts). Screenshots go to FEEDSMITH_SCREENSHOTS, else a new temporary
// folder, kept after the test; the test logs where.
func TestBrowserDaemon(t *testing.T) {
	_, cfg := shippedConfig(t)
	addr := testutil.FreeAddr(t)
	base := "http://" + addr + "/"
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "base_url: http://127.0.0.1:8080/", "base_url: "+base, 1)
	text += "\nserver:\n  listen: " + addr + "\n"
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	b := browser.Start(t, base) // before the daemon: a missing chromium skips at once
	d := startDaemon(t, "-config", cfg)
	eventually(t, "every source collected", func() string {
		resp, err := http.Get(base + "readyz")
		if err != nil {
			return err.Error()
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return resp.Status
		}
		return ""
	})
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s", path, resp.Status)
		}
		return string(body)
	}
	// The newest article of 日照日报 that has a page: the first link of
	// its category page into article/.
	m := regexp.MustCompile(`<h2 dir="auto"><a href="\.\./(article/[0-9a-f]+\.html)">([^<]+)</a></h2>`).FindStringSubmatch(get("category/rizhaoribao.html"))
	if m == nil {
		t.Fatal("category/rizhaoribao.html links no article page")
	}
	article, title := m[1], html.UnescapeString(m[2])
	const site = "feedsmith 示例站 / example site"
	shots := browser.Shots(t)
	started := time.Now()
	for _, page := range []struct{ name, path, h1 string }{
		{"home", "index.html", site},
		{"category-rizhaoribao", "category/rizhaoribao.html", "日照日报新闻"},
		{"article", article, title},
		{"status", "status.html", "状态 · " + site},
	} {
		for _, width := range []int64{1280, 390} {
			t.Run(fmt.Sprintf("%s-%d", page.name, width), func(t *testing.T) {
				b.Check(t, base+page.path, width, page.h1, filepath.Join(shots, fmt.Sprintf("daemon-%s-%d.png", page.name, width)))
			})
		}
	}
	for _, p := range b.Problems() {
		t.Error(p)
	}
	t.Logf("screenshots in %s; pages checked in %s", shots, time.Since(started).Round(10*time.Millisecond))
	if t.Failed() {
		t.Logf("daemon log:\n%s", d.logs.String())
	}
}
