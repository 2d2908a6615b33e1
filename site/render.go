package site

import (
	"bytes"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Page is one rendered file of the tree.
type Page struct {
	Path string
	Body []byte
}

// The paths of the pages that are not a category's or an article's.
const (
	HomePath   = "index.html"
	StatusPath = "status.html"
	OPMLPath   = "feeds.opml"
)

// Home renders index.html: latest are the newest articles across
// categories, newest first.
func (th *Theme) Home(s Site, latest []Article) ([]byte, error) {
	page := HomePage{Chrome: th.chrome(s, "", s.Title, "")}
	page.Alternates = siteFeeds(s)
	if s.All != nil { // else the list of categories has every feed
		page.Subscribe = []Feeds{*s.All}
	}
	for _, a := range latest {
		page.Latest = append(page.Latest, item(s, a, ""))
	}
	for _, c := range s.Categories {
		page.Categories = append(page.Categories, CategoryLink{Category: c, Href: CategoryPath(c.ID, 0)})
	}
	return th.execute(homeFile, page)
}

// Category renders every page of category c, whose articles are given
// newest first; see Span for the layout.
func (th *Theme) Category(s Site, c Category, articles []Article) ([]Page, error) {
	var pages []Page
	for _, span := range Paginate(c, len(articles), s.PerPage) {
		b, err := th.CategoryPage(s, c, articles, span)
		if err != nil {
			return nil, err
		}
		pages = append(pages, Page{Path: span.Path, Body: b})
	}
	return pages, nil
}

// CategoryPage renders the one page span of category c (from Paginate
// with the same arguments): what an incremental build renders.
func (th *Theme) CategoryPage(s Site, c Category, articles []Article, span Span) ([]byte, error) {
	root := rootOf(span.Path)
	ch := th.chrome(s, c.Language, c.Title+" · "+s.Title, root)
	ch.Heading = c.Title
	if span.Number > 0 {
		ch.Title = c.Title + " · " + fmt.Sprintf(ch.L.Page, span.Number) + " · " + s.Title
	}
	ch.Alternates = []Feeds{c.Feeds}
	ch.Subscribe = ch.Alternates
	page := CategoryPage{Chrome: ch, Category: c, Number: span.Number}
	for _, a := range articles[span.From:span.To] {
		page.Items = append(page.Items, item(s, a, root))
	}
	link := func(n int) string {
		if n < 0 {
			return ""
		}
		return root + CategoryPath(c.ID, n)
	}
	page.Newer, page.Older = link(span.Newer), link(span.Older)
	if span.Number > 0 && span.Newer != 0 {
		page.Newest = link(0)
	}
	return th.execute(categoryFile, page)
}

// Article renders the page of article a, at ArticlePath(a.Key).
func (th *Theme) Article(s Site, a Article) ([]byte, error) {
	c := categoryOf(s, a.Category)
	root := rootOf(ArticlePath(a.Key))
	ch := th.chrome(s, c.Language, a.Title+" · "+s.Title, root)
	ch.Heading = a.Title
	ch.Alternates = []Feeds{c.Feeds}
	ch.Subscribe = ch.Alternates
	page := ArticlePage{Chrome: ch, Article: a, Original: web(a.Link), Category: c, CategoryHref: root + CategoryPath(c.ID, 0)}
	return th.execute(articleFile, page)
}

// Status renders status.html.
func (th *Theme) Status(s Site, st Status) ([]byte, error) {
	ch := th.chrome(s, "", th.statusTitle(s), "")
	ch.Alternates = siteFeeds(s)
	page := StatusPage{Chrome: ch, Status: st, Total: len(st.Sources)}
	for _, src := range st.Sources {
		row := SourceRow{Source: src}
		switch src.State {
		case OK:
			row.StateText, row.StateClass = ch.L.OK, "ok"
		case Failing:
			row.StateText, row.StateClass = ch.L.Failing, "failing"
			page.Failing++
		default:
			row.StateText, row.StateClass = ch.L.NotRun, "not-run"
			page.NotRun++
		}
		page.Rows = append(page.Rows, row)
	}
	switch {
	case page.Failing > 0:
		page.Banner, page.Alarm = fmt.Sprintf(ch.L.SourcesFailing, page.Failing, page.Total), true
	case page.NotRun > 0:
		page.Banner = fmt.Sprintf(ch.L.SourcesNotRun, page.NotRun, page.Total)
	default:
		page.Banner = fmt.Sprintf(ch.L.AllOK, page.Failing, page.Total)
	}
	return th.execute(statusFile, page)
}

func (th *Theme) statusTitle(s Site) string {
	return labelsFor(lang(s, "")).Status + " · " + s.Title
}

// chrome returns the Chrome of a page in language tag (the site's when
// ""), titled title, at root.
func (th *Theme) chrome(s Site, tag, title, root string) Chrome {
	l := lang(s, tag)
	return Chrome{Site: s, Lang: l, Title: title, Heading: title, Root: root, L: labelsFor(l)}
}

func (th *Theme) execute(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := th.pages[name].ExecuteTemplate(&b, layoutFile, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// item returns article a as a list shows it on a page at root.
func item(s Site, a Article, root string) Item {
	c := categoryOf(s, a.Category)
	it := Item{Article: a, Category: c, CategoryHref: root + CategoryPath(c.ID, 0), Href: web(a.Link)}
	if a.HasPage && a.Key != "" {
		it.Href = root + ArticlePath(a.Key)
	}
	return it
}

// siteFeeds are the feeds of the whole site: All first, then every
// category's.
func siteFeeds(s Site) []Feeds {
	var fs []Feeds
	if s.All != nil {
		fs = append(fs, *s.All)
	}
	for _, c := range s.Categories {
		fs = append(fs, c.Feeds)
	}
	return fs
}

// categoryOf returns the category id of s; one named id alone when s
// lacks it.
func categoryOf(s Site, id string) Category {
	for _, c := range s.Categories {
		if c.ID == id {
			return c
		}
	}
	return Category{ID: id, Title: id}
}

// lang returns tag, else the site's language, else "en".
func lang(s Site, tag string) string {
	switch {
	case tag != "":
		return tag
	case s.Language != "":
		return s.Language
	}
	return "en"
}

// rootOf returns the relative path from the page at p to the root.
func rootOf(p string) string {
	return strings.Repeat("../", strings.Count(p, "/"))
}

// web returns u when it is an absolute http or https URL whose host is a
// host name or an IP literal, else "": other schemes (javascript:, data:)
// are not linked at all, nor a host such as `"` that url.Parse lets
// through but html/template would escape into a link that no longer
// parses ("http://%22").
func web(u string) string {
	p, err := url.Parse(u)
	if err != nil || !hostName(p) {
		return ""
	}
	if s := strings.ToLower(p.Scheme); s != "http" && s != "https" {
		return ""
	}
	return u
}

// hostName reports whether u's host is an IP literal or made of what a
// host name holds: ASCII letters, digits, "-", ".", "_", "~", and
// non-ASCII letters (an IRI's host, which the browser turns to IDNA).
func hostName(u *url.URL) bool {
	host := u.Hostname()
	if strings.HasPrefix(u.Host, "[") {
		h, _, _ := strings.Cut(host, "%")
		_, err := netip.ParseAddr(h)
		return err == nil
	}
	for _, c := range host {
		if !(c >= utf8.RuneSelf && unicode.IsPrint(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return host != ""
}
