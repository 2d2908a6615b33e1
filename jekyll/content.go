package jekyll

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	// lineBreaksRE is a run of white space that holds a line break.
	lineBreaksRE = regexp.MustCompile(`[ \t\r\f]*\n[ \t\r\n\f]*`)
	// blankLineRE is a line break followed by a blank line.
	blankLineRE = regexp.MustCompile(`\n([ \t\r\f]*)\n`)
)

// blockStarts are the tags that open an HTML block in Markdown
// (CommonMark's kind 6; kramdown's block elements) whose content is
// left alone. <pre> is not one: CommonMark ends its block at </pre>.
var blockStarts = map[atom.Atom]bool{atom.P: true, atom.Div: true, atom.H1: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Blockquote: true, atom.Table: true,
	atom.Figure: true, atom.Section: true, atom.Article: true, atom.Aside: true,
	atom.Header: true, atom.Footer: true, atom.Details: true, atom.Hr: true}

// voids are the elements without an end tag.
var voids = map[atom.Atom]bool{atom.Area: true, atom.Base: true, atom.Br: true,
	atom.Col: true, atom.Embed: true, atom.Hr: true, atom.Img: true, atom.Input: true,
	atom.Link: true, atom.Meta: true, atom.Source: true, atom.Track: true, atom.Wbr: true}

// htmlBlock makes an article's HTML safe to put in a Markdown post
// without changing how it renders. Markdown ends an HTML block at a blank
// line and reads what follows as Markdown: an indented line becomes a
// code block, and "*" or "_" in the text become emphasis. So the lines
// outside <pre> lose their indentation and blank lines (white space that
// HTML collapses anyway), a blank line inside <pre> ends with a "&#10;"
// that stands for its line break, and content that is not only block
// elements (text, inline tags or <pre> at the top level) is wrapped in a
// <div>.
func htmlBlock(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return ""
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	pre, depth, wrap := 0, 0, false
	for {
		tt := z.Next()
		raw := string(z.Raw())
		if tt == html.ErrorToken {
			b.WriteString(raw) // a tag cut off at the end
			break
		}
		name, _ := z.TagName()
		a := atom.Lookup(name)
		switch {
		case tt == html.StartTagToken || tt == html.SelfClosingTagToken:
			wrap = wrap || depth == 0 && !blockStarts[a]
			if tt == html.StartTagToken && !voids[a] {
				depth++
			}
		case tt == html.EndTagToken:
			depth = max(depth-1, 0)
		case tt == html.TextToken:
			wrap = wrap || depth == 0 && strings.TrimSpace(raw) != ""
		}
		switch {
		case tt == html.StartTagToken && (a == atom.Pre || a == atom.Textarea):
			pre++
		case tt == html.EndTagToken && (a == atom.Pre || a == atom.Textarea) && pre > 0:
			pre--
		case tt != html.TextToken || !strings.Contains(raw, "\n"):
		case pre == 0:
			raw = lineBreaksRE.ReplaceAllString(raw, "\n")
		default:
			raw = blankLineRE.ReplaceAllString(raw, "\n$1&#10;")
		}
		b.WriteString(raw)
	}
	out := strings.TrimSpace(b.String())
	if wrap {
		return "<div>\n" + out + "\n</div>"
	}
	return out
}
