package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// scheduleEpoch is where a schedule's firings are looked at: a fixed
// time, so a schedule is accepted or refused the same on every day, just
// after a February without a 29th so that a schedule of leap days alone
// is found to fire less than once a year.
var scheduleEpoch = time.Date(2001, 3, 1, 0, 0, 0, 0, time.UTC)

// Interval returns how often a source runs, for feed TTLs and cache headers.
func Interval(spec string) time.Duration {
	sched, err := ParseSchedule(spec)
	if err != nil {
		return 0
	}
	t := time.Date(2000, 1, 3, 0, 0, 0, 0, time.UTC)
	first := sched.Next(t)
	return sched.Next(first).Sub(first)
}

// MinInterval returns the shortest time between two runs of a valid
// schedule among its first hundred firings: "0,30 * * * * *" runs every
// 30s although its Interval may look longer elsewhere.
func MinInterval(spec string) time.Duration {
	sched, err := ParseSchedule(spec)
	if err != nil {
		return 0
	}
	least := time.Duration(0)
	prev := sched.Next(scheduleEpoch)
	for range 100 {
		next := sched.Next(prev)
		if next.IsZero() {
			break
		}
		if d := next.Sub(prev); least == 0 || d < least {
			least = d
		}
		prev = next
	}
	return least
}

var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSchedule parses a cron schedule: five fields, an optional leading
// seconds field, descriptors such as @hourly or @every 10m, and a
// CRON_TZ= or TZ= prefix. cron v3.0.1 panics on some inputs (for example
// "TZ=UTC" alone), so the panic is turned into an error here.
func ParseSchedule(spec string) (sched cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("invalid schedule %q", spec)
		}
	}()
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("empty schedule")
	}
	sched, err = cronParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("invalid schedule %q: %v", spec, err)
	}
	return sched, nil
}

// CheckSchedule reports whether spec is a valid schedule that fires at
// least once a year: cron parses "0 0 30 2 *" (February 30th), which
// never comes.
func CheckSchedule(spec string) error {
	sched, err := ParseSchedule(spec)
	if err != nil {
		return err
	}
	switch next := sched.Next(scheduleEpoch); {
	case next.IsZero():
		return fmt.Errorf("schedule %q never fires (no such date)", spec)
	case next.Sub(scheduleEpoch) > 366*24*time.Hour:
		return fmt.Errorf("schedule %q fires less than once a year", spec)
	}
	return nil
}
