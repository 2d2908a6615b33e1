package sources

import (
	"context"
	"log/slog"
	"slices"
	"sync"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/normalize"
	"github.com/feedsmith/feedsmith/store"
)

// A DetailRetrier is a source with a detail step that can fetch again
// the details an earlier run left pending (Batch.Pending), without
// fetching its listing: so the listing's request stays conditional.
type DetailRetrier interface {
	// RetryDetails fetches the detail of each of pending as the source's
	// detail step does (the same fetch policy, caps and extraction). It
	// returns those that got their full text (Content set, FullText
	// true, else their listing data), those still to fetch, and the
	// number of fetches the policy refused. A cancelled ctx leaves the
	// rest pending.
	RetryDetails(ctx context.Context, pending []store.PendingDetail) (filled, left []store.PendingDetail, refused int)
}

// RetryDetails retries the pending details of a feed source's pages.
func (s *feedSource) RetryDetails(ctx context.Context, pending []store.PendingDetail) (filled, left []store.PendingDetail, refused int) {
	if s.detail == nil {
		return nil, nil, 0 // the detail step is gone: nothing to retry
	}
	return s.detail.retry(ctx, pending)
}

// RetryDetails retries the pending details of an html source's pages.
func (s *htmlSource) RetryDetails(ctx context.Context, pending []store.PendingDetail) (filled, left []store.PendingDetail, refused int) {
	if s.detail == nil {
		return nil, nil, 0
	}
	return s.detail.retry(ctx, pending)
}

// RetryDetails retries the pending detail records of a json source, at
// the URLs rendered when their listing was read.
func (s *jsonSource) RetryDetails(ctx context.Context, pending []store.PendingDetail) (filled, left []store.PendingDetail, refused int) {
	if s.cfg.Detail == nil {
		return nil, nil, 0
	}
	return retryDetails(ctx, s.logger, jsonDetailWorkers, pending, func(ctx context.Context, u string) (string, error) {
		content, err := s.fetchDetail(ctx, u)
		return capContent(s.cfg, content), err
	})
}

func (d *pageDetail) retry(ctx context.Context, pending []store.PendingDetail) (filled, left []store.PendingDetail, refused int) {
	return retryDetails(ctx, d.log, detailWorkers, pending, func(ctx context.Context, u string) (string, error) {
		content, err := d.extract(ctx, u)
		return normalize.CutHTML(content, d.maxContent), err
	})
}

// retryDetails fetches the detail of each of pending with fetch, a few
// at a time, until ctx ends.
func retryDetails(ctx context.Context, log *slog.Logger, workers int, pending []store.PendingDetail,
	fetch func(ctx context.Context, url string) (string, error)) (filled, left []store.PendingDetail, refused int) {
	var rs refusals
	// done: fetched; dropped: refused by the fetch policy, which will
	// refuse it again.
	done, dropped := make([]bool, len(pending)), make([]bool, len(pending))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i := range pending {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			log.Warn("pending details not fetched", "left", len(pending)-i, "error", ctx.Err())
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			p := &pending[i]
			content, err := fetch(ctx, p.URL)
			if err != nil {
				if dropped[i] = rs.add(err); !dropped[i] {
					log.Warn("pending detail failed again", "url", p.URL, "error", err)
				}
				return
			}
			p.Article.Content, p.Article.FullText = content, true
			done[i] = true
		})
	}
	wg.Wait()
	for i, p := range pending {
		switch {
		case done[i]:
			filled = append(filled, p)
		case !dropped[i]:
			left = append(left, p)
		}
	}
	return filled, left, rs.report(log)
}

// pendingOf returns a as a pending detail at url: a copy of its listing
// data, which normalizing the batch's articles will not touch.
func pendingOf(a *article.Article, url, base string) store.PendingDetail {
	c := *a
	c.Categories = slices.Clone(a.Categories)
	c.Tags = slices.Clone(a.Tags)
	c.Enclosures = slices.Clone(a.Enclosures)
	return store.PendingDetail{URL: url, BaseURL: base, Article: c}
}
