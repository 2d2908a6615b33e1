// Package browser drives headless Chromium (Debian's chromium package)
// through the DevTools protocol (chromedp) for the tests of the site's
// pages: it opens a page at a width, measures its layout, takes a
// screenshot, and collects what a reader would not want: console errors,
// exceptions, requests to any other origin than the site's.
package browser

import (
	"context"
	"fmt"
	"os"
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

// Browser is one headless Chromium for one test.
type Browser struct {
	ctx      context.Context
	origin   string
	mu       sync.Mutex
	problems []string
}

// Start starts Chromium for t (skipping t, or failing it under
// FEEDSMITH_REQUIRE_EXTERNAL, when there is none); every request it
// makes outside origin (e.g. "http://127.0.0.1:8080/") is a problem. It
// is stopped when t ends.
func Start(t *testing.T, origin string) *Browser {
	t.Helper()
	chromium := testutil.NeedProgram(t, "chromium", "install Debian's chromium: apt-get install chromium")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()))
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(ctx)
	t.Cleanup(cancelCtx)
	b := &Browser{ctx: ctx, origin: origin}
	if err := chromedp.Listen(ctx, b.watch); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *Browser) report(format string, args ...any) {
	b.mu.Lock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
	b.mu.Unlock()
}

func (b *Browser) watch(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if u := ev.Request.URL; !strings.HasPrefix(u, b.origin) {
			b.report("request to %s", u)
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == "error" {
			b.report("console.error: %v", ev.Args)
		}
	case *runtime.EventExceptionThrown:
		b.report("exception: %s", ev.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if ev.Entry.Level == "error" || ev.Entry.Level == "warning" {
			b.report("console %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL)
		}
	}
}

// Problems returns what went wrong in the browser so far: console
// errors and warnings, exceptions, requests outside the origin.
func (b *Browser) Problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}

// Layout is what the browser measures of a page.
type Layout struct {
	ScrollWidth int    `json:"scrollWidth"`
	InnerWidth  int    `json:"innerWidth"`
	H1          string `json:"h1"`
	H1Visible   bool   `json:"h1Visible"`
	Alternates  int    `json:"alternates"`
	Lang        string `json:"lang"`
	Subscribe   bool   `json:"subscribe"`
	Styled      bool   `json:"styled"`
	Landmarks   int    `json:"landmarks"`
}

const measure = `(() => {
	const h = document.querySelector("h1"), r = h ? h.getBoundingClientRect() : {width: 0, height: 0, top: 0, left: 0};
	const s = document.querySelector(".subscribe"), box = s ? s.getBoundingClientRect() : {width: 0, height: 0};
	return {
		scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
		h1: h ? h.innerText : "", h1Visible: r.width > 0 && r.height > 0 && r.top < window.innerHeight && r.left >= 0,
		alternates: document.querySelectorAll('link[rel="alternate"]').length,
		lang: document.documentElement.lang,
		subscribe: box.width > 0 && box.height > 0,
		styled: getComputedStyle(document.body).maxWidth !== "none",
		landmarks: document.querySelectorAll("header, nav, main, footer").length,
	};
})()`

// Check opens url at width px and checks what every page must give a
// reader: no sideways scrolling, the h1 h1 visible, feed autodiscovery
// links, the subscribe box, a language, the stylesheet applied, and the
// header, nav, main and footer landmarks. It saves a full-page
// screenshot to shot.
func (b *Browser) Check(t *testing.T, url string, width int64, h1, shot string) {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[Layout](measure))
	if err != nil {
		t.Fatal(err)
	}
	if got.ScrollWidth > got.InnerWidth {
		t.Errorf("scrolls sideways: scrollWidth %d > innerWidth %d", got.ScrollWidth, got.InnerWidth)
	}
	if got.H1 != h1 || !got.H1Visible {
		t.Errorf("h1 %q (visible %v), want %q visible", got.H1, got.H1Visible, h1)
	}
	if got.Alternates < 3 || !got.Subscribe || got.Lang == "" || !got.Styled || got.Landmarks < 4 {
		t.Errorf("%d alternate links, subscribe box shown %v, lang %q, stylesheet applied %v, %d landmarks",
			got.Alternates, got.Subscribe, got.Lang, got.Styled, got.Landmarks)
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Shots is the folder the screenshots go to, kept after the test as its
// artifacts: FEEDSMITH_SCREENSHOTS when set (created), else a new folder
// feedsmith-screenshots-* in the system's temporary folder, which the
// test's log names.
func Shots(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("FEEDSMITH_SCREENSHOTS")
	if dir == "" {
		d, err := os.MkdirTemp("", "feedsmith-screenshots-")
		if err != nil {
			t.Fatal(err)
		}
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
