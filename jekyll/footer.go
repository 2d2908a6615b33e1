package jekyll

import (
	"bytes"
	"fmt"

	"github.com/feedsmith/feedsmith/article"
)

// defaultFooter links back to the category page and the home page, as
// the posts of the old cron script did. A post without a category gets
// only the home link.
const defaultFooter = `{{if .Category}}[返回{{.CategoryTitle}}]({{.SiteURL}}/category/{{.Category}}.html)｜{{end}}[返回首页]({{.SiteURL}}/)`

// FooterData is what a footer template sees. The footer is Markdown
// written by text/template, which escapes nothing, so every string here
// is already escaped for where a footer puts it, and the footer's output
// as a whole has its "{" written as "&#123;" (see noLiquid).
type FooterData struct {
	// Article is a copy of the article whose text (ID, SourceID, Title,
	// Author, Summary, Categories, Tags, enclosure types) is escaped as
	// Markdown text, like CategoryTitle; whose URLs (Link, Image,
	// enclosure URLs) are escaped as link destinations, like SiteURL;
	// and whose Content is the post's body, HTML with no "{".
	Article article.Article
	// Category is the article's first category id, escaped as a URL path
	// segment (every byte but ASCII letters, digits and "-._~"
	// percent-encoded); "" for an article without categories.
	Category string
	// CategoryTitle is that category's title, escaped as Markdown text:
	// ASCII punctuation as character references ("<" is "&#60;"), line
	// breaks as spaces. 日照日报新闻 stays 日照日报新闻.
	CategoryTitle string
	// SiteURL is the configured site URL without a trailing slash,
	// escaped as a link destination (white space, parentheses, "<", ">"
	// percent-encoded; "" unless http, https or protocol-relative).
	SiteURL string
}

// footer renders the footer template for a, whose body is body.
func (w *Writer) footer(a *article.Article, body string) (string, error) {
	d := FooterData{Article: escapedArticle(a, body), SiteURL: linkURL(w.siteURL)}
	if len(a.Categories) > 0 {
		d.Category = pathSegment(a.Categories[0])
		d.CategoryTitle = mdText(w.categoryTitle(a.Categories[0]))
	}
	var buf bytes.Buffer
	if err := w.footerTmpl.Execute(&buf, d); err != nil {
		return "", fmt.Errorf("footer: %w", err)
	}
	return noLiquid(buf.String()), nil
}

// escapedArticle is the copy of a a footer sees: see FooterData.Article.
func escapedArticle(a *article.Article, body string) article.Article {
	e := *a
	e.ID, e.SourceID, e.Title = mdText(a.ID), mdText(a.SourceID), mdText(a.Title)
	e.Author, e.Summary, e.Hash = mdText(a.Author), mdText(a.Summary), mdText(a.Hash)
	e.Link, e.Image = linkURL(a.Link), linkURL(a.Image)
	e.Content = body
	e.Categories = mdTexts(a.Categories)
	e.Tags = mdTexts(a.Tags)
	e.Authors = mdTexts(a.Authors)
	e.Enclosures = nil
	for _, enc := range a.Enclosures {
		e.Enclosures = append(e.Enclosures, article.Enclosure{URL: linkURL(enc.URL), Type: mdText(enc.Type), Length: enc.Length})
	}
	return e
}

func mdTexts(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = mdText(s)
	}
	return out
}
