package feeds

import (
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

// TestVia: an article's source link (a mirror's original) is rendered
// as Atom link rel="via", RSS dc:source and JSON Feed external_url; one
// that is the article's own link, or not an absolute http(s) URL, is not.
func TestVia(t *testing.T) {
	ch := Channel{ID: "news", Title: "News", SiteURL: "https://feeds.example.org/",
		AtomURL: "https://feeds.example.org/news.atom", RSSURL: "https://feeds.example.org/news.rss",
		JSONURL: "https://feeds.example.org/news.json"}
	tests := []struct {
		name, link, via string
		atom, rss, json string // "" when nothing must be rendered
	}{
		{"upstream", "https://mirror.example.org/1.html", "http://news.example.com/a?x=1&y=2",
			`<link href="http://news.example.com/a?x=1&amp;y=2" rel="via"></link>`,
			`<dc:source>http://news.example.com/a?x=1&amp;y=2</dc:source>`,
			`"external_url": "http://news.example.com/a?x=1&y=2"`},
		{"same as link", "https://mirror.example.org/1.html", "https://mirror.example.org/1.html", "", "", ""},
		{"not http", "https://mirror.example.org/1.html", "javascript:alert(1)", "", "", ""},
		{"relative", "https://mirror.example.org/1.html", "/a", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := article.Article{ID: "1", Title: "t", Link: tt.link, Via: tt.via, Content: "<p>x</p>",
				Published: time.Date(2022, 2, 14, 8, 0, 0, 0, time.UTC)}
			for _, f := range []struct {
				name   string
				render func(Channel, []article.Article) ([]byte, error)
				want   string
				absent string
			}{
				{"atom", Atom, tt.atom, `rel="via"`},
				{"rss", RSS, tt.rss, "dc:source"},
				{"json", JSON, tt.json, "external_url"},
			} {
				doc, err := f.render(ch, []article.Article{a})
				if err != nil {
					t.Fatal(err)
				}
				s := string(doc)
				switch {
				case f.want != "" && !strings.Contains(s, f.want):
					t.Errorf("%s lacks %s:\n%s", f.name, f.want, s)
				case f.want == "" && strings.Contains(s, f.absent):
					t.Errorf("%s holds %s:\n%s", f.name, f.absent, s)
				}
				if f.name == "rss" && f.want != "" && !strings.Contains(s, `xmlns:dc="http://purl.org/dc/elements/1.1/"`) {
					t.Errorf("rss uses dc:source without declaring dc:\n%s", s)
				}
			}
		})
	}
}
