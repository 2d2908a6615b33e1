package schedule

import (
	"context"
	"errors"
	"github.com/feedsmith/feedsmith/internal/testutil"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeTimer records a start-up run instead of waiting for it.
type fakeTimer struct {
	d       time.Duration
	f       func()
	stopped atomic.Bool
}

func (t *fakeTimer) Stop() bool { return !t.stopped.Swap(true) }

// testScheduler returns a scheduler on a fixed clock whose start-up runs
// wait for the test to fire them, and which is stopped at cleanup.
func testScheduler(t *testing.T, now time.Time) (*Scheduler, *testutil.SyncBuffer) {
	t.Helper()
	logs := &testutil.SyncBuffer{}
	s := New(slog.New(slog.NewTextHandler(logs, nil)), func() time.Time { return now })
	s.afterFunc = func(d time.Duration, f func()) stopper { return &fakeTimer{d: d, f: f} }
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Errorf("Stop at cleanup: %v", err)
		}
	})
	return s, logs
}

// pendingTimer returns the job's planned start-up run, or nil.
func pendingTimer(s *Scheduler, id string) *fakeTimer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.jobs[id]; e != nil && e.pending != nil {
		return e.pending.timer.(*fakeTimer)
	}
	return nil
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func counting(n *atomic.Int32) func(context.Context) {
	return func(context.Context) { n.Add(1) }
}

func TestStartupRun(t *testing.T) {
	now := utc("2026-03-01 12:00:00")
	const yearly = "0 0 1 1 *" // no tick fires while the test runs
	tests := []struct {
		name string
		last time.Time
		want bool
	}{
		{"never succeeded", time.Time{}, true},
		{"older than interval", now.Add(-400 * 24 * time.Hour), true},
		{"recent", now.Add(-24 * time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := testScheduler(t, now)
			var runs atomic.Int32
			if err := s.Set([]Job{{ID: "src", Spec: yearly, Run: counting(&runs), LastSuccess: tt.last, Jitter: most}}); err != nil {
				t.Fatal(err)
			}
			s.Start()
			timer := pendingTimer(s, "src")
			if (timer != nil) != tt.want {
				t.Fatalf("start-up run planned = %v, want %v", timer != nil, tt.want)
			}
			if !tt.want {
				if got, want := s.Next("src"), utc("2027-01-01 00:00:00").Add(Jitter("src", 365*24*time.Hour, most)); !got.Equal(want) {
					t.Errorf("Next = %v, want %v", got, want)
				}
				return
			}
			if want := Jitter("src", 2*startupSpread, startupSpread); timer.d != want || timer.d >= startupSpread {
				t.Errorf("start-up run delayed %v, want the start-up jitter %v (under %v)", timer.d, want, startupSpread)
			}
			if got, want := s.Next("src"), now.Add(timer.d); !got.Equal(want) {
				t.Errorf("Next = %v, want the start-up run at %v", got, want)
			}
			timer.f()
			waitFor(t, "the start-up run", func() bool { return runs.Load() == 1 })
		})
	}
}

func TestStopDropsStartupRun(t *testing.T) {
	s, _ := testScheduler(t, utc("2026-03-01 12:00:00"))
	var runs atomic.Int32
	if err := s.Set([]Job{{ID: "src", Spec: "0 0 1 1 *", Run: counting(&runs)}}); err != nil {
		t.Fatal(err)
	}
	s.Start()
	timer := pendingTimer(s, "src")
	if timer == nil {
		t.Fatal("no start-up run planned")
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !timer.stopped.Load() {
		t.Error("start-up timer not stopped")
	}
	timer.f() // as if it fired just as Stop ran
	time.Sleep(20 * time.Millisecond)
	if n := runs.Load(); n != 0 {
		t.Errorf("runs after Stop = %d, want 0", n)
	}
}

func TestPanicDoesNotStopLaterRuns(t *testing.T) {
	s, logs := testScheduler(t, time.Now())
	var runs atomic.Int32
	boom := func(context.Context) {
		runs.Add(1)
		panic("boom")
	}
	if err := s.Set([]Job{{ID: "boom", Spec: "@hourly", Run: boom}}); err != nil {
		t.Fatal(err)
	}
	for want := int32(1); want <= 2; want++ {
		if err := s.RunNow("boom"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the run", func() bool { return runs.Load() == want && s.Running() == 0 })
	}
	if got := logs.String(); !strings.Contains(got, "job panicked") || !strings.Contains(got, "job=boom") {
		t.Errorf("log lacks the panic:\n%s", got)
	}
}

// TestPanicOnTicks runs real cron ticks, a second apart.
func TestPanicOnTicks(t *testing.T) {
	s, _ := testScheduler(t, time.Now())
	var runs atomic.Int32
	boom := func(context.Context) {
		runs.Add(1)
		panic("boom")
	}
	if err := s.Set([]Job{{ID: "boom", Spec: "@every 1s", Run: boom, LastSuccess: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	s.Start()
	waitFor(t, "two ticks", func() bool { return runs.Load() >= 2 })
}

func TestRunNowSkipsWhileRunning(t *testing.T) {
	s, _ := testScheduler(t, time.Now())
	var runs atomic.Int32
	release := make(chan struct{})
	job := func(context.Context) {
		runs.Add(1)
		<-release
	}
	if err := s.Set([]Job{{ID: "slow", Spec: "@yearly", Run: job}}); err != nil {
		t.Fatal(err)
	}
	if err := s.RunNow("slow"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first run", func() bool { return s.Running() == 1 })
	for range 3 {
		if err := s.RunNow("slow"); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(20 * time.Millisecond)
	if n, r := runs.Load(), s.Running(); n != 1 || r != 1 {
		t.Errorf("while running: runs = %d, Running = %d; want 1, 1", n, r)
	}
	close(release)
	waitFor(t, "the run to end", func() bool { return s.Running() == 0 })
	if err := s.RunNow("slow"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a second run", func() bool { return runs.Load() == 2 })
}

func TestRunNowUnknown(t *testing.T) {
	s, _ := testScheduler(t, time.Now())
	if err := s.RunNow("nope"); !errors.Is(err, ErrUnknownJob) {
		t.Errorf("RunNow(nope) = %v, want ErrUnknownJob", err)
	}
}

func TestStopLetsRunningJobFinish(t *testing.T) {
	s, _ := testScheduler(t, time.Now())
	started := make(chan struct{})
	var finished atomic.Bool
	var sawCancel atomic.Bool
	job := func(ctx context.Context) {
		close(started)
		select {
		case <-time.After(100 * time.Millisecond):
			finished.Store(true)
		case <-ctx.Done():
			sawCancel.Store(true)
		}
	}
	if err := s.Set([]Job{{ID: "job", Spec: "@yearly", Run: job}}); err != nil {
		t.Fatal(err)
	}
	if err := s.RunNow("job"); err != nil {
		t.Fatal(err)
	}
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if !finished.Load() || sawCancel.Load() {
		t.Errorf("job finished = %v, cancelled = %v; want it to finish its work uncancelled", finished.Load(), sawCancel.Load())
	}
}

func TestStop(t *testing.T) {
	tests := []struct {
		name    string
		obeys   bool // the job returns when its context is cancelled
		wait    time.Duration
		wantErr error
	}{
		// Stop waits the whole deadline before cancelling: a job that only
		// returns when cancelled holds it up until then.
		{"job stops when cancelled at the deadline", true, 200 * time.Millisecond, nil},
		{"job ignores cancellation", false, 50 * time.Millisecond, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := testScheduler(t, time.Now())
			started, release := make(chan struct{}), make(chan struct{})
			var jobErr atomic.Value
			job := func(ctx context.Context) {
				close(started)
				if tt.obeys {
					<-ctx.Done()
					jobErr.Store(ctx.Err())
					return
				}
				<-release
			}
			if err := s.Set([]Job{{ID: "job", Spec: "@yearly", Run: job}}); err != nil {
				t.Fatal(err)
			}
			if err := s.RunNow("job"); err != nil {
				t.Fatal(err)
			}
			<-started
			ctx, cancel := context.WithTimeout(context.Background(), tt.wait)
			defer cancel()
			err := s.Stop(ctx)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("Stop = %v, want %v", err, tt.wantErr)
			}
			if tt.obeys {
				if got := jobErr.Load(); got != context.Canceled || s.Running() != 0 {
					t.Errorf("after Stop: job saw %v, Running = %d; want context.Canceled, 0", got, s.Running())
				}
			} else if s.Running() != 1 {
				t.Errorf("Running = %d, want the stuck job", s.Running())
			}
			close(release)
			if err := s.RunNow("job"); err == nil {
				t.Error("RunNow after Stop succeeded")
			}
			if !s.Next("job").IsZero() {
				t.Error("Next after Stop is not zero")
			}
		})
	}
}
