package server

import (
	"sync"
	"time"
)

// logLimit lets one log line through per interval and counts the lines
// it holds back, so that a flood of bad requests, which anyone can send,
// costs one line per interval; the next line that passes says how many
// it stands for. The counts in /metrics miss none.
type logLimit struct {
	every time.Duration
	mu    sync.Mutex
	next  time.Time
	held  int
}

// badLogEvery is how often a line about bad requests may be logged.
const badLogEvery = 10 * time.Second

// allow reports whether a line may be logged at now and, if so, how many
// were held back since the last one.
func (l *logLimit) allow(now time.Time) (ok bool, held int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.next) {
		l.held++
		return false, 0
	}
	held, l.held = l.held, 0
	l.next = now.Add(l.every)
	return true, held
}
