package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// newsAPI behaves like the news API of issue 3: a list endpoint of
// records and a detail endpoint with each record's full text. The list
// answers 304 to its own ETag; one detail fails once.
type newsAPI struct {
	mu       sync.Mutex
	details  map[string]int // detail requests per id
	failOnce map[string]bool
}

// The records are a few hours old, as a live API's are: the Jekyll
// output of issue 3's config keeps 72 hours of posts.
var (
	shanghai   = time.FixedZone("CST", 8*3600)
	apiTimes   = []time.Time{recent(5 * time.Hour), recent(3 * time.Hour), recent(time.Hour)}
	apiRecords = []map[string]string{
		{"infoCode": "NW202202141234567890", "title": "我市举行春季重点项目集中开工仪式", "datetime": apiTimes[0].Format(time.DateTime), "medianame": "日照日报"},
		{"infoCode": "NW202202141300012345", "title": `市民热议"海滨步道"：周末好去处`, "datetime": apiTimes[1].Format(time.DateTime), "medianame": "日照日报"},
		{"infoCode": "NW202202151020098765", "title": "东港区新增3处便民市场", "datetime": apiTimes[2].Format(time.DateTime), "medianame": "日照晚报"},
	}
)

func recent(ago time.Duration) time.Time {
	return time.Now().In(shanghai).Add(-ago).Truncate(time.Second)
}

func (a *newsAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/information/newmarket/web/webapi":
		if r.URL.Query().Get("marketType") != "37" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("If-None-Match") == `"list-v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"list-v1"`)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(map[string]any{"record": apiRecords})
	case "/NewsData/GetNewsText.do":
		id := r.URL.Query().Get("id")
		a.mu.Lock()
		a.details[id]++
		fail := a.failOnce[id]
		delete(a.failOnce, id)
		a.mu.Unlock()
		if fail {
			http.Error(w, "busy", http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"text": "<p>" + id + " 的正文，<strong>重点</p><p>内容</strong>。</p>"})
	default:
		http.NotFound(w, r)
	}
}

func (a *newsAPI) detailRequests(id string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.details[id]
}

// TestNewsAPIToFeedsAndPosts runs issue 3's configuration, as written,
// against a local stand-in for the API: per-publication feeds with
// pinyin ids and the Jekyll posts the operators' cron script wrote.
func TestNewsAPIToFeedsAndPosts(t *testing.T) {
	api := &newsAPI{details: map[string]int{}, failOnce: map[string]bool{"NW202202151020098765": true}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	issueConfig, err := os.ReadFile("../../config/testdata/valid-json.yml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	body := strings.ReplaceAll(string(issueConfig), "http://127.0.0.1:8099", srv.URL)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCommand(t, "build", "-config", cfg)
	if code != 0 || !strings.Contains(out, "market-news      json   3 new") {
		t.Fatalf("build: exit %d\n%s\n%s", code, out, errs)
	}

	feed := parseFeed(t, filepath.Join(dir, "public", "feeds", "rizhaoribao.atom"))
	if feed.Title != "日照日报新闻" || len(feed.Items) != 2 {
		t.Fatalf("rizhaoribao.atom: title %q, %d items", feed.Title, len(feed.Items))
	}
	item := findItem(t, feed, `市民热议"海滨步道"：周末好去处`)
	// A news API's records have pages of the site, which the entries
	// link to; the record's own address is the source link (rel=via).
	if !strings.HasPrefix(item.Link, "https://feeds.example.org/article/") || item.Published != apiTimes[1].Format(time.RFC3339) {
		t.Errorf("item: link %s, published %s", item.Link, item.Published)
	}
	if atom, _ := os.ReadFile(filepath.Join(dir, "public", "feeds", "rizhaoribao.atom")); !strings.Contains(string(atom),
		`<link href="`+srv.URL+`/html_News/NewsShare.html?infoCode=NW202202141300012345" rel="via"></link>`) {
		t.Errorf("rizhaoribao.atom lacks the record's address as rel=via:\n%s", atom)
	}
	if !strings.Contains(item.Content, "<strong>重点</strong></p><p><strong>内容</strong>") {
		t.Errorf("full text from the detail endpoint, repaired: %s", item.Content)
	}
	if wb := parseFeed(t, filepath.Join(dir, "public", "feeds", "rizhaowanbao.rss")); wb.Title != "日照晚报新闻" || len(wb.Items) != 1 {
		t.Errorf("rizhaowanbao.rss: %q with %d items", wb.Title, len(wb.Items))
	}
	opml, _ := os.ReadFile(filepath.Join(dir, "public", "feeds.opml"))
	index, _ := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	for _, doc := range [][]byte{opml, index} {
		if !strings.Contains(string(doc), "feeds/rizhaoribao.atom") || !strings.Contains(string(doc), "日照晚报新闻") {
			t.Errorf("derived categories missing from the OPML or index:\n%s", doc)
		}
	}

	post, err := os.ReadFile(filepath.Join(dir, "site", "_posts", apiTimes[0].Format("2006-01-02")+"-NW202202141234567890.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := "---\nlayout: post\ntitle: \"我市举行春季重点项目集中开工仪式\"\ndate: " + apiTimes[0].Format("2006-01-02 15:04:05 -0700") +
		"\ncategories: rizhaoribao\ntags: 日照日报新闻\nrender_with_liquid: false\n---\n"
	if !strings.HasPrefix(string(post), want) {
		t.Errorf("post front matter:\n%s\nwant prefix:\n%s", post, want)
	}
	for _, s := range []string{
		fmt.Sprintf("<%s/html_News/NewsShare.html?infoCode=NW202202141234567890>", srv.URL),
		"[返回日照日报新闻](//news.example.org/category/rizhaoribao.html)｜[返回首页](//news.example.org/)",
	} {
		if !strings.Contains(string(post), s) {
			t.Errorf("post lacks %s:\n%s", s, post)
		}
	}

	// The detail that failed is fetched again on the next run, from the
	// store (the list answers 304); the others, stored with their full
	// text, are not. Then the list answers 304 and nothing is pending.
	code, out, errs = runCommand(t, "build", "-config", cfg)
	if code != 0 || !strings.Contains(out, "market-news      json   not modified upstream; 1 of 1 pending details fetched (") {
		t.Fatalf("second build: exit %d\n%s\n%s", code, out, errs)
	}
	if n := api.detailRequests("NW202202141234567890"); n != 1 {
		t.Errorf("stored full text fetched %d times, want once", n)
	}
	if n := api.detailRequests("NW202202151020098765"); n != 2 {
		t.Errorf("failed detail fetched %d times, want twice", n)
	}
	// The pending details of a source gone from the configuration are
	// cleared by the next build.
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "feedsmith.db"))
	if err != nil {
		t.Fatal(err)
	}
	gone := []store.PendingDetail{{URL: srv.URL + "/gone", Article: article.Article{ID: "g", SourceID: "removed"}}}
	if err := st.SetPendingDetails(context.Background(), "removed", gone); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, _ = runCommand(t, "build", "-config", cfg)
	if st, err = sqlite.Open(context.Background(), filepath.Join(dir, "data", "feedsmith.db")); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if p, err := st.PendingDetails(context.Background(), "removed"); err != nil || len(p) != 0 {
		t.Errorf("pending details of a removed source after a build: %+v, %v; want none", p, err)
	}
	if code != 0 || !strings.Contains(out, "market-news      json   not modified upstream (") {
		t.Errorf("third build should get a 304 for the list, nothing pending:\n%s", out)
	}
}
