package sources

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
)

// secret is what the internal service answers; it must appear nowhere.
const secret = "INTERNAL-SECRET-7f3a"

// internalService stands in for a service inside the operator's network
// (a metadata endpoint, an admin API) on another loopback port. Nothing
// an upstream sends may make feedsmith ask it anything.
type internalService struct {
	*httptest.Server
	hits atomic.Int32
}

func newInternal(t *testing.T) *internalService {
	s := &internalService{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if strings.Contains(r.URL.Path, ".json") || strings.Contains(r.URL.RawQuery, "json") {
			json.NewEncoder(w).Encode(map[string]string{"text": "<p>" + secret + "</p>"})
			return
		}
		fmt.Fprintf(w, `<html><head><title>internal</title></head><body><div class="article"><p>%s: the keys to everything, %s.</p>
<p>This paragraph is long enough for readability to take it for the main content of the page, %s.</p></div></body></html>`, secret, secret, secret)
	}))
	t.Cleanup(s.Close)
	return s
}

// publicSite stands in for the source's own site (its configured url's
// origin): a listing, a feed and a JSON list whose links are given, an
// article page, and a redirect to the internal service.
type publicSite struct {
	*httptest.Server
	links []string // the items' links (html, feed) or detail fields (json)
	mu    sync.Mutex
	auth  []string // Authorization headers received
}

const publicText = "公开的正文，足够长，可以被当作文章的主要内容。公开的正文，足够长，可以被当作文章的主要内容。"

func newPublic(t *testing.T, internal *internalService, links ...string) *publicSite {
	s := &publicSite{links: links}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		if a := r.Header.Get("Authorization"); a != "" {
			s.auth = append(s.auth, a)
		}
		s.mu.Unlock()
		switch r.URL.Path {
		case "/list.html":
			var b strings.Builder
			b.WriteString(`<ul class="news">`)
			for i, l := range s.links {
				fmt.Fprintf(&b, `<li><a href="%s">item %d</a><p>listing summary %d</p></li>`, l, i, i)
			}
			w.Write([]byte(b.String() + "</ul>"))
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			var b strings.Builder
			b.WriteString(`<rss version="2.0"><channel><title>t</title><link>` + s.URL + `/</link>`)
			for i, l := range s.links {
				fmt.Fprintf(&b, `<item><title>item %d</title><link>%s</link><description>listing summary %d</description></item>`, i, htmlEscape(l), i)
			}
			w.Write([]byte(b.String() + `</channel></rss>`))
		case "/api/list":
			var recs []map[string]string
			for i, l := range s.links {
				recs = append(recs, map[string]string{"id": fmt.Sprint("r", i), "title": fmt.Sprint("item ", i), "summary": fmt.Sprint("listing summary ", i), "detail": l})
			}
			json.NewEncoder(w).Encode(map[string]any{"records": recs})
		case "/go.html", "/go.json":
			http.Redirect(w, r, internal.URL+"/after-redirect"+strings.TrimPrefix(r.URL.Path, "/go"), http.StatusFound)
		case "/list-moved":
			http.Redirect(w, r, internal.URL+"/list.html", http.StatusMovedPermanently)
		case "/a/ok.html":
			fmt.Fprintf(w, `<html><head><title>ok</title></head><body><div class="article"><p>%s</p><p>%s</p></div></body></html>`, publicText, publicText)
		case "/a/ok.json":
			json.NewEncoder(w).Encode(map[string]string{"text": "<p>" + publicText + "</p>"})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func htmlEscape(s string) string { return strings.ReplaceAll(s, "&", "&amp;") }

func (s *publicSite) authorizations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth...)
}

// hostileLinks are the links of issue 10 that reached the internal
// service, all to be refused, and one on the public site's own origin
// (with credentials that must not be sent) that must still be fetched.
func hostileLinks(pub *publicSite, internal *internalService, ext string) (refused []string, ok string) {
	hostPort := strings.TrimPrefix(internal.URL, "http://")
	port := hostPort[strings.LastIndexByte(hostPort, ':')+1:]
	refused = []string{
		internal.URL + "/secret" + ext,
		"//" + hostPort + "/protocol-relative" + ext,
		"http://localhost:" + port + "/localhost" + ext,
		"http://LOCALHOST:" + port + "/upper" + ext,
		"http://[::ffff:127.0.0.1]:" + port + "/mapped" + ext,
		"http://user:pass@" + hostPort + "/userinfo" + ext,
		pub.URL + "/go" + ext, // the public site's redirect to the internal service
	}
	ok = strings.Replace(pub.URL, "http://", "http://user:pass@", 1) + "/a/ok" + ext
	return refused, ok
}

// runSource collects cfg once with a fresh fetcher, returning the batch
// and the log.
func runSource(t *testing.T, cfg config.Source) (Batch, string, error) {
	t.Helper()
	var logs bytes.Buffer
	env := Env{Fetcher: NewFetcher("feedsmith-test", 5*time.Second, 0), Location: time.UTC,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if cfg.ID == "" {
		cfg.ID = "hostile"
	}
	s, err := New(cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Collect(t.Context())
	return b, logs.String(), err
}

// hostileConfigs are one source of each kind that follows links for
// their detail, reading the public site.
func hostileConfigs(pub string) map[string]config.Source {
	return map[string]config.Source{
		"html div.article": {Type: "html", URL: pub + "/list.html",
			Select: config.Select{Item: "ul.news li", Title: "a", Link: "a @href", Summary: "p"},
			Detail: &config.Detail{Content: "div.article"}},
		"feed readability": {Type: "feed", URL: pub + "/feed.xml", Detail: &config.Detail{Content: "readability"}},
		"json url function": {Type: "json", URL: pub + "/api/list", Items: "records",
			Fields: config.Fields{ID: "id", Title: "title", Summary: "summary", Link: pub + "/item/{{.id}}"},
			Detail: &config.Detail{URL: "{{url .detail}}", Content: "text"}},
		"json whole-URL field": {Type: "json", URL: pub + "/api/list", Items: "records",
			Fields: config.Fields{ID: "id", Title: "title", Summary: "summary", Link: pub + "/item/{{.id}}"},
			Detail: &config.Detail{URL: "{{.detail}}", Content: "text"}},
	}
}

func TestUntrustedLinksRefused(t *testing.T) {
	for name, cfg := range hostileConfigs("") {
		t.Run(name, func(t *testing.T) {
			internal := newInternal(t)
			ext := ".html"
			if cfg.Type == "json" {
				ext = ".json"
			}
			pub := newPublic(t, internal)
			refused, ok := hostileLinks(pub, internal, ext)
			pub.links = append(refused, ok)
			cfg = hostileConfigs(pub.URL)[name]
			b, logs, err := runSource(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if n := internal.hits.Load(); n != 0 {
				t.Errorf("the internal service got %d requests, want none", n)
			}
			if len(b.Articles) != len(pub.links) || len(b.Skipped) != 0 {
				t.Fatalf("%d articles, skipped %v; want every item kept", len(b.Articles), b.Skipped)
			}
			for i, a := range b.Articles {
				if strings.Contains(a.Content+a.Summary+a.Title, secret) {
					t.Errorf("item %d carries the internal service's answer: %q", i, a.Content)
				}
				if i == len(refused) {
					if !a.FullText || !strings.Contains(a.Content, "公开的正文") {
						t.Errorf("the public site's own page (%s): FullText %v, content %.80q; want its text", pub.links[i], a.FullText, a.Content)
					}
					continue
				}
				if a.FullText || !strings.Contains(a.Summary, fmt.Sprint("listing summary ", i)) {
					t.Errorf("item %d (%s): FullText %v, summary %q; want its listing data", i, pub.links[i], a.FullText, a.Summary)
				}
			}
			if b.Refused != len(refused) {
				t.Errorf("Batch.Refused = %d, want %d", b.Refused, len(refused))
			}
			if n := strings.Count(logs, "fetches refused"); n != 1 || !strings.Contains(logs, fmt.Sprintf("count=%d", len(refused))) ||
				!strings.Contains(logs, "is a loopback address (allow_private to allow)") || !strings.Contains(logs, `error="`) {
				t.Errorf("want one log line for the refusals, with their count and a reason; got:\n%s", logs)
			}
			if strings.Contains(logs, "pass@") {
				t.Errorf("the log shows credentials:\n%s", logs)
			}
			if a := pub.authorizations(); len(a) != 0 {
				t.Errorf("Authorization sent upstream: %q; userinfo must never be sent", a)
			}
		})
	}
}

func TestAllowPrivate(t *testing.T) {
	yes := true
	tests := []struct {
		name    string
		private *bool
		allow   []string
		fetched func(link string) bool // which links reach the internal service
	}{
		{"allow_private", &yes, nil, func(string) bool { return true }},
		{"allow 127.0.0.1", nil, []string{"127.0.0.1"}, func(string) bool { return true }},
		{"allow 127.0.0.0/8", nil, []string{"10.0.0.0/8", "127.0.0.0/8"}, func(string) bool { return true }},
		{"allow localhost by name", nil, []string{"localhost"}, func(l string) bool { return strings.Contains(strings.ToLower(l), "localhost") }},
		{"allow another network", nil, []string{"10.0.0.0/8", "intranet.example"}, func(string) bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			internal := newInternal(t)
			pub := newPublic(t, internal)
			refused, _ := hostileLinks(pub, internal, ".html")
			pub.links = refused
			cfg := hostileConfigs(pub.URL)["html div.article"]
			cfg.AllowPrivate, cfg.Allow = tt.private, tt.allow
			b, _, err := runSource(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			for i, a := range b.Articles {
				wantFull := tt.fetched(pub.links[i])
				if wantFull {
					want++
				}
				if a.FullText != wantFull || wantFull != strings.Contains(a.Content, secret) {
					t.Errorf("%s: FullText %v, content %.60q; want fetched %v", pub.links[i], a.FullText, a.Content, wantFull)
				}
			}
			if n := int(internal.hits.Load()); n != want {
				t.Errorf("the internal service got %d requests, want %d", n, want)
			}
			if b.Refused != len(refused)-want {
				t.Errorf("Refused = %d, want %d", b.Refused, len(refused)-want)
			}
		})
	}
}

// The source's own url is trusted, but not a redirect of it to another
// origin.
func TestSourceRedirectRefused(t *testing.T) {
	internal := newInternal(t)
	pub := newPublic(t, internal)
	cfg := hostileConfigs(pub.URL)["html div.article"]
	cfg.URL = pub.URL + "/list-moved"
	_, _, err := runSource(t, cfg)
	var re *RefusedError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "redirected: refused "+internal.URL+"/list.html: 127.0.0.1 is a loopback address") {
		t.Errorf("error = %v, want a refused redirect", err)
	}
	if n := internal.hits.Load(); n != 0 {
		t.Errorf("the internal service got %d requests, want none", n)
	}
}

// A trusted URL is fetched wherever it points; a detail.url whose
// scheme, host and port are literal is the operator's, one whose host or
// port comes from a field is not.
func TestTrustedURLs(t *testing.T) {
	internal := newInternal(t)
	f := NewFetcher("feedsmith-test", 5*time.Second, 0)
	if _, err := f.Get(t.Context(), internal.URL+"/status"); err != nil {
		t.Errorf("a configured loopback url: %v", err)
	}
	list := filepath.Join(t.TempDir(), "list.json")
	if err := os.WriteFile(list, []byte(`{"record": [{"infoCode": "a1", "title": "t", "host": "127.0.0.1", "port": "`+
		internal.URL[strings.LastIndexByte(internal.URL, ':')+1:]+`"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	hostPort := strings.TrimPrefix(internal.URL, "http://")
	tests := []struct {
		detailURL string
		trusted   bool
	}{
		{"http://" + hostPort + "/detail.json?id={{.infoCode}}", true},
		{"http://" + hostPort + "/{{.infoCode}}.json", true},
		{"http://{{.host}}:" + hostPort[strings.IndexByte(hostPort, ':')+1:] + "/detail.json?id={{.infoCode}}", false},
		{"http://127.0.0.1:{{.port}}/detail.json?id={{.infoCode}}", false},
		{"http://" + hostPort + "/{{url .infoCode}}.json", false},
	}
	for _, tt := range tests {
		t.Run(tt.detailURL, func(t *testing.T) {
			before := internal.hits.Load()
			cfg := config.Source{ID: "j", Type: "json", URL: list, Items: "record", Fields: config.Fields{ID: "infoCode", Title: "title"},
				Detail: &config.Detail{URL: tt.detailURL, Content: "text"}}
			b, logs, err := runSource(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			hits := internal.hits.Load() - before
			if a := b.Articles[0]; a.FullText != tt.trusted || (hits == 1) != tt.trusted || (b.Refused == 1) == tt.trusted {
				t.Errorf("FullText %v, %d requests, %d refused; want trusted %v\n%s", a.FullText, hits, b.Refused, tt.trusted, logs)
			}
		})
	}
}

// A connection dialed for a trusted request to an internal host is never
// reused for an untrusted one: their pools are apart.
func TestTrustedConnectionNotReused(t *testing.T) {
	internal := newInternal(t)
	f := NewFetcher("feedsmith-test", 5*time.Second, 0)
	if _, err := f.Get(t.Context(), internal.URL+"/a"); err != nil {
		t.Fatal(err)
	}
	_, err := f.GetLink(t.Context(), internal.URL+"/a")
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Errorf("untrusted fetch after a trusted one to the same host: %v, want refused", err)
	}
	if n := internal.hits.Load(); n != 1 {
		t.Errorf("%d requests, want only the trusted one", n)
	}
	if tr := newPools().transport(&Policy{}, "x"); tr.Proxy != nil || tr.DialContext == nil {
		t.Error("the guarded transport uses a proxy or has no guarded dialer")
	}
}

func TestUserinfoNeverSent(t *testing.T) {
	var got []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Path == "/r" {
			http.Redirect(w, r, "http://user2:pw2@"+r.Host+"/final", http.StatusFound)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	f := NewFetcher("feedsmith-test", 5*time.Second, 0)
	withCreds := strings.Replace(srv.URL, "http://", "http://user:secret@", 1)
	resp, err := f.Get(t.Context(), withCreds+"/r")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(resp.URL, "@") {
		t.Errorf("Response.URL = %q, want no userinfo", resp.URL)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0] != "" || got[1] != "" {
		t.Errorf("Authorization headers %q, want none on either hop", got)
	}
}

// pageArticles are a feed's items as the detail step gets them.
func pageArticles(links ...string) []article.Article {
	var arts []article.Article
	for i, l := range links {
		arts = append(arts, article.Article{ID: fmt.Sprint(i), Link: l})
	}
	return arts
}

func TestDetailNeverReadsFiles(t *testing.T) {
	d, err := newPageDetail(config.Source{Detail: &config.Detail{Content: "p"}}, Env{Fetcher: NewFetcher("", time.Second, 0)})
	if err != nil {
		t.Fatal(err)
	}
	arts := pageArticles("file:///etc/passwd", "/etc/passwd", "gopher://127.0.0.1:70/")
	n, pending := d.fill(context.Background(), arts, "")
	if n != 0 {
		t.Errorf("%d refusals, want the links dropped before any fetch", n)
	}
	if len(pending) != 0 {
		t.Errorf("pending %+v, want none: a non-http(s) link is never fetched", pending)
	}
	for _, a := range arts {
		if a.FullText {
			t.Errorf("%s was read", a.Link)
		}
	}
}
