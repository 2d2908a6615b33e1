package jekyll_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/feedsmith/feedsmith/jekyll"
)

// The site's secrets: none may reach a built page.
const (
	siteSecret    = "SECRET-9f3c2a7e"
	includeMarker = "INCLUDE-MARKER-41d7"
)

var siteFiles = map[string]string{
	"_config.yml":           "title: news mirror\ndeploy_token: " + siteSecret + "\npermalink: /posts/:title.html\n",
	"_includes/footer.html": includeMarker + "\n",
	"_layouts/default.html": "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{{ page.title | escape }}</title></head>\n" +
		"<body>{{ content }}</body></html>\n",
	// As themes print them: the title escaped and the author not
	// (minima does both), the tags and categories as they are, the
	// excerpt, then the post.
	"_layouts/post.html": "---\nlayout: default\n---\n<h1>{{ page.title | escape }}</h1>\n<p class=\"author\">{{ page.author }}</p>\n" +
		"<ul class=\"tags\">{% for t in page.tags %}<li>{{ t }}</li>{% endfor %}</ul>\n" +
		"<ul class=\"categories\">{% for c in page.categories %}<li>{{ c }}</li>{% endfor %}</ul>\n" +
		"<div class=\"excerpt\">{{ page.excerpt }}</div>\n<article>\n{{ content }}\n</article>\n",
}

// liquidAttacks are upstream contents, each Liquid that would run on the
// site: read the secret, pull an include, dump the configuration, build
// a script the sanitizer cannot see, fail the whole build, or leave a
// {% raw %} block early.
var liquidAttacks = map[string]string{
	"variable":      "<p>{{ site.deploy_token }}</p>",
	"include":       "<p>{% include footer.html %}</p>",
	"jsonify":       "<p>{{ site | jsonify }}</p>",
	"capture":       "<p>{% capture x %}%3Cscript%3Ealert(1)%3C/script%3E{% endcapture %}{{ x | url_decode }}</p>",
	"passwd":        "<p>{% include /etc/passwd %}</p>",
	"endraw":        "<p>{% endraw %}{{ site.deploy_token }}</p>",
	"endraw-trim":   "<p>{%- endraw -%}{{ site.deploy_token }}{%- raw -%}</p>",
	"endraw-spaces": "<p>{%endraw%}{{site.deploy_token}}{%  endraw  %}{{ site.deploy_token }}</p>",
	"attributes":    `<p><a href="http://x.example/{{ site.deploy_token }}" title="{% include footer.html %}">link</a><img src="http://x.example/i.png" alt="{{ site | jsonify }}"></p>`,
	"pre":           "<pre>{{ site.deploy_token }}\n\n  {% include footer.html %}</pre>",
	"markdown":      "<div>[x](javascript:alert(1)) *a* {::nomarkdown}<b>b</b>{:/}</div>",
	"excerpt":       "<p>{% raw %}</p>\n\n<p>{{ site.deploy_token }}{% endraw %}</p>",
}

// hostileArticles are the posts of the site: the attacks as contents,
// then titles, tags, a category title, an author, a summary and a link
// from a hostile upstream, and one ordinary post.
func hostileArticles() []article.Article {
	var arts []article.Article
	for id, content := range liquidAttacks {
		a := exampleArticle()
		a.ID, a.Content = id, content
		arts = append(arts, a)
	}
	names := hostileArticle()
	names.ID = "names"
	names.Content = "<p>正文</p>"
	names.Link = "javascript:alert(1)"
	summary := exampleArticle()
	summary.ID, summary.Content, summary.Summary = "summary", "", "{{ site.deploy_token }} <script>alert(1)</script>"
	summary.Link = "http://news.example.com/{{site.deploy_token}}?a=1&b=<2>"
	ordinary := exampleArticle()
	ordinary.ID = "ordinary"
	return append(arts, names, summary, ordinary)
}

// TestRealJekyll builds a site over posts written from hostile upstream
// content with Debian's jekyll: the build succeeds, no page holds the
// secret, the include, the configuration or a script, and each post
// shows exactly the upstream text. It builds twice: as written, and with
// Liquid forced on over each body (render_with_liquid: false taken out
// and a Liquid tag added), as Jekyll before 4.0 renders every post.
func TestRealJekyll(t *testing.T) {
	bin := testutil.NeedProgram(t, "jekyll", "install Debian's jekyll: apt-get install jekyll")
	if out, err := exec.Command(bin, "--version").Output(); err == nil {
		t.Logf("%s", bytes.TrimSpace(out))
	}
	arts := hostileArticles()
	for _, forced := range []bool{false, true} {
		name := map[bool]string{false: "as written", true: "liquid forced"}[forced]
		t.Run(name, func(t *testing.T) {
			site := t.TempDir()
			for n, data := range siteFiles {
				writeFile(t, filepath.Join(site, n), data)
			}
			posts := filepath.Join(site, "_posts")
			w := jekyll.New(config.Jekyll{Dir: posts, SiteURL: "//news.example.org/"}, func(id string) string {
				return map[string]string{"rizhaoribao": "日照日报新闻", "evil": hostileTitle}[id]
			}, nil)
			write(t, w, arts...)
			if forced {
				forceLiquid(t, posts)
			}
			buildSite(t, bin, site)
			for _, a := range arts {
				checkPage(t, site, a, forced)
			}
			checkSite(t, site)
		})
	}
}

// forceLiquid makes every post render as Liquid on Jekyll 4, as Jekyll
// 3 renders them all: render_with_liquid taken out, and a Liquid output
// added whose text shows that Liquid ran.
func forceLiquid(t *testing.T, posts string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(posts, "*.md"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := strings.CutPrefix(string(data), "---\n")
		front, body, ok2 := strings.Cut(s, "\n---\n")
		if !ok || !ok2 || !strings.Contains(front, "\nrender_with_liquid: false") {
			t.Fatalf("%s: no render_with_liquid: false in the front matter:\n%s", f, data)
		}
		front = strings.Replace(front, "\nrender_with_liquid: false", "", 1)
		writeFile(t, f, "---\n"+front+"\n---\n"+body+"\n"+liquidRan+"\n")
	}
}

// liquidRan is Liquid that shows "LIQUID RAN" where it runs.
const liquidRan = `<p>{{ "liquid ran" | upcase }}</p>`

func buildSite(t *testing.T, bin, site string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "build", "--source", site, "--destination", filepath.Join(site, "_site"), "--disable-disk-cache")
	cmd.Dir = site
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
		"JEKYLL_ENV=production", "JEKYLL_NO_BUNDLER_REQUIRE=true",
		"http_proxy=http://127.0.0.1:9", "https_proxy=http://127.0.0.1:9", "no_proxy="} // no network
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("jekyll build: %v\n%s", err, out)
	}
	t.Logf("jekyll build took %s", time.Since(start).Round(time.Millisecond))
}

// checkPage checks the built page of the post for a: the article shows
// the upstream text and feedsmith's links, nothing more or less.
func checkPage(t *testing.T, site string, a article.Article, forced bool) {
	t.Helper()
	name := filepath.Join(site, "_site", "posts", a.ID+".html")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Errorf("%s: %v", a.ID, err)
		return
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	art := find(doc, atom.Article)
	if art == nil {
		t.Errorf("%s: no <article>:\n%s", a.ID, data)
		return
	}
	want := a.Content
	if want == "" {
		want = "<p>" + html.EscapeString(a.Summary) + "</p>"
	}
	want = text(parseFragment(t, want))
	if strings.HasPrefix(a.Link, "http://") { // shown as written, but for what a URL cannot hold
		want += strings.NewReplacer("{", "%7B", "}", "%7D", "<", "%3C", ">", "%3E").Replace(a.Link)
	}
	switch a.Categories[0] {
	case "evil":
		want += "返回" + hostileTitle + "｜返回首页"
	default:
		want += "返回日照日报新闻｜返回首页"
	}
	if forced {
		want += "LIQUID RAN"
	}
	// Exactly the text: nothing run, and no {% raw %} markers either.
	if got := text(art); squeeze(got) != squeeze(want) {
		t.Errorf("%s: the page shows\n%q\nwant\n%q", a.ID, got, want)
	}
	if a.ID == "attributes" {
		link, img := find(art, atom.A), find(art, atom.Img)
		if link == nil || img == nil || attr(link, "href") != "http://x.example/{{ site.deploy_token }}" ||
			attr(link, "title") != "{% include footer.html %}" || attr(img, "alt") != "{{ site | jsonify }}" {
			t.Errorf("attributes changed:\n%s", data)
		}
	}
	if a.ID == "names" {
		// Liquid does not render what the layout prints: the title and
		// author show their Liquid as text; the tags are plain text.
		h1, ul, author := find(doc, atom.H1), find(doc, atom.Ul), find(art.Parent, atom.P)
		if h1 == nil || text(h1) != hostileTitle || author == nil || text(author) != hostileAuthorShown {
			t.Errorf("title or author not shown as written:\n%s", data)
		}
		var tags []string
		for li := ul.FirstChild; li != nil; li = li.NextSibling {
			tags = append(tags, text(li))
		}
		if want := []string{"scriptalert(1)/script", "site.deploy_token", "two lines"}; !slices.Equal(tags, want) {
			t.Errorf("tags %q, want %q", tags, want)
		}
	}
}

// checkSite checks every built file for what must never be there: the
// secret, the include, the configuration (jsonify prints the site's
// path), a script element, an event handler or a javascript: URL.
func checkSite(t *testing.T, site string) {
	t.Helper()
	leak := `(?i)` + siteSecret + `|` + includeMarker + `|` + regexp.QuoteMeta(site)
	inRaw, inText := regexp.MustCompile(leak+`|<\s*script`), regexp.MustCompile(leak)
	var pages int
	err := filepath.WalkDir(filepath.Join(site, "_site"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		pages++
		raw, shown := string(data), html.UnescapeString(string(data))
		for _, m := range []string{inRaw.FindString(raw), inText.FindString(shown)} {
			if m != "" {
				t.Errorf("%s holds %q:\n%s", p, m, data)
			}
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			return err
		}
		checkElements(t, p, doc)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(liquidAttacks) + 3; pages != want {
		t.Errorf("%d pages built, want %d", pages, want)
	}
}

// checkElements fails for a script element, an event handler attribute
// or a URL attribute with a script scheme under n.
func checkElements(t *testing.T, page string, n *html.Node) {
	t.Helper()
	if n.Type == html.ElementNode {
		if n.DataAtom == atom.Script {
			t.Errorf("%s: a <script> element", page)
		}
		for _, a := range n.Attr {
			v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
			if strings.HasPrefix(a.Key, "on") || strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") {
				t.Errorf("%s: <%s %s=%q>", page, n.Data, a.Key, a.Val)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		checkElements(t, page, c)
	}
}
