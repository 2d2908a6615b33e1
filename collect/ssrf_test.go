package collect

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
)

// TestRunRefusesInternalLinks runs the server-side request forgery of
// issue 10 through the whole first half of the pipeline: an html source
// whose listing links to an "internal" service on another loopback port.
// Nothing reaches it, the items are stored with their listing data and
// without credentials in their links, the refusals are counted and
// logged once per run; allow_private opens it.
func TestRunRefusesInternalLinks(t *testing.T) {
	ctx := context.Background()
	var internalHits atomic.Int32
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		internalHits.Add(1)
		w.Write([]byte(`<div class="article"><p>INTERNAL-SECRET</p></div>`))
	}))
	defer internal.Close()
	hostPort := strings.TrimPrefix(internal.URL, "http://")
	port := hostPort[strings.IndexByte(hostPort, ':')+1:]
	links := []string{internal.URL + "/admin", "//" + hostPort + "/x", "http://localhost:" + port + "/y", "http://user:pass@" + hostPort + "/z"}
	var authSeen atomic.Int32
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			authSeen.Add(1)
		}
		if r.URL.Path == "/go" {
			http.Redirect(w, r, internal.URL+"/redirected", http.StatusFound)
			return
		}
		fmt.Fprint(w, `<ul>`)
		for i, l := range append(links, "/go") {
			fmt.Fprintf(w, `<li><a href="%s">item %d</a><p>summary %d</p></li>`, l, i, i)
		}
		fmt.Fprint(w, `</ul>`)
	}))
	defer public.Close()

	for _, tt := range []struct {
		name         string
		allowPrivate bool
	}{{"default", false}, {"allow_private", true}} {
		t.Run(tt.name, func(t *testing.T) {
			internalHits.Store(0)
			yaml := fmt.Sprintf(`site: {base_url: https://feeds.example.org/}
defaults: {allow_private: %v}
categories: [{id: news}]
sources:
  - id: list
    type: html
    url: %s/list.html
    category: news
    timeout: 5s
    select: {item: li, title: a, link: a @href, summary: p}
    detail: {content: div.article}
`, tt.allowPrivate, public.URL)
			cfg, err := config.Parse("test.yml", []byte(yaml), nil)
			if err != nil {
				t.Fatal(err)
			}
			st := openStore(t)
			logs := &testutil.SyncBuffer{}
			c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(logs, nil)), time.Now)
			defer c.Close()
			res := c.Run(ctx, cfg.Sources[0])
			if res.Err != nil || res.New != 5 {
				t.Fatalf("run: %+v", res)
			}
			arts, err := st.Articles(ctx, "news", 10)
			if err != nil || len(arts) != 5 {
				t.Fatalf("%d articles stored, %v", len(arts), err)
			}
			for _, a := range arts {
				if strings.Contains(a.Link, "pass") || strings.Contains(a.ID, "pass") {
					t.Errorf("credentials republished: link %q, id %q", a.Link, a.ID)
				}
				if got := strings.Contains(a.Content, "INTERNAL-SECRET"); got != tt.allowPrivate {
					t.Errorf("%s: content %q; want the internal page only with allow_private", a.Link, a.Content)
				}
				if !tt.allowPrivate && !strings.HasPrefix(a.Summary, "summary ") {
					t.Errorf("%s: summary %q, want the listing's", a.Link, a.Summary)
				}
			}
			if tt.allowPrivate {
				if n := internalHits.Load(); n != 5 || res.Refused != 0 {
					t.Errorf("allow_private: %d requests to the internal service, %d refused; want 5 and 0", n, res.Refused)
				}
				return
			}
			if n := internalHits.Load(); n != 0 {
				t.Errorf("the internal service got %d requests, want none", n)
			}
			if res.Refused != 5 {
				t.Errorf("Result.Refused = %d, want 5", res.Refused)
			}
			if n := strings.Count(logs.String(), "fetches refused"); n != 1 || !strings.Contains(logs.String(), "source=list count=5") {
				t.Errorf("want the refusals logged once, with the source and count:\n%s", logs)
			}
			// The next run (links still missing their full text) logs once more: once per run.
			if res := c.Run(ctx, cfg.Sources[0]); res.Refused != 5 || strings.Count(logs.String(), "fetches refused") != 2 {
				t.Errorf("second run: refused %d, log:\n%s", res.Refused, logs)
			}
			if n := authSeen.Load(); n != 0 {
				t.Errorf("%d requests with an Authorization header", n)
			}
		})
	}
}
