package sources

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestHostLimiter(t *testing.T) {
	var inFlight, most atomic.Int32
	var mu sync.Mutex
	var starts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		time.Sleep(30 * time.Millisecond)
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	f := NewFetcher("test", 5*time.Second, 1<<20)
	f.Limiter = NewHostLimiter(2, 10*time.Millisecond)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Get(context.Background(), srv.URL); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if m := most.Load(); m > 2 {
		t.Errorf("%d requests at once to one host, want at most 2", m)
	}
	for i := 1; i < len(starts); i++ {
		// The gap is between starts as the client sees them; the server
		// may see two a little closer, never much.
		if d := starts[i].Sub(starts[i-1]); d < 5*time.Millisecond {
			t.Errorf("requests %d and %d started %v apart, want about 10ms or more", i-1, i, d)
		}
	}

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
