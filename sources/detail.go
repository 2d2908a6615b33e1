package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/normalize"
	"github.com/feedsmith/feedsmith/store"
)

// detailWorkers is how many item pages one source fetches at once: enough
// to overlap latency, few enough to stay polite to a single site.
const detailWorkers = 2

// readabilityWord is the detail.content value that extracts the main text
// of a page instead of selecting it.
const readabilityWord = "readability"

// pageDetail fetches each article's own page for its full text (the
// detail of html and feed sources): the inner HTML of the first element
// matching a CSS selector, or the main content found by readability. Only
// the first match is taken so that nested matches cannot repeat text; a
// selector list ("div.article, div.content") covers several layouts, the
// first match in document order winning.
type pageDetail struct {
	fetcher *Fetcher
	// content selects the full text; nil means readability.
	content  cascadia.Selector
	charset  string
	fullText func(ctx context.Context, articleID string) (string, bool)
	log      *slog.Logger
	// maxContent is the most of a page's full text kept (max_content).
	maxContent int
}

// newPageDetail returns the detail step of cfg, or nil when it has none.
func newPageDetail(cfg config.Source, env Env) (*pageDetail, error) {
	if cfg.Detail == nil {
		return nil, nil
	}
	spec := strings.TrimSpace(cfg.Detail.Content)
	if spec == "" {
		return nil, fmt.Errorf("source %s: detail.content: required (a CSS selector or %s)", cfg.ID, readabilityWord)
	}
	if env.Fetcher == nil {
		return nil, fmt.Errorf("source %s: no fetcher", cfg.ID)
	}
	d := &pageDetail{
		fetcher:  env.Fetcher.WithLimits(time.Duration(cfg.Timeout), int64(cfg.MaxBody)).WithPolicy(policyFor(cfg)),
		fullText: env.FullText,
		log:      env.Logger,

		maxContent: maxContent(cfg),
	}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if cfg.Type == "html" {
		// A listing and its item pages are one site, mislabelled alike;
		// a feed's items may link anywhere, so their pages speak for
		// themselves.
		d.charset = cfg.Charset
	}
	if spec != readabilityWord {
		sel, err := config.CompileSelector(spec)
		if err != nil {
			return nil, fmt.Errorf("source %s: detail.content: %w", cfg.ID, err)
		}
		d.content = sel
	}
	return d, nil
}

// fill gives each article its full text: the stored one if the article
// was stored with it (no fetch), else its page's. An article whose page
// fails keeps its own summary and content, with FullText false so the
// next run tries again; the failure is logged, never a skip. Relative
// links resolve against base; only http(s) pages are fetched, and as
// untrusted URLs (Fetcher.GetLink): the fetches the policy refused are
// logged once, and their number returned. Every article gets its stored
// full text before any page is fetched: when ctx ends the fetches, none
// saved without it would replace it. The articles left without their
// page's text are returned as pending, with the page's URL.
func (d *pageDetail) fill(ctx context.Context, arts []article.Article, base string) (int, []store.PendingDetail) {
	var todo []*article.Article
	for i := range arts {
		if !d.stored(ctx, &arts[i]) {
			todo = append(todo, &arts[i])
		}
	}
	var refused refusals
	started := forEach(ctx, len(todo), detailWorkers, func(i int) { d.fillOne(ctx, todo[i], base, &refused) })
	if started < len(todo) {
		d.log.Warn("detail pages not fetched", "remaining", len(todo)-started, "error", ctx.Err())
	}
	var pending []store.PendingDetail
	for _, a := range todo {
		if link := pageURL(a.Link, base); !a.FullText && link != "" {
			pending = append(pending, pendingOf(a, link, base))
		}
	}
	return refused.report(d.log), pending
}

// stored reports whether a's full text was already stored, and if so
// gives it to a.
func (d *pageDetail) stored(ctx context.Context, a *article.Article) bool {
	if d.fullText == nil {
		return false
	}
	content, ok := d.fullText(ctx, a.ID)
	if !ok {
		return false
	}
	a.Content, a.FullText = content, true
	return true
}

func (d *pageDetail) fillOne(ctx context.Context, a *article.Article, base string, refused *refusals) {
	link := pageURL(a.Link, base)
	if link == "" {
		d.log.Warn("detail page not fetched: no http(s) link", "id", a.ID, "link", a.Link)
		return
	}
	content, err := d.extract(ctx, link)
	if err != nil {
		if !refused.add(err) {
			d.log.Warn("detail page failed, keeping the item's own text", "url", link, "error", err)
		}
		return
	}
	a.Content, a.FullText = normalize.CutHTML(content, d.maxContent), true
}

// extract fetches link and returns its full text as HTML.
func (d *pageDetail) extract(ctx context.Context, link string) (string, error) {
	resp, err := d.fetcher.GetLink(ctx, link)
	if err != nil {
		return "", err
	}
	if resp.NotModified {
		return "", errors.New("304 Not Modified, and no full text is stored")
	}
	body, err := DecodeHTML(resp.Body, resp.ContentType, d.charset)
	if err != nil {
		return "", fmt.Errorf("decode: %w", err)
	}
	var content string
	err = recoverParse(func() error {
		var err error
		if d.content == nil {
			content, err = readable(body, resp.URL)
		} else {
			content, err = d.selected(body)
		}
		return err
	})
	return content, err
}

// selected returns the inner HTML of the first element matching content.
func (d *pageDetail) selected(body []byte) (string, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("parse: %w", err)
	}
	s := doc.FindMatcher(d.content).First()
	if s.Length() == 0 {
		return "", errors.New("detail.content matched nothing")
	}
	inner, err := s.Html()
	if err != nil {
		return "", fmt.Errorf("render: %w", err)
	}
	if strings.TrimSpace(inner) == "" {
		return "", errors.New("detail.content matched an empty element")
	}
	return inner, nil
}

// readable returns the main content of a page. The page is parsed here,
// already decoded: readability's own reader would guess the charset again.
func readable(body []byte, page string) (string, error) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("parse: %w", err)
	}
	u, err := url.Parse(page)
	if err != nil {
		return "", fmt.Errorf("page url: %w", err)
	}
	parser := readability.NewParser()
	art, err := parser.ParseAndMutate(doc, u)
	if err != nil {
		return "", fmt.Errorf("readability: %w", err)
	}
	if art.Node == nil {
		return "", errors.New("readability found no main content")
	}
	var text strings.Builder
	if err := art.RenderText(&text); err != nil || strings.TrimSpace(text.String()) == "" {
		return "", errors.New("readability found no main content")
	}
	var out strings.Builder
	if err := art.RenderHTML(&out); err != nil {
		return "", fmt.Errorf("render: %w", err)
	}
	return out.String(), nil
}

// pageURL resolves link against base and returns it, without userinfo,
// if it is an http(s) URL: a link in a document must never make the
// fetcher read a local file.
func pageURL(link, base string) string {
	ref, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return ""
	}
	if b, err := url.Parse(base); err == nil && base != "" {
		ref = b.ResolveReference(ref)
	}
	if (ref.Scheme != "http" && ref.Scheme != "https") || ref.Host == "" {
		return ""
	}
	ref.User = nil
	return ref.String()
}
