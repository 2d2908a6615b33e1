package schedule

import (
	"hash/fnv"
	"strings"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/robfig/cron/v3"
)

// Jitter returns the offset, in whole seconds, that id's runs are shifted
// by: an FNV-1a hash of id mapped into [0, min(interval/2, most)). Half
// the interval keeps a shifted run nearer its own slot than the next one;
// the hash makes the offset the same on every start, so a source keeps its
// phase across restarts. most is the job's Jitter (feedsmith's default
// is 5 minutes, so that even a daily source runs within a few minutes of
// the time its owner wrote down); 0, and intervals under four seconds,
// give no offset.
func Jitter(id string, interval, most time.Duration) time.Duration {
	secs := uint64(min(interval/2, most) / time.Second)
	if secs == 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return time.Duration(h.Sum64()%secs) * time.Second
}

// jittered shifts a schedule by a fixed offset: it fires offset after each
// time inner would.
type jittered struct {
	inner  cron.Schedule
	offset time.Duration
}

// Next implements cron.Schedule.
func (j jittered) Next(t time.Time) time.Time {
	n := j.inner.Next(t.Add(-j.offset))
	if n.IsZero() { // a spec no date satisfies, such as "0 0 30 2 *"
		return n
	}
	return n.Add(j.offset)
}

// every replaces cron's ConstantDelaySchedule, which counts from whenever it
// is asked and so ignores any offset: every fires on the multiples of its
// period since the zero time, which the jitter then shifts.
type every struct{ period time.Duration }

// Next implements cron.Schedule.
func (e every) Next(t time.Time) time.Time { return t.Truncate(e.period).Add(e.period) }

// parse turns a job's spec and location into its jittered schedule and its
// interval.
func parse(j Job) (cron.Schedule, time.Duration, error) {
	sched, err := config.ParseSchedule(j.Spec)
	if err != nil {
		return nil, 0, err
	}
	switch s := sched.(type) {
	case cron.ConstantDelaySchedule:
		sched = every{s.Delay}
	case *cron.SpecSchedule:
		// Setting the parsed location, rather than prefixing CRON_TZ= to the
		// spec, also works for zones without a loadable name (time.FixedZone).
		if !hasZone(j.Spec) {
			s.Location = locationOrUTC(j.Location)
		}
	}
	iv := interval(sched)
	return jittered{sched, Jitter(j.ID, iv, j.Jitter)}, iv, nil
}

// interval is the gap between two runs, measured as config.Interval does so
// that start-up decisions agree with the feeds' TTLs.
func interval(s cron.Schedule) time.Duration {
	first := s.Next(time.Date(2000, 1, 3, 0, 0, 0, 0, time.UTC))
	if first.IsZero() {
		return 0
	}
	return s.Next(first).Sub(first)
}

// hasZone reports whether spec names its own time zone.
func hasZone(spec string) bool {
	spec = strings.TrimSpace(spec)
	return strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=")
}

func locationOrUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// sameLocation compares locations by name: a reload loads a zone again and
// gets a new pointer for the same place.
func sameLocation(a, b *time.Location) bool {
	return locationOrUTC(a).String() == locationOrUTC(b).String()
}
