package schedule

import (
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the zone tests must not depend on the host's zoneinfo
)

// most is feedsmith's default Jitter.
const most = 5 * time.Minute

func TestJitterStable(t *testing.T) {
	// Pinned values: a change here moves every source's runs on upgrade.
	tests := []struct {
		id       string
		interval time.Duration
		want     time.Duration
	}{
		{"example", 5 * time.Minute, 69 * time.Second},
		{"sh", 24 * time.Hour, 134 * time.Second},
		{"anything", 0, 0},
		{"anything", 3 * time.Second, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%v", tt.id, tt.interval), func(t *testing.T) {
			if got := Jitter(tt.id, tt.interval, most); got != tt.want {
				t.Errorf("Jitter(%q, %v) = %v, want %v", tt.id, tt.interval, got, tt.want)
			}
			if a, b := Jitter(tt.id, tt.interval, most), Jitter(tt.id, tt.interval, most); a != b {
				t.Errorf("Jitter(%q) not deterministic: %v then %v", tt.id, a, b)
			}
		})
	}
}

func TestJitterBounds(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		limit    time.Duration // every offset is below this
	}{
		{"sub-second", 500 * time.Millisecond, time.Nanosecond},
		{"four seconds", 4 * time.Second, 2 * time.Second},
		{"a minute", time.Minute, 30 * time.Second},
		{"five minutes", 5 * time.Minute, 150 * time.Second},
		{"an hour", time.Hour, 5 * time.Minute},
		{"a day", 24 * time.Hour, 5 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range 1000 {
				id := fmt.Sprintf("source-%d", i)
				d := Jitter(id, tt.interval, most)
				if d < 0 || d >= tt.limit {
					t.Fatalf("Jitter(%q, %v) = %v, want in [0, %v)", id, tt.interval, d, tt.limit)
				}
				if d%time.Second != 0 {
					t.Fatalf("Jitter(%q, %v) = %v, want whole seconds", id, tt.interval, d)
				}
			}
		})
	}
}

func TestJitterSpreads(t *testing.T) {
	seconds := map[time.Duration]bool{}
	for i := range 100 {
		seconds[Jitter(fmt.Sprintf("source-%d", i), 5*time.Minute, most)] = true
	}
	if len(seconds) < 50 {
		t.Errorf("100 sources on @every 5m fall in %d distinct seconds, want at least 50", len(seconds))
	}
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05.999", s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestJitteredNext checks the shifted schedules with chosen offsets.
func TestJitteredNext(t *testing.T) {
	shanghai := mustLoad(t, "Asia/Shanghai")
	tests := []struct {
		name   string
		spec   string
		loc    *time.Location
		offset time.Duration
		from   string
		want   string // "" for never
	}{
		{"cron shifted", "*/10 * * * *", nil, 90 * time.Second, "2026-03-01 10:00:00", "2026-03-01 10:01:30"},
		{"cron just before", "*/10 * * * *", nil, 90 * time.Second, "2026-03-01 10:01:29", "2026-03-01 10:01:30"},
		{"cron on the shifted time", "*/10 * * * *", nil, 90 * time.Second, "2026-03-01 10:01:30", "2026-03-01 10:11:30"},
		{"every aligned and shifted", "@every 5m", nil, 42 * time.Second, "2026-03-01 10:00:00", "2026-03-01 10:00:42"},
		{"every on the shifted time", "@every 5m", nil, 42 * time.Second, "2026-03-01 10:00:42", "2026-03-01 10:05:42"},
		{"every mid-period", "@every 5m", nil, 42 * time.Second, "2026-03-01 10:03:00.5", "2026-03-01 10:05:42"},
		{"every ignores location", "@every 5m", shanghai, 0, "2026-03-01 10:03:00", "2026-03-01 10:05:00"},
		{"location", "0 8 * * *", shanghai, 0, "2026-02-28 23:59:59", "2026-03-01 00:00:00"},
		{"location next day", "0 8 * * *", shanghai, 0, "2026-03-01 00:00:00", "2026-03-02 00:00:00"},
		{"nil location is UTC", "0 8 * * *", nil, 0, "2026-03-01 00:00:00", "2026-03-01 08:00:00"},
		{"CRON_TZ beats location", "CRON_TZ=Asia/Shanghai 0 8 * * *", time.UTC, 0, "2026-03-01 00:00:00", "2026-03-02 00:00:00"},
		{"seconds field", "30 */10 * * * *", nil, 4 * time.Minute, "2026-03-01 10:00:00", "2026-03-01 10:04:30"},
		{"never", "0 0 30 2 *", nil, time.Minute, "2026-03-01 10:00:00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parsed, _, err := parse(Job{ID: "x", Spec: tt.spec, Location: tt.loc})
			if err != nil {
				t.Fatal(err)
			}
			sched := jittered{parsed.(jittered).inner, tt.offset}
			got := sched.Next(utc(tt.from))
			if tt.want == "" {
				if !got.IsZero() {
					t.Errorf("Next(%s) = %v, want never", tt.from, got)
				}
				return
			}
			if want := utc(tt.want); !got.Equal(want) {
				t.Errorf("Next(%s) = %v, want %v", tt.from, got.UTC(), want)
			}
		})
	}
}

func TestParseInterval(t *testing.T) {
	tests := []struct {
		spec string
		want time.Duration
	}{
		{"@every 5m", 5 * time.Minute},
		{"*/10 * * * *", 10 * time.Minute},
		{"@hourly", time.Hour},
		{"CRON_TZ=Asia/Shanghai 0 8 * * *", 24 * time.Hour},
		{"0 0 30 2 *", 0},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			sched, iv, err := parse(Job{ID: "x", Spec: tt.spec, Jitter: most})
			if err != nil {
				t.Fatal(err)
			}
			if iv != tt.want {
				t.Errorf("interval = %v, want %v", iv, tt.want)
			}
			if got := sched.(jittered).offset; got != Jitter("x", tt.want, most) {
				t.Errorf("offset = %v, want Jitter(x, %v) = %v", got, tt.want, Jitter("x", tt.want, most))
			}
		})
	}
}

// TestJitterMost: a job's Jitter bounds its offset, 0 turns it off, and
// a bound above half the interval still gives at most half of it.
func TestJitterMost(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		most     time.Duration
		limit    time.Duration // every offset is below this
		pinned   time.Duration // Jitter("example", interval, most)
	}{
		{"off", time.Hour, 0, time.Nanosecond, 0},
		{"a minute", time.Hour, time.Minute, time.Minute, 9 * time.Second},
		{"the default", 5 * time.Minute, most, 150 * time.Second, 69 * time.Second},
		{"above half the interval", 10 * time.Minute, time.Hour, 5 * time.Minute, 69 * time.Second},
		{"an hour on a day", 24 * time.Hour, time.Hour, time.Hour, 1569 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Jitter("example", tt.interval, tt.most); got != tt.pinned {
				t.Errorf("Jitter(example, %v, %v) = %v, want %v", tt.interval, tt.most, got, tt.pinned)
			}
			for i := range 1000 {
				id := fmt.Sprintf("source-%d", i)
				if d := Jitter(id, tt.interval, tt.most); d < 0 || d >= tt.limit {
					t.Fatalf("Jitter(%q, %v, %v) = %v, want in [0, %v)", id, tt.interval, tt.most, d, tt.limit)
				}
			}
		})
	}
}

// TestSetJitterChange: a job whose Jitter changes is rescheduled, and
// with 0 its next run is exactly the schedule's.
func TestSetJitterChange(t *testing.T) {
	now := utc("2026-03-01 12:00:30")
	s, _ := testScheduler(t, now)
	job := Job{ID: "example", Spec: "*/10 * * * *", Run: noop, LastSuccess: now, Jitter: most}
	if err := s.Set([]Job{job}); err != nil {
		t.Fatal(err)
	}
	s.Start()
	// 12:00 shifted by 69 s is still to come at 12:00:30.
	shifted := utc("2026-03-01 12:00:00").Add(Jitter("example", 10*time.Minute, most))
	if got := s.Next("example"); !got.Equal(shifted) || !got.After(now) {
		t.Fatalf("Next with the default jitter = %v, want %v", got, shifted)
	}
	job.Jitter = 0
	if err := s.Set([]Job{job}); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Next("example"), utc("2026-03-01 12:10:00"); !got.Equal(want) {
		t.Errorf("Next with jitter 0 = %v, want %v", got, want)
	}
}
