package publish

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/site"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// pagesConfig has a news API source (pages on by default) filing in
// "news" and a feed source (pages off) filing in "blog", with 2 articles
// a category page.
func pagesConfig() *config.Config {
	cfg := testConfig()
	cfg.Output.PerPage = 2
	cfg.Categories = []config.Category{{ID: "news", Title: "新闻"}, {ID: "blog", Title: "Blog", Language: "en"}}
	cfg.Sources = []config.Source{
		{ID: "api", Type: "json", Schedule: "@every 10m", Category: config.CategorySpec{ID: "news"}},
		{ID: "feed", Type: "feed", Schedule: "@hourly", Category: config.CategorySpec{ID: "blog"}},
	}
	return cfg
}

func pageArticles(source, cat string, n int) []article.Article {
	var arts []article.Article
	for i := range n {
		a := article.Article{SourceID: source, ID: source + string(rune('a'+i)), Title: cat + " 标题 " + string(rune('A'+i)),
			Link:      "https://upstream.example.com/" + source + "/" + string(rune('a'+i)),
			Published: time.Date(2022, 2, 14, 8, i, 0, 0, time.FixedZone("", 8*3600)), Categories: []string{cat},
			Content: `<p>正文</p><img src="https://img.example.com/x.jpg" alt="现场">`, Summary: "摘要"}
		a.Hash = article.ContentHash(&a)
		arts = append(arts, a)
	}
	return arts
}

// TestPagesLinks: an article of a source with pages has one, its feed
// entries link to it with the original kept as the source link (rel=via),
// its lists link it; an article of a source without links its original;
// feeds' alternate links are their category pages; an article page loads
// no image from another host.
func TestPagesLinks(t *testing.T) {
	ctx := t.Context()
	st := testStore(t)
	save(t, st, "api", pageArticles("api", "news", 1))
	save(t, st, "feed", pageArticles("feed", "blog", 1))
	p := New(pagesConfig(), st, "test")
	tree, err := p.Render(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page := site.ArticlePath(ArticleKey(article.Article{SourceID: "api", ID: "apia"}))
	files := map[string]string{}
	for _, f := range tree {
		files[f.Path] = string(f.Body)
	}
	if _, ok := files[page]; !ok {
		t.Fatalf("no page %s for the api's article; tree %q", page, slices.Sorted(maps.Keys(files)))
	}
	if _, ok := files[site.ArticlePath(ArticleKey(article.Article{SourceID: "feed", ID: "feeda"}))]; ok {
		t.Error("a feed source's article has a page")
	}
	for _, want := range []string{
		`<link href="https://feeds.example.org/` + page + `" rel="alternate" type="text/html"></link>`,
		`<link href="https://upstream.example.com/api/a" rel="via"></link>`,
		`<link href="https://feeds.example.org/category/news.html" rel="alternate" type="text/html"></link>`,
	} {
		if !strings.Contains(files["feeds/news.atom"], want) {
			t.Errorf("news.atom lacks %s:\n%s", want, files["feeds/news.atom"])
		}
	}
	if !strings.Contains(files["feeds/blog.atom"], `<link href="https://upstream.example.com/feed/a" rel="alternate" type="text/html"></link>`) {
		t.Errorf("blog.atom does not link the original:\n%s", files["feeds/blog.atom"])
	}
	if !strings.Contains(files["feeds/news.json"], `"home_page_url": "https://feeds.example.org/category/news.html"`) {
		t.Errorf("news.json's home_page_url is not its category page")
	}
	if !strings.Contains(files["category/news.html"], `href="../`+page+`"`) || !strings.Contains(files["category/blog.html"], `href="https://upstream.example.com/feed/a"`) {
		t.Errorf("the category pages do not link the page, resp. the original:\n%s\n%s", files["category/news.html"], files["category/blog.html"])
	}
	art := files[page]
	for _, want := range []string{`<a href="https://upstream.example.com/api/a" rel="noreferrer" dir="ltr">`, `<a href="../category/news.html" dir="auto">← 新闻</a>`,
		`<a class="offsite" href="https://img.example.com/x.jpg" rel="noreferrer">图片: 现场</a>`} {
		if !strings.Contains(art, want) {
			t.Errorf("the article page lacks %s:\n%s", want, art)
		}
	}
	if strings.Contains(art, "<img") {
		t.Errorf("the article page loads an image from another host:\n%s", art)
	}
}

// TestRenderChangedPages: the daemon's publish of one changed category
// renders only the pages whose content moved, and names those the
// category no longer has.
func TestRenderChangedPages(t *testing.T) {
	ctx := t.Context()
	st := testStore(t)
	save(t, st, "api", pageArticles("api", "news", 5))
	save(t, st, "feed", pageArticles("feed", "blog", 1))
	p := New(pagesConfig(), st, "test")
	if _, _, err := p.RenderChanged(ctx, nil); err != nil {
		t.Fatal(err)
	}
	paths := func(tree Tree) []string {
		var out []string
		for _, f := range tree {
			if f.Category != "" {
				out = append(out, f.Path)
			}
		}
		slices.Sort(out)
		return out
	}
	// Nothing changed in news: none of its pages is rendered again.
	tree, gone, err := p.RenderChanged(ctx, []string{"news"})
	if err != nil || len(paths(tree)) != 0 || len(gone) != 0 {
		t.Fatalf("news unchanged: pages %q, gone %q (%v)", paths(tree), gone, err)
	}
	// One article more: its page, the newest page, the numbered page it
	// fills and the one before, relinked (5 articles at 2 a page: the
	// newest page held 3, now it holds 2 and page 2 is created full).
	more := pageArticles("api", "news", 6)
	save(t, st, "api", more[5:])
	tree, gone, err = p.RenderChanged(ctx, []string{"news"})
	newPage := site.ArticlePath(ArticleKey(more[5]))
	want := []string{newPage, "category/news.html", "category/news/1.html", "category/news/2.html"}
	slices.Sort(want)
	if err != nil || !slices.Equal(paths(tree), want) || len(gone) != 0 {
		t.Errorf("one article added: pages %q, gone %q (%v); want %q", paths(tree), gone, err, want)
	}
	// One more, which the newest page takes: it and the article's page.
	more = pageArticles("api", "news", 7)
	save(t, st, "api", more[6:])
	tree, gone, err = p.RenderChanged(ctx, []string{"news"})
	want = []string{site.ArticlePath(ArticleKey(more[6])), "category/news.html"}
	slices.Sort(want)
	if err != nil || !slices.Equal(paths(tree), want) || len(gone) != 0 {
		t.Errorf("another article added: pages %q, gone %q (%v); want %q", paths(tree), gone, err, want)
	}
	// Retention drops the two oldest: their pages go, and no page is
	// renumbered (page 1 is gone with its articles, page 2 stays).
	if _, _, err := st.Prune(ctx, 0, 5, time.Now()); err != nil {
		t.Fatal(err)
	}
	tree, gone, err = p.RenderChanged(ctx, []string{"news"})
	wantGone := []string{site.ArticlePath(ArticleKey(more[0])), site.ArticlePath(ArticleKey(more[1])), "category/news/1.html"}
	slices.Sort(wantGone)
	if err != nil || !slices.Equal(gone, wantGone) {
		t.Errorf("after retention: gone %q (%v), want %q", gone, err, wantGone)
	}
	if got := paths(tree); !slices.Equal(got, []string{"category/news/2.html"}) {
		t.Errorf("after retention: pages rendered %q, want only category/news/2.html (no older page to link)", got)
	}
}

// save saves arts as source's.
func save(t *testing.T, st *sqlite.Store, source string, arts []article.Article) {
	t.Helper()
	for i := range arts {
		arts[i].SourceID = source
	}
	if _, err := st.Save(t.Context(), source, arts, time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
}
