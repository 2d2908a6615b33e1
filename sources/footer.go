package sources

import (
	"html"
	"net/url"
	"regexp"
	"strings"
)

// A news mirror's post ends with a footer: the bare upstream link on a
// line of its own, then a line of back-links, as feedsmith's Jekyll
// output and the posts it replaces write them:
//
//	<http://news.example.com/html_News/NewsShare.html?infoCode=NW…>
//
//	[返回日照日报新闻](//news.example.org/category/rizhaoribao.html)｜[返回首页](//news.example.org/)
//
// Read back, the footer is no part of the article: it is cut from the
// body, and the upstream link kept as the article's source link (Via).
// Only that shape, and only at the very end, is cut: a back-link line
// (every link's text starting with 返回, joined by ｜ or |, the last one
// the home link 返回首页, as both write it), alone in its paragraph, and
// before it, optionally, a paragraph that is one bare http(s) URL (an
// autolink or plain). A story's own last link ("[返回](…)" to its first
// part, "[返回值的命名](…)") is no footer: 返回 is also "return". A
// source's own footer pattern replaces this (config footer).
var (
	mdBackLinks = regexp.MustCompile(`^(?:\[返回[^\[\]\n]*\]\([^()\s]*\)[ \t]*[｜|][ \t]*)*\[返回首页\]\([^()\s]*\)$`)
	mdBareURL   = regexp.MustCompile(`^(?:<(https?://[^\s<>]+)>|(https?://[^\s<>\[\]()]+))$`)
	// The same after Markdown rendering (goldmark), or in an HTML post.
	htmlBackLinks = regexp.MustCompile(`(?:^|\n)[ \t]*<p>(?:<a href="[^"<>]*">返回[^<>]*</a>[ \t]*[｜|][ \t]*)*<a href="[^"<>]*">返回首页</a></p>\s*\z`)
	htmlBareURL   = regexp.MustCompile(`(?:^|\n)[ \t]*<p><a href="(https?://[^"<>\s]+)">([^<>]+)</a></p>\s*\z`)
)

// cutFooter cuts the footer from the end of a post's body, as written
// in its file, and returns the rest and the footer's source link ("" if
// none). custom is the source's own footer pattern (config footer), nil
// for the default; found reports whether a footer was cut.
func cutFooter(body string, markdown bool, custom *regexp.Regexp) (rest, link string, found bool) {
	switch {
	case custom != nil:
		m := custom.FindStringSubmatchIndex(body)
		if m == nil {
			return body, "", false
		}
		if i := custom.SubexpIndex("link"); i > 0 && m[2*i] >= 0 {
			link = strings.TrimSpace(body[m[2*i]:m[2*i+1]])
		}
		return strings.TrimRight(body[:m[0]], " \t\r\n"), link, true
	case markdown:
		return cutMarkdownFooter(body)
	default:
		return cutHTMLFooter(body)
	}
}

// cutMarkdownFooter cuts the default footer from a Markdown body.
func cutMarkdownFooter(body string) (rest, link string, found bool) {
	lines := strings.Split(strings.TrimRight(body, " \t\r\n"), "\n")
	n := len(lines)
	last, ok := mdLine(lines[n-1])
	if !ok || !mdBackLinks.MatchString(last) || (n > 1 && !blank(lines[n-2])) {
		return body, "", false
	}
	end := n - 1
	i := end - 1
	for i >= 0 && blank(lines[i]) {
		i--
	}
	if l, ok := mdLine(lines[max(i, 0)]); i >= 0 && ok && (i == 0 || blank(lines[i-1])) {
		if m := mdBareURL.FindStringSubmatch(l); m != nil {
			link, end = m[1]+m[2], i
		}
	}
	return strings.TrimRight(strings.Join(lines[:end], "\n"), " \t\r\n"), link, true
}

// cutHTMLFooter cuts the default footer from an HTML body: a post's,
// or a Markdown post's once rendered.
func cutHTMLFooter(body string) (rest, link string, found bool) {
	if !strings.HasSuffix(strings.TrimRight(body, " \t\n\f\r"), "返回首页</a></p>") { // \s*\z
		return body, "", false // the common case, without running the regexp
	}
	tail := lastParagraph(body)
	m := htmlBackLinks.FindStringIndex(body[tail:])
	if m == nil {
		return body, "", false
	}
	rest = body[:tail+m[0]]
	tail = lastParagraph(rest)
	if u := htmlBareURL.FindStringSubmatch(rest[tail:]); u != nil && isWebURL(html.UnescapeString(u[2])) {
		link = html.UnescapeString(u[1])
		rest = rest[:len(rest)-len(u[0])]
	}
	return strings.TrimRight(rest, " \t\r\n"), link, true
}

// lastParagraph returns where the line holding body's last "<p>" starts
// (the newline before it, or 0). Both HTML footer patterns hold no "<p>"
// but their first and no newline before it, and end at the end of the
// body, so a match can only start there: run on that tail alone, they
// find what they find on the whole body without scanning a long story
// from every offset (which was 15% of a cold build of 10,000 posts).
func lastParagraph(body string) int {
	i := strings.LastIndex(body, "<p>")
	if i < 0 {
		return len(body)
	}
	return max(strings.LastIndexByte(body[:i], '\n'), 0)
}

// mdLine returns a line of Markdown without its indentation and line
// end, and whether it is a paragraph's line: one indented by four
// spaces or a tab is code.
func mdLine(l string) (string, bool) {
	l = strings.TrimRight(l, " \t\r")
	if strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t") {
		return "", false
	}
	return strings.TrimLeft(l, " "), true
}

func blank(l string) bool { return strings.TrimSpace(l) == "" }

// isWebURL reports whether s is one absolute http(s) URL, as a bare
// link's text is.
func isWebURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
