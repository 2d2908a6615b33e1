package site

import (
	"bytes"
	"flag"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const base = "https://news.example.com/mirror/"

// tree renders every page of s with the fixture's articles: path → bytes.
func tree(t testing.TB, th *Theme, s Site, byCategory map[string][]Article, st Status) map[string][]byte {
	t.Helper()
	files := map[string][]byte{OPMLPath: []byte("<opml/>")}
	for _, a := range th.Assets() {
		files[a.Path] = a.Body
	}
	var latest []Article
	for _, c := range s.Categories {
		as := byCategory[c.ID]
		pages, err := th.Category(s, c, as)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			files[p.Path] = p.Body
		}
		for _, a := range as {
			latest = append(latest, a)
			if !a.HasPage {
				continue
			}
			b, err := th.Article(s, a)
			if err != nil {
				t.Fatal(err)
			}
			files[ArticlePath(a.Key)] = b
		}
	}
	slices.SortStableFunc(latest, func(a, b Article) int { return b.Published.Compare(a.Published) })
	home, err := th.Home(s, latest)
	if err != nil {
		t.Fatal(err)
	}
	files[HomePath] = home
	status, err := th.Status(s, st)
	if err != nil {
		t.Fatal(err)
	}
	files[StatusPath] = status
	return files
}

func fixtureTree(t testing.TB, base string) map[string][]byte {
	th, err := LoadTheme(nil)
	if err != nil {
		t.Fatal(err)
	}
	byCategory := map[string][]Article{
		"rizhaoribao": rizhaoArticles(),
		"linyiribao":  {linyiArticle()},
		"engineering": {engineeringArticle()},
	}
	return tree(t, th, fixture(base), byCategory, fixtureStatus(true))
}

// TestGolden compares every page of the fixture site with
// testdata/golden, and checks each is a well-formed page whose links
// between pages all land on a page of the tree.
func TestGolden(t *testing.T) {
	files := fixtureTree(t, base)
	names := map[string]string{
		HomePath:                              "home.html",
		"category/rizhaoribao.html":           "category-rizhaoribao.html",
		"category/rizhaoribao/1.html":         "category-rizhaoribao-1.html",
		"category/engineering.html":           "category-engineering.html",
		ArticlePath("rizhao-api/1000"):        "article-zh.html",
		ArticlePath(engineeringArticle().Key): "article-en.html",
		StatusPath:                            "status.html",
	}
	for p, golden := range names {
		t.Run(golden, func(t *testing.T) {
			got, ok := files[p]
			if !ok {
				t.Fatalf("%s not rendered; have %v", p, slices.Sorted(mapKeys(files)))
			}
			checkPage(t, p, got, files)
			file := filepath.Join("testdata", "golden", golden)
			if *update {
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test ./site -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (go test ./site -update rewrites it):\n%s", p, file, got)
			}
		})
	}
	for p, b := range files {
		if strings.HasSuffix(p, ".html") {
			checkPage(t, p, b, files)
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// checkPage checks that body, the page at p of tree, parses as HTML with
// a lang, one h1, the landmarks, the stylesheet, autodiscovery links and
// no script, and that every relative link lands on a file of tree (when
// tree is not nil) and every other one is http(s).
func checkPage(t testing.TB, p string, body []byte, tree map[string][]byte) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	count := map[string]int{}
	var htmlLang string
	alternates := 0
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		count[n.Data]++
		switch n.Data {
		case "html":
			htmlLang = attr(n, "lang")
		case "script", "iframe", "object", "embed", "base", "form":
			t.Errorf("%s: a <%s> element", p, n.Data)
		case "link":
			switch attr(n, "rel") {
			case "alternate":
				alternates++
				checkURL(t, p, attr(n, "href"), tree)
			case "stylesheet", "icon":
				if h := attr(n, "href"); path.Join(path.Dir(p), h) != map[string]string{"stylesheet": CSSPath, "icon": IconPath}[attr(n, "rel")] {
					t.Errorf("%s: %s %q is not the theme's", p, attr(n, "rel"), h)
				}
			}
		case "a":
			if h, ok := attrOK(n, "href"); ok {
				checkURL(t, p, h, tree)
			}
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "style" {
				t.Errorf("%s: <%s %s=%q>", p, n.Data, a.Key, a.Val)
			}
		}
	}
	if htmlLang == "" {
		t.Errorf("%s: no lang", p)
	}
	if count["h1"] != 1 {
		t.Errorf("%s: %d h1, want 1", p, count["h1"])
	}
	for _, l := range []string{"header", "nav", "main", "footer", "title"} {
		if count[l] == 0 {
			t.Errorf("%s: no <%s>", p, l)
		}
	}
	if alternates == 0 || alternates%3 != 0 {
		t.Errorf("%s: %d alternate links, want 3 a feed", p, alternates)
	}
}

func checkURL(t testing.TB, p, href string, tree map[string][]byte) {
	t.Helper()
	if web(href) != "" {
		return
	}
	if tree == nil {
		if strings.Contains(href, ":") {
			t.Errorf("%s: link %q is neither http(s) nor relative", p, href)
		}
		return
	}
	target := path.Join(path.Dir(p), href)
	if _, ok := tree[target]; !ok || strings.HasPrefix(href, "/") {
		t.Errorf("%s: link %q goes to %s, not a file of the tree", p, href, target)
	}
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}
