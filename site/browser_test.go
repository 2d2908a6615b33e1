package site

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/feedsmith/feedsmith/internal/testutil"
)

// browserCSP is the policy the pages are served with in the browser test:
// nothing but the stylesheet and images of the tree's own host, so a
// page that needed an inline style, a script or another host would log
// an error.
const browserCSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// TestBrowser opens the home page, a Chinese category page, an article
// page and the status page in headless Chromium, served under a path
// prefix by a loopback server, at 1280 and 390 px wide, and checks that
// none scrolls sideways, the h1 is the expected one and visible, the
// autodiscovery links are there, the console has no error and no request
// went to another host. Screenshots go to FEEDSMITH_SCREENSHOTS when set,
// else to a temporary folder.
func TestBrowser(t *testing.T) {
	chromium := testutil.NeedProgram(t, "chromium", "install Debian's chromium: apt-get install chromium")
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

	shots := os.Getenv("FEEDSMITH_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ctx, cancel = chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()))
	defer cancel()
	ctx, cancel = chromedp.NewContext(ctx)
	defer cancel()

	var mu sync.Mutex
	var problems []string
	report := func(format string, args ...any) {
		mu.Lock()
		problems = append(problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if u := ev.Request.URL; !strings.HasPrefix(u, srv.URL+"/") {
				report("request to %s", u)
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == "error" {
				report("console.error: %v", ev.Args)
			}
		case *runtime.EventExceptionThrown:
			report("exception: %s", ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == "error" || ev.Entry.Level == "warning" {
				report("console %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}

	s := fixture("")
	for _, page := range []struct{ name, path, h1 string }{
		{"home", HomePath, s.Title},
		{"category-rizhaoribao", CategoryPath("rizhaoribao", 0), "日照日报新闻"},
		{"article", ArticlePath("rizhao-api/1000"), rizhao[0]},
		{"status", StatusPath, "状态 · " + s.Title},
	} {
		for _, width := range []int64{1280, 390} {
			t.Run(fmt.Sprintf("%s-%d", page.name, width), func(t *testing.T) {
				checkInBrowser(t, ctx, srv.URL+"/mirror/"+page.path, width, page.h1,
					filepath.Join(shots, fmt.Sprintf("%s-%d.png", page.name, width)))
			})
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("screenshots in %s; %s with the browser's start", shots, time.Since(started).Round(10*time.Millisecond))
}

// layout is what the browser measures of a page.
type layout struct {
	ScrollWidth int    `json:"scrollWidth"`
	InnerWidth  int    `json:"innerWidth"`
	H1          string `json:"h1"`
	H1Visible   bool   `json:"h1Visible"`
	Alternates  int    `json:"alternates"`
	Lang        string `json:"lang"`
	Subscribe   bool   `json:"subscribe"`
	Styled      bool   `json:"styled"`
}

const measure = `(() => {
	const h = document.querySelector("h1"), r = h.getBoundingClientRect();
	const box = document.querySelector(".subscribe").getBoundingClientRect();
	return {
		scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
		h1: h.innerText, h1Visible: r.width > 0 && r.height > 0 && r.top < window.innerHeight && r.left >= 0,
		alternates: document.querySelectorAll('link[rel="alternate"]').length,
		lang: document.documentElement.lang,
		subscribe: box.width > 0 && box.height > 0,
		styled: getComputedStyle(document.body).maxWidth !== "none",
	};
})()`

func checkInBrowser(t *testing.T, ctx context.Context, url string, width int64, h1, shot string) {
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[layout](measure))
	if err != nil {
		t.Fatal(err)
	}
	if got.ScrollWidth > got.InnerWidth {
		t.Errorf("scrolls sideways: scrollWidth %d > innerWidth %d", got.ScrollWidth, got.InnerWidth)
	}
	if got.H1 != h1 || !got.H1Visible {
		t.Errorf("h1 %q (visible %v), want %q visible", got.H1, got.H1Visible, h1)
	}
	if got.Alternates < 3 || !got.Subscribe || got.Lang == "" || !got.Styled {
		t.Errorf("%d alternate links, subscribe box shown %v, lang %q, stylesheet applied %v", got.Alternates, got.Subscribe, got.Lang, got.Styled)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
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
