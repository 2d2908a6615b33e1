package daemon

import (
	"context"
	"slices"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/jekyll"
	"github.com/feedsmith/feedsmith/publish"
)

// outputRetry is how long after a failed write the daemon writes that
// output again when no run does it sooner (a source scheduled daily
// would otherwise leave the disk behind for a day after the space came
// back); each further failure doubles it, up to maxRetryDelay.
const outputRetry = time.Minute

// writeOutputs writes a publish's tree to the output folder and the
// bucket (which also loses gone, the files the publish stopped serving)
// and, when categories changed, the Jekyll posts. An output whose last write failed
// is written whole, whatever changed: the disk may lack any file served
// since, and WriteTree and the Jekyll writer leave alone the files that
// already hold the right bytes. The outcome of each write is recorded
// (log, metrics, readiness, the status page's notices).
func (d *Daemon) writeOutputs(ctx context.Context, st *state, tree publish.Tree, changed, gone []string) {
	if dir := st.cfg.Output.Dir; dir != "" {
		files := tree
		if d.faults.failing(outputDir) {
			// All that is served, with this publish's files as they go
			// to disk: the status page without its run times.
			files = publish.Overlay(d.srv.Files(), tree)
		}
		_, err := publish.WriteTree(dir, files)
		if err == nil {
			d.recordWritten(ctx, dir, files)
		}
		d.recordOutput(outputDir, dir, err)
	} else if d.faults.forget(outputDir) {
		d.metrics.ForgetOutput(outputDir)
	}
	j := st.cfg.Outputs.Jekyll
	switch {
	case j == nil:
		if d.faults.forget(outputJekyll) {
			d.metrics.ForgetOutput(outputJekyll)
		}
	case changed == nil || len(changed) > 0 || d.faults.failing(outputJekyll):
		d.recordOutput(outputJekyll, j.Dir, d.writeJekyll(ctx, st, *j))
	}
	if c := st.cfg.Outputs.S3; c != nil {
		d.recordOutput(outputS3, c.Location(), d.upload(ctx, st, tree, changed, gone))
	} else if d.faults.forget(outputS3) {
		d.metrics.ForgetOutput(outputS3)
	}
}

// recordOutput records the outcome of one write of an output and reports
// whether its state changed.
func (d *Daemon) recordOutput(output, folder string, err error) (changed bool) {
	now := d.now()
	changed = d.faults.record(output, folder, err, now)
	d.metrics.ObserveOutputWrite(output, err, now)
	switch {
	case err != nil:
		d.logger.Error("write output failed; the next run writes it again", "output", output, "folder", folder, "error", err)
	case changed:
		d.logger.Info("output written again after a failure", "output", output, "folder", folder)
	}
	return changed
}

// showFaults renders the lists (feeds.opml, the home and status pages)
// again when writing the outputs changed their faults (before is the
// notices the status page was rendered with), so that it tells what
// happened to the disk. It serves them and writes them to a working
// output folder and bucket; if that write fails the page is rendered
// once more.
func (d *Daemon) showFaults(ctx context.Context, st *state, before []string) {
	for range 2 {
		if slices.Equal(before, d.faults.notices()) {
			return
		}
		before = d.faults.notices()
		lists, _, err := st.publisher.RenderChanged(ctx, []string{})
		if err != nil {
			d.logger.Error("render the status page", "error", err)
			return
		}
		d.srv.Patch(lists)
		// A failing output is written whole next time, the page along.
		if dir := st.cfg.Output.Dir; dir != "" && !d.faults.failing(outputDir) {
			_, err = publish.WriteTree(dir, lists)
			d.recordOutput(outputDir, dir, err)
		}
		if c := st.cfg.Outputs.S3; c != nil && !d.faults.failing(outputS3) {
			d.recordOutput(outputS3, c.Location(), d.upload(ctx, st, lists, []string{}, nil))
		}
	}
}

// retryOutputs writes the failing outputs again, whenever the retry
// delay of one of them has passed, until ctx is done: for when no run
// comes soon enough to do it. A retry writes every failing output, as a
// run does.
func (d *Daemon) retryOutputs(ctx context.Context) {
	t := time.NewTimer(d.faults.wait(d.now()))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if d.faults.due(d.now()) {
			if err := d.publish(ctx, []string{}, false); err != nil && ctx.Err() == nil {
				d.logger.Error("retry writing the outputs", "error", err)
			}
		}
		wait := d.faults.wait(d.now())
		if wait == 0 {
			// Still due: the retry wrote no output (its render
			// failed). Not again at once.
			wait = d.faults.first
		}
		t.Reset(wait)
	}
}

func (d *Daemon) writeJekyll(ctx context.Context, st *state, cfg config.Jekyll) error {
	titles, err := st.publisher.CategoryTitles(ctx)
	if err != nil {
		return err
	}
	js, err := jekyll.New(cfg, func(id string) string { return titles[id] }, d.now).WriteStored(ctx, d.store)
	if js.Skipped > 0 {
		d.logger.Warn("articles without a jekyll post", "count", js.Skipped, "error", js.FirstSkip)
	}
	if js.Removed > 0 {
		d.logger.Info("jekyll posts of removed sources moved out", "count", js.Removed, "folder", cfg.Dir, "archive", cfg.Archive)
	}
	return err
}
