package sources

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
)

// benchContent is an item body of about 1 KB, Chinese and English, with
// the markup a news site's feed carries.
var benchContent = strings.Repeat("&lt;p&gt;日照市今天发布了新的通知，涉及交通和教育。 "+
	"The notice covers &lt;a href=&quot;https://example.com/x&quot;&gt;transport&lt;/a&gt; and schools.&lt;/p&gt;", 4)

// benchRSS is a 200-item RSS 2.0 document with content:encoded.
func benchRSS(n int) string {
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>bench</title><link>https://example.com/</link><description>bench feed</description>`)
	start := time.Date(2022, 2, 14, 8, 47, 41, 0, time.FixedZone("", 8*3600))
	for i := range n {
		fmt.Fprintf(&doc, `<item><title>第 %d 条新闻: RSS</title><link>https://example.com/news/%d.html</link>
<guid isPermaLink="false">rss-%d</guid><pubDate>%s</pubDate><dc:creator>编辑部</dc:creator>
<category>news</category><category>本地</category><description>Summary %d.</description>
<content:encoded>%s</content:encoded></item>
`, i, i, i, start.Add(-time.Duration(i)*time.Hour).Format(time.RFC1123Z), i, benchContent)
	}
	doc.WriteString("</channel></rss>\n")
	return doc.String()
}

// benchAtom is a 200-entry Atom 1.0 document with HTML content.
func benchAtom(n int) string {
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>bench</title><id>urn:bench</id>
<link href="https://example.com/"/><updated>2022-02-14T08:47:41+08:00</updated>`)
	start := time.Date(2022, 2, 14, 8, 47, 41, 0, time.FixedZone("", 8*3600))
	for i := range n {
		t := start.Add(-time.Duration(i) * time.Hour).Format(time.RFC3339)
		fmt.Fprintf(&doc, `<entry><title>第 %d 条新闻: Atom</title><id>urn:bench:%d</id>
<link rel="alternate" href="https://example.com/news/%d.html"/><published>%s</published><updated>%s</updated>
<author><name>编辑部</name></author><category term="news"/><category term="本地"/>
<summary>Summary %d.</summary><content type="html">%s</content></entry>
`, i, i, i, t, t, i, benchContent)
	}
	doc.WriteString("</feed>\n")
	return doc.String()
}

// benchmarkParse collects a local feed file through the feed source:
// read, decode, parse and turn each item into an article.
func benchmarkParse(b *testing.B, name, doc string, n int) {
	path := filepath.Join(b.TempDir(), name)
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := New(config.Source{ID: "bench", Type: "feed", URL: path},
		Env{Fetcher: NewFetcher("", 0, 0), Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		batch, err := s.Collect(b.Context())
		if err != nil || len(batch.Articles) != n {
			b.Fatalf("%d articles, %v", len(batch.Articles), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/item")
}

func BenchmarkParseRSS200(b *testing.B)  { benchmarkParse(b, "bench.rss", benchRSS(200), 200) }
func BenchmarkParseAtom200(b *testing.B) { benchmarkParse(b, "bench.atom", benchAtom(200), 200) }
