package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/collect"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/normalize"
	"github.com/feedsmith/feedsmith/sources"
)

// runPreview is "feedsmith preview SOURCE_ID": one source, nothing stored.
func runPreview(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("preview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "config.yaml", "configuration file")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	// Go's flag package stops at the first argument that is not a flag;
	// take the source id from either end.
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if id == "" && fs.NArg() == 1 {
		id = fs.Arg(0)
	}
	if id == "" {
		fmt.Fprintln(stderr, "usage: feedsmith preview SOURCE_ID [-config config.yaml] [-json]")
		return 2
	}
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	src, ok := cfg.Source(id)
	if !ok {
		fmt.Fprintf(stderr, "feedsmith: no source %q in %s\n", id, *path)
		return 2
	}
	c := collect.New(cfg, nil, sources.UserAgent(buildVersion()), newLogger(stderr, levelWarn, "text"), time.Now)
	arts, derived, batch, err := c.Preview(ctx, src)
	if err != nil {
		fmt.Fprintf(stderr, "feedsmith: source %s: %v\n", id, err)
		return 1
	}
	for _, e := range batch.Skipped {
		fmt.Fprintf(stderr, "skipped: %v\n", e)
	}
	if *asJSON {
		return printPreviewJSON(stdout, arts)
	}
	printPreviewTable(stdout, arts)
	for _, d := range derived {
		fmt.Fprintf(stdout, "category %s: %s (derived)\n", d.ID, d.Title)
	}
	fmt.Fprintf(stdout, "%d articles, %d skipped\n", len(arts), len(batch.Skipped))
	return 0
}

// excerpt is the first n characters of an article's text.
func excerpt(a article.Article, n int) string {
	text := normalize.Text(a.Content)
	if text == "" {
		text = a.Summary
	}
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return string([]rune(text)[:n]) + "…"
}

func printPreviewTable(w io.Writer, arts []article.Article) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATE\tCATEGORY\tTITLE\tLINK\tCONTENT")
	for _, a := range arts {
		date := "(first seen)"
		if !a.Published.IsZero() {
			date = a.Published.Format("2006-01-02 15:04:05 -07:00")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, date, strings.Join(a.Categories, " "), a.Title, a.Link, excerpt(a, 40))
	}
	tw.Flush()
}

func printPreviewJSON(w io.Writer, arts []article.Article) int {
	type item struct {
		ID         string   `json:"id"`
		Published  string   `json:"published,omitempty"`
		Categories []string `json:"categories"`
		Tags       []string `json:"tags,omitempty"`
		Title      string   `json:"title"`
		Link       string   `json:"link"`
		FullText   bool     `json:"full_text"`
		Content    string   `json:"content"`
	}
	items := make([]item, 0, len(arts))
	for _, a := range arts {
		it := item{ID: a.ID, Categories: a.Categories, Tags: a.Tags, Title: a.Title, Link: a.Link, FullText: a.FullText, Content: excerpt(a, 200)}
		if !a.Published.IsZero() {
			it.Published = a.Published.Format(time.RFC3339)
		}
		items = append(items, it)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(items); err != nil {
		return 1
	}
	return 0
}
