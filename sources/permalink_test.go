package sources

import (
	"reflect"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
)

func TestPostsPermalink(t *testing.T) {
	const (
		hello  = "hello-world"
		plain  = "no-category"
		own    = "own-permalink"
		mixed  = "Mixed_Case"
		xinwen = "%E6%96%B0%E9%97%BB" // 新闻, as a browser requests it
	)
	tests := []struct {
		name               string
		permalink, siteURL string
		baseURL            string // the site's, used when siteURL is empty
		wantBase           string
		want               map[string]string
	}{
		{"default is date", "", "https://example.com", "", "https://example.com/", map[string]string{
			// 00:30 +08:00 is the 14th in the post's offset (the 13th in UTC).
			hello: "https://example.com/go/" + xinwen + "/2022/02/14/hello-world.html",
			plain: "https://example.com/2022/02/15/no-category.html",
			own:   "https://example.com/notes/go/2022/own-permalink/",
			mixed: "https://example.com/2022/02/17/Mixed_Case.html",
		}},
		{"pretty", "pretty", "https://example.com/", "", "https://example.com/", map[string]string{
			hello: "https://example.com/go/" + xinwen + "/2022/02/14/hello-world/",
			plain: "https://example.com/2022/02/15/no-category/",
			own:   "https://example.com/notes/go/2022/own-permalink/",
			mixed: "https://example.com/2022/02/17/Mixed_Case/",
		}},
		{"ordinal", "ordinal", "https://example.com", "", "https://example.com/", map[string]string{
			hello: "https://example.com/go/" + xinwen + "/2022/045/hello-world.html",
			plain: "https://example.com/2022/046/no-category.html",
			own:   "https://example.com/notes/go/2022/own-permalink/",
			mixed: "https://example.com/2022/048/Mixed_Case.html",
		}},
		{"none", "none", "https://example.com", "", "https://example.com/", map[string]string{
			hello: "https://example.com/go/" + xinwen + "/hello-world.html",
			plain: "https://example.com/no-category.html",
			own:   "https://example.com/notes/go/2022/own-permalink/",
			mixed: "https://example.com/Mixed_Case.html",
		}},
		{"custom", "/blog/:short_year/:i_month/:i_day/:hour:minute/:slug", "https://example.com", "",
			"https://example.com/", map[string]string{
				hello: "https://example.com/blog/22/2/14/0030/hello-world",
				plain: "https://example.com/blog/22/2/15/0800/no-category",
				own:   "https://example.com/notes/go/2022/own-permalink/",
				mixed: "https://example.com/blog/22/2/17/0800/mixed-case",
			}},
		{"site base URL with a path", "", "", "https://example.com/blog/", "https://example.com/blog/", map[string]string{
			hello: "https://example.com/blog/go/" + xinwen + "/2022/02/14/hello-world.html",
			plain: "https://example.com/blog/2022/02/15/no-category.html",
			own:   "https://example.com/blog/notes/go/2022/own-permalink/",
			mixed: "https://example.com/blog/2022/02/17/Mixed_Case.html",
		}},
		{"no site URL", "", "", "", "", map[string]string{
			hello: "/go/" + xinwen + "/2022/02/14/hello-world.html",
			plain: "/2022/02/15/no-category.html",
			own:   "/notes/go/2022/own-permalink/",
			mixed: "/2022/02/17/Mixed_Case.html",
		}},
	}
	slugs := []string{hello, plain, own, mixed}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Source{Path: "testdata/posts/permalink", Permalink: tt.permalink, SiteURL: tt.siteURL}
			b := collectPosts(t, cfg, Env{Site: config.Site{BaseURL: tt.baseURL}})
			if b.BaseURL != tt.wantBase {
				t.Errorf("BaseURL = %q, want %q", b.BaseURL, tt.wantBase)
			}
			if len(b.Articles) != len(slugs) {
				t.Fatalf("got %d articles, want %d (skipped %v)", len(b.Articles), len(slugs), b.Skipped)
			}
			for i, a := range b.Articles {
				if want := tt.want[slugs[i]]; a.Link != want || a.ID != want {
					t.Errorf("%s: link %q, id %q, want %q", slugs[i], a.Link, a.ID, want)
				}
			}
		})
	}
}

func TestExpandPermalink(t *testing.T) {
	date := time.Date(2022, 2, 3, 4, 5, 6, 0, time.FixedZone("", 8*3600)) // a Thursday
	u := postURL{date: date, slug: "Hello World", categories: []string{"C#", "Go", "go"}}
	tests := []struct {
		name, template, want string
		u                    postURL
	}{
		{"date parts", ":year-:short_year-:month-:i_month-:day-:i_day", "/2022-22-02-2-03-3", u},
		{"time parts", "/:hour:minute:second/", "/040506/", u},
		{"names", ":y_day/:short_month/:long_month/:short_day/:long_day", "/034/Feb/February/Thu/Thursday", u},
		{"week", ":w_year/W:week/:w_day", "/2022/W05/4", u},
		{"title keeps case", "/:title:output_ext", "/Hello-World.html", u},
		{"slug lower-cased", "/:slug/", "/hello-world/", u},
		{"categories lower-cased once each", "/:categories/:title_:year", "/c%23/go/Hello-World_2022", u},
		{"no categories", "/:categories/:title", "/Hello-World", postURL{date: date, slug: "Hello World"}},
		{"Chinese category", "/:categories/", "/%E6%97%A5%E7%85%A7/",
			postURL{date: date, categories: []string{"日照"}}},
		{"Chinese title", "/:title", "/%E4%BD%A0%E5%A5%BD-%E4%B8%96%E7%95%8C", postURL{date: date, slug: "你好 世界"}},
		{"Chinese literal", "/关于/:slug/", "/%E5%85%B3%E4%BA%8E/hello-world/", u},
		{"encoded literal kept", "/a%20b/:slug", "/a%20b/hello-world", u},
		{"bare percent encoded", "/100%/:slug%", "/100%25/hello-world%25", u},
		{"no climbing out", "/../../etc/:slug", "/etc/hello-world", u},
		{"no leading slash", ":slug", "/hello-world", u},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.u.expand(tt.template)
			if err != nil || got != tt.want {
				t.Errorf("expand(%q) = %q, %v; want %q", tt.template, got, err, tt.want)
			}
		})
	}
	if _, err := u.expand("/:year/:nope/"); err == nil {
		t.Error("an unknown placeholder gave no error")
	}
}

func TestPermalinkTemplate(t *testing.T) {
	got := map[string]string{}
	for _, p := range []string{"", "date", "pretty", "ordinal", "none", "/:title/"} {
		got[p] = permalinkTemplate(p)
	}
	want := map[string]string{
		"":         "/:categories/:year/:month/:day/:title:output_ext",
		"date":     "/:categories/:year/:month/:day/:title:output_ext",
		"pretty":   "/:categories/:year/:month/:day/:title/",
		"ordinal":  "/:categories/:year/:y_day/:title:output_ext",
		"none":     "/:categories/:title:output_ext",
		"/:title/": "/:title/",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, pretty, plain string }{
		{"Hello, World!", "Hello,-World!", "hello-world"},
		{"--a  b--", "a-b", "a-b"},
		{"Mixed_Case.v2", "Mixed_Case.v2", "mixed-case-v2"},
		{"你好 世界", "你好-世界", "你好-世界"},
		{"Crème brûlée", "Crème-brûlée", "crème-brûlée"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := slugify(tt.in, true); got != tt.pretty {
				t.Errorf("pretty: %q, want %q", got, tt.pretty)
			}
			if got := slugify(tt.in, false); got != tt.plain {
				t.Errorf("plain: %q, want %q", got, tt.plain)
			}
		})
	}
}
