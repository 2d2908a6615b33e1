package cluster

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
)

// TestRenewalNotStarved: with every connection of the instance's pool
// taken (publishes, page renders, claims), a run's lease is still renewed,
// and no other instance takes it while the run goes on.
func TestRenewalNotStarved(t *testing.T) {
	url := pgtest.URL(t)
	ctx := t.Context()
	const ttl = 600 * time.Millisecond
	a, b := open(t, url, "a", ttl), open(t, url, "b", ttl)
	ran, _, err := a.Hold(ctx, "news", func(ctx context.Context) {
		var conns []*pgxpool.Conn
		defer func() { // before Hold releases the lease, through the pool
			for _, c := range conns {
				c.Release()
			}
		}()
		for range poolConns {
			c, err := a.pool.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		end := time.After(3 * ttl)
		for {
			if ok, l, err := b.Acquire(t.Context(), "news"); err != nil || ok {
				t.Errorf("b claimed a's lease during a's run: %v %+v %v", ok, l, err)
				return
			}
			select {
			case <-ctx.Done():
				t.Error("a's run was cancelled with the database answering")
				return
			case <-end:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	if err != nil || !ran {
		t.Fatalf("Hold = %v, %v", ran, err)
	}
}

// TestRenewalStuck: when renewals cannot complete (the lease row is locked
// by another session, so each waits), the run is cancelled before the
// lease its last successful renewal gave it can expire, not after the
// stuck renewal returns.
func TestRenewalStuck(t *testing.T) {
	url := pgtest.URL(t)
	ctx := t.Context()
	const ttl = 900 * time.Millisecond
	a := open(t, url, "a", ttl)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var locked, cancelled time.Time
	var expires time.Time
	ran, _, err := a.Hold(ctx, "news", func(ctx context.Context) {
		time.Sleep(ttl / 2) // a renewal or two succeed
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Error(err)
			return
		}
		defer tx.Rollback(context.Background())
		// The expiry the renewals so far gave, then the row locked: no
		// renewal extends it from here.
		if err := tx.QueryRow(ctx, `SELECT expires FROM feedsmith_leases WHERE source_id = 'news' FOR UPDATE`).Scan(&expires); err != nil {
			t.Error(err)
			return
		}
		locked = time.Now()
		select {
		case <-ctx.Done():
			cancelled = time.Now()
		case <-time.After(3 * ttl):
		}
	})
	if err != nil || !ran {
		t.Fatalf("Hold = %v, %v", ran, err)
	}
	if cancelled.IsZero() {
		t.Fatalf("the run went on for %s without a renewal; want it cancelled", 3*ttl)
	}
	t.Logf("cancelled %s after the row was locked, %s before the lease's expiry", cancelled.Sub(locked).Round(time.Millisecond), expires.Sub(cancelled).Round(time.Millisecond))
	if !cancelled.Before(expires) {
		t.Errorf("cancelled at %s, after the lease expired at %s", cancelled.Format(time.StampMilli), expires.Format(time.StampMilli))
	}
}

// TestLockOutputs: one instance at a time holds the outputs lock; the
// second waits for the first to release it, or gives up when its context
// ends.
func TestLockOutputs(t *testing.T) {
	url := pgtest.URL(t)
	ctx := t.Context()
	a, b := open(t, url, "a", time.Second), open(t, url, "b", time.Second)
	unlockA, err := a.LockOutputs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if unlock, err := b.LockOutputs(short); err == nil {
		unlock()
		t.Fatal("b locked the outputs while a held them")
	}
	got := make(chan time.Time, 1)
	go func() {
		unlock, err := b.LockOutputs(ctx)
		if err != nil {
			t.Error(err)
			close(got)
			return
		}
		got <- time.Now()
		unlock()
	}()
	select {
	case <-got:
		t.Fatal("b got the lock while a held it")
	case <-time.After(300 * time.Millisecond):
	}
	released := time.Now()
	unlockA()
	select {
	case at := <-got:
		if at.Before(released) {
			t.Error("b got the lock before a released it")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("b never got the lock after a released it")
	}
	// b's gave it back: a locks again at once.
	again, cancel2 := context.WithTimeout(ctx, 2*time.Second)
	defer cancel2()
	unlock, err := a.LockOutputs(again)
	if err != nil {
		t.Fatalf("a after b released: %v", err)
	}
	unlock()
}
