package daemon

import (
	"context"
	"errors"
	"fmt"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/server"
)

// Reload switches to a new, already validated configuration without a
// restart: sources added, removed or rescheduled take effect, every feed
// is rendered again (categories may have changed), the articles of
// removed sources leave the feeds and the feeds of removed categories the
// server and the output folder, and connections stay open. The listen
// address and the store (path or URL) are read at start only.
func (d *Daemon) Reload(ctx context.Context, cfg *config.Config) error {
	prev := d.state.Load()
	old := prev.cfg
	if cfg.Server.Listen != old.Server.Listen {
		d.logger.Warn("server.listen changed; restart to listen on the new address", "listening", old.Server.Listen, "configured", cfg.Server.Listen)
	}
	if cfg.Store.Path != old.Store.Path || cfg.Store.URL != old.Store.URL {
		d.logger.Warn("store.path or store.url changed; restart to open the new database", "open", old.Store.Location(), "configured", cfg.Store.Location())
	}
	if cfg.Site.BaseURL != old.Site.BaseURL || cfg.WebSub.Hub != old.WebSub.Hub || cfg.Server.AdminToken != old.Server.AdminToken {
		d.logger.Warn("site.base_url, websub.hub and server.admin_token in HTTP headers change on restart; the feeds change now")
	}
	// The store learns the configured sources first: if it cannot, the
	// running configuration stays whole, feeds and schedule alike.
	if err := d.setActiveSources(ctx, cfg); err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	d.switchAccessLog(old, cfg)
	d.state.Store(d.newState(cfg))
	if err := d.schedule(ctx, old); err != nil {
		d.state.Store(prev)
		if err := d.setActiveSources(ctx, old); err != nil {
			d.logger.Error("could not give the store back the running configuration's sources", "error", err)
		}
		return fmt.Errorf("reload schedule: %w", err)
	}
	prev.collector.Close() // a run still using it just opens new connections
	d.clearRemovedPending(ctx, cfg)
	for _, s := range old.Sources {
		if _, kept := cfg.Source(s.ID); !kept {
			d.metrics.ForgetSource(s.ID)
		}
	}
	return d.publish(ctx, nil, true)
}

// refresh runs a source now, for the admin endpoint.
func (d *Daemon) refresh(_ context.Context, id string) error {
	if _, ok := d.state.Load().cfg.Source(id); !ok {
		return fmt.Errorf("%q: %w", id, server.ErrUnknownSource)
	}
	return d.sched.RunNow(id)
}

var errNotReady = errors.New("first collection not done yet")

// ready reports whether the daemon is ready: configuration loaded, store
// open, feeds rendered, the outputs on disk written, and every source
// collected at least once.
func (d *Daemon) ready() error {
	if !d.rendered.Load() {
		return errors.New("feeds not rendered yet")
	}
	// The feeds are served, but the disk does not have them: whatever
	// reads the output folder (a web server, a deploy) is behind.
	if err := d.faults.err(); err != nil {
		return err
	}
	// An instance that lost the database serves what it has, but cannot
	// collect: not ready, so that a load balancer prefers the others.
	if d.cluster != nil {
		if err := d.cluster.err(); err != nil {
			return err
		}
	}
	d.attemptedMu.Lock()
	defer d.attemptedMu.Unlock()
	for _, s := range d.state.Load().cfg.Sources {
		if !d.attempted[s.ID] {
			return fmt.Errorf("%w: source %s", errNotReady, s.ID)
		}
	}
	return nil
}

// clearRemovedPending forgets the details left pending by sources not in
// cfg: a removed source is never run again to clear its own.
func (d *Daemon) clearRemovedPending(ctx context.Context, cfg *config.Config) {
	if err := d.store.ClearPendingExcept(ctx, cfg.SourceIDs()); err != nil {
		d.logger.Warn("could not clear the pending details of removed sources", "error", err)
	}
}
