package site

// The types below are what the templates receive: the theme's reference
// (see README.md, "Theme"). Every page gets a Chrome, embedded in its own
// type, so "layout.html" can read {{.Lang}}, {{.Root}} and the rest on
// any page.

// Chrome is what every page has.
type Chrome struct {
	Site Site
	// Lang is the page's BCP 47 tag (<html lang>): the category's on
	// category and article pages, the site's on the others.
	Lang string
	// Title is the page's <title>; Heading its one <h1>.
	Title, Heading string
	// Root is the relative path from the page to the root of the tree
	// ("", "../" or "../../"): every link between pages is Root + a
	// path, so the pages work from disk and under a base URL's path.
	Root string
	// Alternates are the feeds named by <link rel="alternate">: the
	// category's on its pages, All and every category on the others.
	Alternates []Feeds
	// Subscribe are the feeds of the subscribe box (none on the status
	// page, which has only the OPML link).
	Subscribe []Feeds
	// L are the chrome's words in Lang.
	L Labels
}

// Item is an article in a list.
type Item struct {
	Article
	// Href is where its title links: its page (relative), else its
	// original when that is an http(s) URL, else "" (not linked).
	Href string
	// Category is the category it belongs to (the home page shows it).
	Category Category
	// CategoryHref is the relative link to the category's page.
	CategoryHref string
}

// HomePage is the data of home.html (index.html).
type HomePage struct {
	Chrome
	// Latest are the newest articles across categories.
	Latest []Item
	// Categories are every category, with CategoryHref links.
	Categories []CategoryLink
}

// CategoryLink is a category and the relative link to its page.
type CategoryLink struct {
	Category
	Href string
}

// CategoryPage is the data of category.html, one page of a category.
type CategoryPage struct {
	Chrome
	Category Category
	// Number is 0 on the newest page, else the page's number.
	Number int
	Items  []Item
	// Newest, Newer and Older are relative links to the neighbouring
	// pages, "" for none (Newest is "" on the newest page and where
	// Newer is the newest page).
	Newest, Newer, Older string
}

// ArticlePage is the data of article.html.
type ArticlePage struct {
	Chrome
	Article Article
	// Original is Article.Link when it is an http(s) URL, else "".
	Original string
	// Category is the article's category; CategoryHref its page.
	Category     Category
	CategoryHref string
}

// StatusPage is the data of status.html.
type StatusPage struct {
	Chrome
	Status Status
	// Rows are Status.Sources with their state in words.
	Rows []SourceRow
	// Total, Failing and NotRun count the sources; Banner says it in
	// words ("2 of 6 sources failing"), and Alarm is set when any fails.
	Total, Failing, NotRun int
	Banner                 string
	Alarm                  bool
}

// SourceRow is a Source with its state in words and a class for the
// stylesheet ("ok", "failing", "not-run").
type SourceRow struct {
	Source
	StateText, StateClass string
}
