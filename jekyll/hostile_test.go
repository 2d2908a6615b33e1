package jekyll_test

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/jekyll"
)

// hostileTitle is a category title (or article title) an upstream
// chose: Markdown, HTML and Liquid at once.
const hostileTitle = "<script>alert(1)</script>[x](javascript:alert(1)) *a* _b_ `c` \\ & {{ site.deploy_token }} {% include footer.html %}"

// hostileAuthor is an author's name an upstream chose, and
// hostileAuthorShown what a page shows of it, printed unescaped as
// minima's layout prints page.author: no tag, and Liquid as text.
const (
	hostileAuthor      = "<script>alert(1)</script><img src=x onerror=alert(2)> {{ site.deploy_token }}"
	hostileAuthorShown = "scriptalert(1)/scriptimg src=x onerror=alert(2) {{ site.deploy_token }}"
)

func hostileArticle() article.Article {
	a := exampleArticle()
	a.Title = hostileTitle
	a.Categories = []string{"evil"}
	a.Tags = []string{"<script>alert(1)</script>", "{{ site.deploy_token }}", "two\nlines"}
	a.Author = hostileAuthor
	a.Content = "<p>{{ site.deploy_token }} {% include footer.html %} {%- endraw -%}</p>" +
		`<p><a href="http://x/{{site.deploy_token}}" title="{% raw %}">a</a></p>`
	return a
}

func hostileTitles(id string) string {
	return map[string]string{"evil": hostileTitle}[id]
}

// writeOne writes a with footer and returns the post.
func writeOne(t *testing.T, footer string, a article.Article) (dir, post string) {
	t.Helper()
	dir = t.TempDir()
	w := jekyll.New(config.Jekyll{Dir: dir, SiteURL: "//news.example.org/", Footer: footer}, hostileTitles, nil)
	write(t, w, a)
	posts, _ := filepath.Glob(filepath.Join(dir, "2022-02-14-*.md"))
	if len(posts) != 1 {
		t.Fatalf("posts: %q", posts)
	}
	data, err := os.ReadFile(posts[0])
	if err != nil {
		t.Fatal(err)
	}
	return dir, string(data)
}

// TestHostileUpstream writes an article whose every field is hostile:
// the body holds no "{" for Liquid to find, the front matter turns Liquid
// off, the tags are plain text, and the footer's link text is inert.
func TestHostileUpstream(t *testing.T) {
	dir, post := writeOne(t, "", hostileArticle())
	front, body, ok := strings.Cut(strings.TrimPrefix(post, "---\n"), "\n---\n")
	if !ok {
		t.Fatalf("no front matter:\n%s", post)
	}
	if !strings.Contains(front, "\nrender_with_liquid: false") {
		t.Errorf("front matter does not turn Liquid off:\n%s", front)
	}
	if strings.Contains(body, "{") {
		t.Errorf("body holds a \"{\" Liquid could read:\n%s", body)
	}
	wantTags := "tags:\n  - scriptalert(1)/script\n  - site.deploy_token\n  - two lines\n"
	if !strings.Contains(front, wantTags) {
		t.Errorf("front matter:\n%s\nwant tags:\n%s", front, wantTags)
	}
	body = strings.TrimSuffix(body, "\n")
	footer := body[strings.LastIndex(body, "\n")+1:]
	if !strings.HasPrefix(footer, "[返回") || !strings.Contains(footer, "](") || !strings.HasSuffix(footer, "](//news.example.org/category/evil.html)｜[返回首页](//news.example.org/)") {
		t.Fatalf("footer = %s", footer)
	}
	text := footer[len("[返回"):strings.Index(footer, "](")]
	if strings.ContainsAny(text, "<>[]()*_`\\{}") || html.UnescapeString(text) != hostileTitle {
		t.Errorf("link text %q: not inert, or not the title", text)
	}

	// Read back, the footer is cut and the upstream link kept as the
	// source link, however hostile the category's title.
	if got := readBack(t, dir); got.Via != exampleArticle().Link || strings.Contains(got.Content, "返回") {
		t.Errorf("read back: via %q, content %q; want the link as via and no footer", got.Via, got.Content)
	}
	// Markdown as CommonMark reads it (the posts source's goldmark, with
	// a footer pattern that matches nothing): the footer is two links,
	// and nothing upstream became markup.
	got := readBackWith(t, dir, `[^\x00-\x{10FFFF}]`)
	links := regexp.MustCompile(`<a href="([^"]*)"`).FindAllStringSubmatch(got.Content, -1)
	var hrefs []string
	for _, l := range links {
		hrefs = append(hrefs, l[1])
	}
	want := []string{"http://x/&#123;&#123;site.deploy_token}}", exampleArticle().Link, "//news.example.org/category/evil.html", "//news.example.org/"}
	if strings.Join(hrefs, " ") != strings.Join(want, " ") {
		t.Errorf("links = %q, want %q", hrefs, want)
	}
	for _, bad := range []string{"<script", "javascript:alert(1)\"", "<em>", "<code>", "<strong>"} {
		if strings.Contains(got.Content, bad) {
			t.Errorf("rendered post holds %s:\n%s", bad, got.Content)
		}
	}
	if shown := html.UnescapeString(got.Content); !strings.Contains(shown, "返回"+hostileTitle+"</a>") {
		t.Errorf("rendered footer does not show the title as written:\n%s", got.Content)
	}
	if got.Title != hostileTitle || got.Author != hostileAuthorShown {
		t.Errorf("title %q, author %q: want the title as written, the author without tags", got.Title, got.Author)
	}
}

// TestHostileFooterFields: a custom footer gets every article field
// escaped, and no Liquid of its own through.
func TestHostileFooterFields(t *testing.T) {
	a := hostileArticle()
	a.ID, a.Link = "{{x}}", "javascript:alert(1)"
	const footer = "{{.Article.Title}} [{{.Article.ID}}]({{.Article.Link}}) {{range .Article.Tags}}{{.}},{{end}} {{ \"{{ site.deploy_token }}\" }}"
	_, post := writeOne(t, footer, a)
	end := post[strings.LastIndex(strings.TrimSuffix(post, "\n"), "\n")+1:]
	// The template's own text keeps its Markdown; its "{" is inert.
	fields, ok := strings.CutSuffix(end, " &#123;&#123; site.deploy_token }}\n")
	if !ok {
		t.Fatalf("footer = %s: its own Liquid not made inert", end)
	}
	if strings.ContainsAny(fields, "<>{}`*_\\") {
		t.Errorf("footer fields not inert: %s", fields)
	}
	want := "&#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62;&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;"
	if !strings.HasPrefix(fields, want) || !strings.Contains(fields, " [&#123;&#123;x&#125;&#125;]() ") ||
		!strings.Contains(fields, ",two lines,") {
		t.Errorf("footer = %s", end)
	}
	if strings.Contains(post, "<javascript") {
		t.Errorf("a javascript: link became an autolink:\n%s", post)
	}
}
