package collect

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/feeds"
)

// flakyDetails serves a list with an ETag, answering 304 to a request
// that has it, and details of which the first request for r2 fails, or
// every request for a record in fail, with its status.
type flakyDetails struct {
	list, listType string
	detail         func(id string) string // the detail body of record id
	fail           map[string]int
	etag           string // the list's, `"v1"` when empty

	mu                  sync.Mutex
	lists, conditionals int // list requests, and those with If-None-Match
	notModified         int
	details             map[string]int
}

func (f *flakyDetails) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.URL.Path == "/list" {
		f.lists++
		if r.Header.Get("If-None-Match") != "" {
			f.conditionals++
		}
		etag := f.etag
		if etag == "" {
			etag = `"v1"`
		}
		if r.Header.Get("If-None-Match") == etag {
			f.notModified++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", f.listType)
		io.WriteString(w, f.list)
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/detail/")
	f.details[id]++
	if code := f.fail[id]; code != 0 {
		http.Error(w, http.StatusText(code), code)
		return
	}
	if id == "r2" && f.details[id] == 1 {
		http.Error(w, "try again later", http.StatusBadGateway)
		return
	}
	io.WriteString(w, f.detail(id))
}

func (f *flakyDetails) counts() (lists, conditionals, notModified, details int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.details {
		details += n
	}
	return f.lists, f.conditionals, f.notModified, details
}

// TestPendingDetailKeepsListConditional: a record whose detail fails is
// retried from the store on the next run, whose list request stays
// conditional (304), with exactly one detail request; the record then
// has its full text, and a third run requests nothing but the list. On
// the code before, the second run fetched the list unconditionally.
func TestPendingDetailKeepsListConditional(t *testing.T) {
	tests := []struct {
		name string
		up   *flakyDetails
		src  func(base string) config.Source
	}{
		{
			name: "json detail.url",
			up: &flakyDetails{
				list:     `{"items":[{"id":"r1","title":"第一条","url":"/n/r1","text":"列表一"},{"id":"r2","title":"第二条","url":"/n/r2","text":"列表二"}]}`,
				listType: "application/json",
				detail:   func(id string) string { return fmt.Sprintf(`{"text":"<p>%s 的全文</p>"}`, id) },
			},
			src: func(base string) config.Source {
				return config.Source{ID: "api", Type: "json", URL: base + "/list", Items: "items",
					Fields: config.Fields{ID: "id", Title: "title", Link: "url", Content: "text"},
					Detail: &config.Detail{URL: base + "/detail/{{.id}}", Content: "text"}}
			},
		},
		{
			// The page links come from upstream data: fetched as untrusted
			// links, which loopback may serve only as the list's origin.
			name: "feed item pages",
			up: &flakyDetails{
				list: `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><description>d</description>` +
					`<item><guid isPermaLink="false">r1</guid><title>第一条</title><link>/detail/r1</link><description>列表一</description></item>` +
					`<item><guid isPermaLink="false">r2</guid><title>第二条</title><link>/detail/r2</link><description>列表二</description></item>` +
					`</channel></rss>`,
				listType: "application/rss+xml",
				detail: func(id string) string {
					return fmt.Sprintf(`<html><body><div class="article"><p>%s 的全文</p></div></body></html>`, id)
				},
			},
			src: func(base string) config.Source {
				return config.Source{ID: "api", Type: "feed", URL: base + "/list",
					Detail: &config.Detail{Content: "div.article"}}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			tt.up.details = map[string]int{}
			srv := httptest.NewServer(tt.up)
			defer srv.Close()
			st := openStore(t)
			cfg := &config.Config{Site: config.Site{BaseURL: "https://feeds.example.org/"}, Categories: []config.Category{{ID: "news"}}}
			src := tt.up.srcWith(tt.src(srv.URL))
			c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
			defer c.Close()

			r := c.Run(ctx, src)
			if r.Err != nil || r.New != 2 {
				t.Fatalf("run 1: %d new, err %v; want 2 new", r.New, r.Err)
			}
			if _, ok, _ := st.FullText(ctx, "api", "r2"); ok {
				t.Fatal("run 1: r2 has a full text its detail never gave")
			}
			lists, _, _, details := tt.up.counts()
			if lists != 1 || details != 2 {
				t.Fatalf("run 1: %d list and %d detail requests, want 1 and 2", lists, details)
			}

			r = c.Run(ctx, src)
			lists, conditionals, notModified, details := tt.up.counts()
			if r.Err != nil {
				t.Fatalf("run 2: %v", r.Err)
			}
			if lists != 2 || conditionals != 1 || notModified != 1 || !r.NotModified {
				t.Errorf("run 2: %d list requests, %d conditional, %d answered 304 (NotModified %v); want the second conditional and 304",
					lists, conditionals, notModified, r.NotModified)
			}
			if details != 3 || tt.up.details["r2"] != 2 {
				t.Errorf("run 2: detail requests %v, want exactly one more, for r2", tt.up.details)
			}
			if r.Updated != 1 || len(r.Changed) == 0 {
				t.Errorf("run 2: %d updated, changed %v; want r2 updated and its feeds changed", r.Updated, r.Changed)
			}
			for _, id := range []string{"r1", "r2"} {
				content, ok, err := st.FullText(ctx, "api", id)
				if want := "<p>" + id + " 的全文</p>"; err != nil || !ok || content != want {
					t.Errorf("%s: full text %q, %v, %v; want %q", id, content, ok, err, want)
				}
			}
			arts, err := st.Articles(ctx, "news", 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range arts {
				if a.Title == "第二条" && (a.Content != "<p>r2 的全文</p>" || !strings.HasSuffix(a.Link, "/detail/r2") && src.Type == "feed") {
					t.Errorf("the feeds' r2: content %q, link %q; want its full text", a.Content, a.Link)
				}
			}
			if len(arts) != 2 {
				t.Errorf("%d articles in the feeds, want 2", len(arts))
			}
			writeFeeds(t, "pending-"+src.Type, arts)
			if p, err := st.PendingDetails(ctx, "api"); err != nil || len(p) != 0 {
				t.Errorf("pending after the retry: %+v, %v; want none", p, err)
			}

			r = c.Run(ctx, src)
			_, conditionals, _, details = tt.up.counts()
			if r.Err != nil || !r.NotModified || conditionals != 2 || details != 3 {
				t.Errorf("run 3: %+v, %d conditional, %d detail requests; want 304 and no detail request", r, conditionals, details)
			}
		})
	}
}

// srcWith gives src what every case shares.
func (f *flakyDetails) srcWith(src config.Source) config.Source {
	src.Category = config.CategorySpec{ID: "news"}
	src.Timeout = config.Duration(5 * time.Second)
	return src
}

// writeFeeds renders arts as the three feeds into FEEDSMITH_FEEDS_OUT,
// when it is set, for feedcheck.
func writeFeeds(t *testing.T, name string, arts []article.Article) {
	out := os.Getenv("FEEDSMITH_FEEDS_OUT")
	if out == "" {
		return
	}
	ch := feeds.Channel{ID: "news", Title: "News", SiteURL: "https://feeds.example.org/",
		AtomURL: "https://feeds.example.org/" + name + ".atom", RSSURL: "https://feeds.example.org/" + name + ".rss",
		JSONURL: "https://feeds.example.org/" + name + ".json", Updated: time.Now()}
	for ext, render := range map[string]func(feeds.Channel, []article.Article) ([]byte, error){
		".atom": feeds.Atom, ".rss": feeds.RSS, ".json": feeds.JSON} {
		doc, err := render(ch, arts)
		if err == nil {
			err = os.WriteFile(filepath.Join(out, name+ext), doc, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestPendingDetailPolicy: a pending page link from upstream data is
// retried as the untrusted link it is: one on another loopback origin
// than the list's is refused on the retry as on the first run (never
// requested), and dropped from the pending details, while the list's
// request stays conditional.
func TestPendingDetailPolicy(t *testing.T) {
	ctx := context.Background()
	var pageHits int
	var mu sync.Mutex
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		pageHits++
		mu.Unlock()
		io.WriteString(w, `<div class="article"><p>never</p></div>`)
	}))
	defer pages.Close()
	up := &flakyDetails{details: map[string]int{}, listType: "application/rss+xml",
		list: `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><description>d</description>` +
			`<item><guid isPermaLink="false">r1</guid><title>一</title><link>` + pages.URL + `/p/1</link><description>列表一</description></item>` +
			`</channel></rss>`}
	srv := httptest.NewServer(up)
	defer srv.Close()
	st := openStore(t)
	no := false
	cfg := &config.Config{Site: config.Site{BaseURL: "https://feeds.example.org/"}, Categories: []config.Category{{ID: "news"}}}
	src := up.srcWith(config.Source{ID: "api", Type: "feed", URL: srv.URL + "/list", AllowPrivate: &no,
		Detail: &config.Detail{Content: "div.article"}})
	c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	defer c.Close()
	if r := c.Run(ctx, src); r.Err != nil || r.New != 1 || r.Refused != 1 {
		t.Fatalf("run 1: %d new, %d refused, err %v; want 1 and 1", r.New, r.Refused, r.Err)
	}
	r := c.Run(ctx, src)
	_, conditionals, notModified, _ := up.counts()
	if r.Err != nil || !r.NotModified || conditionals != 1 || notModified != 1 || r.Refused != 1 {
		t.Errorf("run 2: %+v, %d conditional, %d 304; want a 304 and the retry refused", r, conditionals, notModified)
	}
	if pageHits != 0 {
		t.Errorf("the page on another loopback origin was requested %d times", pageHits)
	}
	if p, err := st.PendingDetails(ctx, "api"); err != nil || len(p) != 0 {
		t.Errorf("pending after a refused retry: %+v, %v; want none", p, err)
	}
}

// TestPendingDetailCaps: a retried detail is cut to max_content as a
// first fetch is.
func TestPendingDetailCaps(t *testing.T) {
	ctx := context.Background()
	long := strings.Repeat("很长的全文。", 200)
	up := &flakyDetails{details: map[string]int{}, listType: "application/json",
		list:   `{"items":[{"id":"r2","title":"二","url":"/n/r2"}]}`,
		detail: func(id string) string { return `{"text":"<p>` + long + `</p>"}` }}
	srv := httptest.NewServer(up)
	defer srv.Close()
	st := openStore(t)
	cfg := &config.Config{Site: config.Site{BaseURL: "https://feeds.example.org/"}, Categories: []config.Category{{ID: "news"}}}
	src := up.srcWith(config.Source{ID: "api", Type: "json", URL: srv.URL + "/list", Items: "items",
		Fields: config.Fields{ID: "id", Title: "title", Link: "url"},
		Detail: &config.Detail{URL: srv.URL + "/detail/{{.id}}", Content: "text"}})
	src.MaxContent = 300
	c := New(cfg, st, "feedsmith/test", slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	defer c.Close()
	for run := 1; run <= 2; run++ {
		if r := c.Run(ctx, src); r.Err != nil {
			t.Fatalf("run %d: %v", run, r.Err)
		}
	}
	content, ok, err := st.FullText(ctx, "api", "r2")
	if err != nil || !ok || len(content) > 300 || !strings.HasPrefix(content, "<p>很长的全文。") {
		t.Errorf("retried full text: %d bytes, %v, %v; want it cut to max_content 300: %q", len(content), ok, err, content)
	}
}
