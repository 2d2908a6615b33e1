package sources

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/normalize"
	"github.com/feedsmith/feedsmith/store"
)

// A DetailRetrier is a source with a detail step that can fetch again
// the details an earlier run left pending (Batch.Pending), without
// fetching its listing: so the listing's request stays conditional.
type DetailRetrier interface {
	// RetryDetails fetches the detail of each of pending as the source's
	// detail step does (the same fetch policy, caps and extraction). A
	// cancelled ctx leaves the rest unreached.
	RetryDetails(ctx context.Context, pending []store.PendingDetail) Retried
}

// Retried is what retrying pending details did. Whether one that failed
// again is worth another retry is the caller's call: it has the clock.
type Retried struct {
	// Filled got their full text (Content set, FullText true).
	Filled []store.PendingDetail
	// Failed were fetched and failed again, each with its error.
	Failed []FailedDetail
	// Unreached were not fetched: ctx ended first.
	Unreached []store.PendingDetail
	// Refused counts the fetches the fetch policy refused; those are
	// in none of the lists, as the policy would refuse them again.
	Refused int
}

// FailedDetail is a pending detail whose fetch failed again, and why.
type FailedDetail struct {
	store.PendingDetail
	Err error
}

// DetailGone reports whether err says the detail will never be there:
// its URL answered 404 Not Found or 410 Gone.
func DetailGone(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && (se.Code == http.StatusNotFound || se.Code == http.StatusGone)
}

// RetryDetails retries the pending details of a feed source's pages.
func (s *feedSource) RetryDetails(ctx context.Context, pending []store.PendingDetail) Retried {
	if s.detail == nil {
		return Retried{} // the detail step is gone: nothing to retry
	}
	return s.detail.retry(ctx, pending)
}

// RetryDetails retries the pending details of an html source's pages.
func (s *htmlSource) RetryDetails(ctx context.Context, pending []store.PendingDetail) Retried {
	if s.detail == nil {
		return Retried{}
	}
	return s.detail.retry(ctx, pending)
}

// RetryDetails retries the pending detail records of a json source, at
// the URLs rendered when their listing was read.
func (s *jsonSource) RetryDetails(ctx context.Context, pending []store.PendingDetail) Retried {
	if s.cfg.Detail == nil {
		return Retried{}
	}
	return retryDetails(ctx, s.logger, jsonDetailWorkers, pending, func(ctx context.Context, u string) (string, error) {
		content, err := s.fetchDetail(ctx, u)
		return capContent(s.cfg, content), err
	})
}

func (d *pageDetail) retry(ctx context.Context, pending []store.PendingDetail) Retried {
	return retryDetails(ctx, d.log, detailWorkers, pending, func(ctx context.Context, u string) (string, error) {
		content, err := d.extract(ctx, u)
		return normalize.CutHTML(content, d.maxContent), err
	})
}

// retryDetails fetches the detail of each of pending with fetch, a few
// at a time, until ctx ends.
func retryDetails(ctx context.Context, log *slog.Logger, workers int, pending []store.PendingDetail,
	fetch func(ctx context.Context, url string) (string, error)) Retried {
	var rs refusals
	// done: fetched; errs: why a fetch failed; dropped: refused by the
	// fetch policy, which will refuse it again.
	done, dropped := make([]bool, len(pending)), make([]bool, len(pending))
	errs := make([]error, len(pending))
	started := forEach(ctx, len(pending), workers, func(i int) {
		p := &pending[i]
		content, err := fetch(ctx, p.URL)
		if err != nil && ctx.Err() != nil {
			return // cut short, not failed: unreached
		}
		if err != nil {
			if dropped[i] = rs.add(err); !dropped[i] {
				errs[i] = err
			}
			return
		}
		p.Article.Content, p.Article.FullText = content, true
		done[i] = true
	})
	if started < len(pending) {
		log.Warn("pending details not fetched", "left", len(pending)-started, "error", ctx.Err())
	}
	var r Retried
	for i, p := range pending {
		switch {
		case done[i]:
			r.Filled = append(r.Filled, p)
		case errs[i] != nil:
			r.Failed = append(r.Failed, FailedDetail{PendingDetail: p, Err: errs[i]})
		case !dropped[i]:
			r.Unreached = append(r.Unreached, p)
		}
	}
	r.Refused = rs.report(log)
	return r
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
