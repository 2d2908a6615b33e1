package site

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/internal/browser"
)

// browserCSP is the policy the pages are served with in the browser test:
// nothing but the stylesheet and images of the tree's own host, so a
// page that needed an inline style, a script or another host would log
// an error.
const browserCSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// TestBrowser opens the home page, a Chinese category page, an article
// page and the status page in headless Chromium, served under a path
// prefix by a loopback server, at 1280, 390 and 320 px wide, and checks that
// none scrolls sideways, the h1 is the expected one and visible, the
// autodiscovery links are there, the console has no error and no request
// went to another host. Screenshots go to FEEDSMITH_SCREENSHOTS when set,
// else to a new temporary folder, kept after the test (its log says where).
func TestBrowser(t *testing.T) {
	started := time.Now()

	var files map[string][]byte
	mux := http.NewServeMux()
	mux.HandleFunc("/mirror/", func(w http.ResponseWriter, r *http.Request) {
		b, ok := files[strings.TrimPrefix(r.URL.Path, "/mirror/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch path.Ext(r.URL.Path) {
		case ".html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", browserCSP)
		case ".css":
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
		case ".svg":
			w.Header().Set("Content-Type", "image/svg+xml")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Write(b)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	files = browserTree(t, srv.URL+"/mirror/")

	shots := browser.Shots(t)
	b := browser.Start(t, srv.URL+"/")
	s := fixture("")
	for _, page := range []struct{ name, path, h1 string }{
		{"home", HomePath, s.Title},
		{"category-rizhaoribao", CategoryPath("rizhaoribao", 0), "日照日报新闻"},
		{"article", ArticlePath("rizhao-api/1000"), rizhao[0]},
		{"status", StatusPath, "状态 · " + s.Title},
	} {
		for _, width := range []int64{1280, 390, 320} {
			t.Run(fmt.Sprintf("%s-%d", page.name, width), func(t *testing.T) {
				b.Check(t, srv.URL+"/mirror/"+page.path, width, page.h1,
					filepath.Join(shots, fmt.Sprintf("%s-%d.png", page.name, width)))
			})
		}
	}
	for _, p := range b.Problems() {
		t.Error(p)
	}
	t.Logf("screenshots in %s; %s with the browser's start", shots, time.Since(started).Round(10*time.Millisecond))
}

// browserTree is the fixture site published at base, with an article
// whose title is a long unbroken CJK string and whose summary a long
// unbroken latin one and a long URL, the newest, so that the home and
// category pages show it: it must wrap at 390 px.
func browserTree(t *testing.T, base string) map[string][]byte {
	th, err := LoadTheme(nil)
	if err != nil {
		t.Fatal(err)
	}
	long := rizhaoArticles()[0]
	long.Key, long.Title = "rizhao-api/long", "超长标题"+strings.Repeat("日照", 40)
	long.Published = long.Published.Add(time.Hour)
	long.Summary = strings.Repeat("x", 2000) + " https://www.rizhao.example.cn/" + strings.Repeat("path/", 100)
	by := map[string][]Article{
		"rizhaoribao": append([]Article{long}, rizhaoArticles()[:4]...),
		"linyiribao":  {linyiArticle()},
		"engineering": {engineeringArticle()},
	}
	return tree(t, th, fixture(base), by, fixtureStatus(true))
}
