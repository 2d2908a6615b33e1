package sources

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fetchConcurrently sends n GETs to one host through one fetcher, and
// returns how many the server saw at once at most and when each started.
func fetchConcurrently(t *testing.T, l *HostLimiter, n int, work time.Duration) (most int32, starts []time.Time) {
	t.Helper()
	var inFlight, peak atomic.Int32
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := peak.Load(); cur > m && !peak.CompareAndSwap(m, cur); m = peak.Load() {
		}
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		time.Sleep(work)
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	f := NewFetcher("test", 5*time.Second, 1<<20)
	f.Limiter = l
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Get(context.Background(), srv.URL); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	return peak.Load(), starts
}

func TestHostLimiter(t *testing.T) {
	t.Run("at most perHost at once", func(t *testing.T) {
		if most, _ := fetchConcurrently(t, NewHostLimiter(2, 0), 8, 30*time.Millisecond); most > 2 {
			t.Errorf("%d requests at once to one host, want at most 2", most)
		}
	})
	t.Run("a gap between starts", func(t *testing.T) {
		// Eight quick requests, eight turns at once, 10ms apart: the
		// server sees them spread over at least 7 gaps (less slack for a
		// new connection being slower than a reused one).
		_, starts := fetchConcurrently(t, NewHostLimiter(8, 10*time.Millisecond), 8, 0)
		if span := starts[len(starts)-1].Sub(starts[0]); span < 60*time.Millisecond {
			t.Errorf("8 requests started within %v, want about 70ms", span)
		}
	})
	t.Run("cancelled while waiting", func(t *testing.T) {
		l := NewHostLimiter(1, 0)
		release, err := l.Acquire(context.Background(), "h")
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if _, err := l.Acquire(ctx, "h"); err == nil {
			t.Error("second turn granted while the first is held")
		}
	})
}
