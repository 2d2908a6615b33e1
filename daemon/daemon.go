// Package daemon runs feedsmith as a service: every source on its
// schedule, the feeds of the categories a run changed rendered again and
// swapped into the HTTP server and the output folder, WebSub hubs pinged
// for the feeds that changed, and the configuration reloaded on request.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/feedsmith/feedsmith/collect"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/metrics"
	"github.com/feedsmith/feedsmith/publish"
	"github.com/feedsmith/feedsmith/publish/s3"
	"github.com/feedsmith/feedsmith/schedule"
	"github.com/feedsmith/feedsmith/server"
	"github.com/feedsmith/feedsmith/sources"
	"github.com/feedsmith/feedsmith/store/open"
	"github.com/feedsmith/feedsmith/websub"
)

// Daemon is the long-running service. Make one with New, then Run it.
type Daemon struct {
	logger    *slog.Logger
	version   string
	now       func() time.Time
	store     open.Store
	sched     *schedule.Scheduler
	srv       *server.Server
	metrics   *metrics.Metrics
	userAgent string

	// state is swapped whole on reload; jobs read it when they start.
	state atomic.Pointer[state]
	// publishing serializes render-and-swap, so two sources finishing at
	// once cannot interleave their trees.
	publishing sync.Mutex
	// attempted records the sources that have run at least once, for
	// readiness: the first collection is done when every source has.
	attemptedMu sync.Mutex
	attempted   map[string]bool
	rendered    atomic.Bool
	// pinging tracks WebSub pings in flight; shutdown waits for them.
	pinging sync.WaitGroup
	// faults remembers the outputs whose last write failed.
	faults *faults
	// retrying counts the loops that write failing outputs again and
	// apply retention, which shutdown waits for.
	retrying sync.WaitGroup
	// cluster is the daemon's part of a cluster of instances on one
	// PostgreSQL store; nil on SQLite.
	cluster *clusterState
}

// state is everything derived from one configuration.
type state struct {
	cfg       *config.Config
	collector *collect.Collector
	publisher *publish.Publisher
	pinger    *websub.Pinger // nil without a hub
	bucket    *s3.Bucket     // nil without outputs.s3
	bucketErr error          // why there is no bucket with outputs.s3
}

// New opens the store and prepares the daemon for cfg.
func New(ctx context.Context, cfg *config.Config, logger *slog.Logger, version string) (*Daemon, error) {
	st, err := open.Open(ctx, cfg.Store)
	if err != nil {
		return nil, err
	}
	d := &Daemon{
		logger:    logger,
		version:   version,
		now:       time.Now,
		store:     st,
		sched:     schedule.New(logger, time.Now),
		metrics:   metrics.New(version),
		attempted: map[string]bool{},
		faults:    newFaults(outputRetry),
	}
	d.userAgent = cfg.Defaults.UserAgent
	if d.userAgent == "" {
		d.userAgent = sources.UserAgent(version)
	}
	d.srv = server.New(server.Options{
		Logger:      logger,
		Metrics:     d.metrics,
		BaseURL:     cfg.Site.BaseURL,
		Hub:         cfg.WebSub.Hub,
		AdminToken:  cfg.Server.AdminToken,
		Refresh:     d.refresh,
		Ready:       d.ready,
		ReadyDetail: d.readyDetail,
	})
	d.state.Store(d.newState(cfg))
	return d, nil
}

func (d *Daemon) newState(cfg *config.Config) *state {
	s := &state{
		cfg:       cfg,
		collector: collect.New(cfg, d.store, d.userAgent, d.logger, d.now),
		publisher: publish.New(cfg, d.store, d.version),
	}
	s.publisher.NextRun = d.sched.Next
	s.publisher.RunTimes = true
	s.publisher.Notices = d.notices
	s.publisher.Holders = d.holders
	s.publisher.Materialize = s.collector.Materialize
	if cfg.WebSub.Hub != "" {
		s.pinger = websub.New(cfg.WebSub.Hub, nil, d.logger)
		s.pinger.SetUserAgent(d.userAgent)
	}
	if c := cfg.Outputs.S3; c != nil {
		s.bucket, s.bucketErr = s3.New(*c, d.store, d.version)
	}
	return s
}

// Run serves and collects until ctx is cancelled, then shuts down
// gracefully: no new runs, running jobs and requests get the configured
// shutdown timeout to finish, the store is closed. ready is called once
// the store is open and the server listens (systemd's READY=1).
func (d *Daemon) Run(ctx context.Context, ready func()) error {
	defer d.store.Close()
	if err := d.openCluster(ctx, d.state.Load().cfg); err != nil {
		return err
	}
	if d.cluster != nil {
		defer d.cluster.c.Close()
		d.markSeen(ctx) // before the first publish: a change saved later is rendered by the sync loop
	}
	cfg := d.state.Load().cfg
	if err := d.setActiveSources(ctx, cfg); err != nil {
		return err
	}
	if err := d.srv.OpenAccessLog(cfg.Server.AccessLog); err != nil {
		return fmt.Errorf("server.access_log: %w", err) // the error names the file
	}
	defer d.srv.CloseAccessLog() // shutdown closes it first, reporting an error
	// Serve what the store already holds before collecting anything:
	// a restart never leaves readers without their feeds, nor makes
	// them download again the ones that did not change.
	d.rememberServed(ctx)
	if err := d.publish(ctx, nil, false); err != nil {
		return err
	}
	d.rendered.Store(true)
	d.clearRemovedPending(ctx, cfg)
	if err := d.schedule(ctx, nil); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Server.Listen, err)
	}
	d.sched.Start()
	// Only now does the scheduler know every next run, start-up runs
	// included: the status page shows them before the first request is
	// answered (connections wait in the listen queue meanwhile).
	if err := d.publish(ctx, []string{}, false); err != nil {
		d.logger.Error("render the status page", "error", err)
	}
	hs := d.srv.HTTPServer()
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(d.srv.Listener(ln)) }()
	d.logger.Info("feedsmith started", "version", d.version, "config", cfg.File,
		"store", cfg.Store.Location(), "output", cfg.Output.Dir, "listen", ln.Addr().String(), "sources", len(cfg.Sources))
	retryCtx, stopRetry := context.WithCancel(ctx)
	defer stopRetry()
	d.retrying.Add(2)
	go func() { defer d.retrying.Done(); d.retryOutputs(retryCtx) }()
	go func() { defer d.retrying.Done(); d.applyRetentionEvery(retryCtx, retentionEvery) }()
	if d.cluster != nil {
		d.retrying.Add(1)
		go func() { defer d.retrying.Done(); d.syncLoop(retryCtx) }()
	}
	if ready != nil {
		ready()
	}
	var failed error
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		failed = fmt.Errorf("serve: %w", err)
	}
	stopRetry()
	return errors.Join(failed, d.shutdown(hs, ln))
}

// httpGrace bounds how long in-flight requests may take at shutdown.
const httpGrace = 5 * time.Second

func (d *Daemon) shutdown(hs *fasthttp.Server, ln net.Listener) error {
	timeout := time.Duration(d.state.Load().cfg.Server.ShutdownTimeout)
	d.logger.Info("shutting down", "timeout", timeout, "running_jobs", d.sched.Running())
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// No new runs start; the running ones get the deadline to finish,
	// and meanwhile readers are still served what is published. Then the
	// server stops accepting and lets its requests finish: it closes a
	// connection that is idle by then and drops a request that starts
	// after that, so it gets a grace of its own rather than what the jobs
	// left of the deadline.
	var errs []error
	if err := d.sched.Stop(ctx); err != nil {
		errs = append(errs, fmt.Errorf("stop jobs: %w", err))
	}
	d.state.Load().collector.Close()
	d.retrying.Wait() // stopped by Run: it returns, or finishes its write
	hctx, hcancel := context.WithTimeout(context.Background(), min(timeout, httpGrace))
	defer hcancel()
	if err := hs.ShutdownWithContext(hctx); err != nil {
		errs = append(errs, fmt.Errorf("stop server: %w", err))
	}
	// fasthttp closes only the listeners Serve has taken: one stopped
	// right after start could otherwise keep Serve accepting.
	ln.Close()
	if err := d.srv.CloseAccessLog(); err != nil {
		errs = append(errs, err)
	}
	pinged := make(chan struct{})
	go func() { d.pinging.Wait(); close(pinged) }()
	select {
	case <-pinged:
	case <-ctx.Done():
		d.logger.Warn("websub pings still in flight at shutdown")
	}
	return errors.Join(errs...)
}

// schedule hands every source of the current configuration to the
// scheduler; a source that has not succeeded within its interval runs
// at start. The sources that old (nil at start) does not have get their
// metrics from the stored status.
func (d *Daemon) schedule(ctx context.Context, old *config.Config) error {
	st := d.state.Load()
	statuses, err := d.store.SourceStatuses(ctx)
	if err != nil {
		return err
	}
	d.knowSources(st.cfg, old, statuses)
	last := map[string]time.Time{}
	d.attemptedMu.Lock()
	for _, s := range statuses {
		last[s.SourceID] = s.LastSuccess
		if !s.LastAttempt.IsZero() {
			d.attempted[s.SourceID] = true
		}
	}
	d.attemptedMu.Unlock()
	jobs := make([]schedule.Job, 0, len(st.cfg.Sources))
	for _, src := range st.cfg.Sources {
		id := src.ID
		jobs = append(jobs, schedule.Job{
			ID: id, Spec: src.Schedule, Location: st.cfg.Location(src), LastSuccess: last[id], Jitter: st.cfg.Jitter(src),
			Run: func(ctx context.Context) { d.runSource(ctx, id) },
		})
	}
	return d.sched.Set(jobs)
}

// runSource collects one source with the configuration current when it
// starts, then publishes what it changed.
func (d *Daemon) runSource(ctx context.Context, id string) {
	st := d.state.Load()
	src, ok := st.cfg.Source(id)
	if !ok {
		return // removed by a reload since it was scheduled
	}
	res, ran := d.collectOnce(ctx, st, src)
	if !ran || !res.Deferred.IsZero() {
		return // another instance collects it, or backing off: nothing was fetched
	}
	d.metrics.ObserveSource(res, d.now())
	// The status page shows every run's status, so something is always
	// published; the feeds only when their categories changed.
	changed := res.Changed
	if changed == nil {
		changed = []string{}
	}
	if err := d.publish(context.WithoutCancel(ctx), changed, true); err != nil {
		d.logger.Error("publish failed", "source", id, "error", err)
	}
	// Only now, with what the run found being served, does it count
	// towards readiness.
	d.attemptedMu.Lock()
	d.attempted[id] = true
	d.attemptedMu.Unlock()
}

// publish renders the changed categories (nil: everything), swaps them
// into the server, writes them to the output folder and, with ping, tells
// the hub about the feeds whose bytes changed and the other instances of
// a cluster that something changed. The first publish after start does
// not ping: it serves what was published before the restart.
//
// In a cluster the outputs may be shared, so the whole publish holds the
// cluster's lock of them, taken before the store is read: of two
// instances publishing one category at once, the one that writes last
// rendered last, from the newer store. Without the lock (the database
// lost) it serves what it rendered and leaves the outputs to a later
// publish, as after a failed write.
func (d *Daemon) publish(ctx context.Context, changed []string, ping bool) error {
	d.publishing.Lock()
	defer d.publishing.Unlock()
	st := d.state.Load()
	unlock, lockErr := d.lockOutputs(ctx, st)
	if unlock != nil {
		defer unlock()
	}
	notices := d.faults.notices() // what the status page's output lines are rendered with
	tree, gone, err := st.publisher.RenderChanged(ctx, changed)
	if err != nil {
		return err
	}
	var paths []string
	if changed == nil {
		paths = d.srv.Update(tree)
	} else {
		paths = d.srv.Patch(tree)
		d.srv.Remove(gone)
	}
	d.recordServed(ctx, paths, changed == nil)
	if ping && (changed == nil || len(changed) > 0) {
		// The others render it from the store now, not after the
		// outputs' fsyncs and uploads.
		d.notify(ctx, changed)
	}
	switch {
	case lockErr != nil:
		d.lockFailed(st, lockErr)
	default:
		d.writeOutputs(ctx, st, tree, changed, gone)
		if changed == nil {
			d.removeGone(ctx, st, tree)
		} else {
			d.removePages(ctx, st, gone)
		}
	}
	d.showFaults(ctx, st, notices)
	if ping {
		d.ping(st, paths)
	}
	if changed == nil {
		// A full publish (start, reload) renders every feed at once:
		// what it no longer needs goes back to the system now rather
		// than over the next minutes.
		debug.FreeOSMemory()
	}
	return nil
}

// ping tells the hub about the feeds among paths, in the background.
func (d *Daemon) ping(st *state, paths []string) {
	if st.pinger == nil {
		return
	}
	var urls []string
	for _, p := range paths {
		if strings.HasPrefix(p, "feeds/") {
			urls = append(urls, st.cfg.Site.BaseURL+p)
		}
	}
	if len(urls) == 0 {
		return
	}
	d.pinging.Add(1)
	go func() {
		defer d.pinging.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		// The pinger logs each failure itself.
		_ = st.pinger.Publish(ctx, urls)
	}()
}
