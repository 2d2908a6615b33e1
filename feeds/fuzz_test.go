package feeds

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

// xmlSafe drops the characters XML 1.0 does not allow, as the normalize
// stage does before articles reach the renderer.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD && !(r == 0xFFFD && !strings.ContainsRune(s, 0xFFFD)),
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return -1
	}, strings.ToValidUTF8(s, ""))
}

func FuzzRender(f *testing.F) {
	f.Add("他说：\"你好\"：测试", "<p>2月14日，<strong>动员大会</strong></p>", "摘要")
	f.Add("a & b < c > d ]]> e", "<![CDATA[x]]> ]]> &amp;", "&#x26; &lt; \r\n")
	f.Add("", "", "")
	f.Add("  \t", "\x00\x1b\xff", "\u0085\u2028")
	f.Fuzz(func(t *testing.T, title, content, summary string) {
		a := article.Article{
			ID: "NW202202141234567890", SourceID: "fuzz", Link: "https://example.com/a.html",
			Title: xmlSafe(title), Content: xmlSafe(content), Summary: xmlSafe(summary),
			Published: time.Date(2022, 2, 14, 8, 47, 41, 0, time.FixedZone("", 8*3600)),
		}
		wantTitle := strings.TrimSpace(clean(a.Title))
		if wantTitle == "" {
			// Made from the text, else the date (repair.go).
			wantTitle = firstWords(strings.TrimSpace(clean(a.Summary)), titleLen)
			if wantTitle == "" {
				wantTitle = "2022-02-14 08:47"
			}
		}
		for _, r := range renderers {
			out, err := r.render(testChannel(), []article.Article{a})
			if err != nil {
				t.Fatalf("%s: %v", r.name, err)
			}
			if r.name == "json" {
				if !json.Valid(out) {
					t.Fatalf("json: invalid:\n%s", out)
				}
			} else if err := wellFormed(out); err != nil {
				t.Fatalf("%s: not well-formed: %v\n%s", r.name, err, out)
			}
			if n := len(parseFeed(t, out).Items); n != 1 {
				t.Fatalf("%s: %d items re-parsed, want 1", r.name, n)
			}
			checkRules(t, "fuzz"+r.ext, out)
			if got := decodedTitle(t, r.name, out); got != wantTitle {
				t.Errorf("%s: title %q, want %q", r.name, got, wantTitle)
			}
		}
	})
}

// decodedTitle reads the single item's title back with the standard
// library, which, unlike feed parsers, does not trim or unescape twice.
func decodedTitle(t *testing.T, format string, out []byte) string {
	t.Helper()
	var err error
	var title string
	switch format {
	case "atom":
		var doc struct {
			Entry struct {
				Title string `xml:"title"`
			} `xml:"entry"`
		}
		err = xml.Unmarshal(out, &doc)
		title = doc.Entry.Title
	case "rss":
		var doc struct {
			Item struct {
				Title string `xml:"title"`
			} `xml:"channel>item"`
		}
		err = xml.Unmarshal(out, &doc)
		title = doc.Item.Title
	case "json":
		var doc struct{ Items []struct{ Title string } }
		err = json.Unmarshal(out, &doc)
		if len(doc.Items) == 1 {
			title = doc.Items[0].Title
		}
	default:
		err = fmt.Errorf("unknown format %s", format)
	}
	if err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return title
}
