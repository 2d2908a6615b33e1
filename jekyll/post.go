package jekyll

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/feedsmith/feedsmith/article"
)

// dateLayout is Jekyll's front matter date, with the offset kept.
const dateLayout = "2006-01-02 15:04:05 -0700"

// render returns the whole post file for a.
func (w *Writer) render(a *article.Article) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("---\n")
	if err := w.frontMatter(&buf, a); err != nil {
		return nil, err
	}
	buf.WriteString("---\n")
	body := htmlBlock(a.Content)
	if body == "" && strings.TrimSpace(a.Summary) != "" {
		body = "<p>" + html.EscapeString(strings.TrimSpace(a.Summary)) + "</p>"
	}
	body = noLiquid(body)
	if body != "" {
		buf.WriteString(body + "\n\n")
	}
	if link := autolinkURL(a.Link); link != "" {
		buf.WriteString("<" + link + ">\n\n")
	}
	footer, err := w.footer(a, body)
	if err != nil {
		return nil, err
	}
	buf.WriteString(footer)
	return append(bytes.TrimRight(buf.Bytes(), "\n"), '\n'), nil
}

// frontMatter writes the YAML header with an encoder, in the order a
// person writes it, so a title with quotes, colons or "#" stays valid
// YAML and reads back unchanged.
func (w *Writer) frontMatter(buf *bytes.Buffer, a *article.Article) error {
	title := scalar(a.Title)
	title.Style = yaml.DoubleQuotedStyle
	tags := a.Tags
	if len(tags) == 0 && len(a.Categories) > 0 {
		tags = []string{w.categoryTitle(a.Categories[0])}
	}
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node) { m.Content = append(m.Content, scalar(key), v) }
	add("layout", scalar(w.layout))
	add("title", title)
	add("date", scalar(a.Published.Format(dateLayout)))
	if n := names(a.Categories); n != nil {
		add("categories", n)
	}
	if n := names(tags); n != nil {
		add("tags", n)
	}
	var all []string
	for _, n := range a.AuthorList() {
		if n = personName(n); n != "" {
			all = append(all, n)
		}
	}
	switch {
	case len(all) > 1:
		// A list, as jekyll-seo-tag and jekyll-feed read several authors.
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, n := range all {
			seq.Content = append(seq.Content, scalar(n))
		}
		add("author", seq)
	case len(all) == 1:
		add("author", scalar(all[0]))
	}
	add("render_with_liquid", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "false"}) // see liquid.go
	enc := yaml.NewEncoder(buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("front matter: %w", err)
	}
	return enc.Close()
}

// names is the way Jekyll reads categories and tags back: a
// space-separated string when no name holds white space (any that
// strings.Fields or Ruby splits at), else a list. Each name is made
// plain text first (see label); empty names are dropped; no names gives
// nil.
func names(ns []string) *yaml.Node {
	var kept []string
	for _, n := range ns {
		if n = strings.TrimSpace(label(n)); n != "" {
			kept = append(kept, n)
		}
	}
	switch {
	case len(kept) == 0:
		return nil
	case !strings.ContainsFunc(strings.Join(kept, ""), unicode.IsSpace):
		return scalar(strings.Join(kept, " "))
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, n := range kept {
		seq.Content = append(seq.Content, scalar(n))
	}
	return seq
}

// scalar is a string node; the encoder quotes it when plain YAML would
// read it as something else (a number, a boolean, a list item). Invalid
// UTF-8 would be written as !!binary, so it is replaced first.
func scalar(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: strings.ToValidUTF8(s, "\uFFFD")}
}

// errNoDate is returned for an article without a publication date: the
// file name and the front matter both need one.
var errNoDate = errors.New("no publication date")
