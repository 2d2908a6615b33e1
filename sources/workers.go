package sources

import (
	"context"
	"sync"
)

// forEach calls f(i) for each i from 0 to n-1, at most workers calls at
// once, in order, and starts none once ctx has ended. It returns when
// every call it started has returned, with how many it started: the
// detail fetches of a run that ran out of time stop there, and the rest
// are left for the next run.
func forEach(ctx context.Context, n, workers int, f func(i int)) (started int) {
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			return started
		}
		wg.Go(func() {
			defer func() { <-sem }()
			f(i)
		})
		started++
	}
	return started
}
