package collect

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/category"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/sources"
	"github.com/feedsmith/feedsmith/store"
)

// chunkSize is how many articles of a large source are prepared and
// saved at a time: enough to make a transaction worth it, few enough
// that a folder of 100,000 posts never sits in memory whole.
const chunkSize = 512

// chunk is one prepared batch of a chunked source, on its way to saving.
type chunk struct {
	arts    []article.Article
	derived []category.Derived
	files   []store.FileStamp
}

// runChunks collects a chunked source: while one chunk is being saved,
// the next is read and prepared. Each chunk is saved in its own
// transaction; at the end, the stamps of the files of the saved chunks
// replace the source's. A failure stops the run, and what was saved
// stays saved (the next run reads the rest again). Reading stops when
// ctx ends; the chunks read by then are normalized and saved under a
// context of their own (saveContext from parent), which outlasts ctx by
// the save timeout.
func (c *Collector) runChunks(ctx, parent context.Context, src config.Source, s sources.Chunker, fp string, ks *known, start time.Time, res *Result, log *slog.Logger) error {
	sctx, cancel := saveContext(parent, collectTime(src)+saveTimeout(src))
	defer cancel()
	work := make(chan chunk, 1)
	failed := make(chan struct{}) // closed when saving failed
	var saved Result
	var saveErr error
	var files []store.FileStamp // of the chunks saved
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ch := range work {
			if saveErr = c.save(sctx, src, start, ch.arts, ch.derived, &saved, log); saveErr != nil {
				close(failed)
				for range work { // drain until the collecting side stops
				}
				return
			}
			files = append(files, ch.files...)
		}
	}()
	seen := map[string]bool{}
	filed := map[string]bool{} // derived categories saved by an earlier chunk
	err := s.CollectChunks(ctx, chunkSize, func(b sources.Batch) error {
		res.Skipped = append(res.Skipped, b.Skipped...)
		res.Unchanged += b.Unchanged
		res.Refused += b.Refused
		arts, derived, whole := c.prepare(sctx, src, fileReader(s), b, seen)
		if !whole {
			// Left out whole, files and all: its files are read again.
			return sctx.Err()
		}
		derived = slices.DeleteFunc(derived, func(d category.Derived) bool {
			was := filed[d.ID]
			filed[d.ID] = true
			return was
		})
		if len(arts) == 0 && len(derived) == 0 && len(b.Files) == 0 {
			return nil
		}
		select {
		case work <- chunk{arts, derived, b.Files}:
			return nil
		case <-failed:
			return errSaveFailed
		}
	})
	close(work)
	<-done
	// What was saved need not be read again, even when the run stopped
	// early; the files of the rest are read next time. Stamps that are
	// all the known ones, unchanged, are not written again.
	if len(files) > 0 && !ks.all(files) {
		if err := c.store.SaveFileStamps(context.WithoutCancel(ctx), src.ID, fp, files); err != nil {
			log.Warn("could not save file stamps", "error", err)
		}
	}
	res.New, res.Updated, res.Changed = saved.New, saved.Updated, saved.Changed
	res.Unchanged += saved.Unchanged
	if saveErr != nil {
		return saveErr
	}
	return err
}

// errSaveFailed stops a chunked collection whose saving failed; the
// saving error is the one reported.
var errSaveFailed = errors.New("saving failed")
