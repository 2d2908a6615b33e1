package publish

import (
	"context"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/feedsmith/feedsmith/feeds"
)

// categoryResult is what rendering one category gave: its files (see
// renderCategories for what is kept of them) and every page path it owns.
type categoryResult struct {
	files []File
	owned []string
}

// renderCategories renders the categories chans[i], i in todo, on up to
// GOMAXPROCS goroutines: a category's feeds and pages depend on its own
// articles and on w, which nothing changes while they render, so they
// render apart. Each category's files go through keep on the goroutine
// that rendered them (a build writes them there, while other categories
// render, and keeps only what it records of them) and land in the
// result at the category's index in chans, so that what the callers do
// with them stays in chans' order. The first error stops the rest.
func (p *Publisher) renderCategories(ctx context.Context, w *pageWork, chans []feeds.Channel, todo []int, fresh func(path, category, stamp string) bool, keep func([]File) []File) ([]categoryResult, error) {
	results := make([]categoryResult, len(chans))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, i := range todo {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			files, owned, err := p.renderCategory(ctx, w, chans[i], fresh)
			if err != nil {
				return err
			}
			if keep != nil {
				files = keep(files)
			}
			results[i] = categoryResult{files: files, owned: owned}
			return nil
		})
	}
	return results, g.Wait()
}
