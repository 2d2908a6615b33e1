// Package config owns feedsmith's configuration: its structure, defaults,
// strict loading with line numbers, and validation.
package config

// Config is the whole configuration file.
type Config struct {
	Site       Site       `yaml:"site"`
	Store      Store      `yaml:"store"`
	Output     Output     `yaml:"output"`
	Server     Server     `yaml:"server"`
	WebSub     WebSub     `yaml:"websub"`
	Defaults   Defaults   `yaml:"defaults"`
	Categories []Category `yaml:"categories"`
	Sources    []Source   `yaml:"sources"`
}

// Site describes where the output tree is published and who publishes it.
type Site struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	// BaseURL is the absolute URL the output tree is published under;
	// every self link and post link is built from it. Ends with "/".
	BaseURL  string `yaml:"base_url"`
	Language string `yaml:"language"`
	// Timezone is the IANA zone for dates that carry no offset.
	Timezone string `yaml:"timezone"`
	Author   Person `yaml:"author"`
}

// Person is an author.
type Person struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
	URL   string `yaml:"url"`
}

// Store configures the article database.
type Store struct {
	// Path is the SQLite database file.
	Path string `yaml:"path"`
	// MaxAge drops articles published longer ago than this (0: keep).
	MaxAge Duration `yaml:"max_age"`
	// MaxItems keeps at most this many articles per category (0: keep all).
	MaxItems int `yaml:"max_items"`
}

// Output configures the published tree.
type Output struct {
	Dir string `yaml:"dir"`
	// Items is how many of the newest articles each feed carries.
	Items int `yaml:"items"`
	// All, when set, adds a feed with every category's articles.
	All *AllFeed `yaml:"all"`
}

// Server configures the daemon's HTTP server.
type Server struct {
	// Listen is the address the daemon serves on.
	Listen string `yaml:"listen"`
	// AdminToken enables POST /-/refresh/{source} for requests that send
	// it as a bearer token; "" leaves the endpoint off.
	AdminToken string `yaml:"admin_token"`
	// ShutdownTimeout bounds how long running jobs and requests may take
	// to finish on SIGTERM.
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
}

// WebSub configures push notifications of feed changes.
type WebSub struct {
	// Hub is the WebSub hub every feed names and that is pinged when a
	// feed changes; "" for none.
	Hub string `yaml:"hub"`
}

// AllFeed configures the optional feed of every article.
type AllFeed struct {
	ID          string `yaml:"id"`
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
}

// Defaults apply to every source that does not set its own value.
type Defaults struct {
	Schedule  string   `yaml:"schedule"`
	Timeout   Duration `yaml:"timeout"`
	MaxBody   ByteSize `yaml:"max_body"`
	UserAgent string   `yaml:"user_agent"`
}

// Category is a declared category: one feed per category.
type Category struct {
	// ID is the category's URL slug and file name.
	ID          string `yaml:"id"`
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	// Rules file articles from any source into this category too.
	Rules []Rule `yaml:"rules"`
}

// Rule matches an article by keywords or a regular expression.
type Rule struct {
	// Keywords match case-insensitively as substrings.
	Keywords []string `yaml:"keywords"`
	// Match is a regular expression (Go RE2 syntax).
	Match string `yaml:"match"`
	// In names the fields searched: title, summary, content, tags.
	// Default: title, summary and tags.
	In []string `yaml:"in"`
}

// Source is one place articles come from.
type Source struct {
	ID string `yaml:"id"`
	// Type is the source kind: feed or posts.
	Type string `yaml:"type"`
	// URL is the feed's http(s) URL or local file path (type feed).
	URL string `yaml:"url"`
	// Path is the folder of posts (type posts).
	Path string `yaml:"path"`
	// SiteURL is where a posts folder is published (default: the site's
	// base_url); post links are SiteURL + permalink.
	SiteURL string `yaml:"site_url"`
	// Permalink is the posts' default permalink pattern or style (date,
	// pretty, ordinal, none), as in Jekyll's _config.yml.
	Permalink string `yaml:"permalink"`
	// Category is the default category id of the source's articles.
	Category string `yaml:"category"`
	Schedule string `yaml:"schedule"`
	// Timezone is the IANA zone for this source's dates without offset;
	// default: the site's.
	Timezone string `yaml:"timezone"`
	// Charset overrides the document's declared character set.
	Charset string   `yaml:"charset"`
	Timeout Duration `yaml:"timeout"`
	MaxBody ByteSize `yaml:"max_body"`
}
