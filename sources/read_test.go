package sources

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/normalize"
)

// read is an article as the reading tests compare it: every field but
// the normalizer's Hash, with times as RFC 3339 so the offset counts.
type read struct {
	ID, Title, Link, Author, Published, Updated, Summary, Content string
	FullText                                                      bool
	Tags                                                          []string
	Image                                                         string
	Enclosures                                                    []article.Enclosure
}

func readView(a article.Article) read {
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	return read{a.ID, a.Title, a.Link, a.Author, date(a.Published), date(a.Updated), a.Summary, a.Content,
		a.FullText, a.Tags, a.Image, a.Enclosures}
}

// collectRead runs the feed source over testdata/feedread/file, served
// as an upstream would, and normalizes what it gives.
func collectRead(t *testing.T, srv *httptest.Server, file string) []read {
	t.Helper()
	b, err := collect(t, config.Source{URL: srv.URL + "/" + file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := normalize.New(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	var out []read
	for _, a := range b.Articles {
		n.Article(&a, b.BaseURL)
		out = append(out, readView(a))
	}
	return out
}

// TestFeedReadsWhatGofeedLeaves: content in base64, xhtml:body and
// fullitem, DCMI Terms dates and windows-1252 under its other labels, each
// fixture written from its spec.
func TestFeedReadsWhatGofeedLeaves(t *testing.T) {
	srv := httptest.NewServer(http.FileServer(http.Dir("testdata/feedread")))
	defer srv.Close()
	quotes := []read{{ID: "https://quotes.example.com/1", Title: "don’t stop", Link: "https://quotes.example.com/1",
		Summary: "“Quoted” … costs €10", Content: "“Quoted” … costs €10"}}
	tests := []struct {
		file string
		want []read
	}{
		// RFC 4287 §4.1.3.3: not one of these is text, so none is
		// published as its base64 (nor as the bytes it decodes to).
		{"atom-base64.xml", []read{
			{ID: "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", Title: "Octet stream", Link: "https://bin.example.org/octet",
				Published: "2024-03-01T10:00:00Z", Updated: "2024-03-01T10:00:00Z", Summary: "A blob, described.", Content: "A blob, described."},
			{ID: "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6b", Title: "A picture", Link: "https://bin.example.org/png",
				Published: "2024-03-01T09:00:00Z", Updated: "2024-03-01T09:00:00Z", Summary: "A one-pixel image.", Content: "<p>A one-pixel <em>image</em>.</p>"},
			{ID: "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6c", Title: "A type gofeed does not know", Link: "https://bin.example.org/custom",
				Published: "2024-03-01T08:00:00Z", Updated: "2024-03-01T08:00:00Z"},
			{ID: "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6d", Title: "Out of line", Link: "https://bin.example.org/pdf",
				Published: "2024-03-01T07:00:00Z", Updated: "2024-03-01T07:00:00Z", Summary: "Only a link to the PDF.", Content: "Only a link to the PDF."},
		}},
		{"atom03-base64.xml", []read{
			{ID: "tag:old.example.org,2005:1", Title: "Titled in base64", Link: "https://old.example.org/1", Published: "2005-07-01T10:00:00Z",
				Summary: "A summary in base64.", Content: "<p>Base64 <b>HTML</b> — déjà vu</p>"},
			{ID: "tag:old.example.org,2005:2", Title: "Plain text in base64", Link: "https://old.example.org/2", Published: "2005-07-01T09:00:00Z",
				Summary: `Plain text: 1 < 2 & "quotes"`, Content: "Plain text: 1 &lt; 2 &amp; &#34;quotes&#34;"},
			{ID: "tag:old.example.org,2005:3", Title: "Escaped", Link: "https://old.example.org/3", Published: "2005-07-01T08:00:00Z",
				Summary: "Not base64.", Content: "<p>Not base64.</p>"},
		}},
		{"rss-xhtml-body.xml", []read{
			{ID: "https://body.example.com/1", Title: "Prefixed body", Link: "https://body.example.com/1",
				Summary: "Short.", Content: "<p>The <strong>full</strong> text,<br/>with a break &amp; an ampersand.</p>"},
			{ID: "https://body.example.com/2", Title: "Default namespace body", Link: "https://body.example.com/2",
				Summary: "Second story in full.", Content: `<p>Second <a href="https://body.example.com/more">story</a> in full.</p>`},
			{ID: "https://body.example.com/3", Title: "Longer description", Link: "https://body.example.com/3",
				Summary: "This description says more than the body does.", Content: "This description says more than the body does."},
		}},
		{"rss-fullitem.xml", []read{
			{ID: "https://cms.example.net/council", Title: "Council meets", Link: "https://cms.example.net/council",
				Summary: "The council met.", Content: "<p>The council met on <b>Monday</b> and agreed the budget.</p>"},
			{ID: "https://cms.example.net/cdata", Title: "In CDATA", Link: "https://cms.example.net/cdata",
				Summary: "Written in a CDATA section, with markup.", Content: "<p>Written in a CDATA section, with <i>markup</i>.</p>"},
		}},
		{"rss-dcterms.xml", []read{
			{ID: "https://dates.example.com/1", Title: "Issued and modified", Link: "https://dates.example.com/1",
				Published: "2023-05-01T08:00:00+02:00", Updated: "2023-05-02T09:30:00+02:00"},
			// A date without a zone is in the source's (Asia/Shanghai here).
			{ID: "https://dates.example.com/2", Title: "Created only", Link: "https://dates.example.com/2", Published: "2023-04-30T00:00:00+08:00"},
			{ID: "https://dates.example.com/3", Title: "atom:updated only", Link: "https://dates.example.com/3",
				Published: "2023-04-29T17:45:00Z", Updated: "2023-04-29T17:45:00Z"}, // published then at the latest
			// The item's own RSS date wins; gofeed already reads
			// atom:updated, which stands over dcterms:modified.
			{ID: "https://dates.example.com/4", Title: "pubDate wins", Link: "https://dates.example.com/4",
				Published: "2023-04-28T10:00:00Z", Updated: "2023-04-28T12:00:00Z"},
		}},
		// WHATWG: iso-8859-1 and us-ascii are labels of windows-1252.
		{"latin1.xml", quotes},
		{"us-ascii.xml", quotes},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := collectRead(t, srv, tt.file)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d articles, want %d: %+v", len(got), len(tt.want), got)
			}
			for i := range got {
				if !reflect.DeepEqual(got[i], tt.want[i]) {
					t.Errorf("article %d:\ngot  %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestWideFixtures reads the committed UTF-16 and UTF-32 documents, and
// the same made here from their UTF-8 template wide.xml, through the feed
// source: each must give what the template gives, and the committed files
// must be exactly the template in their encoding.
func TestWideFixtures(t *testing.T) {
	template, err := os.ReadFile(filepath.Join("testdata", "feedread", "wide.xml"))
	if err != nil {
		t.Fatal(err)
	}
	generated := map[string][]byte{}
	tests := []struct {
		file, label string
		enc         encoding.Encoding
		bom         bool
	}{
		{"utf16le.xml", "UTF-16", enc16LE, false},
		{"utf16be.xml", "UTF-16BE", enc16BE, false},
		{"utf32le-bom.xml", "UTF-32", enc32LE, true},
		{"utf32be.xml", "UTF-32BE", enc32BE, false},
	}
	for _, tt := range tests {
		doc := strings.Replace(string(template), `encoding="UTF-8"`, `encoding="`+tt.label+`"`, 1)
		if tt.bom {
			doc = "\uFEFF" + doc
		}
		generated["/generated-"+tt.file] = encode(t, tt.enc, doc)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, ok := generated[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(b)
			return
		}
		http.FileServer(http.Dir("testdata/feedread")).ServeHTTP(w, r)
	}))
	defer srv.Close()
	want := []read{{ID: "https://wide.example.com/1", Title: "日照 𠮷野家 don’t", Link: "https://wide.example.com/1",
		Published: "2024-03-04T10:00:00+08:00", Summary: "Ünïcödé beyond the BMP: 𝄞.", Content: "<p>Ünïcödé beyond the BMP: 𝄞.</p>"}}
	if got := collectRead(t, srv, "wide.xml"); !reflect.DeepEqual(got, want) {
		t.Fatalf("template:\ngot  %+v\nwant %+v", got, want)
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			committed, err := os.ReadFile(filepath.Join("testdata", "feedread", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(committed, generated["/generated-"+tt.file]) {
				t.Errorf("%s is not wide.xml in %s", tt.file, tt.label)
			}
			for _, file := range []string{tt.file, "generated-" + tt.file} {
				if got := collectRead(t, srv, file); !reflect.DeepEqual(got, want) {
					t.Errorf("%s:\ngot  %+v\nwant %+v", file, got, want)
				}
			}
		})
	}
}

// FuzzScanExtras: whatever the document, reading what gofeed leaves
// neither panics nor makes text that is not UTF-8.
func FuzzScanExtras(f *testing.F) {
	files, _ := filepath.Glob("testdata/feedread/*.xml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		body, err := decodeFeed(data, "", "")
		if err != nil {
			return
		}
		feed, err := parseFeed(body)
		if err != nil {
			return
		}
		applyExtras(feed.Items, scanExtras(body, feed.FeedType == "atom"))
		for _, it := range feed.Items {
			if it != nil && !utf8.ValidString(it.Content+it.Title+it.Description+it.Published+it.Updated) {
				t.Errorf("item %+v is not valid UTF-8", it)
			}
		}
	})
}
