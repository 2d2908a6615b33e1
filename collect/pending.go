package collect

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/sources"
	"github.com/feedsmith/feedsmith/store"
)

// keepPending stores the details a run of src could not fetch in place
// of those stored before, and reports whether they are stored (or there
// is nothing to store: src has no detail step).
func (c *Collector) keepPending(ctx context.Context, src config.Source, pending []store.PendingDetail, log *slog.Logger) bool {
	if src.Detail == nil {
		return true
	}
	if err := c.store.SetPendingDetails(ctx, src.ID, pending); err != nil {
		log.Warn("could not keep the pending details; the listing will be fetched again", "error", err)
		return false
	}
	return true
}

// retryPending fetches the details an earlier run of src left pending,
// its listing not being modified, and saves the articles that get their
// full text (through the normalizer and the filer, as any run's). The
// fetches stop when ctx ends; what was fetched is saved under a save
// context of its own, and the rest stays pending for the next run.
func (c *Collector) retryPending(ctx, parent context.Context, src config.Source, r sources.DetailRetrier, start time.Time, res *Result, log *slog.Logger) error {
	pending, err := c.store.PendingDetails(ctx, src.ID)
	if err != nil || len(pending) == 0 {
		return err
	}
	filled, left, refused := r.RetryDetails(ctx, pending)
	res.Refused += refused
	sctx, cancelSave := saveContext(parent, saveTimeout(src))
	defer cancelSave()
	if len(filled) > 0 {
		// One batch per base URL, as each listing resolved its own.
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
			arts, _, whole := c.prepare(sctx, src, b, seen)
			if !whole {
				return fmt.Errorf("normalize: %w", sctx.Err())
			}
			// The categories were saved with the listing: their titles
			// (a templated one's own) are not known here.
			if err := c.save(sctx, src, start, arts, nil, res, log); err != nil {
				return err
			}
		}
	}
	log.Info("pending details retried", "filled", len(filled), "left", len(left))
	if err := c.store.SetPendingDetails(sctx, src.ID, left); err != nil {
		return fmt.Errorf("keep the pending details: %w", err)
	}
	return nil
}
