package sources

import (
	"context"
	"sync"
	"time"
)

// HostLimiter keeps feedsmith polite to each upstream host: at most
// PerHost requests at once, and at least Gap between the starts of two
// requests. One limiter is shared by every source, so two sources on one
// host share its budget.
type HostLimiter struct {
	perHost int
	gap     time.Duration
	mu      sync.Mutex
	hosts   map[string]*hostSlot
}

type hostSlot struct {
	sem  chan struct{}
	mu   sync.Mutex // orders the gap between starts
	last time.Time
}

// NewHostLimiter returns a limiter; perHost below 1 is taken as 1.
func NewHostLimiter(perHost int, gap time.Duration) *HostLimiter {
	return &HostLimiter{perHost: max(perHost, 1), gap: gap, hosts: map[string]*hostSlot{}}
}

func (l *HostLimiter) slot(host string) *hostSlot {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.hosts[host]
	if !ok {
		s = &hostSlot{sem: make(chan struct{}, l.perHost)}
		l.hosts[host] = s
	}
	return s
}

// Acquire waits for a turn at host, a key naming one server (the fetcher
// passes hostKey's canonical host and port); the caller calls release
// when the request is done. It fails only when ctx ends first.
func (l *HostLimiter) Acquire(ctx context.Context, host string) (release func(), err error) {
	s := l.slot(host)
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release = func() { <-s.sem }
	if l.gap <= 0 {
		return release, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if wait := time.Until(s.last.Add(l.gap)); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		}
	}
	s.last = time.Now()
	return release, nil
}
