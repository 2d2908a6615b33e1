package normalize

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// newPolicy builds the sanitizer allowlist, modelled on bluemonday's UGC
// policy: text formatting, headings, lists, tables, quotes, code, figures,
// images and media, and links. Everything else is dropped: script, style,
// iframe, object, embed, form and its controls, base, meta, link, every
// on* handler, style and class attributes, and any URL whose scheme is
// not http, https or (for links) mailto. data: URLs are refused, images
// included: they bloat feeds and have carried XSS payloads. Elements whose
// content is never text (script, style, iframe, object, noscript, title,
// ...) are dropped with their content. bluemonday checks href, src and
// cite; HTML's tree walk then checks every URL attribute again, including
// srcset and poster, which bluemonday does not parse.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")

	p.AllowElements("p", "div", "span", "br", "hr", "wbr",
		"h1", "h2", "h3", "h4", "h5", "h6",
		"b", "i", "u", "s", "em", "strong", "small", "big", "mark", "sub", "sup",
		"abbr", "cite", "dfn", "kbd", "samp", "var", "code", "pre", "tt",
		"ruby", "rt", "rp", "bdi", "figure", "figcaption", "picture",
		"article", "section", "aside", "header", "footer", "details", "summary",
		"ul", "ol", "li", "dl", "dt", "dd",
		"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col")
	// Any text is safe in title and alt: values are escaped on output.
	p.AllowAttrs("title").Globally()
	p.AllowAttrs("lang").Matching(langPattern).Globally()
	p.AllowAttrs("dir").Matching(bluemonday.Direction).Globally()

	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("cite").OnElements("blockquote", "q", "del", "ins")
	p.AllowAttrs("datetime").Matching(bluemonday.ISO8601).OnElements("time", "del", "ins")
	p.AllowElements("blockquote", "q", "del", "ins", "time")

	p.AllowAttrs("src", "srcset").OnElements("img", "source")
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("img", "video", "table", "td", "th", "col")
	p.AllowAttrs("type", "media").Matching(bluemonday.Paragraph).OnElements("source")
	p.AllowAttrs("src", "poster", "controls", "preload", "loop", "muted").OnElements("video")
	p.AllowAttrs("src", "controls", "preload", "loop", "muted").OnElements("audio")
	p.AllowElements("video", "audio")

	p.AllowAttrs("start", "reversed").OnElements("ol")
	p.AllowAttrs("type").Matching(bluemonday.ListType).OnElements("ol", "ul", "li")
	p.AllowAttrs("value").Matching(bluemonday.Integer).OnElements("li")
	p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("td", "th")
	p.AllowAttrs("scope").Matching(scopePattern).OnElements("th")
	p.AllowAttrs("span").Matching(bluemonday.Integer).OnElements("col", "colgroup")
	p.AllowAttrs("open").OnElements("details")
	return p
}

// The patterns of newPolicy that bluemonday does not export, shared with
// sanitizePlain.
var (
	langPattern  = regexp.MustCompile(`^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$`)
	scopePattern = regexp.MustCompile(`^(row|col|rowgroup|colgroup)$`)
)
