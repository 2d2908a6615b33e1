package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/datetime"
)

// feedSource reads an RSS (0.9x, 1.0, 2.0), Atom or JSON Feed document
// from a URL or a local file.
type feedSource struct {
	cfg     config.Source
	fetcher *Fetcher
	loc     *time.Location
	detail  *pageDetail
	// derive holds the templated tags and category, over each item's
	// fields (itemFields).
	derive itemTemplates
}

func newFeed(cfg config.Source, env Env) (Source, error) {
	if strings.TrimSpace(cfg.URL) == "" {
		return nil, fmt.Errorf("source %s: feed needs a url", cfg.ID)
	}
	if env.Fetcher == nil {
		return nil, fmt.Errorf("source %s: no fetcher", cfg.ID)
	}
	loc := env.Location
	if loc == nil {
		loc = time.UTC
	}
	derive, err := parseItemTemplates(cfg)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", cfg.ID, err)
	}
	detail, err := newPageDetail(cfg, env)
	if err != nil {
		return nil, err
	}
	return &feedSource{
		cfg:     cfg,
		fetcher: env.Fetcher.WithLimits(time.Duration(cfg.Timeout), int64(cfg.MaxBody)).WithPolicy(policyFor(cfg)),
		loc:     loc,
		detail:  detail,
		derive:  derive,
	}, nil
}

// Collect fetches, decodes and parses the feed. Fetch errors already name
// the URL or path; decode and parse errors are given it here.
func (s *feedSource) Collect(ctx context.Context) (Batch, error) {
	resp, b, err := fetchDocument(ctx, s.fetcher, s.cfg.URL)
	if err != nil || b.NotModified {
		return b, err
	}
	body, err := decodeFeed(resp.Body, resp.ContentType, s.cfg.Charset)
	if err != nil {
		return Batch{}, fmt.Errorf("decode %s: %w", s.cfg.URL, err)
	}
	feed, err := parseFeed(body)
	if err != nil {
		return Batch{}, fmt.Errorf("parse %s: %w", s.cfg.URL, err)
	}
	if feed.FeedType != "json" {
		applyExtras(feed.Items, scanExtras(body, feed.FeedType == "atom"))
	}
	b.BaseURL = resp.URL
	if isAbsURL(feed.Link) {
		b.BaseURL = strings.TrimSpace(feed.Link)
	}
	items := feed.Items[:keepItems(s.cfg, len(feed.Items), &b)]
	b.Articles = make([]article.Article, 0, len(items))
	for i, it := range items {
		if it == nil {
			continue
		}
		if empty(it) {
			// Nothing to show and nothing to tell it from another: a hash
			// of nothing would be one id for all such items.
			b.Skipped = append(b.Skipped, fmt.Errorf("item %d: no guid, link, title or content", i+1))
			continue
		}
		a := s.article(it)
		if !s.derive.none() {
			title, err := s.derive.apply(&record{data: itemFields(it, a), done: true}, &a)
			if err != nil {
				b.Skipped = append(b.Skipped, fmt.Errorf("item %d: %w (title %q)", i+1, err, a.Title))
				continue
			}
			if title != "" {
				b.titleCategory(a.Categories[0], title)
			}
		}
		b.Articles = append(b.Articles, a)
	}
	if s.detail != nil {
		// Items that carry only summaries get their pages' full text.
		b.Refused, b.Pending = s.detail.fill(ctx, b.Articles, b.BaseURL)
	}
	return b, nil
}

// decodeFeed converts a feed document to UTF-8: JSON Feed has no XML
// declaration to read the charset from.
func decodeFeed(body []byte, contentType, override string) ([]byte, error) {
	head, _ := trimBOM(body)
	if bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("{")) {
		return DecodeText(body, contentType, override)
	}
	return DecodeXML(body, contentType, override)
}

// parseFeed parses a UTF-8 document with gofeed, which panics on some
// malformed input (a JSON Feed item that is null, for one): a panic is
// the document's fault, so it becomes an error rather than a crash.
func parseFeed(body []byte) (*gofeed.Feed, error) {
	var feed *gofeed.Feed
	err := recoverParse(func() error {
		var err error
		p := gofeed.NewParser()
		p.AtomTranslator, p.RSSTranslator = &atomTranslator{}, &rssTranslator{}
		feed, err = p.Parse(bytes.NewReader(body))
		return err
	})
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		return nil, errors.New("not an RSS, Atom or JSON Feed document")
	case err != nil:
		return nil, err
	case feed == nil:
		return nil, errors.New("empty document")
	}
	return feed, nil
}

// recoverParse runs parse, turning a panic into an error.
func recoverParse(parse func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed document (parser panic: %v)", r)
		}
	}()
	return parse()
}

func (s *feedSource) article(it *gofeed.Item) article.Article {
	title := strings.TrimSpace(it.Title)
	link := strings.TrimSpace(it.Link)
	if link == "" && len(it.Links) > 0 {
		link = strings.TrimSpace(it.Links[0])
	}
	content := it.Content
	if strings.TrimSpace(content) == "" {
		content = it.Description
	}
	a := article.Article{
		ID:         article.StableID(it.GUID, link, title, content),
		SourceID:   s.cfg.ID,
		Title:      title,
		Link:       link,
		Authors:    authors(it),
		Published:  s.date(it.Published, it.PublishedParsed),
		Updated:    s.date(it.Updated, it.UpdatedParsed),
		Summary:    it.Description,
		Content:    content,
		Tags:       tags(it.Categories),
		Enclosures: enclosures(it.Enclosures),
	}
	if it.Image != nil {
		a.Image = strings.TrimSpace(it.Image.URL)
	}
	if len(a.Authors) > 0 {
		a.Author = a.Authors[0]
	}
	return a
}

// itemFields are what a feed source's templated tags and category see
// of an item: its text as the feed gave it (trimmed), the lists as
// lists, and the link as the article has it.
func itemFields(it *gofeed.Item, a article.Article) map[string]any {
	list := func(ss []string) []any {
		out := make([]any, len(ss))
		for i, s := range ss {
			out[i] = s
		}
		return out
	}
	return map[string]any{
		"title":      a.Title,
		"link":       a.Link,
		"guid":       strings.TrimSpace(it.GUID),
		"author":     a.Author,
		"authors":    list(a.Authors),
		"categories": list(a.Tags),
		"published":  strings.TrimSpace(it.Published),
		"updated":    strings.TrimSpace(it.Updated),
		"summary":    it.Description,
	}
}

// date re-reads the item's own date text: gofeed's parsed time does not
// say whether the source gave an offset, so a zone-less date would be
// taken as UTC instead of the source's zone. An unreadable date is zero.
func (s *feedSource) date(text string, parsed *time.Time) time.Time {
	if strings.TrimSpace(text) != "" {
		if t, err := datetime.Parse(text, s.loc); err == nil {
			return t
		}
	}
	if parsed != nil {
		return *parsed
	}
	return time.Time{}
}

// empty reports whether an item has no guid, link, title or content
// (description included).
func empty(it *gofeed.Item) bool {
	for _, s := range append([]string{it.GUID, it.Link, it.Title, it.Content, it.Description}, it.Links...) {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// authors are the names of the item's authors (an address when there is
// no name), in order.
func authors(it *gofeed.Item) []string {
	var out []string
	for _, p := range it.Authors {
		if p == nil {
			continue
		}
		if n := strings.TrimSpace(p.Name); n != "" {
			out = append(out, n)
		} else if e := strings.TrimSpace(p.Email); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// tags trims and de-duplicates the item's categories.
func tags(cats []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cats {
		c = strings.TrimSpace(c)
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

func enclosures(in []*gofeed.Enclosure) []article.Enclosure {
	var out []article.Enclosure
	for _, e := range in {
		if e == nil || strings.TrimSpace(e.URL) == "" {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(e.Length), 10, 64)
		if err != nil || n < 0 {
			n = 0
		}
		out = append(out, article.Enclosure{URL: strings.TrimSpace(e.URL), Type: strings.TrimSpace(e.Type), Length: n})
	}
	return out
}

func isAbsURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
