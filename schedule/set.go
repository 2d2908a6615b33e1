package schedule

import (
	"errors"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

// plan is a validated job with its parsed schedule.
type plan struct {
	job      Job
	sched    cron.Schedule
	interval time.Duration
}

// Set makes jobs the scheduler's jobs: ids not held yet are added, ids
// missing from jobs are removed (a run in progress finishes), and jobs whose
// Spec, Location or Jitter changed are rescheduled. A job whose schedule did not
// change keeps its next run; only its Run and LastSuccess are taken. After
// Start, an added or rescheduled job that is due runs once, as at Start.
// Set may be called before or after Start. If any job is invalid, Set
// changes nothing and returns an error naming each invalid job.
func (s *Scheduler) Set(jobs []Job) error {
	plans, err := prepare(jobs)
	if err != nil {
		return err
	}
	keep := make(map[string]bool, len(plans))
	for _, p := range plans {
		keep[p.job.ID] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, e := range s.jobs {
		if !keep[id] {
			s.cron.Remove(e.cronID)
			e.dropCatchUp()
			delete(s.jobs, id)
		}
	}
	now := s.now()
	for _, p := range plans {
		s.apply(p, now)
	}
	return nil
}

// prepare validates jobs and parses their schedules.
func prepare(jobs []Job) ([]plan, error) {
	var errs []error
	plans := make([]plan, 0, len(jobs))
	seen := make(map[string]bool, len(jobs))
	for i, j := range jobs {
		switch {
		case j.ID == "":
			errs = append(errs, fmt.Errorf("job %d: empty id", i))
			continue
		case seen[j.ID]:
			errs = append(errs, fmt.Errorf("job %s: duplicate id", j.ID))
			continue
		case j.Run == nil:
			errs = append(errs, fmt.Errorf("job %s: no Run func", j.ID))
		}
		seen[j.ID] = true
		sched, iv, err := parse(j)
		if err != nil {
			errs = append(errs, fmt.Errorf("job %s: %w", j.ID, err))
			continue
		}
		plans = append(plans, plan{j, sched, iv})
	}
	return plans, errors.Join(errs...)
}

// apply adds, reschedules or updates one job. s.mu is held.
func (s *Scheduler) apply(p plan, now time.Time) {
	id := p.job.ID
	e, ok := s.jobs[id]
	switch {
	case !ok:
		e = &entry{}
		l := cronLogger{s.logger.With("job", id)}
		e.wrapped = cron.NewChain(cron.SkipIfStillRunning(l), cron.Recover(l)).Then(s.run(id, e))
		s.jobs[id] = e
	case e.job.Spec == p.job.Spec && sameLocation(e.job.Location, p.job.Location) && e.job.Jitter == p.job.Jitter:
		e.job = p.job
		return
	default:
		s.cron.Remove(e.cronID)
	}
	e.job, e.sched, e.interval = p.job, p.sched, p.interval
	e.cronID = s.cron.Schedule(p.sched, e.wrapped)
	if s.started && !s.stopped {
		s.planCatchUp(id, e, now)
	}
}
