package site

import "time"

// SafeHTML is sanitizer output: HTML that went through normalize's
// sanitizing policy (bluemonday), as article.Article.Content holds it. It
// is the only text the pages insert unescaped, so nothing else may be
// converted to it: upstream HTML that did not go through the sanitizer is
// a string, and is escaped.
type SafeHTML string

// Site is what every page knows of the site.
type Site struct {
	Title, Description string
	// Language is the BCP 47 tag of the home and status pages, e.g. "en"
	// or "zh-CN"; "en" when empty.
	Language string
	// Categories are every category, in the order the home page lists
	// them, with their feeds and counts.
	Categories []Category
	// All is the "all" feed, nil when there is none: the home and status
	// pages offer it first.
	All *Feeds
	// PerPage is how many articles a category page lists; 20 when 0.
	PerPage int
}

// Feeds are the absolute URLs of one category's three feeds.
type Feeds struct {
	// Title names the feeds in autodiscovery links, e.g. "日照日报新闻".
	Title           string
	Atom, RSS, JSON string
}

// Category is one category and its feeds.
type Category struct {
	// ID is the category's slug: its page is category/<ID>.html.
	ID                 string
	Title, Description string
	// Language is the category's BCP 47 tag; the site's when empty.
	Language string
	Feeds    Feeds
	// Count is how many articles the category has; Updated when its
	// newest one was published or updated (zero for none).
	Count   int
	Updated time.Time
	// Offset is how many older articles the category had that retention
	// dropped: the numbered pages count from the oldest article the
	// category ever had, so dropping old ones does not renumber them.
	Offset int
}

// Article is one article as the pages show it.
type Article struct {
	// Key identifies the article's page (see ArticlePath); it must be
	// stable and unique, e.g. its source id and article id.
	Key   string
	Title string
	// Link is the original's URL ("原文" / "Original"); linked only when
	// it is an absolute http or https URL.
	Link string
	// Published and Updated are shown in the offset they carry.
	Published, Updated time.Time
	// Summary is plain text.
	Summary string
	// Content is the full text, sanitizer output.
	Content SafeHTML
	Author  string
	// Source names the source it came from, as the pages show it.
	Source string
	// Category is the id of the category whose page it belongs to (its
	// back link).
	Category string
	// HasPage says whether the article has its own page; when not, the
	// lists link its original.
	HasPage bool
}

// Status is what the status page shows.
type Status struct {
	// Notices are problems an operator must see first, e.g. an output
	// folder that could not be written.
	Notices []string
	Sources []Source
	// Live shows what changes with every run: each source's last run,
	// last success, next run and article count. It is off for the page on
	// disk, which a run that changes nothing must not rewrite.
	Live bool
}

// State is how a source is doing.
type State int

// The states of a source.
const (
	NotRun State = iota
	OK
	Failing
)

// Source is one row of the status page.
type Source struct {
	ID, Type string
	State    State
	// LastRun, LastSuccess and NextRun are shown in the offset they
	// carry; zero shows "—".
	LastRun, LastSuccess, NextRun time.Time
	LastError                     string
	Articles                      int
	// Holder is the instance of a cluster collecting the source now, ""
	// when none is (or there is no cluster).
	Holder string
}
