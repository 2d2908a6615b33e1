package publish

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/feeds"
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
	// index page (the daemon sets it; a one-shot build has none).
	NextRun func(sourceID string) time.Time
	// Notices, when set, gives the problems the index page shows above
	// everything else: the daemon's outputs whose last write failed, so
	// that whoever reads the page learns the disk lags behind it.
	Notices func() []string
	// RunTimes makes the index page show each source's last run, last
	// success and next run, as the daemon serves it. The copy for the
	// output folder (File.Disk) leaves them out: they change with every
	// run, and a run that changes nothing must rewrite nothing.
	RunTimes bool
}

// New returns a publisher; version goes into each feed's generator.
func New(cfg *config.Config, st Store, version string) *Publisher {
	return &Publisher{cfg: cfg, store: st, version: version}
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

// Render builds the whole tree: every category's feeds, feeds.opml and
// index.html. The bytes depend only on the stored articles and the
// configuration, so an unchanged feed renders byte-identical.
func (p *Publisher) Render(ctx context.Context) (Tree, error) {
	return p.RenderChanged(ctx, nil)
}

// RenderChanged builds the feeds of the changed categories only (nil: of
// every category), the "all" feed when any category changed, and always
// feeds.opml and index.html, which are cheap and list every category.
func (p *Publisher) RenderChanged(ctx context.Context, changed []string) (Tree, error) {
	chans, infos, err := p.channels(ctx)
	if err != nil {
		return nil, err
	}
	var t Tree
	for _, ch := range chans {
		if changed != nil && !slices.Contains(changed, ch.ID) && !(p.isAll(ch.ID) && len(changed) > 0) {
			continue
		}
		files, err := p.RenderCategory(ctx, ch)
		if err != nil {
			return nil, err
		}
		t = append(t, files...)
	}
	return p.appendLists(ctx, t, chans, infos)
}

// appendLists appends to t feeds.opml and index.html, which list every
// category.
func (p *Publisher) appendLists(ctx context.Context, t Tree, chans []feeds.Channel, infos []store.CategoryInfo) (Tree, error) {
	if len(chans) > 0 { // OPML 2.0 needs at least one outline
		opml, err := p.opml(chans)
		if err != nil {
			return nil, err
		}
		t = append(t, File{Path: "feeds.opml", ContentType: "text/x-opml; charset=utf-8", Body: opml, MaxAge: time.Hour})
	}
	served, disk, err := p.index(ctx, chans, infos)
	if err != nil {
		return nil, err
	}
	return append(t, File{Path: "index.html", ContentType: "text/html; charset=utf-8", Body: served, Disk: disk, MaxAge: time.Minute}), nil
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
	return feeds.Channel{
		ID:           id,
		Title:        title,
		Description:  description,
		Language:     p.language(id, feeders),
		SiteURL:      site.BaseURL,
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
