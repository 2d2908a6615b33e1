// Package config owns feedsmith's configuration: its structure, defaults,
// strict loading with line numbers, and validation.
package config

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration file.
type Config struct {
	Site       Site       `yaml:"site"`
	Store      Store      `yaml:"store"`
	Output     Output     `yaml:"output"`
	Outputs    Outputs    `yaml:"outputs"`
	Server     Server     `yaml:"server"`
	WebSub     WebSub     `yaml:"websub"`
	Defaults   Defaults   `yaml:"defaults"`
	Categories []Category `yaml:"categories"`
	Sources    []Source   `yaml:"sources"`
	// origin names the file and lines of problems; nil for a
	// configuration built in code.
	origin *origin
	// File is the file the configuration was loaded from, an absolute
	// path ("" when parsed from bytes).
	File string `yaml:"-"`
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

// Store configures the article database: a SQLite file (Path, the
// default) or a PostgreSQL database (URL); never both.
type Store struct {
	// Path is the SQLite database file; "" when URL is set.
	Path string `yaml:"path"`
	// URL is a postgres:// (or postgresql://) URL of the PostgreSQL
	// database, its password usually from the environment (${VAR}).
	URL string `yaml:"url"`
	// MaxAge drops articles published longer ago than this (0: keep).
	MaxAge Duration `yaml:"max_age"`
	// MaxItems keeps at most this many articles per category (0: keep all).
	MaxItems int `yaml:"max_items"`
	// Lease is how long an instance of a cluster on one PostgreSQL store
	// holds a source it collects without renewing: a dead instance's
	// sources are taken over within it.
	Lease Duration `yaml:"lease"`
}

// Output configures the published tree.
type Output struct {
	Dir string `yaml:"dir"`
	// Items is how many of the newest articles each feed carries.
	Items int `yaml:"items"`
	// All, when set, adds a feed with every category's articles.
	All *AllFeed `yaml:"all"`
	// PerPage is how many articles a category page of the site lists.
	PerPage int `yaml:"per_page"`
	// Theme is a folder of templates (and site.css, favicon.svg) that
	// replace the default theme's files of the same name.
	Theme string `yaml:"theme"`
}

// Outputs are optional outputs besides the feeds.
type Outputs struct {
	Jekyll *Jekyll `yaml:"jekyll"`
	S3     *S3     `yaml:"s3"`
}

// Jekyll writes every article as a Jekyll post, the way a news-mirror
// site keeps them.
type Jekyll struct {
	// Dir is the _posts folder.
	Dir string `yaml:"dir"`
	// Layout is the front matter layout (default "post").
	Layout string `yaml:"layout"`
	// SiteURL is the Jekyll site's URL for the back links of the footer;
	// protocol-relative ("//news.example.org") is fine.
	SiteURL string `yaml:"site_url"`
	// Keep moves posts older than this from Dir to Archive (0: keep all).
	Keep Duration `yaml:"keep"`
	// Archive is where old posts go; "" deletes them instead.
	Archive string `yaml:"archive"`
	// Footer is a text/template for the end of each post; default: the
	// source link and back links to the category page and the home page.
	Footer string `yaml:"footer"`
}

// S3 uploads the output tree to a bucket of an S3-compatible object
// store, for a CDN or a static website in front of it.
type S3 struct {
	// Endpoint is the server's http(s) URL, without a path
	// ("https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:7070").
	Endpoint string `yaml:"endpoint"`
	Bucket   string `yaml:"bucket"`
	// Prefix goes before every path of the tree ("site/" puts
	// index.html at "site/index.html", as does "site"); "" is the
	// bucket's root.
	Prefix string `yaml:"prefix"`
	// Region signs the requests; "" asks the server for the bucket's.
	Region string `yaml:"region"`
	// PathStyle addresses the bucket in the path (endpoint/bucket/key),
	// as most self-hosted servers need, instead of in the host name
	// (bucket.endpoint/key).
	PathStyle bool `yaml:"path_style"`
	// AccessKeyID and SecretAccessKey sign the requests. When the file
	// sets neither, they are taken from AWS_ACCESS_KEY_ID and
	// AWS_SECRET_ACCESS_KEY at load; ${VAR} names another variable.
	AccessKeyID     string `yaml:"access_key_id"`
	SecretAccessKey string `yaml:"secret_access_key"`
	// fromEnv: the keys were not in the file (see s3Credentials).
	fromEnv bool
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
	// AccessLog logs every request answered: "" (off), "stderr" (a line
	// per request through the daemon's logger), or a file path written in
	// the Combined Log Format and reopened on SIGHUP.
	AccessLog string `yaml:"access_log"`
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
	// PerHost is how many requests may go to one host at once.
	PerHost int `yaml:"per_host"`
	// HostGap is the least time between two requests to one host.
	HostGap Duration `yaml:"host_gap"`
	// MaxBackoff caps how long a failing source is left alone.
	MaxBackoff Duration `yaml:"max_backoff"`
	// AllowPrivate lets URLs that come from upstream data (item links
	// followed for detail, redirects to another origin, detail URLs
	// whose host comes from a field) connect to loopback, private and
	// other non-public addresses. URLs the operator wrote always may.
	AllowPrivate bool `yaml:"allow_private"`
	// Allow lists the host names ("intranet.example", "*.corp.example"),
	// IP addresses and CIDR ranges ("10.1.0.0/16") such URLs may reach
	// even when not public.
	Allow []string `yaml:"allow"`
	// Caps bound what one upstream document may bring in.
	Caps `yaml:",inline"`
	// Jitter is the most a source's scheduled runs are shifted by (see
	// schedule.Jitter); 0 runs them exactly on schedule.
	Jitter Duration `yaml:"jitter"`
}

// CategorySpec is a source's category: a plain id, or a mapping whose id
// and title may be templates.
type CategorySpec struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
}

// UnmarshalYAML reads "category: news" as well as a mapping.
func (c *CategorySpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		c.ID = n.Value
		return nil
	}
	type plain CategorySpec
	return n.Decode((*plain)(c))
}

// Templated reports whether the category is derived per item.
func (c CategorySpec) Templated() bool { return strings.Contains(c.ID, "{{") }

// Fields map article fields to item data: each value is a gjson path
// ("data.title") or a text/template over the record ("{{.infoCode}}").
type Fields struct {
	ID        string `yaml:"id"`
	Title     string `yaml:"title"`
	Link      string `yaml:"link"`
	Published string `yaml:"published"`
	Updated   string `yaml:"updated"`
	Author    string `yaml:"author"`
	Summary   string `yaml:"summary"`
	Content   string `yaml:"content"`
	Image     string `yaml:"image"`
}

// Select holds CSS selectors for a listing page. A field selector may end
// with " @attr" to take an attribute instead of the text ("a @href").
type Select struct {
	Item    string `yaml:"item"`
	Title   string `yaml:"title"`
	Link    string `yaml:"link"`
	Date    string `yaml:"date"`
	Summary string `yaml:"summary"`
	Image   string `yaml:"image"`
}

// Detail fetches an item's full text from its own page or record.
type Detail struct {
	// URL is a template over the record for the detail request (type
	// json); other types fetch the item's link.
	URL string `yaml:"url"`
	// Content is a gjson path in the detail response (type json), or a
	// CSS selector on the item's page, or "readability" to extract the
	// main text.
	Content string `yaml:"content"`
}

// Category is a declared category: one feed per category.
type Category struct {
	// ID is the category's URL slug and file name.
	ID          string `yaml:"id"`
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	// Rules file articles from any source into this category too.
	Rules []Rule `yaml:"rules"`
	// Language is the category's language tag (BCP 47, e.g. "en");
	// default: the site's.
	Language string `yaml:"language"`
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
	// Footer is a regular expression (Go RE2 syntax) matched at the end
	// of each post's body (type posts), as written in its file: what it
	// matches is cut, and its group named "link", if any, is the
	// article's source link. Default: a news mirror's footer, the bare
	// upstream link and the "[返回…](…)" back-link line.
	Footer string `yaml:"footer"`
	// Category files every article of the source: a declared category id,
	// or (json, html, feed sources) templates over each item's fields that
	// derive a category per item, e.g. {id: "{{pinyin .medianame}}",
	// title: "{{.medianame}}新闻"}.
	Category CategorySpec `yaml:"category"`
	// Tags are templates over each item's fields, added to its tags.
	Tags []string `yaml:"tags"`
	// Items is the gjson path to the array of records (type json).
	Items string `yaml:"items"`
	// Fields map article fields to gjson paths or templates (type json).
	Fields Fields `yaml:"fields"`
	// Select holds the CSS selectors of a listing page (type html).
	Select Select `yaml:"select"`
	// DateFormat is the Go layout of the listing's dates (type html);
	// default: the common forms datetime.Parse knows.
	DateFormat string `yaml:"date_format"`
	// Detail fetches each item's own page or record for its full text.
	Detail   *Detail `yaml:"detail"`
	Schedule string  `yaml:"schedule"`
	// Timezone is the IANA zone for this source's dates without offset;
	// default: the site's.
	Timezone string `yaml:"timezone"`
	// Charset overrides the document's declared character set.
	Charset string   `yaml:"charset"`
	Timeout Duration `yaml:"timeout"`
	MaxBody ByteSize `yaml:"max_body"`
	// AllowPrivate and Allow are defaults.allow_private and
	// defaults.allow for this source; set, they replace the defaults.
	AllowPrivate *bool    `yaml:"allow_private"`
	Allow        []string `yaml:"allow"`
	// Caps override the defaults' caps; a zero cap takes the default.
	Caps `yaml:",inline"`
	// Language is the language tag of the categories derived from this
	// source's articles; default: the site's.
	Language string `yaml:"language"`
	// Jitter is defaults.jitter for this source; set (0 included), it
	// replaces the default.
	Jitter *Duration `yaml:"jitter"`
	// Pages gives each of the source's articles a page of the site, which
	// its feed entries link to (see Config.Pages for the default).
	Pages *bool `yaml:"pages"`
}
