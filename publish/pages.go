package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/feeds"
	"github.com/feedsmith/feedsmith/site"
	"github.com/feedsmith/feedsmith/store"
)

// The site's pages (package site) beside the feeds: index.html (the
// home page), status.html, a page per category (category/<id>.html and
// its numbered older pages), a page per article of the sources with
// pages on (article/<hash>.html), and the theme's site.css and
// favicon.svg.
//
// A category's and an article's page is rendered only when what it is
// rendered from changed: each carries a stamp, a hash of its data, and a
// page whose stamp is the one it was last written (or served) with is
// left alone. The home and status pages list every category and source
// and are rendered on every publish; they are cheap, and written only
// when their bytes changed.

// pageMaxAge is how long a cache may keep an article page, a numbered
// category page and the theme's files.
const pageMaxAge = time.Hour

// The content types of the pages and assets.
const (
	htmlType = "text/html; charset=utf-8"
	cssType  = "text/css; charset=utf-8"
	svgType  = "image/svg+xml"
)

// loadTheme loads the theme of cfg: the default, or the one
// output.theme names (which config's validation has loaded once).
func loadTheme(cfg *config.Config) (*site.Theme, error) {
	dir := cfg.Output.Theme
	if dir == "" {
		return site.LoadTheme(nil)
	}
	th, err := site.LoadTheme(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("output.theme %s: %w", dir, err)
	}
	return th, nil
}

// pageWork is what every page of one publish is rendered from.
type pageWork struct {
	theme *site.Theme
	site  site.Site
	// cats are the published categories by id ("all" not among them).
	cats map[string]site.Category
	// chrome is the stamp of what every page depends on: the theme, the
	// site's title and feeds, the program's version.
	chrome string
}

// newPageWork prepares the pages of the published categories chans.
func (p *Publisher) newPageWork(chans []feeds.Channel, infos []store.CategoryInfo) (*pageWork, error) {
	th, err := p.theme()
	if err != nil {
		return nil, err
	}
	byID := map[string]store.CategoryInfo{}
	for _, c := range infos {
		byID[c.ID] = c
	}
	w := &pageWork{theme: th, cats: map[string]site.Category{}}
	w.site = site.Site{Title: p.cfg.Site.Title, Description: p.cfg.Site.Description,
		Language: p.cfg.Site.Language, PerPage: p.cfg.Output.PerPage}
	for _, ch := range chans {
		fs := site.Feeds{Title: ch.Title, Atom: ch.AtomURL, RSS: ch.RSSURL, JSON: ch.JSONURL}
		if p.isAll(ch.ID) {
			w.site.All = &fs
			continue
		}
		info := byID[ch.ID]
		c := site.Category{ID: ch.ID, Title: ch.Title, Description: ch.Description, Language: ch.Language,
			Feeds: fs, Count: info.Articles, Updated: info.Newest, Offset: info.Dropped}
		w.site.Categories = append(w.site.Categories, c)
		w.cats[c.ID] = c
	}
	w.chrome = stampOf(th.Stamp(), p.version, w.site.Title, w.site.Description, w.site.Language,
		w.site.PerPage, w.site.All)
	return w, nil
}

// stampOf hashes its arguments, JSON-encoded.
func stampOf(parts ...any) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, v := range parts {
		if err := enc.Encode(v); err != nil {
			fmt.Fprintf(h, "%v", err) // never: the parts are plain data
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// siteFor is the site as a category's and an article's pages see it:
// their one category, without its count and last update, so that a page
// changes only when what it shows does (see site/README.md).
func (w *pageWork) siteFor(c site.Category) site.Site {
	s := w.site
	s.Categories = []site.Category{bare(c)}
	return s
}

// bare is c without what changes with every new or dropped article:
// what a category's and an article's page are rendered with. The
// pagination has the offset already.
func bare(c site.Category) site.Category {
	c.Count, c.Updated, c.Offset = 0, time.Time{}, 0
	return c
}

// ArticleKey is the key of the page of article a (site.ArticlePath).
func ArticleKey(a article.Article) string { return a.SourceID + "\x00" + a.ID }

// hasPage reports whether a's source gives its articles pages.
func (p *Publisher) hasPage(a article.Article) bool {
	s, ok := p.cfg.Source(a.SourceID)
	return ok && p.cfg.Pages(s)
}

// withPages returns arts with each article that has a page linked to it,
// its original (its source link, else its own link) kept as the source
// link: what the feeds carry. arts is not changed.
func (p *Publisher) withPages(arts []article.Article) []article.Article {
	out := arts
	copied := false
	for i, a := range arts {
		if !p.hasPage(a) {
			continue
		}
		if !copied {
			out = append([]article.Article(nil), arts...)
			copied = true
		}
		if a.Via == "" {
			a.Via = a.Link
		}
		a.Link = p.cfg.Site.BaseURL + site.ArticlePath(ArticleKey(a))
		out[i] = a
	}
	return out
}

// primary is the category whose page an article's page belongs to: the
// first of its categories that is published, else in.
func (w *pageWork) primary(a article.Article, in string) string {
	for _, c := range a.Categories {
		if _, ok := w.cats[c]; ok {
			return c
		}
	}
	return in
}

// pageArticle is a as the pages show it, in category c: its media from
// other hosts linked rather than loaded (site.LinkOffsite).
func (p *Publisher) pageArticle(a article.Article, c site.Category) site.Article {
	original := a.Link
	if a.Via != "" {
		original = a.Via
	}
	lang := c.Language
	if lang == "" {
		lang = p.cfg.Site.Language
	}
	art := site.Article{
		Key: ArticleKey(a), Title: displayTitle(a), Link: original,
		Published: a.Published, Updated: a.Updated, Summary: a.Summary,
		Author: strings.Join(a.AuthorList(), ", "),
		Source: a.SourceID, Category: c.ID, HasPage: p.hasPage(a),
	}
	// The full text only where a page shows it: the lists show
	// summaries, and a category of a feed source's thousands of articles
	// need not carry (nor hash) their texts.
	if art.HasPage && !article.IsDeferred(a.Content) {
		art.Content = site.LinkOffsite(site.SafeHTML(a.Content), p.cfg.Site.BaseURL, lang)
	}
	return art
}

// displayTitle is a's title; for one without, the first words of its
// summary, else its link: a list needs something to click.
func displayTitle(a article.Article) string {
	if t := strings.TrimSpace(a.Title); t != "" {
		return t
	}
	s := strings.Join(strings.Fields(a.Summary), " ")
	if s == "" {
		s = a.Link
	}
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		s = string(r[:60]) + "…"
	}
	if s == "" {
		s = "—"
	}
	return s
}

// pageRecord is what was last written (or served) at a page's path: the
// category it belongs to, its stamp and, for a file on disk, the file's
// size and modification time (fileStamp) after the write.
type pageRecord struct{ Category, Stamp, File string }

// isPagePath reports whether a rendered record's key is a page's path
// (category/….html, article/….html) rather than a category id.
func isPagePath(key string) bool {
	return strings.HasSuffix(key, ".html") && (strings.HasPrefix(key, "category/") || strings.HasPrefix(key, "article/"))
}

// parsePageRecord reads a page's rendered record.
func parsePageRecord(r store.Rendered) pageRecord {
	f := strings.Fields(r.Stamp)
	for len(f) < 3 {
		f = append(f, "")
	}
	return pageRecord{Category: f[0], Stamp: f[1], File: f[2]}
}

// pageRendered returns the record of the page file f as written to dir.
func pageRendered(dir string, f File) store.Rendered {
	return store.Rendered{Stamp: f.Category + " " + f.Stamp + " " + diskStamp(dir, f.Path)}
}

// categoryPages renders the pages of category c whose articles, newest
// first, are arts: its newest and numbered pages, and the pages of the
// articles that have one and belong to c (primary). A page for which
// fresh(path, stamp) holds is not rendered. It returns the files
// rendered and every page path c owns now.
// The newest page may be cached for ttl, the category's feeds' refresh
// interval.
func (p *Publisher) categoryPages(w *pageWork, c site.Category, ttl time.Duration, arts []article.Article, fresh func(path, category, stamp string) bool) (files []File, owned []string, err error) {
	s := w.siteFor(c)
	spans := site.Paginate(c, len(arts), s.PerPage)
	c = bare(c)
	list := make([]site.Article, len(arts))
	for i, a := range arts {
		list[i] = p.pageArticle(a, c)
	}
	for _, span := range spans {
		owned = append(owned, span.Path)
		// What the page shows: not span's From and To, which count from
		// the newest article and move with every new one.
		stamp := stampOf(w.chrome, c, span.Number, span.Newer, span.Older, list[span.From:span.To])
		if fresh(span.Path, c.ID, stamp) {
			continue
		}
		body, err := w.theme.CategoryPage(s, c, list, span)
		if err != nil {
			return nil, nil, fmt.Errorf("render %s: %w", span.Path, err)
		}
		maxAge := pageMaxAge
		if span.Number == 0 {
			maxAge = ttl
		}
		files = append(files, File{Path: span.Path, ContentType: htmlType, Body: body, MaxAge: maxAge, Category: c.ID, Stamp: stamp})
	}
	for i, a := range arts {
		if !list[i].HasPage || w.primary(a, c.ID) != c.ID {
			continue
		}
		art := list[i]
		path := site.ArticlePath(art.Key)
		owned = append(owned, path)
		stamp := stampOf(w.chrome, c, art)
		if fresh(path, c.ID, stamp) {
			continue
		}
		body, err := w.theme.Article(s, art)
		if err != nil {
			return nil, nil, fmt.Errorf("render the page of %s article %q: %w", a.SourceID, a.ID, err)
		}
		files = append(files, File{Path: path, ContentType: htmlType, Body: body, MaxAge: pageMaxAge, Category: c.ID, Stamp: stamp})
	}
	return files, owned, nil
}

// homeLatest is how many articles the home page lists.
func (p *Publisher) homeLatest() int { return p.cfg.Output.PerPage }

// sitePages renders the pages that list every category and source:
// index.html and status.html (served with the live figures, its Disk
// copy without them), and the theme's files.
func (p *Publisher) sitePages(ctx context.Context, w *pageWork) ([]File, error) {
	// The newest articles across the published categories: the store's
	// newest overall, less those filed in no published category.
	n := p.homeLatest()
	arts, err := p.store.Articles(ctx, "", 4*n)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", site.HomePath, err)
	}
	if err := p.texts(ctx, arts, 0); err != nil {
		return nil, fmt.Errorf("render %s: %w", site.HomePath, err)
	}
	var latest []site.Article
	for _, a := range arts {
		cat := w.primary(a, "")
		if cat == "" {
			continue
		}
		latest = append(latest, p.pageArticle(a, w.cats[cat]))
		if len(latest) == n {
			break
		}
	}
	home, err := w.theme.Home(w.site, latest)
	if err != nil {
		return nil, err
	}
	files := []File{{Path: site.HomePath, ContentType: htmlType, Body: home, MaxAge: time.Minute}}
	served, disk, err := p.statusPage(ctx, w)
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: site.StatusPath, ContentType: htmlType, Body: served, Disk: disk, MaxAge: time.Minute})
	for _, a := range w.theme.Assets() {
		ct := cssType
		if strings.HasSuffix(a.Path, ".svg") {
			ct = svgType
		}
		files = append(files, File{Path: a.Path, ContentType: ct, Body: a.Body, MaxAge: pageMaxAge})
	}
	return files, nil
}

// statusPage renders status.html: served is the page to serve and, when
// it differs (RunTimes), disk the page for the output folder, without
// what changes with every run.
func (p *Publisher) statusPage(ctx context.Context, w *pageWork) (served, disk []byte, err error) {
	statuses, err := p.store.SourceStatuses(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("list source statuses: %w", err)
	}
	byID := map[string]store.SourceStatus{}
	for _, s := range statuses {
		byID[s.SourceID] = s
	}
	loc := p.cfg.Location(config.Source{}) // the site's zone
	in := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc)
	}
	var st site.Status
	if p.Notices != nil {
		st.Notices = p.Notices()
	}
	for _, s := range p.cfg.Sources {
		ss := byID[s.ID]
		row := site.Source{ID: s.ID, Type: s.Type, LastRun: in(ss.LastAttempt), LastSuccess: in(ss.LastSuccess),
			LastError: ss.LastError, Articles: ss.Articles}
		switch {
		case ss.LastAttempt.IsZero():
			row.State = site.NotRun
		case ss.LastError != "":
			row.State = site.Failing
		default:
			row.State = site.OK
		}
		if p.NextRun != nil {
			row.NextRun = in(p.NextRun(s.ID))
		}
		st.Sources = append(st.Sources, row)
	}
	if disk, err = w.theme.Status(w.site, st); err != nil || !p.RunTimes {
		return disk, nil, err
	}
	st.Live = true
	if p.Holders != nil {
		holders := p.Holders(ctx)
		for i := range st.Sources {
			st.Sources[i].Holder = holders[st.Sources[i].ID]
		}
	}
	served, err = w.theme.Status(w.site, st)
	return served, disk, err
}
