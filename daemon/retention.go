package daemon

import (
	"context"
	"slices"
	"time"

	"github.com/feedsmith/feedsmith/config"
)

// retentionEvery is how often the daemon applies store.max_age and
// store.max_items between start-up and shutdown: articles age by the
// hour, and a category over its limit is cut when a run adds to it
// anyway at the next pass.
const retentionEvery = time.Hour

// applyRetentionEvery applies retention at once and then every period
// until ctx is done.
func (d *Daemon) applyRetentionEvery(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		d.applyRetention(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// applyRetention prunes the store as the running configuration says and
// publishes the categories that lost articles; a derived category left
// with none is no longer published, which takes a full publish to drop
// from the server and the output folder.
func (d *Daemon) applyRetention(ctx context.Context) {
	cfg := d.state.Load().cfg
	if cfg.Store.MaxAge <= 0 && cfg.Store.MaxItems <= 0 {
		return
	}
	removed, changed, err := d.store.Prune(ctx, time.Duration(cfg.Store.MaxAge), cfg.Store.MaxItems, d.now())
	if err != nil {
		if ctx.Err() == nil {
			d.logger.Error("apply retention", "error", err)
		}
		return
	}
	if removed == 0 {
		return
	}
	d.logger.Info("retention removed articles", "articles", removed, "categories", changed)
	publish := changed
	if d.emptied(ctx, cfg, changed) {
		publish = nil
	}
	if err := d.publish(context.WithoutCancel(ctx), publish, true); err != nil {
		d.logger.Error("publish after retention", "error", err)
	}
}

// emptied reports whether a category among changed that cfg does not
// declare has no article left, or the store cannot say.
func (d *Daemon) emptied(ctx context.Context, cfg *config.Config, changed []string) bool {
	infos, err := d.store.Categories(ctx)
	if err != nil {
		return true
	}
	left := map[string]bool{}
	for _, c := range infos {
		left[c.ID] = c.Articles > 0
	}
	for _, id := range changed {
		declared := slices.ContainsFunc(cfg.Categories, func(c config.Category) bool { return c.ID == id })
		if !declared && !left[id] {
			return true
		}
	}
	return false
}
