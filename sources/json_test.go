package sources

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
)

// jsonAPI stands in for the news API of issue 3: a list endpoint and a
// detail endpoint per record.
type jsonAPI struct {
	list        []byte
	contentType string
	etag        string
	hold        chan struct{} // when set, detail requests wait for it or their cancellation

	mu                    sync.Mutex
	failOnce              map[string]bool // ids whose next detail request gets a 500
	hits                  map[string]int  // detail requests per id
	inFlight, maxInFlight int
}

func newJSONAPI(t *testing.T, file string) (*jsonAPI, *httptest.Server) {
	t.Helper()
	list, err := os.ReadFile("testdata/json/" + file)
	if err != nil {
		t.Fatal(err)
	}
	api := &jsonAPI{list: list, contentType: "application/json", failOnce: map[string]bool{}, hits: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /information/newmarket/web/webapi", api.serveList)
	mux.HandleFunc("GET /NewsData/GetNewsText.do", api.serveDetail)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return api, srv
}

func (api *jsonAPI) serveList(w http.ResponseWriter, r *http.Request) {
	if q := r.URL.Query(); q.Get("marketType") != "37" || q.Get("count") != "100" {
		http.Error(w, "bad query", http.StatusBadRequest)
		return
	}
	if api.etag != "" {
		w.Header().Set("ETag", api.etag)
		if r.Header.Get("If-None-Match") == api.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", api.contentType)
	w.Write(api.list)
}

func (api *jsonAPI) serveDetail(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	api.mu.Lock()
	api.hits[id]++
	api.inFlight++
	api.maxInFlight = max(api.maxInFlight, api.inFlight)
	fail := api.failOnce[id]
	delete(api.failOnce, id)
	api.mu.Unlock()
	defer func() { api.mu.Lock(); api.inFlight--; api.mu.Unlock() }()
	if api.hold != nil {
		select {
		case <-api.hold:
		case <-r.Context().Done():
		}
	}
	time.Sleep(5 * time.Millisecond) // long enough for requests to overlap
	if fail {
		http.Error(w, "database busy", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	json.NewEncoder(w).Encode(map[string]string{"text": "<p>……正文……" + id + "</p>"})
}

func (api *jsonAPI) detailHits() map[string]int {
	api.mu.Lock()
	defer api.mu.Unlock()
	return maps.Clone(api.hits)
}

// jsonIssueConfig is the source of issue 3, as written, on base.
func jsonIssueConfig(base string) config.Source {
	return config.Source{
		ID:       "market-news",
		Type:     "json",
		URL:      base + "/information/newmarket/web/webapi?marketType=37&count=100",
		Schedule: "@every 5m",
		Timezone: "Asia/Shanghai",
		Items:    "record",
		Fields: config.Fields{ID: "infoCode", Title: "title", Published: "datetime",
			Link: base + "/html_News/NewsShare.html?infoCode={{.infoCode}}"},
		Detail:   &config.Detail{URL: base + "/NewsData/GetNewsText.do?id={{.infoCode}}", Content: "text"},
		Category: config.CategorySpec{ID: "{{pinyin .medianame}}", Title: "{{.medianame}}新闻"},
		Tags:     []string{"{{.medianame}}新闻"},
	}
}

// jsonRun collects cfg once; the log it wrote is returned too.
func jsonRun(t *testing.T, ctx context.Context, cfg config.Source, env Env) (Batch, string, error) {
	t.Helper()
	var log bytes.Buffer
	if env.Fetcher == nil {
		env.Fetcher = NewFetcher("feedsmith-test", 5*time.Second, 0)
	}
	env.Location = shanghai(t)
	env.Logger = slog.New(slog.NewTextHandler(&log, nil))
	s, err := New(cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Collect(ctx)
	return b, log.String(), err
}

// jsonView is what the json tests compare of an article.
type jsonView struct {
	ID, Title, Link, Published, Categories, Tags, Content string
	FullText                                              bool
}

func jsonViews(arts []article.Article) []jsonView {
	var out []jsonView
	for _, a := range arts {
		pub := ""
		if !a.Published.IsZero() {
			pub = a.Published.Format(time.RFC3339)
		}
		out = append(out, jsonView{a.ID, a.Title, a.Link, pub, strings.Join(a.Categories, ","),
			strings.Join(a.Tags, ","), a.Content, a.FullText})
	}
	return out
}

func TestJSONSource(t *testing.T) {
	api, srv := newJSONAPI(t, "list.json")
	api.etag = `"v1"`
	cfg := jsonIssueConfig(srv.URL)
	b, _, err := jsonRun(t, t.Context(), cfg, Env{})
	if err != nil {
		t.Fatal(err)
	}
	share := srv.URL + "/html_News/NewsShare.html?infoCode="
	want := []jsonView{
		{"NW202202141234567890", "我市举行春季重点项目集中开工仪式", share + "NW202202141234567890", "2022-02-14T08:47:41+08:00",
			"rizhaoribao", "日照日报新闻", "<p>……正文……NW202202141234567890</p>", true},
		{"NW202202141234567891", `市长答记者问: "项目要快"`, share + "NW202202141234567891", "2022-02-14T09:30:00+08:00",
			"rizhaoribao", "日照日报新闻", "<p>……正文……NW202202141234567891</p>", true},
		{"NW202202141234567892", "港口吞吐量创新高", share + "NW202202141234567892", "2022-02-14T10:30:00+08:00",
			"rizhaowanbao", "日照晚报新闻", "<p>……正文……NW202202141234567892</p>", true},
	}
	if got := jsonViews(b.Articles); !reflect.DeepEqual(got, want) {
		t.Errorf("articles:\n got %+v\nwant %+v", got, want)
	}
	if want := map[string]string{"rizhaoribao": "日照日报新闻", "rizhaowanbao": "日照晚报新闻"}; !reflect.DeepEqual(b.CategoryTitles, want) {
		t.Errorf("CategoryTitles = %v, want %v", b.CategoryTitles, want)
	}
	if want := []Validator{{URL: cfg.URL, ETag: `"v1"`}}; !reflect.DeepEqual(b.Validators, want) {
		t.Errorf("Validators = %v, want %v", b.Validators, want)
	}
	if b.BaseURL != cfg.URL || len(b.Skipped) != 0 || b.Articles[0].SourceID != "market-news" {
		t.Errorf("BaseURL %q, Skipped %v, SourceID %q", b.BaseURL, b.Skipped, b.Articles[0].SourceID)
	}
	if api.maxInFlight > jsonDetailWorkers {
		t.Errorf("%d detail requests at once, want at most %d", api.maxInFlight, jsonDetailWorkers)
	}
}

// A detail that fails leaves the article with its list data and no skip;
// the next run fetches only that one, the others being stored in full.
func TestJSONDetailRetry(t *testing.T) {
	api, srv := newJSONAPI(t, "list.json")
	const flaky = "NW202202141234567891"
	api.failOnce[flaky] = true
	cfg := jsonIssueConfig(srv.URL)
	b, log, err := jsonRun(t, t.Context(), cfg, Env{})
	if err != nil {
		t.Fatal(err)
	}
	if a := b.Articles[1]; a.FullText || a.Content != "" || a.Title != `市长答记者问: "项目要快"` || len(b.Skipped) != 0 {
		t.Errorf("after a failed detail: FullText %v, Content %q, Title %q, Skipped %v", a.FullText, a.Content, a.Title, b.Skipped)
	}
	if !strings.Contains(log, "level=WARN") || !strings.Contains(log, "GetNewsText.do?id="+flaky) {
		t.Errorf("log does not warn of the failed detail:\n%s", log)
	}
	stored := map[string]string{}
	for _, a := range b.Articles {
		if a.FullText {
			stored[a.ID] = a.Content
		}
	}
	fullText := func(_ context.Context, id string) (string, bool) { c, ok := stored[id]; return c, ok }
	b, _, err = jsonRun(t, t.Context(), cfg, Env{FullText: fullText})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range b.Articles {
		if !a.FullText || a.Content != "<p>……正文……"+a.ID+"</p>" {
			t.Errorf("second run: %s FullText %v, Content %q", a.ID, a.FullText, a.Content)
		}
	}
	want := map[string]int{"NW202202141234567890": 1, flaky: 2, "NW202202141234567892": 1}
	if got := api.detailHits(); !reflect.DeepEqual(got, want) {
		t.Errorf("detail requests = %v, want %v", got, want)
	}
}

func TestJSONStoredFullTextNotFetched(t *testing.T) {
	api, srv := newJSONAPI(t, "list.json")
	fullText := func(_ context.Context, id string) (string, bool) {
		return "<p>stored " + id + "</p>", id != "NW202202141234567892"
	}
	b, _, err := jsonRun(t, t.Context(), jsonIssueConfig(srv.URL), Env{FullText: fullText})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"NW202202141234567892": 1}; !reflect.DeepEqual(api.detailHits(), want) {
		t.Errorf("detail requests = %v, want %v", api.detailHits(), want)
	}
	if a := b.Articles[0]; !a.FullText || a.Content != "<p>stored NW202202141234567890</p>" {
		t.Errorf("stored article: FullText %v, Content %q", a.FullText, a.Content)
	}
}

// jsonETag is a validator store that knows one ETag for every URL.
type jsonETag string

func (e jsonETag) Validators(context.Context, string) (string, string, error) {
	return string(e), "", nil
}

func TestJSONNotModified(t *testing.T) {
	api, srv := newJSONAPI(t, "list.json")
	api.etag = `"v1"`
	f := NewFetcher("feedsmith-test", 5*time.Second, 0)
	f.Validators = jsonETag(`"v1"`)
	cfg := jsonIssueConfig(srv.URL)
	b, _, err := jsonRun(t, t.Context(), cfg, Env{Fetcher: f})
	if err != nil {
		t.Fatal(err)
	}
	if !b.NotModified || len(b.Articles) != 0 || len(api.detailHits()) != 0 {
		t.Errorf("NotModified %v, %d articles, detail requests %v; want a 304 and nothing fetched", b.NotModified, len(b.Articles), api.detailHits())
	}
	if want := []Validator{{URL: cfg.URL, ETag: `"v1"`}}; !reflect.DeepEqual(b.Validators, want) {
		t.Errorf("Validators = %v, want %v", b.Validators, want)
	}
}

// A cancelled collection stops fetching details but keeps the list.
func TestJSONDetailsCancelled(t *testing.T) {
	api, srv := newJSONAPI(t, "list.json")
	api.hold = make(chan struct{})
	defer close(api.hold)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		for len(api.detailHits()) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	b, _, err := jsonRun(t, ctx, jsonIssueConfig(srv.URL), Env{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Articles) != 3 {
		t.Fatalf("%d articles, want the 3 of the list", len(b.Articles))
	}
	for _, a := range b.Articles {
		if a.FullText {
			t.Errorf("%s has full text after a cancelled detail fetch", a.ID)
		}
	}
	if n := len(api.detailHits()); n > jsonDetailWorkers {
		t.Errorf("%d detail requests after cancelling, want at most %d", n, jsonDetailWorkers)
	}
}
