package sources

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
)

// capSite serves a listing of n items in each source format, and a
// detail for each item whose content is bigger than any cap, counting
// the detail requests.
type capSite struct {
	*httptest.Server
	mu      sync.Mutex
	details int
}

func newCapSite(t *testing.T, n int) *capSite {
	s := &capSite{}
	big := strings.Repeat("<p>正文 &amp; 更多</p>", 20000) // 500 KB
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		switch r.URL.Path {
		case "/feed.xml":
			b.WriteString(`<rss version="2.0"><channel><title>t</title>`)
			for i := range n {
				fmt.Fprintf(&b, `<item><guid>g%d</guid><title>t%d</title><link>/page/%d</link></item>`, i, i, i)
			}
			b.WriteString(`</channel></rss>`)
		case "/list.json":
			b.WriteString(`{"items":[`)
			for i := range n {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, `{"id":"r%d","title":"t%d"}`, i, i)
			}
			b.WriteString(`]}`)
		case "/list.html":
			for i := range n {
				fmt.Fprintf(&b, `<div class="item"><a href="/page/%d">t%d</a></div>`, i, i)
			}
		default:
			s.mu.Lock()
			s.details++
			s.mu.Unlock()
			if strings.HasPrefix(r.URL.Path, "/detail/") {
				fmt.Fprintf(&b, `{"text":%q}`, big)
			} else {
				b.WriteString(`<html><body><div class="article">` + big + `</div></body></html>`)
			}
		}
		w.Write([]byte(b.String()))
	}))
	t.Cleanup(s.Close)
	return s
}

// TestMaxItems takes the first max_items items of each kind of document
// and fetches details for those only, reporting the rest as one skip;
// the content of each detail is cut to max_content as it arrives.
func TestMaxItems(t *testing.T) {
	const n = 40
	for _, tc := range []struct {
		kind, path string
		maxItems   int
		want       int
	}{
		{"feed", "/feed.xml", 7, 7},
		{"json", "/list.json", 5, 5},
		{"html", "/list.html", 3, 3},
		{"feed", "/feed.xml", 0, n}, // the default is far above n
		{"json", "/list.json", n, n},
	} {
		t.Run(fmt.Sprintf("%s-%d", tc.kind, tc.maxItems), func(t *testing.T) {
			s := newCapSite(t, n)
			cfg := config.Source{ID: "caps", Type: tc.kind, URL: s.URL + tc.path, Items: "items",
				Fields: config.Fields{ID: "id", Title: "title"},
				Select: config.Select{Item: "div.item", Title: "a", Link: "a @href"},
				Detail: &config.Detail{Content: "div.article"}}
			cfg.MaxItems, cfg.MaxContent = tc.maxItems, 10_000
			if tc.kind == "json" {
				cfg.Detail = &config.Detail{URL: s.URL + "/detail/{{.id}}", Content: "text"}
			}
			src, err := New(cfg, Env{Fetcher: NewFetcher("feedsmith-test", 5*time.Second, 0)})
			if err != nil {
				t.Fatal(err)
			}
			b, err := src.Collect(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Articles) != tc.want || s.details != tc.want {
				t.Errorf("%d articles and %d detail requests, want %d of each", len(b.Articles), s.details, tc.want)
			}
			if len(b.Articles) > 0 && b.Articles[0].Title != "t0" || len(b.Articles) > 1 && b.Articles[1].Title != "t1" {
				t.Errorf("not the first items in document order: %q, %q", b.Articles[0].Title, b.Articles[1].Title)
			}
			wantSkip := ""
			if tc.want < n {
				wantSkip = fmt.Sprintf("[%d items over max_items skipped (the first %d kept)]", n-tc.want, tc.want)
			}
			if got := fmt.Sprint(b.Skipped); wantSkip != "" && got != wantSkip || wantSkip == "" && len(b.Skipped) > 0 {
				t.Errorf("skipped %s, want %q", got, wantSkip)
			}
			for _, a := range b.Articles {
				if !a.FullText || len(a.Content) > int(cfg.MaxContent) || len(a.Content) < int(cfg.MaxContent)/2 {
					t.Fatalf("article %s: full text %v, %d bytes of content, want at most %d", a.ID, a.FullText, len(a.Content), cfg.MaxContent)
				}
			}
		})
	}
}

// TestMaxItemsDefault caps a source without max_items at the default.
func TestMaxItemsDefault(t *testing.T) {
	n := config.DefaultMaxItems + 25
	s := newCapSite(t, n)
	src, err := New(config.Source{ID: "caps", Type: "feed", URL: s.URL + "/feed.xml"}, Env{Fetcher: NewFetcher("feedsmith-test", 5*time.Second, 0)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := src.Collect(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Articles) != config.DefaultMaxItems || len(b.Skipped) != 1 || !strings.HasPrefix(b.Skipped[0].Error(), "25 items over max_items skipped") {
		t.Errorf("%d articles, skipped %v; want %d and one skip of 25", len(b.Articles), b.Skipped, config.DefaultMaxItems)
	}
	if n := SkippedItems(append(b.Skipped, errors.New("one bad item"))); n != 26 {
		t.Errorf("SkippedItems = %d, want 25 over max_items and 1 more", n)
	}
}

// TestDetailCancelledKeepsStored stops the detail fetches at once, yet
// every article stored with its full text gets it, wherever it stands in
// the listing: saved without it, it would replace the stored full text
// and be fetched again.
func TestDetailCancelledKeepsStored(t *testing.T) {
	s := newSite(t, 1)
	stored := func(_ context.Context, id string) (string, bool) { return "<p>已存全文</p>", id == "3" }
	d, err := newPageDetail(config.Source{Detail: &config.Detail{Content: "div.article"}}, Env{Fetcher: NewFetcher("", 5*time.Second, 0), FullText: stored})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	arts := []article.Article{{ID: "1", Link: s.URL + "/a/1.html"}, {ID: "2", Link: s.URL + "/a/2.html"}, {ID: "3", Link: s.URL + "/a/3.html"}}
	d.fill(ctx, arts, "")
	if arts[0].FullText || arts[1].FullText || !arts[2].FullText || arts[2].Content != "<p>已存全文</p>" {
		t.Errorf("after a cancel: %+v, want only the stored one with its full text", arts)
	}
	if n := s.hitsOf("/a/1.html") + s.hitsOf("/a/2.html") + s.hitsOf("/a/3.html"); n != 0 {
		t.Errorf("a cancelled run fetched %d pages", n)
	}
}
