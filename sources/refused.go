package sources

import (
	"errors"
	"log/slog"
	"sync"
)

// RefusedError is a fetch the fetch policy refused: an untrusted URL
// that would have connected to a non-public address.
type RefusedError struct {
	URL string
	// Reason says why: "127.0.0.1 is a loopback address (allow_private
	// to allow)".
	Reason string
}

func (e *RefusedError) Error() string { return "refused " + e.URL + ": " + e.Reason }

// refusals tallies the fetches of one collection that the policy
// refused, so that they are logged once per run, not once per item.
type refusals struct {
	mu    sync.Mutex
	n     int
	first error
}

// add counts err if it is a refusal, and reports whether it was.
func (r *refusals) add(err error) bool {
	var re *RefusedError
	if !errors.As(err, &re) {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	if r.first == nil {
		r.first = err
	}
	return true
}

// report logs the refusals, if any, in one line, and returns how many
// there were.
func (r *refusals) report(log *slog.Logger) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n > 0 {
		log.Warn("fetches refused by the fetch policy; their items keep their listing data", "count", r.n, "error", r.first)
	}
	return r.n
}
