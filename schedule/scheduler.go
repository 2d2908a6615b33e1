// Package schedule runs jobs (in feedsmith, one per source) each on its own
// cron schedule, with github.com/robfig/cron/v3 keeping the time.
//
// It owns the workarounds for cron v3.0.1: every job is wrapped in
// SkipIfStillRunning around Recover, Recover innermost, so a panic is logged
// and the job still runs on its next tick; schedules are parsed by
// config.ParseSchedule, which turns the parser's panics into errors; and
// jobs take a context that Stop cancels, since cron's own Stop neither
// cancels nor waits. Runs are shifted by a per-job Jitter, and a job whose
// last success is older than its interval runs once at Start (within a
// few seconds, spread by the same hash).
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// ErrUnknownJob is returned by RunNow for an id the scheduler does not hold.
var ErrUnknownJob = errors.New("unknown job")

// Job is one unit of scheduled work, such as collecting a source.
type Job struct {
	// ID names the job; it also seeds the job's Jitter.
	ID string
	// Spec is the schedule: five cron fields with an optional leading
	// seconds field, a descriptor such as "@hourly" or "@every 5m", and an
	// optional CRON_TZ= or TZ= prefix.
	Spec string
	// Location is the time zone for a Spec without CRON_TZ= (nil is UTC).
	Location *time.Location
	// Run does the work. Its context is cancelled by Scheduler.Stop.
	Run func(ctx context.Context)
	// LastSuccess, when zero or older than the job's interval, makes Start
	// (or Set, after Start) run the job once, after its jitter.
	LastSuccess time.Time
	// Jitter is the most the job's runs are shifted by (see Jitter); 0
	// runs them exactly on the schedule.
	Jitter time.Duration
}

// Scheduler runs jobs on their schedules. Its methods are safe for
// concurrent use.
type Scheduler struct {
	logger    *slog.Logger
	now       func() time.Time
	afterFunc func(time.Duration, func()) stopper // time.AfterFunc; tests replace it
	cron      *cron.Cron
	base      context.Context
	cancel    context.CancelFunc

	mu       sync.Mutex
	jobs     map[string]*entry
	started  bool
	stopped  bool
	running  int
	inFlight sync.WaitGroup // Add only under mu and before stopped, so Stop may Wait
}

// stopper is the part of *time.Timer the scheduler uses.
type stopper interface{ Stop() bool }

// entry is the scheduler's state for one job.
type entry struct {
	job      Job
	sched    cron.Schedule // jittered
	interval time.Duration
	cronID   cron.EntryID
	// wrapped is SkipIfStillRunning(Recover(run)). Ticks, RunNow and
	// start-up runs all go through it, so they share its lock; it is kept
	// when the job is rescheduled.
	wrapped cron.Job
	pending *catchUp
}

// catchUp is a start-up run waiting for its jitter.
type catchUp struct {
	timer stopper
	at    time.Time
}

func (e *entry) dropCatchUp() {
	if e.pending != nil {
		e.pending.timer.Stop()
		e.pending = nil
	}
}

// New returns a Scheduler that logs to logger and takes start-up decisions
// and Next by the clock now (nil is time.Now). Runs themselves follow the
// real clock.
func New(logger *slog.Logger, now func() time.Time) *Scheduler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	base, cancel := context.WithCancel(context.Background())
	return &Scheduler{
		logger:    logger,
		now:       now,
		afterFunc: func(d time.Duration, f func()) stopper { return time.AfterFunc(d, f) },
		// No WithChain: each job gets its own chain in Set, so that RunNow
		// can reach the same SkipIfStillRunning lock as the ticks.
		cron:   cron.New(cron.WithLocation(time.UTC), cron.WithLogger(cronLogger{logger})),
		base:   base,
		cancel: cancel,
		jobs:   map[string]*entry{},
	}
}

// Start starts the ticks, and a run after its jitter for each job whose
// LastSuccess is zero or older than its interval. Start after Start or
// Stop does nothing.
func (s *Scheduler) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.stopped {
		return
	}
	s.started = true
	now := s.now()
	for id, e := range s.jobs {
		s.planCatchUp(id, e, now)
	}
	s.cron.Start()
}

// startupSpread bounds the delay of start-up runs.
const startupSpread = 5 * time.Second

// planCatchUp arranges a start-up run of e if it is due. s.mu is held.
func (s *Scheduler) planCatchUp(id string, e *entry, now time.Time) {
	last := e.job.LastSuccess
	if !last.IsZero() && (e.interval <= 0 || now.Sub(last) <= e.interval) {
		return
	}
	e.dropCatchUp()
	// Start-up runs are spread too, but over a few seconds rather than
	// the job's full jitter: a fresh daemon should not wait minutes for
	// its first feeds.
	d := Jitter(id, min(e.interval, 2*startupSpread), startupSpread)
	c := &catchUp{at: now.Add(d)}
	c.timer = s.afterFunc(d, func() { s.runCatchUp(id, e, c) })
	e.pending = c
}

func (s *Scheduler) runCatchUp(id string, e *entry, c *catchUp) {
	s.mu.Lock()
	ok := !s.stopped && s.jobs[id] == e && e.pending == c
	if ok {
		e.pending = nil
	}
	s.mu.Unlock()
	if ok {
		e.wrapped.Run()
	}
}

// Stop starts no more runs and waits for the running jobs until ctx is
// done; then it cancels their context and, if they still have not
// returned a second later, returns an error wrapping ctx.Err().
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.stopped = true
	for _, e := range s.jobs {
		e.dropCatchUp()
	}
	s.mu.Unlock()
	s.cron.Stop() // stops the ticks only: it neither cancels nor waits
	done := make(chan struct{})
	go func() {
		s.inFlight.Wait()
		close(done)
	}()
	// Running jobs get until ctx is done to finish their work; only then
	// is their context cancelled, and they get a moment to notice.
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
	}
	s.cancel()
	select {
	case <-done:
		return nil
	case <-time.After(cancelGrace):
		return fmt.Errorf("stop scheduler: %d jobs still running: %w", s.Running(), ctx.Err())
	}
}

// cancelGrace is how long Stop waits for jobs after cancelling them.
const cancelGrace = time.Second

// Next returns when the job runs next: its next tick, or its pending
// start-up run if that comes first. It is zero for an unknown id, after
// Stop, and for a schedule no date satisfies.
func (s *Scheduler) Next(id string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.jobs[id]
	if !ok || s.stopped {
		return time.Time{}
	}
	next := e.sched.Next(s.now())
	if e.pending != nil && (next.IsZero() || e.pending.at.Before(next)) {
		return e.pending.at
	}
	return next
}

// RunNow starts a run of the job in the background, unless one is running
// already: a job never runs twice at once.
func (s *Scheduler) RunNow(id string) error {
	s.mu.Lock()
	e, ok := s.jobs[id]
	stopped := s.stopped
	s.mu.Unlock()
	switch {
	case !ok:
		return fmt.Errorf("run %s: %w", id, ErrUnknownJob)
	case stopped:
		return fmt.Errorf("run %s: scheduler stopped", id)
	}
	go e.wrapped.Run()
	return nil
}

// Running returns how many jobs are running now.
func (s *Scheduler) Running() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running
}

// run is the innermost job of e's chain: it counts the run, gives it a
// context, and declines after Stop or once the job was removed.
func (s *Scheduler) run(id string, e *entry) cron.Job {
	return cron.FuncJob(func() {
		s.mu.Lock()
		if s.stopped || s.jobs[id] != e {
			s.mu.Unlock()
			return
		}
		e.dropCatchUp() // this run makes a pending start-up run redundant
		run := e.job.Run
		s.running++
		s.inFlight.Add(1)
		s.mu.Unlock()
		defer func() { // deferred, so a panic is counted out before Recover logs it
			s.mu.Lock()
			s.running--
			s.mu.Unlock()
			s.inFlight.Done()
		}()
		ctx, cancel := context.WithCancel(s.base)
		defer cancel()
		run(ctx)
	})
}
