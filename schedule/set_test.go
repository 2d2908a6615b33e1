package schedule

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func noop(context.Context) {}

// cronEntry returns the job's cron entry id and the next run cron holds.
func cronEntry(s *Scheduler, id string) (int, time.Time) {
	s.mu.Lock()
	eid := s.jobs[id].cronID
	s.mu.Unlock()
	return int(eid), s.cron.Entry(eid).Next
}

func TestSetReconciles(t *testing.T) {
	now := utc("2026-03-01 12:00:00")
	shanghai := mustLoad(t, "Asia/Shanghai")
	s, _ := testScheduler(t, now)
	var oldRuns, newRuns atomic.Int32
	first := []Job{
		{ID: "same", Jitter: most, Spec: "@every 1h", Run: counting(&oldRuns), LastSuccess: now},
		{ID: "respec", Jitter: most, Spec: "*/10 * * * *", Run: noop, LastSuccess: now},
		{ID: "rezone", Jitter: most, Spec: "0 8 * * *", Run: noop, LastSuccess: now},
		{ID: "gone", Jitter: most, Spec: "@hourly", Run: noop, LastSuccess: now},
	}
	if err := s.Set(first); err != nil {
		t.Fatal(err)
	}
	s.Start()
	sameID, sameNext := cronEntry(s, "same")
	respecID, _ := cronEntry(s, "respec")
	if sameNext.IsZero() {
		t.Fatal("cron has no next run for job same after Start")
	}

	second := []Job{
		{ID: "same", Jitter: most, Spec: "@every 1h", Run: counting(&newRuns), LastSuccess: now},
		{ID: "respec", Jitter: most, Spec: "*/5 * * * *", Run: noop, LastSuccess: now},
		{ID: "rezone", Jitter: most, Spec: "0 8 * * *", Location: shanghai, Run: noop, LastSuccess: now},
		{ID: "added", Jitter: most, Spec: "@daily", Run: noop}, // never succeeded: runs after its jitter
	}
	if err := s.Set(second); err != nil {
		t.Fatal(err)
	}

	if id, next := cronEntry(s, "same"); id != sameID || !next.Equal(sameNext) {
		t.Errorf("unchanged job: cron entry %d next %v, want %d next %v", id, next, sameID, sameNext)
	}
	if id, _ := cronEntry(s, "respec"); id == respecID {
		t.Error("changed spec kept its cron entry")
	}
	wantNext := map[string]time.Time{
		"respec": utc("2026-03-01 12:00:00").Add(Jitter("respec", 5*time.Minute, most)),
		"rezone": utc("2026-03-02 00:00:00").Add(Jitter("rezone", 24*time.Hour, most)),
		"added":  now.Add(Jitter("added", 2*startupSpread, startupSpread)),
		"gone":   {},
	}
	for id, want := range wantNext {
		if got := s.Next(id); !got.Equal(want) {
			t.Errorf("Next(%s) = %v, want %v", id, got, want)
		}
	}
	if n := len(s.cron.Entries()); n != 4 {
		t.Errorf("cron holds %d entries, want 4", n)
	}
	if err := s.RunNow("same"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new Run func", func() bool { return newRuns.Load() == 1 })
	if n := oldRuns.Load(); n != 0 {
		t.Errorf("old Run func ran %d times after Set", n)
	}
}

func TestSetInvalid(t *testing.T) {
	tests := []struct {
		name string
		job  Job
		want string // in the error
	}{
		{"TZ alone", Job{ID: "bad", Spec: "TZ=UTC", Run: noop}, "bad"},
		{"CRON_TZ alone", Job{ID: "bad", Spec: "CRON_TZ=Asia/Shanghai", Run: noop}, "bad"},
		{"unknown zone", Job{ID: "bad", Spec: "CRON_TZ=Nowhere/Atlantis 0 8 * * *", Run: noop}, "bad"},
		{"empty", Job{ID: "bad", Spec: "", Run: noop}, "bad"},
		{"minute out of range", Job{ID: "bad", Spec: "61 * * * *", Run: noop}, "bad"},
		{"four fields", Job{ID: "bad", Spec: "* * * *", Run: noop}, "bad"},
		{"every without duration", Job{ID: "bad", Spec: "@every", Run: noop}, "bad"},
		{"no id", Job{Spec: "@hourly", Run: noop}, "empty id"},
		{"duplicate id", Job{ID: "keep", Spec: "@hourly", Run: noop}, "duplicate id"},
		{"no run", Job{ID: "bad", Spec: "@hourly"}, "no Run func"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := testScheduler(t, utc("2026-03-01 12:00:00"))
			keep := Job{ID: "keep", Spec: "@daily", Run: noop}
			if err := s.Set([]Job{keep}); err != nil {
				t.Fatal(err)
			}
			before := s.Next("keep")
			err := s.Set([]Job{keep, {ID: "good", Spec: "@hourly", Run: noop}, tt.job})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Set = %v, want an error mentioning %q", err, tt.want)
			}
			if !s.Next("good").IsZero() || !s.Next("bad").IsZero() {
				t.Error("a failed Set added jobs")
			}
			if got := s.Next("keep"); !got.Equal(before) {
				t.Errorf("a failed Set moved job keep from %v to %v", before, got)
			}
		})
	}
}
