package publish

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/feeds"
	sitepkg "github.com/feedsmith/feedsmith/site"
	"github.com/feedsmith/feedsmith/store"
)

// Store is what publishing needs of the article store.
type Store interface {
	Articles(ctx context.Context, category string, limit int) ([]article.Article, error)
	Categories(ctx context.Context) ([]store.CategoryInfo, error)
	CategorySources(ctx context.Context) (map[string][]string, error)
	SourceStatuses(ctx context.Context) ([]store.SourceStatus, error)
}

// Publisher renders the output tree from the store.
type Publisher struct {
	cfg     *config.Config
	store   Store
	version string
	// NextRun, when set, gives each source's next scheduled run for the
	// status page (the daemon sets it; a one-shot build has none).
	NextRun func(sourceID string) time.Time
	// Notices, when set, gives the problems the status page shows above
	// everything else: the daemon's outputs whose last write failed, so
	// that whoever reads the page learns the disk lags behind it.
	Notices func() []string
	// RunTimes makes the status page show each source's last run, last
	// success, next run and article count, as the daemon serves it. The
	// copy for the output folder (File.Disk) leaves them out: they change
	// with every run, and a run that changes nothing must rewrite nothing.
	RunTimes bool
	// Holders, when set, gives which instance of a cluster holds each
	// source's lease now, for the status page the daemon serves.
	Holders func(ctx context.Context) map[string]string
	// Materialize renders in place, from their files, the texts of the
	// articles given that were stored deferred (article.IsDeferred); it
	// gives no text to one it cannot render. A publish calls it for the
	// articles whose texts it shows: the newest of each feed, and those
	// with a page. The build and the daemon set it to their collector's
	// (collect.Collector.Materialize).
	Materialize func(ctx context.Context, arts []article.Article) error

	// theme loads the theme once, when the first page is rendered.
	theme func() (*sitepkg.Theme, error)
	// served remembers, for RenderChanged, the page records of the pages
	// rendered so far: the daemon serves them, and renders again only the
	// pages whose stamps moved.
	servedMu sync.Mutex
	served   map[string]pageRecord
}

// New returns a publisher; version goes into each feed's generator.
func New(cfg *config.Config, st Store, version string) *Publisher {
	return &Publisher{cfg: cfg, store: st, version: version,
		theme: sync.OnceValues(func() (*sitepkg.Theme, error) { return loadTheme(cfg) })}
}

// Format is one of the three feed formats a category is published in.
type Format struct {
	Ext         string
	ContentType string
	render      func(feeds.Channel, []article.Article) ([]byte, error)
}

// Formats lists the feed formats in the order they are written.
var Formats = []Format{
	{"atom", "application/atom+xml; charset=utf-8", feeds.Atom},
	{"rss", "application/rss+xml; charset=utf-8", feeds.RSS},
	{"json", "application/feed+json; charset=utf-8", feeds.JSON},
}

// emptyFeedUpdated is the updated time of a feed with no articles yet.
var emptyFeedUpdated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// FeedPath returns the tree path of a category's feed in one format.
func FeedPath(categoryID, ext string) string { return "feeds/" + categoryID + "." + ext }

// Render builds the whole tree: every category's feeds and pages,
// feeds.opml, the home and status pages and the theme's files. The bytes
// depend only on the stored articles and the configuration, so an
// unchanged feed renders byte-identical.
func (p *Publisher) Render(ctx context.Context) (Tree, error) {
	t, _, err := p.RenderChanged(ctx, nil)
	return t, err
}

// RenderChanged builds the feeds and pages of the changed categories only
// (nil: of every category), the "all" feed when any category changed, and
// always feeds.opml, the home and status pages and the theme's files,
// which are cheap and list every category. Of a changed category's pages,
// only those whose stamps moved since this publisher last rendered them
// are rendered (all of them with changed nil). gone lists the pages it
// rendered before that the changed categories no longer have: the caller
// stops serving them (with changed nil, the tree is the whole site).
func (p *Publisher) RenderChanged(ctx context.Context, changed []string) (t Tree, gone []string, err error) {
	chans, infos, err := p.channels(ctx)
	if err != nil {
		return nil, nil, err
	}
	w, err := p.newPageWork(chans, infos)
	if err != nil {
		return nil, nil, err
	}
	p.servedMu.Lock()
	defer p.servedMu.Unlock()
	full := changed == nil
	fresh := func(path, category, stamp string) bool {
		return !full && p.served[path] == pageRecord{Category: category, Stamp: stamp}
	}
	var todo []int
	for i, ch := range chans {
		if full || slices.Contains(changed, ch.ID) || (p.isAll(ch.ID) && len(changed) > 0) {
			todo = append(todo, i)
		}
	}
	results, err := p.renderCategories(ctx, w, chans, todo, fresh, nil)
	if err != nil {
		return nil, nil, err
	}
	done := map[string]bool{}  // categories rendered
	owned := map[string]bool{} // their pages now
	records := map[string]pageRecord{}
	for _, i := range todo {
		files := results[i].files
		t = append(t, files...)
		done[chans[i].ID] = true
		for _, path := range results[i].owned {
			owned[path] = true
		}
		for _, f := range files {
			if f.Category != "" {
				records[f.Path] = pageRecord{Category: f.Category, Stamp: f.Stamp}
			}
		}
	}
	if full || p.served == nil {
		p.served = map[string]pageRecord{}
	}
	for path, r := range p.served {
		if done[r.Category] && !owned[path] {
			gone = append(gone, path)
			delete(p.served, path)
		}
	}
	slices.Sort(gone)
	maps.Copy(p.served, records)
	t, err = p.appendLists(ctx, t, w, chans)
	return t, gone, err
}

// renderCategory renders the feeds of channel ch and, but for "all", the
// pages of its category for which fresh does not hold; owned lists every
// page path the category has now.
func (p *Publisher) renderCategory(ctx context.Context, w *pageWork, ch feeds.Channel, fresh func(path, category, stamp string) bool) (files []File, owned []string, err error) {
	if p.isAll(ch.ID) {
		files, err := p.RenderCategory(ctx, ch)
		return files, nil, err
	}
	// Every article of the category, for its pages; the feeds carry the
	// newest of them.
	arts, err := p.store.Articles(ctx, ch.ID, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("render %s: %w", ch.ID, err)
	}
	if err := p.texts(ctx, arts, p.cfg.Output.Items); err != nil {
		return nil, nil, fmt.Errorf("render %s: %w", ch.ID, err)
	}
	files, err = p.renderFeeds(ch, arts[:min(len(arts), p.cfg.Output.Items)])
	if err != nil {
		return nil, nil, err
	}
	pages, owned, err := p.categoryPages(w, w.cats[ch.ID], ch.TTL, arts, fresh)
	return append(files, pages...), owned, err
}

// appendLists appends to t feeds.opml and the pages that list every
// category and source.
func (p *Publisher) appendLists(ctx context.Context, t Tree, w *pageWork, chans []feeds.Channel) (Tree, error) {
	if len(chans) > 0 { // OPML 2.0 needs at least one outline
		opml, err := p.opml(chans)
		if err != nil {
			return nil, err
		}
		t = append(t, File{Path: "feeds.opml", ContentType: "text/x-opml; charset=utf-8", Body: opml, MaxAge: time.Hour})
	}
	pages, err := p.sitePages(ctx, w)
	if err != nil {
		return nil, err
	}
	return append(t, pages...), nil
}

// RenderCategory renders the three feeds of one category.
func (p *Publisher) RenderCategory(ctx context.Context, ch feeds.Channel) ([]File, error) {
	query := ch.ID
	if p.isAll(ch.ID) {
		query = ""
	}
	arts, err := p.store.Articles(ctx, query, p.cfg.Output.Items)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", ch.ID, err)
	}
	if err := p.texts(ctx, arts, len(arts)); err != nil {
		return nil, fmt.Errorf("render %s: %w", ch.ID, err)
	}
	return p.renderFeeds(ch, arts)
}

// texts gives the articles of arts whose texts are published, the first
// feed of them and those with a page, their texts where they were
// stored deferred (Materialize).
func (p *Publisher) texts(ctx context.Context, arts []article.Article, feed int) error {
	var idx []int
	for i, a := range arts {
		if article.IsDeferred(a.Content) && (i < feed || p.hasPage(a)) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	if p.Materialize == nil {
		a := arts[idx[0]]
		return fmt.Errorf("article %s of source %s: its text is not rendered, and this publisher cannot render it", a.ID, a.SourceID)
	}
	some := make([]article.Article, len(idx))
	for k, i := range idx {
		some[k] = arts[i]
	}
	if err := p.Materialize(ctx, some); err != nil {
		return err
	}
	for k, i := range idx {
		arts[i].Content = some[k].Content
	}
	return nil
}

// renderFeeds renders the three feeds of channel ch with arts, newest
// first: an article with a page of the site links to it.
func (p *Publisher) renderFeeds(ch feeds.Channel, arts []article.Article) ([]File, error) {
	for _, a := range arts {
		if article.IsDeferred(a.Content) {
			return nil, fmt.Errorf("render %s: article %s of source %s: its text is not rendered", ch.ID, a.ID, a.SourceID)
		}
	}
	arts = p.withPages(arts)
	files := make([]File, 0, len(Formats))
	for _, f := range Formats {
		body, err := f.render(ch, arts)
		if err != nil {
			return nil, fmt.Errorf("render %s.%s: %w", ch.ID, f.Ext, err)
		}
		path := FeedPath(ch.ID, f.Ext)
		if err := checkPath(path); err != nil {
			return nil, err
		}
		files = append(files, File{Path: path, ContentType: f.ContentType, Body: body, MaxAge: ch.TTL})
	}
	return files, nil
}

// CategoryTitles maps every published category id to its title.
func (p *Publisher) CategoryTitles(ctx context.Context) (map[string]string, error) {
	chans, _, err := p.channels(ctx)
	if err != nil {
		return nil, err
	}
	titles := make(map[string]string, len(chans))
	for _, ch := range chans {
		titles[ch.ID] = ch.Title
	}
	return titles, nil
}

func (p *Publisher) isAll(id string) bool {
	return p.cfg.Output.All != nil && p.cfg.Output.All.ID == id
}

// channels lists every category to publish, with the store's summary of
// each category it holds: the declared ones in config
// order, then those derived from articles (sorted by id), then "all".
// A category the store holds that is neither declared nor derived (its
// articles were filed there by a configuration that declared it) is not
// published; nor is one whose articles are all of removed sources, which
// the store leaves out.
func (p *Publisher) channels(ctx context.Context) ([]feeds.Channel, []store.CategoryInfo, error) {
	infos, err := p.store.Categories(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("list categories: %w", err)
	}
	stored := map[string]store.CategoryInfo{}
	for _, c := range infos {
		stored[c.ID] = c
	}
	feeders, err := p.feeders(ctx)
	if err != nil {
		return nil, nil, err
	}
	var chans []feeds.Channel
	declared := map[string]bool{}
	for _, c := range p.cfg.Categories {
		declared[c.ID] = true
		chans = append(chans, p.channel(c.ID, c.Title, c.Description, stored[c.ID].Newest, feeders[c.ID]))
	}
	for _, c := range infos {
		if declared[c.ID] || !c.Derived || c.Articles == 0 || !config.SlugPattern.MatchString(c.ID) {
			continue
		}
		title := c.Title
		if title == "" {
			title = c.ID
		}
		chans = append(chans, p.channel(c.ID, title, c.Description, c.Newest, feeders[c.ID]))
	}
	if all := p.cfg.Output.All; all != nil {
		var newest time.Time
		for _, c := range infos {
			if c.Newest.After(newest) {
				newest = c.Newest
			}
		}
		chans = append(chans, p.channel(all.ID, all.Title, all.Description, newest, nil))
	}
	titles := make(map[string]string, len(chans))
	for _, ch := range chans {
		titles[ch.ID] = ch.Title
	}
	for i := range chans {
		chans[i].CategoryTitles = titles
	}
	return chans, infos, nil
}

// channel is the channel of category id, fed by feeders (see feeders).
func (p *Publisher) channel(id, title, description string, updated time.Time, feeders []config.Source) feeds.Channel {
	site := p.cfg.Site
	if description == "" {
		description = title
	}
	if updated.IsZero() {
		// An empty feed still needs an updated time, and a fixed one keeps
		// its bytes the same from build to build (validators call dates
		// before 1990 implausible).
		updated = emptyFeedUpdated
	}
	home := site.BaseURL // the home page lists every category: "all"'s page
	if !p.isAll(id) {
		home += sitepkg.CategoryPath(id, 0)
	}
	return feeds.Channel{
		ID:           id,
		Title:        title,
		Description:  description,
		Language:     p.language(id, feeders),
		SiteURL:      home,
		AtomURL:      site.BaseURL + FeedPath(id, "atom"),
		RSSURL:       site.BaseURL + FeedPath(id, "rss"),
		JSONURL:      site.BaseURL + FeedPath(id, "json"),
		Author:       feeds.Person{Name: site.Author.Name, Email: site.Author.Email, URL: site.Author.URL},
		Generator:    "feedsmith " + p.version,
		GeneratorURI: "https://github.com/feedsmith/feedsmith",
		TTL:          p.ttl(id, feeders),
		Hub:          p.cfg.WebSub.Hub,
		Updated:      updated,
		SourceLinks:  p.sourceLinks(),
	}
}

// sourceLinks gives each source the page its articles are listed on, for
// the articles without a link of their own: its site_url, else its URL
// when that is a web address (a local file has none).
func (p *Publisher) sourceLinks() map[string]string {
	links := map[string]string{}
	for _, s := range p.cfg.Sources {
		switch {
		case s.SiteURL != "":
			links[s.ID] = s.SiteURL
		case strings.HasPrefix(s.URL, "http://") || strings.HasPrefix(s.URL, "https://"):
			links[s.ID] = s.URL
		}
	}
	return links
}

func (p *Publisher) opml(chans []feeds.Channel) ([]byte, error) {
	// type="rss" is what OPML 2.0 and the readers that import it expect
	// of any feed subscription, Atom included.
	outlines := make([]feeds.Outline, len(chans))
	for i, ch := range chans {
		outlines[i] = feeds.Outline{Title: ch.Title, Text: ch.Title, Type: "rss", XMLURL: ch.AtomURL, HTMLURL: ch.SiteURL, Language: ch.Language}
	}
	return feeds.OPML(p.cfg.Site.Title, p.cfg.Site.Author.Name, outlines)
}
