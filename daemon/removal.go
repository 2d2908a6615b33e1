package daemon

import (
	"context"
	"path/filepath"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/publish"
)

// setActiveSources tells the store which sources cfg has: the articles
// only removed ones delivered leave every feed and page, and come back
// with their source (the store keeps them).
func (d *Daemon) setActiveSources(ctx context.Context, cfg *config.Config) error {
	_, err := d.store.SetActiveSources(ctx, cfg.SourceIDs())
	return err
}

// removeGone deletes from the output folder the feeds of the categories
// that are no longer published (removed or renamed in the configuration,
// or left with articles of removed sources only), as far as they are the
// files feedsmith wrote, and logs what it did. The server stopped serving
// them with the full publish that calls it.
func (d *Daemon) removeGone(ctx context.Context, st *state, tree publish.Tree) {
	dir := st.cfg.Output.Dir
	if dir == "" {
		return
	}
	// The pages on disk that the site no longer has (their articles
	// went while the daemon was stopped, or the configuration changed).
	served := make(map[string]bool, len(tree))
	for _, f := range tree {
		served[f.Path] = true
	}
	d.removePagesIf(ctx, dir, func(path string) bool { return !served[path] })
	removed, err := st.publisher.RemoveGone(ctx, d.store, dir)
	for _, r := range removed {
		var deleted []string
		for _, p := range r.Removed {
			deleted = append(deleted, filepath.Join(dir, filepath.FromSlash(p)))
		}
		d.logger.Info("removed category", "category", r.Category, "deleted", deleted)
		for _, k := range r.Kept {
			d.logger.Warn("file of a removed category left in place", "category", r.Category,
				"file", filepath.Join(dir, filepath.FromSlash(k.Path)), "reason", k.Why)
		}
	}
	if err != nil {
		d.logger.Error("remove the feeds of removed categories", "folder", dir, "error", err)
	}
}

// recordWritten records the feeds just written to the output folder, for
// removeGone to know them after a restart too. A failure costs only
// that: the disk has what is served.
func (d *Daemon) recordWritten(ctx context.Context, dir string, files publish.Tree) {
	if err := publish.RecordWritten(ctx, d.store, dir, files); err != nil {
		d.logger.Warn("could not record the feeds written", "folder", dir, "error", err)
	}
}

// removePages deletes from the output folder the pages gone, which a
// publish of a few categories found they no longer have.
func (d *Daemon) removePages(ctx context.Context, st *state, gone []string) {
	dir := st.cfg.Output.Dir
	if dir == "" || len(gone) == 0 {
		return
	}
	set := make(map[string]bool, len(gone))
	for _, p := range gone {
		set[p] = true
	}
	d.removePagesIf(ctx, dir, func(path string) bool { return set[path] })
}

func (d *Daemon) removePagesIf(ctx context.Context, dir string, gone func(path string) bool) {
	removed, err := publish.RemovePages(ctx, d.store, dir, gone)
	if len(removed) > 0 {
		d.logger.Info("removed pages the site no longer has", "folder", dir, "count", len(removed), "first", removed[0])
	}
	if err != nil {
		d.logger.Error("remove pages the site no longer has", "folder", dir, "error", err)
	}
}
