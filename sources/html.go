package sources

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/datetime"
)

// htmlSource scrapes a listing page with CSS selectors: one item per
// match of select.item, its fields selected within it.
type htmlSource struct {
	cfg     config.Source
	fetcher *Fetcher
	loc     *time.Location
	item    cascadia.Selector
	// title, link, date, summary and image select the item's fields.
	title, link, date, summary, image fieldSelector
	derive                            itemTemplates
	detail                            *pageDetail
}

func newHTML(cfg config.Source, env Env) (Source, error) {
	if strings.TrimSpace(cfg.URL) == "" {
		return nil, fmt.Errorf("source %s: html needs a url", cfg.ID)
	}
	if env.Fetcher == nil {
		return nil, fmt.Errorf("source %s: no fetcher", cfg.ID)
	}
	s := &htmlSource{
		cfg:     cfg,
		fetcher: env.Fetcher.WithLimits(time.Duration(cfg.Timeout), int64(cfg.MaxBody)).WithPolicy(policyFor(cfg)),
		loc:     cmp.Or(env.Location, time.UTC),
	}
	errs := s.compile(cfg.Select)
	var err error
	if s.derive, err = parseItemTemplates(cfg); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("source %s: %w", cfg.ID, err)
	}
	if s.detail, err = newPageDetail(cfg, env); err != nil {
		return nil, err
	}
	return s, nil
}

// compile compiles the selectors of sel, returning every problem, each
// naming its key.
func (s *htmlSource) compile(sel config.Select) []error {
	var errs []error
	item, err := config.CompileSelector(sel.Item)
	switch {
	case strings.TrimSpace(sel.Item) == "":
		errs = append(errs, errors.New("select.item: required"))
	case err != nil:
		errs = append(errs, fmt.Errorf("select.item: %w", err))
	}
	s.item = item
	for _, f := range []struct {
		key, spec string
		dst       *fieldSelector
		required  bool
	}{
		{"title", sel.Title, &s.title, true}, {"link", sel.Link, &s.link, true},
		{"date", sel.Date, &s.date, false}, {"summary", sel.Summary, &s.summary, false}, {"image", sel.Image, &s.image, false},
	} {
		fs, err := parseFieldSelector(f.spec)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("select.%s: %w", f.key, err))
		case f.required && fs.empty():
			errs = append(errs, fmt.Errorf("select.%s: required", f.key))
		}
		*f.dst = fs
	}
	return errs
}

// Collect fetches and parses the listing page, then the items' own pages
// when the source has a detail step.
func (s *htmlSource) Collect(ctx context.Context) (Batch, error) {
	resp, b, err := fetchDocument(ctx, s.fetcher, s.cfg.URL)
	if err != nil || b.NotModified {
		return b, err
	}
	body, err := DecodeHTML(resp.Body, resp.ContentType, s.cfg.Charset)
	if err != nil {
		return Batch{}, fmt.Errorf("decode %s: %w", s.cfg.URL, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return Batch{}, fmt.Errorf("parse %s: %w", s.cfg.URL, err)
	}
	b.BaseURL = resp.URL
	var page *url.URL
	if resp.URL != "" {
		page, _ = url.Parse(resp.URL)
	}
	items := doc.FindMatcher(s.item)
	items.Slice(0, keepItems(s.cfg, items.Length(), &b)).Each(func(i int, item *goquery.Selection) {
		a, err := s.article(item, page, &b)
		if err != nil {
			b.Skipped = append(b.Skipped, fmt.Errorf("item %d: %w", i+1, err))
			return
		}
		b.Articles = append(b.Articles, a)
	})
	if s.detail != nil {
		b.Refused, b.Pending = s.detail.fill(ctx, b.Articles, b.BaseURL)
	}
	return b, nil
}

// article reads one item. Its link and image are resolved against the
// page here, because an image is otherwise resolved against the article's
// own link, and the detail step needs an absolute link.
func (s *htmlSource) article(item *goquery.Selection, page *url.URL, b *Batch) (article.Article, error) {
	rec := map[string]string{
		"title":   s.title.value(item),
		"link":    resolveAgainst(page, s.link.value(item)),
		"date":    s.date.value(item),
		"summary": s.summary.value(item),
		"image":   resolveAgainst(page, s.image.value(item)),
	}
	switch {
	case rec["title"] == "" && rec["link"] == "":
		return article.Article{}, errors.New("no title and no link")
	case rec["title"] == "":
		return article.Article{}, fmt.Errorf("no title (link %s)", rec["link"])
	case rec["link"] == "":
		return article.Article{}, fmt.Errorf("no link (title %q)", rec["title"])
	}
	if u, err := url.Parse(rec["link"]); err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
		return article.Article{}, fmt.Errorf("link %q is not a web page (title %q)", rec["link"], rec["title"])
	}
	a := article.Article{
		ID:        article.StableID("", rec["link"], rec["title"], ""),
		SourceID:  s.cfg.ID,
		Title:     rec["title"],
		Link:      rec["link"],
		Published: s.parseDate(rec["date"]),
		Summary:   rec["summary"],
		Image:     rec["image"],
	}
	data := make(map[string]any, len(rec))
	for k, v := range rec {
		data[k] = v
	}
	title, err := s.derive.apply(&record{data: data, done: true}, &a)
	if err != nil {
		return article.Article{}, fmt.Errorf("%w (title %q)", err, a.Title)
	}
	if title != "" {
		b.titleCategory(a.Categories[0], title)
	}
	return a, nil
}

// parseDate reads a listing date; one it cannot read is no date, not an
// error: the store then dates the article when it first sees it.
func (s *htmlSource) parseDate(text string) time.Time {
	if text == "" {
		return time.Time{}
	}
	var t time.Time
	var err error
	if s.cfg.DateFormat != "" {
		t, err = datetime.ParseLayout(text, s.cfg.DateFormat, s.loc)
	} else {
		t, err = datetime.Parse(text, s.loc)
	}
	if err != nil {
		return time.Time{}
	}
	return t
}

// resolveAgainst resolves ref against the page's URL; without one (a
// local file) ref is kept for the collect stage to resolve.
func resolveAgainst(page *url.URL, ref string) string {
	if page == nil || ref == "" {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return page.ResolveReference(u).String()
}

// fieldSelector picks one value from an item: the whitespace-collapsed
// text or the attribute attr of the first element matching sel, or of the
// item itself when sel is nil.
type fieldSelector struct {
	sel  cascadia.Selector
	attr string
}

func parseFieldSelector(spec string) (fieldSelector, error) {
	sel, attr, err := config.ParseFieldSelector(spec)
	return fieldSelector{sel: sel, attr: attr}, err
}

func (f fieldSelector) empty() bool { return f.sel == nil && f.attr == "" }

func (f fieldSelector) value(item *goquery.Selection) string {
	if f.empty() {
		return ""
	}
	s := item
	if f.sel != nil {
		s = item.FindMatcher(f.sel).First()
	}
	if f.attr == "" {
		return strings.Join(strings.Fields(s.Text()), " ")
	}
	v, _ := s.Attr(f.attr)
	return strings.Join(strings.Fields(v), " ")
}
