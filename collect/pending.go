package collect

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/sources"
	"github.com/feedsmith/feedsmith/store"
)

// A pending detail is retried on every run whose listing is not
// modified, so it needs a bound: a detail still failing after
// maxPendingAttempts fetches (the first run's included), or failing for
// longer than maxPendingAge, is given up. Five fetches at the usual
// schedules (minutes to an hour apart) outlast an upstream's outage or
// deploy; a week covers a source run rarely (daily, or a build run by
// hand) whose five attempts would otherwise take longer than any
// listing keeps an item. A 404 or 410 is given up at once on a retry:
// the first run's 404 is retried once, as a listing can name an item
// before its page is up.
const (
	maxPendingAttempts = 5
	maxPendingAge      = 7 * 24 * time.Hour
)

// PendingResult is what a run whose listing was not modified did to the
// details an earlier run left pending.
type PendingResult struct {
	// Tried counts the pending details, Fetched those that got their
	// full text, Left those still pending for the next run.
	Tried, Fetched, Left int
	// GivenUp says why each detail given up was: "404", "5 attempts",
	// "failing since ...".
	GivenUp []string
}

// keepPending stores the details a run of src could not fetch in place
// of those stored before, and reports whether they are stored. A detail
// pending before keeps its count of attempts and its first failure, so
// that a listing that changes does not restart them. src without a
// detail step clears its pending details: the step was removed.
func (c *Collector) keepPending(ctx context.Context, src config.Source, pending []store.PendingDetail, start time.Time, log *slog.Logger) bool {
	if src.Detail == nil {
		c.clearPending(ctx, src, log)
		return true
	}
	var before map[string]store.PendingDetail
	if len(pending) > 0 {
		old, err := c.store.PendingDetails(ctx, src.ID)
		if err != nil {
			log.Warn("could not read the pending details; their attempts start again", "error", err)
		}
		before = make(map[string]store.PendingDetail, len(old))
		for _, p := range old {
			before[p.Article.ID] = p
		}
	}
	kept := pending[:0]
	for _, p := range pending {
		p.Attempts, p.FirstFailed = 1, start
		if o, ok := before[p.Article.ID]; ok {
			p.Attempts = o.Attempts + 1
			if !o.FirstFailed.IsZero() {
				p.FirstFailed = o.FirstFailed
			}
		}
		if why := giveUp(p, nil, start); why != "" {
			logGivenUp(ctx, log, slog.LevelWarn, p, why, nil)
			continue
		}
		kept = append(kept, p)
	}
	if err := c.store.SetPendingDetails(ctx, src.ID, kept); err != nil {
		log.Warn("could not keep the pending details; the listing will be fetched again", "error", err)
		return false
	}
	return true
}

// clearPending forgets the pending details of src, reading first so that
// a source that has none (most) writes nothing.
func (c *Collector) clearPending(ctx context.Context, src config.Source, log *slog.Logger) {
	if old, err := c.store.PendingDetails(ctx, src.ID); err == nil && len(old) == 0 {
		return
	}
	if err := c.store.SetPendingDetails(ctx, src.ID, nil); err != nil {
		log.Warn("could not clear the pending details", "error", err)
	}
}

// giveUp says why p, which failed again with err (nil: the reason is
// unknown), is not worth another retry at now, or "" when it is.
func giveUp(p store.PendingDetail, err error, now time.Time) string {
	var se *sources.StatusError
	switch {
	case err != nil && sources.DetailGone(err) && errors.As(err, &se):
		return strconv.Itoa(se.Code)
	case p.Attempts >= maxPendingAttempts:
		return fmt.Sprintf("%d attempts", p.Attempts)
	case !p.FirstFailed.IsZero() && now.Sub(p.FirstFailed) > maxPendingAge:
		return "failing since " + p.FirstFailed.UTC().Format(time.RFC3339)
	}
	return ""
}

// logGivenUp logs p given up, once: its listing data stays stored, it
// just gets no full-text retries while the listing is not modified.
func logGivenUp(ctx context.Context, log *slog.Logger, level slog.Level, p store.PendingDetail, why string, err error) {
	args := []any{"url", p.URL, "id", p.Article.ID, "attempts", p.Attempts, "reason", why}
	if err != nil {
		args = append(args, "error", err)
	}
	log.Log(ctx, level, fmt.Sprintf("pending detail given up after %d attempts", p.Attempts), args...)
}

// retryPending fetches the details an earlier run of src left pending,
// its listing not being modified, and saves the articles that get their
// full text (through the normalizer and the filer, as any run's). The
// fetches stop when ctx ends; what was fetched is saved under a save
// context of its own, and the rest stays pending for the next run,
// except the details given up (giveUp).
func (c *Collector) retryPending(ctx, parent context.Context, src config.Source, r sources.DetailRetrier, start time.Time, res *Result, log *slog.Logger) error {
	pending, err := c.store.PendingDetails(ctx, src.ID)
	if err != nil || len(pending) == 0 {
		return err
	}
	got := r.RetryDetails(ctx, pending)
	res.Refused += got.Refused
	res.Pending.Tried, res.Pending.Fetched = len(pending), len(got.Filled)
	left := got.Unreached
	for _, f := range got.Failed {
		p := f.PendingDetail
		p.Attempts = max(p.Attempts, 1) + 1
		if p.FirstFailed.IsZero() {
			p.FirstFailed = start // stored before the count was
		}
		if why := giveUp(p, f.Err, start); why != "" {
			logGivenUp(ctx, log, c.shown(slog.LevelWarn), p, why, f.Err)
			res.Pending.GivenUp = append(res.Pending.GivenUp, why)
			continue
		}
		log.Log(ctx, c.shown(slog.LevelWarn), "pending detail failed again", "url", p.URL, "attempts", p.Attempts, "error", f.Err)
		left = append(left, p)
	}
	res.Pending.Left = len(left)
	sctx, cancelSave := saveContext(parent, saveTimeout(src))
	defer cancelSave()
	if err := c.saveFilled(sctx, src, start, got.Filled, res, log); err != nil {
		return err
	}
	log.Info("pending details retried", "filled", len(got.Filled), "left", len(left), "given_up", len(res.Pending.GivenUp))
	if err := c.store.SetPendingDetails(sctx, src.ID, left); err != nil {
		return fmt.Errorf("keep the pending details: %w", err)
	}
	return nil
}

// saveFilled saves the retried details that got their full text, one
// batch per base URL, as each listing resolved its own.
func (c *Collector) saveFilled(ctx context.Context, src config.Source, start time.Time, filled []store.PendingDetail, res *Result, log *slog.Logger) error {
	var batches []sources.Batch
	for _, p := range filled {
		if n := len(batches); n == 0 || batches[n-1].BaseURL != p.BaseURL {
			batches = append(batches, sources.Batch{BaseURL: p.BaseURL})
		}
		b := &batches[len(batches)-1]
		b.Articles = append(b.Articles, p.Article)
	}
	seen := map[string]bool{}
	for _, b := range batches {
		arts, _, whole := c.prepare(ctx, src, nil, b, seen)
		if !whole {
			return fmt.Errorf("normalize: %w", ctx.Err())
		}
		// The categories were saved with the listing: their titles
		// (a templated one's own) are not known here.
		if err := c.save(ctx, src, start, arts, nil, res, log); err != nil {
			return err
		}
	}
	return nil
}
