package sources

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai without the system zone database
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
)

func shanghai(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// collect runs a feed source for url with a fresh fetcher.
func collect(t testing.TB, cfg config.Source, f *Fetcher) (Batch, error) {
	t.Helper()
	if f == nil {
		f = NewFetcher("feedsmith-test", 5*time.Second, 0)
	}
	cfg.ID, cfg.Type = "test", "feed"
	s, err := New(cfg, Env{Fetcher: f, Location: shanghai(t)})
	if err != nil {
		t.Fatal(err)
	}
	return s.Collect(t.Context())
}

// item is what the format tests compare: times as RFC 3339, so the offset
// is part of the comparison.
type item struct{ ID, Title, Link, Author, Published, Updated, Tags string }

func view(a article.Article) item {
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	return item{a.ID, a.Title, a.Link, a.Author, date(a.Published), date(a.Updated), strings.Join(a.Tags, ",")}
}

func TestFeedFormats(t *testing.T) {
	srv := httptest.NewServer(http.FileServer(http.Dir("testdata/feed")))
	defer srv.Close()
	tests := []struct {
		file string
		base string
		want []item
	}{
		{"rss2.xml", "https://news.example.com/", []item{
			{"rz-1001", "东港区举办春季招聘会", "https://news.example.com/2022/02/14/jobs.html", "李明", "2022-02-14T08:47:41+08:00", "", "民生,就业"},
			{"/2022/02/13/harbour.html", "Harbour reopens", "/2022/02/13/harbour.html", "News Desk", "2022-02-13T23:05:00Z", "", ""},
			{"sha256:60d457851c84c22968d9129661dde30e", "Undated note", "", "", "", "", ""},
		}},
		{"rss1.rdf", "https://rdf.example.org/", []item{
			{"https://rdf.example.org/a", "First RDF item", "https://rdf.example.org/a", "Anna", "2021-06-01T09:30:00+02:00", "2021-06-01T09:30:00+02:00", "history"},
			{"https://rdf.example.org/b", "Second RDF item", "https://rdf.example.org/b", "", "2021-06-02T10:00:00Z", "2021-06-02T10:00:00Z", ""},
		}},
		{"rss091.xml", "http://old.example.net/", []item{
			{"http://old.example.net/cafe", "Café opens", "http://old.example.net/cafe", "", "", "", ""},
			{"http://old.example.net/second", "Olé, second story", "http://old.example.net/second", "", "", "", ""},
		}},
		{"atom.xml", "https://atom.example.com/", []item{
			{"tag:atom.example.com,2022:1", "Atom entry one", "https://atom.example.com/one", "Wang Fang", "2022-02-14T08:47:41+08:00", "2022-02-15T10:00:00+08:00", "tech"},
			// Zone-less: read in the source's zone, not as UTC.
			{"tag:atom.example.com,2022:2", "Atom entry two", "two", "zhao@example.com", "2022-02-13T21:15:00+08:00", "2022-02-13T21:15:00+08:00", ""},
		}},
		{"feed.json", "https://json.example.com/", []item{
			{"2", "数据发布", "https://json.example.com/2", "Chen Jing", "2022-02-14T08:47:41+08:00", "", "data,news"},
			{"1", "First", "https://json.example.com/1", "", "2022-02-10T09:00:00+08:00", "", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := collect(t, config.Source{URL: srv.URL + "/" + tt.file}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if b.BaseURL != tt.base {
				t.Errorf("BaseURL = %q, want %q", b.BaseURL, tt.base)
			}
			var got []item
			for _, a := range b.Articles {
				got = append(got, view(a))
				if a.SourceID != "test" {
					t.Errorf("%s: SourceID = %q", a.ID, a.SourceID)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("articles:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestFeedItemDetails(t *testing.T) {
	b, err := collect(t, config.Source{URL: "testdata/feed/feed.json"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := b.Articles[0]
	if a.Summary != "Second summary" || a.Content != "<p>Second.</p>" || a.Image != "https://json.example.com/2.png" {
		t.Errorf("summary %q, content %q, image %q", a.Summary, a.Content, a.Image)
	}
	wantEnc := []article.Enclosure{{URL: "https://json.example.com/2.mp3", Type: "audio/mpeg", Length: 2048}}
	if !reflect.DeepEqual(a.Enclosures, wantEnc) || len(a.Categories) != 0 {
		t.Errorf("enclosures %+v, categories %v", a.Enclosures, a.Categories)
	}
	if b.Articles[1].Content != "First text." {
		t.Errorf("content_text not used as content: %q", b.Articles[1].Content)
	}

	b, err = collect(t, config.Source{URL: "testdata/feed/rss2.xml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	note := b.Articles[2]
	if note.Content != "No link, no guid, no date." || note.Enclosures[0].Length != 0 {
		t.Errorf("description not used as content, or empty length not 0: %+v", note)
	}
	if b.Validators != nil {
		t.Errorf("a local file has no validators: %+v", b.Validators)
	}
}

func TestFeedLocalRelativeBase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.rss")
	doc := `<rss version="2.0"><channel><title>t</title><link>/</link><item><title>a</title><link>a.html</link></item></channel></rss>`
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := collect(t, config.Source{URL: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.BaseURL != "" || b.Articles[0].Link != "a.html" {
		t.Errorf("BaseURL = %q, link %q: a local file with a relative site link has no base", b.BaseURL, b.Articles[0].Link)
	}
}

// TestFeedTemplates derives a category and tags per item from its
// fields, as the json and html sources do: the category from the
// author, in pinyin, titled with the name; a tag from the first category.
// An item the template cannot file is skipped with its title, and the
// others are kept.
func TestFeedTemplates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mirror.rss")
	doc := `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><link>https://news.example.cn/</link>
<item><title>开工仪式</title><link>https://news.example.cn/a.html</link><dc:creator>日照日报</dc:creator><category>要闻</category></item>
<item><title>春季招聘</title><link>https://news.example.cn/b.html</link><dc:creator>日照晚报</dc:creator><category>社会</category><category>就业</category></item>
<item><title>无署名</title><link>https://news.example.cn/c.html</link><category>其他</category></item>
</channel></rss>`
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := collect(t, config.Source{URL: path,
		Category: config.CategorySpec{ID: "{{pinyin .author}}", Title: "{{.author}}新闻"},
		Tags:     []string{"{{index .categories 0}}"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range b.Articles {
		got = append(got, a.Title+" "+strings.Join(a.Categories, ",")+" "+strings.Join(a.Tags, ","))
	}
	want := []string{"开工仪式 rizhaoribao 要闻", "春季招聘 rizhaowanbao 社会,就业"}
	if !slices.Equal(got, want) {
		t.Errorf("articles %q, want %q", got, want)
	}
	if b.CategoryTitles["rizhaoribao"] != "日照日报新闻" || b.CategoryTitles["rizhaowanbao"] != "日照晚报新闻" {
		t.Errorf("category titles %v", b.CategoryTitles)
	}
	if len(b.Skipped) != 1 || !strings.Contains(b.Skipped[0].Error(), `"无署名"`) {
		t.Errorf("skipped %v, want the item without an author, named", b.Skipped)
	}
}

func TestFeedErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/html":
			w.Write([]byte("<!doctype html><html><body>hello</body></html>"))
		case "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			http.ServeFile(w, r, filepath.Join("testdata/feed", r.URL.Path))
		}
	}))
	defer srv.Close()
	tests := []struct {
		name, url, wantErr string
		maxBody            config.ByteSize
	}{
		{name: "malformed XML", url: srv.URL + "/malformed.xml", wantErr: "parse " + srv.URL + "/malformed.xml: XML syntax error"},
		{name: "parser panic", url: srv.URL + "/panic.json", wantErr: "parse " + srv.URL + "/panic.json: malformed document (parser panic: runtime error"},
		{name: "local parser panic", url: "testdata/feed/panic.json", wantErr: "parse testdata/feed/panic.json: malformed document (parser panic:"},
		{name: "not a feed", url: srv.URL + "/html", wantErr: "parse " + srv.URL + "/html: not an RSS, Atom or JSON Feed document"},
		{name: "status", url: srv.URL + "/down", wantErr: "GET " + srv.URL + "/down: 503 Service Unavailable"},
		{name: "missing file", url: "testdata/feed/missing.xml", wantErr: "read testdata/feed/missing.xml: no such file or directory"},
		{name: "source max_body", url: srv.URL + "/rss2.xml", maxBody: 100, wantErr: "GET " + srv.URL + "/rss2.xml: body exceeds 100 bytes limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := collect(t, config.Source{URL: tt.url, MaxBody: tt.maxBody}, nil)
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want it to start with %q", err, tt.wantErr)
			}
		})
	}
	if _, err := New(config.Source{ID: "x", Type: "feed"}, Env{Fetcher: NewFetcher("", 0, 0)}); err == nil {
		t.Error("a feed source without a url was accepted")
	}
}

func TestFeedNotModified(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"abc"`)
		if r.Header.Get("If-None-Match") == `"abc"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		http.ServeFile(w, r, "testdata/feed/atom.xml")
	}))
	defer srv.Close()
	f := NewFetcher("", time.Second, 0)
	b, err := collect(t, config.Source{URL: srv.URL}, f)
	if err != nil {
		t.Fatal(err)
	}
	want := []Validator{{URL: srv.URL, ETag: `"abc"`, LastModified: b.Validators[0].LastModified}}
	if b.NotModified || len(b.Articles) != 2 || !reflect.DeepEqual(b.Validators, want) || want[0].LastModified == "" {
		t.Fatalf("first fetch: %+v", b)
	}

	f.Validators = stubValidators{etag: `"abc"`}
	b, err = collect(t, config.Source{URL: srv.URL}, f)
	if err != nil {
		t.Fatal(err)
	}
	if !b.NotModified || len(b.Articles) != 0 || b.Validators[0].ETag != `"abc"` {
		t.Errorf("conditional fetch: %+v, want NotModified", b)
	}
}

func TestRecoverParse(t *testing.T) {
	err := recoverParse(func() error { panic("boom") })
	if err == nil || err.Error() != "malformed document (parser panic: boom)" {
		t.Errorf("panic: error = %v", err)
	}
	want := errors.New("plain")
	if err := recoverParse(func() error { return want }); err != want {
		t.Errorf("error = %v, want it passed through", err)
	}
}

func FuzzFeed(f *testing.F) {
	files, _ := filepath.Glob("testdata/feed/*")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(encode(f, simplifiedchinese.GBK, rssItem("GBK", "日照日报")))
	s := &feedSource{cfg: config.Source{ID: "fuzz"}, loc: time.UTC}
	f.Fuzz(func(t *testing.T, data []byte) {
		body, err := decodeFeed(data, "", "")
		if err != nil {
			return
		}
		feed, err := parseFeed(body)
		if err != nil {
			return
		}
		for _, it := range feed.Items {
			if it == nil {
				continue
			}
			if a := s.article(it); !utf8.ValidString(a.Title) {
				t.Errorf("title %q is not valid UTF-8", a.Title)
			}
		}
	})
}

func BenchmarkFeed(b *testing.B) {
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>bench</title><link>https://example.com/</link>`)
	for i := range 200 {
		fmt.Fprintf(&doc, `<item><title>第 %d 条新闻</title><link>https://example.com/%d</link><guid>id-%d</guid>
<pubDate>Mon, 14 Feb 2022 08:47:41 +0800</pubDate><category>news</category>
<description>&lt;p&gt;Paragraph %d with some &lt;b&gt;markup&lt;/b&gt;.&lt;/p&gt;</description></item>`, i, i, i, i)
	}
	doc.WriteString(`</channel></rss>`)
	path := filepath.Join(b.TempDir(), "bench.rss")
	if err := os.WriteFile(path, []byte(doc.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := newFeed(config.Source{ID: "bench", URL: path}, Env{Fetcher: NewFetcher("", 0, 0), Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(doc.Len()))
	for b.Loop() {
		batch, err := s.Collect(b.Context())
		if err != nil || len(batch.Articles) != 200 {
			b.Fatalf("%d articles, %v", len(batch.Articles), err)
		}
	}
}
