package collect

import (
	"cmp"
	"context"
	"time"

	"github.com/feedsmith/feedsmith/config"
)

// deadline bounds a whole collection: ten fetch timeouts, since a posts
// folder or a feed with its detail pages may take several, but never
// forever.
func deadline(src config.Source) time.Duration {
	return 10 * cmp.Or(time.Duration(src.Timeout), time.Second)
}

// collectTime is how long a run fetches and reads: its deadline less a
// tenth (one timeout), left for saving what it got. Detail fetches that
// have not finished by then are left for the next run.
func collectTime(src config.Source) time.Duration {
	d := deadline(src)
	return d - d/10
}

// saveTimeout bounds normalizing and saving what a run collected, from
// when saving starts: a store slower than that fails the run, but the
// time the fetches took never does. A save of max_items articles takes
// tens of milliseconds.
func saveTimeout(src config.Source) time.Duration {
	return max(10*time.Second, time.Duration(src.Timeout))
}

// saveGrace is how long a save may go on once the run's caller has
// cancelled it (a daemon shutting down after its shutdown_timeout, which
// then waits a second more): enough to commit what is under way.
const saveGrace = 500 * time.Millisecond

// saveContext returns the context what a run collected is saved under,
// with a deadline d from now of its own rather than the run's, which the
// fetches may have used up: what was fetched is saved, and the next run
// fetches only the rest. When parent ends, the save gets saveGrace more.
func saveContext(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), d)
	stop := context.AfterFunc(parent, func() {
		t := time.AfterFunc(saveGrace, cancel)
		context.AfterFunc(ctx, func() { t.Stop() })
	})
	return ctx, func() {
		stop()
		cancel()
	}
}
