package sources

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/urltemplate"
)

// jsonDetailWorkers bounds the detail requests of one source in flight:
// an API that answers one list quickly may still be slow per record.
const jsonDetailWorkers = 2

// jsonSource reads a JSON API: a list document holding an array of
// records, and optionally a detail document per record for its full text.
type jsonSource struct {
	cfg      config.Source
	fetcher  *Fetcher
	mapper   *recordMapper
	detail   recordField // the detail URL template; unset without a detail
	fullText func(ctx context.Context, articleID string) (string, bool)
	logger   *slog.Logger
}

// jsonDetail is an article whose full text is still to be fetched.
type jsonDetail struct {
	index int
	url   string
}

func newJSON(cfg config.Source, env Env) (Source, error) {
	var errs []error
	problem := func(key, msg string) { errs = append(errs, fmt.Errorf("%s: %s", key, msg)) }
	if strings.TrimSpace(cfg.URL) == "" {
		problem("url", "required for type json")
	}
	if strings.TrimSpace(cfg.Items) == "" {
		problem("items", "required for type json (the gjson path to the array of records)")
	}
	if strings.TrimSpace(cfg.Fields.Title) == "" {
		problem("fields.title", "required for type json")
	}
	if env.Fetcher == nil {
		errs = append(errs, errors.New("no fetcher"))
	}
	mapper, err := newRecordMapper(cfg, cmp.Or(env.Location, time.UTC))
	errs = append(errs, err)
	s := &jsonSource{cfg: cfg, mapper: mapper, fullText: env.FullText, logger: env.Logger}
	var detailURL urltemplate.Shape
	if d := cfg.Detail; d != nil {
		if strings.TrimSpace(d.URL) == "" || strings.TrimSpace(d.Content) == "" {
			problem("detail", "a json detail needs url (a template) and content (a gjson path)")
		}
		s.detail, err = parseRecordTemplate("detail.url", d.URL)
		errs = append(errs, err)
		if err == nil {
			detailURL, err = urltemplate.Escape(s.detail.tmpl)
			if err != nil {
				errs = append(errs, fmt.Errorf("detail.url: invalid template: %w", err))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("source %s: %w", cfg.ID, err)
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	// A detail.url whose scheme, host and port are literal text is the
	// operator's, as the list's url is; one a field decides is not.
	policy := policyFor(cfg, detailURL.Origin)
	s.fetcher = env.Fetcher.WithLimits(time.Duration(cfg.Timeout), int64(cfg.MaxBody)).WithPolicy(policy)
	return s, nil
}

// Collect fetches the list, maps its records to articles and, with a
// detail, fetches the full text of those not already stored with it.
func (s *jsonSource) Collect(ctx context.Context) (Batch, error) {
	resp, b, err := fetchDocument(ctx, s.fetcher, s.cfg.URL)
	if err != nil || b.NotModified {
		return b, err
	}
	items, err := s.items(resp)
	if err != nil {
		return Batch{}, err
	}
	b.BaseURL = resp.URL
	items = items[:keepItems(s.cfg, len(items), &b)]
	details := s.records(ctx, items, &b)
	b.Refused = s.fetchDetails(ctx, b.Articles, details)
	for _, d := range details {
		if a := &b.Articles[d.index]; !a.FullText {
			b.Pending = append(b.Pending, pendingOf(a, d.url, b.BaseURL))
		}
	}
	return b, nil
}

// records maps items to b's articles and category titles, skipping the
// records that fail, and returns the details still to fetch.
func (s *jsonSource) records(ctx context.Context, items []gjson.Result, b *Batch) []jsonDetail {
	var details []jsonDetail
	for i, raw := range items {
		r := &record{raw: raw}
		a, title, err := s.mapper.article(r)
		if err != nil {
			b.Skipped = append(b.Skipped, fmt.Errorf("record %d: %w", i, err))
			continue
		}
		a.SourceID = s.cfg.ID
		for _, id := range a.Categories {
			if _, ok := b.CategoryTitles[id]; !ok {
				b.titleCategory(id, title)
			}
		}
		b.Articles = append(b.Articles, a)
		if s.cfg.Detail == nil || s.stored(ctx, &b.Articles[len(b.Articles)-1]) {
			continue
		}
		u, err := s.detailURL(r, b.BaseURL)
		if err != nil {
			s.logger.Warn("no detail url", "record", i, "error", err)
			continue
		}
		details = append(details, jsonDetail{index: len(b.Articles) - 1, url: u})
	}
	return details
}

// items decodes the list document and returns its array of records.
func (s *jsonSource) items(resp *Response) ([]gjson.Result, error) {
	body, err := DecodeText(resp.Body, resp.ContentType, s.cfg.Charset)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", s.cfg.URL, err)
	}
	if !gjson.ValidBytes(body) {
		return nil, fmt.Errorf("parse %s: not valid JSON", s.cfg.URL)
	}
	list := gjson.GetBytes(body, s.cfg.Items)
	if !list.IsArray() {
		return nil, fmt.Errorf("items path %q is not an array in %s", s.cfg.Items, s.cfg.URL)
	}
	return list.Array(), nil
}

// stored reports whether a's full text is already stored, and if so
// takes it: fetching it again would cost a request for nothing.
func (s *jsonSource) stored(ctx context.Context, a *article.Article) bool {
	if s.fullText == nil {
		return false
	}
	content, ok := s.fullText(ctx, a.ID)
	if ok {
		a.Content, a.FullText = content, true
	}
	return ok
}

// detailURL renders the detail URL of r, without userinfo; one relative
// to the list resolves against the list's URL.
func (s *jsonSource) detailURL(r *record, base string) (string, error) {
	u, err := s.detail.value(r)
	if err != nil {
		return "", err
	}
	if u == "" {
		return "", errors.New("detail.url is empty")
	}
	ref, err := url.Parse(u)
	if err != nil {
		return u, nil // fetchDetail says why it is not fetched
	}
	if b, err := url.Parse(base); err == nil && base != "" && !ref.IsAbs() {
		ref = b.ResolveReference(ref)
	}
	ref.User = nil // never sent, nor logged
	return ref.String(), nil
}

// fetchDetails fetches the full text of each of details, a few at a
// time. A failure leaves the article with its list data and FullText
// unset, so the next run tries again. A cancelled ctx stops the fetches
// but keeps what was fetched: a first run with many records may outlast
// its deadline, and the next run then only fetches the rest. The fetches
// the policy refused are logged once, and their number returned.
func (s *jsonSource) fetchDetails(ctx context.Context, arts []article.Article, details []jsonDetail) int {
	var refused refusals
	started := forEach(ctx, len(details), jsonDetailWorkers, func(i int) {
		d := details[i]
		content, err := s.fetchDetail(ctx, d.url)
		if err != nil {
			if !refused.add(err) {
				s.logger.Warn("detail fetch failed", "url", d.url, "error", err)
			}
			return
		}
		arts[d.index].Content, arts[d.index].FullText = capContent(s.cfg, content), true
	})
	if started < len(details) {
		s.logger.Warn("detail fetches stopped", "left", len(details)-started, "error", ctx.Err())
	}
	return refused.report(s.logger)
}

// fetchDetail returns the content at the detail path of the document at
// rawURL. The URL is built from outside data: it is fetched as an
// untrusted one (Fetcher.GetLink), so it can never name a local file,
// and reaches a non-public address only on an origin of the operator's.
func (s *jsonSource) fetchDetail(ctx context.Context, rawURL string) (string, error) {
	if u, err := url.Parse(rawURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("detail url %q is not an absolute http(s) URL", rawURL)
	}
	resp, err := s.fetcher.GetLink(ctx, rawURL)
	if err != nil {
		return "", err
	}
	if resp.NotModified {
		return "", fmt.Errorf("GET %s: not modified, and nothing stored", rawURL)
	}
	body, err := DecodeText(resp.Body, resp.ContentType, s.cfg.Charset)
	if err != nil {
		return "", fmt.Errorf("decode %s: %w", rawURL, err)
	}
	if !gjson.ValidBytes(body) {
		return "", fmt.Errorf("parse %s: not valid JSON", rawURL)
	}
	content := jsonText(gjson.GetBytes(body, s.cfg.Detail.Content))
	if content == "" {
		return "", fmt.Errorf("%s: nothing at %q", rawURL, s.cfg.Detail.Content)
	}
	return content, nil
}
