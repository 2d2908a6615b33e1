package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/collect"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/normalize"
	"github.com/feedsmith/feedsmith/sources"
)

const previewAbout = `
Run one source through fetching, extraction and normalization, storing
nothing (no conditional requests either), and print what it extracted: a
table fitted to the terminal's width (COLUMNS if set, 120 columns when
piped), or JSON with -json.

Exit status: 0 when the source ran, 1 when it failed, 2 for a usage error,
an invalid configuration or an unknown SOURCE_ID (the valid ids are listed).`

// runPreview is "feedsmith preview SOURCE_ID": one source, nothing stored.
func runPreview(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cl := newCommandLine("preview", previewAbout)
	id := cl.arg("SOURCE_ID", "the id of the source to run", true)
	path := cl.configFile()
	asJSON := cl.fs.Bool("json", false, "print JSON instead of a table")
	if code, ok := cl.parse(args, stdout, stderr); !ok {
		return code
	}
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	src, ok := cfg.Source(*id)
	if !ok {
		fmt.Fprintf(stderr, "feedsmith: no source %q in %s; its sources are: %s\n", *id, *path, strings.Join(cfg.SourceIDs(), ", "))
		return exitUsage
	}
	c := collect.New(cfg, nil, sources.UserAgent(buildVersion()), newLogger(stderr, levelWarn, "text"), time.Now)
	arts, derived, batch, err := c.Preview(ctx, src)
	if err != nil {
		fmt.Fprintf(stderr, "feedsmith: source %s: %v\n", *id, err)
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
	t := &table{header: []string{"ID", "DATE", "CATEGORY", "TITLE", "LINK", "CONTENT"}, fixed: map[int]bool{1: true}}
	for _, a := range arts {
		date := "(first seen)"
		if !a.Published.IsZero() {
			date = a.Published.Format("2006-01-02 15:04:05 -07:00")
		}
		t.add(a.ID, date, strings.Join(a.Categories, " "), a.Title, a.Link, excerpt(a, 40))
	}
	t.write(w, tableWidth(w))
}

// defaultTableWidth is the width of a table that is not printed on a
// terminal.
const defaultTableWidth = 120

// tableWidth is how wide a table printed to w may be: COLUMNS when set,
// else the terminal's width, else defaultTableWidth.
func tableWidth(w io.Writer) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if f, ok := fileOf(w); ok && isTerminal(f) {
		if n, ok := terminalWidth(f); ok {
			return n
		}
	}
	return defaultTableWidth
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
