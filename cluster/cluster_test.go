package cluster

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
)

func open(t *testing.T, url, id string, ttl time.Duration) *Cluster {
	t.Helper()
	c, err := Open(t.Context(), url, id, ttl, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestLeases: one holder at a time; the holder renews; a released or
// expired lease goes to the next instance that asks.
func TestLeases(t *testing.T) {
	url := pgtest.URL(t)
	ctx := t.Context()
	a, b := open(t, url, "a", 400*time.Millisecond), open(t, url, "b", 400*time.Millisecond)
	if ok, l, err := a.Acquire(ctx, "news"); err != nil || !ok || l.Holder != "a" {
		t.Fatalf("a's first claim: %v %+v %v", ok, l, err)
	}
	if ok, l, err := b.Acquire(ctx, "news"); err != nil || ok || l.Holder != "a" {
		t.Fatalf("b's claim of a's lease: %v %+v %v, want refused, held by a", ok, l, err)
	}
	if ok, _, err := b.Acquire(ctx, "blog"); err != nil || !ok {
		t.Fatalf("b's claim of another source: %v %v", ok, err)
	}
	if ok, _, err := a.Acquire(ctx, "news"); err != nil || ok {
		t.Fatalf("a's second claim of its own lease: %v %v, want refused (one run at a time)", ok, err)
	}
	if held, err := a.Renew(ctx, "news"); err != nil || !held {
		t.Fatalf("a's renewal: %v %v", held, err)
	}
	if err := a.Release(ctx, "news"); err != nil {
		t.Fatal(err)
	}
	if ok, _, err := b.Acquire(ctx, "news"); err != nil || !ok {
		t.Fatalf("b after a released: %v %v", ok, err)
	}
	// b stops renewing (as a killed instance does): its lease expires
	// within one period and a takes it over.
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok, _, err := a.Acquire(ctx, "news")
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("b's lease never expired")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if held, err := b.Renew(ctx, "news"); err != nil || held {
		t.Errorf("b renewed a lease a took over: %v %v", held, err)
	}
	if held, err := b.Renew(ctx, "blog"); err != nil || !held {
		t.Fatalf("b's renewal of blog: %v %v", held, err)
	}
	leases, err := a.Leases(ctx)
	if err != nil || leases["news"].Holder != "a" || leases["blog"].Holder != "b" {
		t.Errorf("leases %+v (%v)", leases, err)
	}
}

// TestHold: while one instance's run holds a source (renewing for longer
// than a period), no other instance runs it; when it is done, the next
// may.
func TestHold(t *testing.T) {
	url := pgtest.URL(t)
	ctx := t.Context()
	const ttl = 300 * time.Millisecond
	a, b := open(t, url, "a", ttl), open(t, url, "b", ttl)
	var running atomic.Int32
	var overlaps atomic.Int32
	run := func(ctx context.Context) {
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		defer running.Add(-1)
		select {
		case <-ctx.Done():
		case <-time.After(3 * ttl): // longer than a lease: renewed
		}
	}
	var wg sync.WaitGroup
	var ran atomic.Int32
	start := make(chan struct{})
	for _, c := range []*Cluster{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ok, _, err := c.Hold(ctx, "news", run)
			if err != nil {
				t.Error(err)
			}
			if ok {
				ran.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	if ran.Load() != 1 || overlaps.Load() != 0 {
		t.Errorf("%d of 4 tries ran, %d overlapping; want exactly 1", ran.Load(), overlaps.Load())
	}
	if ok, _, err := b.Hold(ctx, "news", func(context.Context) {}); err != nil || !ok {
		t.Errorf("after the run: %v %v, want the next to run", ok, err)
	}
}

// TestNotify: a change one instance notifies reaches the others, not
// itself.
func TestNotify(t *testing.T) {
	url := pgtest.URL(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	a, b := open(t, url, "a", time.Second), open(t, url, "b", time.Second)
	got := make(chan Change, 4)
	own := make(chan Change, 4)
	go b.Listen(ctx, func(c Change) { got <- c })
	go a.Listen(ctx, func(c Change) { own <- c })
	// LISTEN takes effect once its connection is up: notify until heard.
	deadline := time.After(10 * time.Second)
	for heard := false; !heard; {
		if err := a.Notify(ctx, []string{"rizhaoribao", "all"}); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-got:
			if c.From != "a" || len(c.Categories) != 2 || c.Categories[0] != "rizhaoribao" {
				t.Errorf("b heard %+v", c)
			}
			heard = true
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatal("b never heard a's change")
		}
	}
	select {
	case c := <-own:
		t.Errorf("a heard its own change %+v", c)
	case <-time.After(200 * time.Millisecond):
	}
}
