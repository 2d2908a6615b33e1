package collect

import (
	"errors"
	"sync"
	"time"

	"github.com/feedsmith/feedsmith/sources"
)

// backoff leaves a failing source alone for a while: a minute after the
// first failure, doubling with each further one up to a cap, and at
// least as long as the upstream's Retry-After asked.
type backoff struct {
	max      time.Duration
	mu       sync.Mutex
	failures map[string]int
	next     map[string]time.Time
}

const firstBackoff = time.Minute

func newBackoff(max time.Duration) *backoff {
	return &backoff{max: max, failures: map[string]int{}, next: map[string]time.Time{}}
}

// until is when the source may run again; zero when it may now.
func (b *backoff) until(id string) time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.next[id]
}

// record notes the outcome of a run that started at start.
func (b *backoff) record(id string, start time.Time, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err == nil {
		delete(b.failures, id)
		delete(b.next, id)
		return
	}
	b.failures[id]++
	delay := firstBackoff << min(b.failures[id]-1, 20)
	if b.max > 0 {
		delay = min(delay, b.max)
	}
	var se *sources.StatusError
	if errors.As(err, &se) && se.RetryAfter > delay {
		delay = se.RetryAfter
	}
	b.next[id] = start.Add(delay)
}
