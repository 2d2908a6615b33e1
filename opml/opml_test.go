package opml

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// feedLines renders feeds as "title|url|site|folder/folder" for comparing.
func feedLines(feeds []Feed) []string {
	var out []string
	for _, f := range feeds {
		out = append(out, strings.Join([]string{f.Title, f.URL, f.SiteURL, strings.Join(f.Folders, "/")}, "|"))
	}
	return out
}

func TestParseFeeds(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(`<?xml version="1.0" encoding="GBK"?>
<opml version="1.0"><head><title>订阅</title></head><body>
<outline text="新闻"><outline text="日照日报" xmlUrl="https://news.example.com/rizhao.xml"/></outline>
</body></opml>`)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(`<?xml version="1.0" encoding="UTF-16"?>
<opml version="2.0"><body><outline type="rss" text="Wide" xmlUrl="https://wide.example.org/feed"/></body></opml>`)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, doc string
		title     string
		feeds     []string
		problems  []string
	}{
		{
			name: "OPML 2.0 with folders, nested",
			doc: `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline type="rss" text="Top" title="Top level" xmlUrl="https://top.example.org/feed.xml" htmlUrl="https://top.example.org/"/>
    <outline text="Tech" title="Tech">
      <outline type="rss" text="Go blog" xmlUrl="https://go.dev/blog/feed.atom"/>
      <outline text="Databases">
        <outline type="atom" title="SQLite" xmlUrl="https://sqlite.example.org/news.atom"/>
      </outline>
    </outline>
  </body>
</opml>`,
			title: "My feeds",
			feeds: []string{
				"Top level|https://top.example.org/feed.xml|https://top.example.org/|",
				"Go blog|https://go.dev/blog/feed.atom||Tech",
				"SQLite|https://sqlite.example.org/news.atom||Tech/Databases",
			},
		},
		{
			name: "OPML 1.0 without types, attribute names in any case, HTML entities, a bare ampersand",
			doc: `<opml version="1.0"><head><title>Old &amp; odd</title></head><body>
<outline TEXT="Caf&eacute; news" XMLURL="HTTP://Cafe.Example.org/rss?a=1&b=2" htmlurl="http://cafe.example.org/"/>
</body></opml>`,
			title: "Old & odd",
			feeds: []string{"Café news|http://cafe.example.org/rss?a=1&b=2|http://cafe.example.org/|"},
		},
		{
			name:  "GBK declared in the prolog",
			doc:   gbk,
			title: "订阅",
			feeds: []string{"日照日报|https://news.example.com/rizhao.xml||新闻"},
		},
		{
			name:  "UTF-8 byte order mark",
			doc:   "\xEF\xBB\xBF" + `<?xml version="1.0"?><opml version="2.0"><body><outline text="BOM" xmlUrl="https://bom.example.org/"/></body></opml>`,
			feeds: []string{"BOM|https://bom.example.org/||"},
		},
		{
			name:  "UTF-16 with its byte order mark",
			doc:   utf16,
			feeds: []string{"Wide|https://wide.example.org/feed||"},
		},
		{
			name: "unsafe and repeated URLs left out, each named",
			doc: `<opml version="2.0"><body>
<outline text="Script" xmlUrl="javascript:alert(1)"/>
<outline text="FTP" xmlUrl="ftp://files.example.org/feed"/>
<outline text="Secret" xmlUrl="https://user:pass@example.org/feed"/>
<outline text="Relative" xmlUrl="/feed.xml"/>
<outline text="Good" xmlUrl="https://example.org/feed" htmlUrl="javascript:void(0)"/>
<outline text="Again" xmlUrl="https://EXAMPLE.org/feed"/>
<outline text="Braces" xmlUrl="https://example.org/x?k=${HOME}"/>
<outline type="include" text="More" url="https://example.org/more.opml"/>
<outline text="Empty folder"/>
</body></opml>`,
			feeds: []string{"Good|https://example.org/feed||", "Braces|https://example.org/x?k=$%7BHOME%7D||"},
			problems: []string{
				`line 2: outline "Script": xmlUrl "javascript:alert(1)": not an http or https URL; skipped`,
				`line 3: outline "FTP": xmlUrl "ftp://files.example.org/feed": not an http or https URL; skipped`,
				`line 4: outline "Secret": xmlUrl "https://user:pass@example.org/feed": holds a user name or password; skipped`,
				`line 5: outline "Relative": xmlUrl "/feed.xml": not an http or https URL; skipped`,
				`line 6: outline "Good": htmlUrl "javascript:void(0)": not an http or https URL; the feed is kept without it`,
				`line 7: outline "Again": the feed https://example.org/feed is listed already, on line 6; skipped`,
				`line 9: outline "More": type "include" without an xmlUrl is no feed; skipped`,
			},
		},
		{
			name: "control characters and long names cleaned",
			doc: `<opml version="2.0"><body><outline text="a&#x85;b&#9;c&#10;line" xmlUrl="https://example.org/a"/>` +
				`<outline text="` + strings.Repeat("长", 300) + `" xmlUrl="https://example.org/b"/></body></opml>`,
			feeds: []string{"a b c line|https://example.org/a||", strings.Repeat("长", MaxTitle-1) + "…|https://example.org/b||"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse(strings.NewReader(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title {
				t.Errorf("title %q, want %q", doc.Title, tt.title)
			}
			feeds, problems := doc.Feeds()
			if got := feedLines(feeds); !slices.Equal(got, tt.feeds) {
				t.Errorf("feeds\n%q\nwant\n%q", got, tt.feeds)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.Error())
			}
			if !slices.Equal(got, tt.problems) {
				t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.problems, "\n"))
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	deep := strings.Repeat(`<outline text="x">`, MaxDepth+1) + strings.Repeat(`</outline>`, MaxDepth+1)
	tests := []struct{ name, doc, want string }{
		{"an RSS feed", `<?xml version="1.0"?>` + "\n" + `<rss version="2.0"><channel/></rss>`, "line 2: not an OPML document: the root element is <rss>, not <opml>"},
		{"not XML", `{"feeds": []}`, "not an OPML document"},
		{"empty", ``, "line 1: not an OPML document: unexpected end of the document"},
		{"cut short", "<opml version=\"2.0\"><body>\n<outline text=\"a\">", "line 2: "},
		{"unknown charset", `<?xml version="1.0" encoding="x-klingon"?><opml/>`, `unknown charset "x-klingon"`},
		{"invalid UTF-8", "<opml><body><outline text=\"\xff\"/></body></opml>", "not valid UTF-8 at byte 27 (no charset declared)"},
		{"too deep", `<opml><body>` + deep + `</body></opml>`, fmt.Sprintf("outlines nested more than %d deep", MaxDepth)},
		{"too many outlines", `<opml><body>` + strings.Repeat(`<outline/>`, MaxOutlines+1) + `</body></opml>`, fmt.Sprintf("more than %d outlines", MaxOutlines)},
		{"too large", `<opml><body>` + strings.Repeat(" ", MaxSize) + `</body></opml>`, "larger than 8 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one with %q", err, tt.want)
			}
		})
	}
}

// FuzzParse: no document makes Parse or Feeds panic, and every feed
// they give is an http(s) URL without credentials, named in clean text.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`<opml version="2.0"><head><title>t</title></head><body><outline text="F"><outline type="rss" text="a" xmlUrl="https://example.org/f" htmlUrl="https://example.org/"/></outline></body></opml>`))
	f.Add([]byte("\xEF\xBB\xBF<opml><body><outline XMLURL='http://x/?a&b' text='&eacute;'/></body></opml>"))
	f.Add([]byte(`<?xml version="1.0" encoding="gbk"?><opml><body><outline text="x" xmlUrl="ftp://a"/></body></opml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		feeds, _ := doc.Feeds()
		for _, fd := range feeds {
			for i, u := range []string{fd.URL, fd.SiteURL} {
				if u == "" && i == 1 {
					continue // no site
				}
				if again, err := feedURL(u); err != nil || again != u {
					t.Errorf("URL %q kept, but checked again: %q, %v", u, again, err)
				}
			}
			for _, s := range append([]string{fd.Title}, fd.Folders...) {
				if Clean(s) != s {
					t.Errorf("name %q not clean", s)
				}
			}
		}
	})
}
