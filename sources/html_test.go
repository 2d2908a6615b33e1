package sources

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
)

// listingSelect selects the fields of testdata/html/listing.html.
var listingSelect = config.Select{Item: "ul.news li", Title: "a", Link: "a @href",
	Date: "span.date", Summary: "p", Image: "img @src"}

// collectHTML runs an html source with a fresh fetcher (or f).
func collectHTML(t testing.TB, cfg config.Source, env Env) (Batch, error) {
	t.Helper()
	if env.Fetcher == nil {
		env.Fetcher = NewFetcher("feedsmith-test", 5*time.Second, 0)
	}
	if env.Location == nil {
		env.Location = shanghai(t)
	}
	if cfg.ID == "" {
		cfg.ID = "test"
	}
	cfg.Type = "html"
	s, err := New(cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	return s.Collect(t.Context())
}

// listingItem is what the listing tests compare, dates as RFC 3339.
type listingItem struct{ ID, Title, Link, Published, Summary, Image string }

func listingView(a article.Article) listingItem {
	var date string
	if !a.Published.IsZero() {
		date = a.Published.Format(time.RFC3339)
	}
	return listingItem{a.ID, a.Title, a.Link, date, a.Summary, a.Image}
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/html", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// servePage serves body with contentType at every path.
func servePage(t *testing.T, body []byte, contentType string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHTMLListing(t *testing.T) {
	utf8Page := readTestdata(t, "listing.html")
	gbk := strings.Replace(utf8Page, `<meta charset="utf-8">`, `<meta charset="gbk">`, 1)
	noMeta := strings.Replace(utf8Page, `<meta charset="utf-8">`, "", 1)
	tests := []struct {
		name        string
		body        []byte
		contentType string
		dateFormat  string
		dates       [3]string
	}{
		{name: "UTF-8 with date_format", body: []byte(utf8Page), contentType: "text/html; charset=utf-8",
			dateFormat: "2006年01月02日 15:04", dates: [3]string{"2022-02-14T08:47:00+08:00", "2022-02-13T17:05:00+08:00", ""}},
		{name: "UTF-8, common date forms", body: []byte(utf8Page), contentType: "text/html",
			dates: [3]string{"2022-02-14T08:47:00+08:00", "2022-02-13T17:05:00+08:00", ""}},
		{name: "GBK declared in meta only", body: encode(t, simplifiedchinese.GBK, gbk), contentType: "text/html",
			dateFormat: "2006年01月02日 15:04", dates: [3]string{"2022-02-14T08:47:00+08:00", "2022-02-13T17:05:00+08:00", ""}},
		{name: "GBK declared in the header only", body: encode(t, simplifiedchinese.GBK, noMeta), contentType: "text/html; charset=GBK",
			dateFormat: "2006年01月02日 15:04", dates: [3]string{"2022-02-14T08:47:00+08:00", "2022-02-13T17:05:00+08:00", ""}},
		{name: "date_format that does not fit", body: []byte(utf8Page), dateFormat: "2006-01-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := servePage(t, tt.body, tt.contentType)
			page := srv.URL + "/news/index.html"
			b, err := collectHTML(t, config.Source{URL: page, Select: listingSelect, DateFormat: tt.dateFormat}, Env{})
			if err != nil {
				t.Fatal(err)
			}
			want := []listingItem{
				{srv.URL + "/a/1.html", "我市举行春季重点项目集中开工仪式", srv.URL + "/a/1.html", tt.dates[0],
					"总投资120亿元的项目集中开工。", "http://img.example.com/1.jpg"},
				{srv.URL + "/news/2.html", "东港区举办 春季招聘会", srv.URL + "/news/2.html", tt.dates[1],
					"提供岗位 三千余个，“家门口”就业。", srv.URL + "/img/2.jpg"},
				{"https://other.example.org/a/3.html", "港口航线恢复运营", "https://other.example.org/a/3.html", tt.dates[2],
					"航线恢复。", ""},
			}
			var got []listingItem
			for _, a := range b.Articles {
				got = append(got, listingView(a))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("articles:\n got %+v\nwant %+v", got, want)
			}
			if len(b.Skipped) != 1 || b.Skipped[0].Error() != `item 3: no link (title "没有链接的条目")` {
				t.Errorf("skipped = %v, want item 3 without a link", b.Skipped)
			}
			if b.BaseURL != page || b.NotModified {
				t.Errorf("BaseURL = %q, NotModified = %v", b.BaseURL, b.NotModified)
			}
		})
	}
}

func TestHTMLBig5(t *testing.T) {
	srv := servePage(t, encode(t, traditionalchinese.Big5, readTestdata(t, "big5.html")), "text/html")
	b, err := collectHTML(t, config.Source{URL: srv.URL, Select: listingSelect}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Articles) != 1 || b.Articles[0].Title != "颱風警報解除，臺北恢復上班上課" || b.Articles[0].Summary != "氣象局表示。" ||
		b.Articles[0].Published.Format(time.RFC3339) != "2022-02-14T08:47:00+08:00" {
		t.Errorf("articles = %+v", b.Articles)
	}
}

func TestHTMLSelectors(t *testing.T) {
	page := `<div class="list">
<a class="row" href="/x/1" title="  第一条  "><b>一</b><time datetime="2022-02-14T08:47:41+08:00">今天</time></a>
<a class="row" href="javascript:void(0)" title="脚本链接"></a>
<a class="row" href="/x/3" title=""></a>
</div>`
	srv := servePage(t, []byte(page), "text/html; charset=utf-8")
	cfg := config.Source{URL: srv.URL + "/list", Select: config.Select{Item: "a.row", Title: "@title", Link: "@href", Date: "time @datetime"},
		Category: config.CategorySpec{ID: `{{pinyin "日照日报"}}`, Title: "日照日报新闻"},
		Tags:     []string{"要闻", "{{if .date}}有日期{{end}}", "要闻"}}
	b, err := collectHTML(t, cfg, Env{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Articles) != 1 {
		t.Fatalf("articles = %+v", b.Articles)
	}
	a := b.Articles[0]
	if a.Title != "第一条" || a.Link != srv.URL+"/x/1" || a.Published.Format(time.RFC3339) != "2022-02-14T08:47:41+08:00" {
		t.Errorf("article = %+v", a)
	}
	if !reflect.DeepEqual(a.Categories, []string{"rizhaoribao"}) || !reflect.DeepEqual(a.Tags, []string{"要闻", "有日期"}) {
		t.Errorf("categories %v, tags %v", a.Categories, a.Tags)
	}
	if !reflect.DeepEqual(b.CategoryTitles, map[string]string{"rizhaoribao": "日照日报新闻"}) {
		t.Errorf("CategoryTitles = %v", b.CategoryTitles)
	}
	want := []string{`item 2: link "javascript:void(0)" is not a web page (title "脚本链接")`, "item 3: no title (link " + srv.URL + "/x/3)"}
	var got []string
	for _, e := range b.Skipped {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("skipped:\n got %q\nwant %q", got, want)
	}
}

func TestHTMLNotModified(t *testing.T) {
	body := []byte(readTestdata(t, "listing.html"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	f := NewFetcher("", time.Second, 0)
	cfg := config.Source{URL: srv.URL, Select: listingSelect}
	b, err := collectHTML(t, cfg, Env{Fetcher: f})
	if err != nil {
		t.Fatal(err)
	}
	if b.NotModified || len(b.Articles) != 3 || !reflect.DeepEqual(b.Validators, []Validator{{URL: srv.URL, ETag: `"v1"`}}) {
		t.Fatalf("first fetch: %+v", b)
	}
	f.Validators = stubValidators{etag: `"v1"`}
	b, err = collectHTML(t, cfg, Env{Fetcher: f})
	if err != nil {
		t.Fatal(err)
	}
	if !b.NotModified || len(b.Articles) != 0 || len(b.Validators) != 1 {
		t.Errorf("conditional fetch: %+v, want NotModified with its validators", b)
	}
}

func TestHTMLLocalFile(t *testing.T) {
	b, err := collectHTML(t, config.Source{URL: "testdata/html/listing.html", Select: listingSelect}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Articles) != 3 || b.BaseURL != "" || b.Articles[0].Link != "/a/1.html" || b.Articles[1].Image != "/img/2.jpg" {
		t.Errorf("a local listing keeps its links for the collect stage: %+v", b)
	}
}

func TestHTMLErrors(t *testing.T) {
	srv := servePage(t, encode(t, simplifiedchinese.GBK, "<ul class=news><li><a href=/x>日照</a></li></ul>"), "text/html")
	_, err := collectHTML(t, config.Source{URL: srv.URL, Select: listingSelect}, Env{})
	if want := "decode " + srv.URL + ": document is not valid UTF-8 at byte 30 (no charset declared); set the source's charset"; err == nil || err.Error() != want {
		t.Errorf("undeclared GBK: error = %v, want %q", err, want)
	}
	tests := []struct {
		name    string
		cfg     config.Source
		wantErr string
	}{
		{"no url", config.Source{Select: listingSelect}, "source s: html needs a url"},
		{"bad item", config.Source{URL: "x", Select: config.Select{Item: "li[", Title: "a", Link: "a @href"}},
			`source s: select.item: invalid CSS selector "li[": `},
		{"missing item and link", config.Source{URL: "x", Select: config.Select{Title: "a"}},
			"source s: select.item: required\nselect.link: required"},
		{"bad field", config.Source{URL: "x", Select: config.Select{Item: "li", Title: "a:nth-child(", Link: "a @href"}},
			`source s: select.title: invalid CSS selector "a:nth-child(": `},
		{"bad template", config.Source{URL: "x", Select: listingSelect, Tags: []string{"{{.title"}},
			"source s: tags[0]: invalid template: "},
		{"bad detail selector", config.Source{URL: "x", Select: listingSelect, Detail: &config.Detail{Content: "div..x"}},
			`source s: detail.content: invalid CSS selector "div..x": `},
		{"empty detail", config.Source{URL: "x", Select: listingSelect, Detail: &config.Detail{}},
			"source s: detail.content: required (a CSS selector or readability)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.ID, tt.cfg.Type = "s", "html"
			_, err := New(tt.cfg, Env{Fetcher: NewFetcher("", 0, 0)})
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("error = %v, want it to start with %q", err, tt.wantErr)
			}
		})
	}
}

func FuzzHTMLListing(f *testing.F) {
	listing := readTestdata(f, "listing.html")
	for _, seed := range []string{
		listing,
		strings.Replace(listing, "utf-8", "gbk", 1),
		"<ul class=news><li><a href=/a>标题<li><a href=/b>第二</ul></a>",
		strings.Repeat("<li><div><span>", 2000) + "<a href=/deep>深</a>",
		`<ul class="news"><li><a href="/` + strings.Repeat("x", 20000) + `" title="` + strings.Repeat("长", 5000) + `">a</a></li></ul>`,
		"<meta charset=big5><ul class=news><li><a href=/a>\xa5\x78\xc6\x57</a></li></ul>",
	} {
		f.Add([]byte(seed))
	}
	f.Add(encode(f, simplifiedchinese.GBK, strings.Replace(listing, "utf-8", "gbk", 1)))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "listing.html")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := collectHTML(t, config.Source{URL: path, Select: listingSelect, Tags: []string{"{{.title}}"}}, Env{Location: time.UTC})
		if err != nil {
			return
		}
		for _, a := range b.Articles {
			if !utf8.ValidString(a.Title) || a.Title == "" || a.Link == "" {
				t.Errorf("article %+v: empty or invalid title or link", a)
			}
			if a.Title != strings.Join(strings.Fields(a.Title), " ") {
				t.Errorf("title %q is not whitespace-collapsed", a.Title)
			}
		}
	})
}
