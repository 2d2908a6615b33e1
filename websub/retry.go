package websub

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// delay is the wait before the retry that follows attempt (counted from
// 1) failed with err: Backoff doubled per attempt and capped at MaxDelay,
// or longer if the hub's Retry-After says so. ok is false when the hub
// asks for more than MaxDelay or more than ctx has left: pinging before
// it asked would be rude, and waiting past ctx is pointless.
func (p *Pinger) delay(ctx context.Context, attempt int, err error) (d time.Duration, ok bool) {
	limit := p.MaxDelay
	if limit <= 0 {
		limit = DefaultMaxDelay
	}
	d = p.Backoff
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	var se *statusError
	if errors.As(err, &se) && se.retryAfter > d {
		d = se.retryAfter
	}
	if deadline, has := ctx.Deadline(); has && time.Until(deadline) < d {
		return d, false
	}
	return d, d <= limit
}

// retryAfter parses a Retry-After value, delay-seconds or an HTTP date
// (RFC 9110 §10.2.3), relative to now. Absent or invalid gives 0.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		// Cap before multiplying so a silly value cannot overflow.
		return time.Duration(min(secs, 1<<31)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
