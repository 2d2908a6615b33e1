package daemon

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/feedsmith/feedsmith/cluster"
	"github.com/feedsmith/feedsmith/collect"
	"github.com/feedsmith/feedsmith/config"
)

// Several daemons on one PostgreSQL store form a cluster (package
// cluster): each source is collected by one of them at a time, under a
// lease; the instance that collected a change publishes it (writes the
// outputs, pings the hub) and notifies the others, which render what
// changed from the store to serve it, byte for byte and with the same
// Last-Modified. On SQLite there is no cluster: one daemon does all.

// syncEvery is how often an instance of a cluster re-reads the store's
// change numbers, for the notifications it missed, and renders its
// status page again (other instances' runs change it).
const syncEvery = 5 * time.Second

// defaultLease is store.lease's default.
const defaultLease = 30 * time.Second

// notifyWait bounds a notification, sent while publishing: one lost is
// caught up by the others' periodic re-check.
const notifyWait = 5 * time.Second

// outputsLockWait bounds how long a publish waits for the other
// instances' publishes to the shared outputs (LockOutputs); past it the
// outputs count as failing, and are written whole by a later publish.
const outputsLockWait = 30 * time.Second

// lockOutputs takes the cluster's lock of the shared outputs for a
// publish of st: nil unlock and error without a cluster or outputs.
func (d *Daemon) lockOutputs(ctx context.Context, st *state) (unlock func(), err error) {
	cs := d.cluster
	if cs == nil || len(outputsOf(st)) == 0 {
		return nil, nil
	}
	lctx, cancel := context.WithTimeout(ctx, outputsLockWait)
	defer cancel()
	unlock, err = cs.c.LockOutputs(lctx)
	if err != nil && ctx.Err() == nil {
		cs.reached(err)
	}
	return unlock, err
}

// lockFailed records every output of st as failing because the lock of
// the shared outputs could not be had: nothing was written, and the
// retry loop writes them whole once it can.
func (d *Daemon) lockFailed(st *state, err error) {
	err = fmt.Errorf("not written: %w", err)
	for _, o := range outputsOf(st) {
		d.recordOutput(o.name, o.where, err)
	}
}

// clusterState is the daemon's part of a cluster.
type clusterState struct {
	c *cluster.Cluster
	// seen are the store's change numbers this instance serves; watched
	// the sources whose holders watchHolder watches.
	mu      sync.Mutex
	seen    map[string]int64
	watched map[string]bool
	// poke asks the sync loop to look now (a notification came).
	poke chan struct{}
	// ctx ends when the daemon shuts down: the watchers of other
	// instances' leases run in it.
	ctx context.Context
	// lost is the last error reaching the database, nil when it answers;
	// up is told each outcome (the metrics), when set. held is who held
	// each source's lease at the last look (/readyz lists them).
	lostMu sync.Mutex
	lost   error
	up     func(bool)
	held   map[string]string
}

// instanceID names this instance in the cluster: its host name and
// process id.
func instanceID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "feedsmith"
	}
	return host + "-" + strconv.Itoa(os.Getpid())
}

// openCluster joins the cluster of cfg's PostgreSQL store; nil without
// one.
func (d *Daemon) openCluster(ctx context.Context, cfg *config.Config) error {
	if cfg.Store.URL == "" {
		return nil
	}
	lease := time.Duration(cfg.Store.Lease)
	if lease <= 0 {
		lease = defaultLease // a configuration not loaded from a file
	}
	c, err := cluster.Open(ctx, cfg.Store.URL, instanceID(), lease, d.logger)
	if err != nil {
		return err
	}
	d.cluster = &clusterState{c: c, poke: make(chan struct{}, 1), ctx: ctx, up: d.metrics.SetDatabaseUp}
	d.cluster.reached(nil) // it answered Open
	return nil
}

// collectOnce runs src under its lease when there is a cluster: ran is
// false when another instance holds it, which then collects it; this
// one watches that it finishes, and takes the source over when its
// holder dies (its lease expires before it recorded the run).
func (d *Daemon) collectOnce(ctx context.Context, st *state, src config.Source) (res collect.Result, ran bool) {
	cs := d.cluster
	if cs == nil {
		return st.collector.Run(ctx, src), true
	}
	ran, lease, err := cs.c.Hold(ctx, src.ID, func(ctx context.Context) { res = st.collector.Run(ctx, src) })
	cs.reached(err)
	switch {
	case err != nil:
		if ctx.Err() == nil { // not a shutdown
			d.logger.Error("source not collected: the database cannot be reached", "source", src.ID, "error", err)
		}
		return res, false
	case !ran:
		d.logger.Debug("source collected by another instance", "source", src.ID, "holder", lease.Holder)
		// Not the run's context, which ends with this run: the daemon's.
		go d.watchHolder(cs.ctx, src.ID, lease)
	}
	return res, ran
}

// watchHolder waits for the lease another instance holds on source to
// end. When it ends with the run recorded, the source counts as
// collected here too (readiness); when it expired without (the holder
// died), this instance runs the source itself.
func (d *Daemon) watchHolder(ctx context.Context, source string, lease cluster.Lease) {
	cs := d.cluster
	cs.mu.Lock()
	if cs.watched == nil {
		cs.watched = map[string]bool{}
	}
	if cs.watched[source] {
		cs.mu.Unlock()
		return // one watcher a source
	}
	cs.watched[source] = true
	cs.mu.Unlock()
	unwatch := sync.OnceFunc(func() { cs.mu.Lock(); delete(cs.watched, source); cs.mu.Unlock() })
	defer unwatch()
	for {
		wait := max(time.Until(lease.Expires), 0) + cs.c.TTL/10
		select {
		case <-ctx.Done():
			return
		case <-time.After(min(wait, cs.c.TTL+time.Second)):
		}
		leases, err := cs.c.Leases(ctx)
		cs.reached(err)
		if err != nil {
			continue
		}
		if l, held := leases[source]; held {
			lease = l // renewed: still running
			continue
		}
		break
	}
	statuses, err := d.store.SourceStatuses(ctx)
	if err != nil {
		return
	}
	for _, s := range statuses {
		if s.SourceID == source && !s.LastAttempt.Before(lease.Started.Add(-time.Second)) {
			d.attemptedMu.Lock()
			d.attempted[source] = true
			d.attemptedMu.Unlock()
			return
		}
	}
	d.logger.Warn("taking over a source whose instance stopped holding it before recording its run", "source", source, "holder", lease.Holder)
	unwatch() // the run may find it held again, and watch it anew
	d.runSource(ctx, source)
}

// reached records whether the database answered.
func (cs *clusterState) reached(err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	cs.lostMu.Lock()
	cs.lost = err
	cs.lostMu.Unlock()
	if cs.up != nil {
		cs.up(err == nil)
	}
}

// notice is the status page's line about the database, "" while it
// answers.
func (cs *clusterState) notice() string {
	cs.lostMu.Lock()
	defer cs.lostMu.Unlock()
	if cs.lost == nil {
		return ""
	}
	return "The database cannot be reached: this instance serves the feeds it has, collects nothing and answers /readyz 503 until it can (" +
		strings.ReplaceAll(cs.lost.Error(), "\n", "; ") + ")."
}

// notices are the status page's lines: the failing outputs', and the
// database's in a cluster.
func (d *Daemon) notices() []string {
	lines := d.faults.notices()
	if d.cluster != nil {
		if n := d.cluster.notice(); n != "" {
			lines = append(lines, n)
		}
	}
	return lines
}

// readyDetail is what /readyz lists below its verdict in a cluster: this
// instance's name and who held each source's lease at the last look
// (the status page's, at most syncEvery ago), without asking the
// database, which may be what is lost.
func (d *Daemon) readyDetail() string {
	cs := d.cluster
	if cs == nil {
		return ""
	}
	cs.lostMu.Lock()
	held := cs.held
	cs.lostMu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "instance %s", cs.c.ID)
	for _, s := range slices.Sorted(maps.Keys(held)) {
		fmt.Fprintf(&b, "\nsource %s: held by %s", s, held[s])
	}
	return b.String()
}

// err is why the database is not ready, nil when it answered last.
func (cs *clusterState) err() error {
	cs.lostMu.Lock()
	defer cs.lostMu.Unlock()
	if cs.lost != nil {
		return fmt.Errorf("database cannot be reached: %w", cs.lost)
	}
	return nil
}

// notify tells the other instances that this one saved a change to
// categories (nil: any), once it serves it and has recorded what it
// serves, before it writes the outputs.
func (d *Daemon) notify(ctx context.Context, categories []string) {
	cs := d.cluster
	if cs == nil {
		return
	}
	// The change numbers this instance serves are not moved here: another
	// instance may have saved since this one rendered, and the sync loop
	// renders what moved (this change again, to the same bytes).
	ctx, cancel := context.WithTimeout(ctx, notifyWait)
	defer cancel()
	err := cs.c.Notify(ctx, categories)
	cs.reached(err)
	if err != nil {
		d.logger.Warn("could not notify the other instances; they catch up within seconds", "error", err)
	}
}

// markSeen takes the store's change numbers as served: at start, before
// the first publish renders everything.
func (d *Daemon) markSeen(ctx context.Context) {
	seqs, err := d.store.Changes(ctx)
	if err != nil {
		return
	}
	d.cluster.mu.Lock()
	d.cluster.seen = seqs
	d.cluster.mu.Unlock()
}

// syncLoop keeps this instance serving what the others saved: at every
// notification and every syncEvery it renders the categories whose
// change numbers moved, and the status page.
func (d *Daemon) syncLoop(ctx context.Context) {
	cs := d.cluster
	go cs.c.Listen(ctx, func(cluster.Change) {
		select {
		case cs.poke <- struct{}{}:
		default:
		}
	})
	t := time.NewTicker(syncEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-cs.poke:
		}
		if err := d.syncFromStore(ctx); err != nil && ctx.Err() == nil {
			d.logger.Warn("could not render what another instance saved", "error", err)
		}
	}
}

// syncFromStore renders, to serve only, the categories whose change
// numbers moved since this instance served them, with the Last-Modified
// times the instance that saved them served them with; and the lists.
func (d *Daemon) syncFromStore(ctx context.Context) error {
	cs := d.cluster
	err := cs.c.Ping(ctx)
	cs.reached(err)
	if err != nil {
		return err
	}
	seqs, err := d.store.Changes(ctx)
	if err != nil {
		return err
	}
	cs.mu.Lock()
	var changed []string
	for c, n := range seqs {
		if c != "" && n != cs.seen[c] {
			changed = append(changed, c)
		}
	}
	cs.mu.Unlock()
	slices.Sort(changed)
	if changed == nil {
		changed = []string{} // the lists: the status page follows the others' runs
	}
	d.publishing.Lock()
	defer d.publishing.Unlock()
	if len(changed) > 0 {
		// What the instance that saved the change served, with the
		// Last-Modified of each file.
		served, err := d.store.ServedFiles(ctx)
		if err != nil {
			return err
		}
		d.srv.Remember(served)
	}
	st := d.state.Load()
	tree, gone, err := st.publisher.RenderChanged(ctx, changed)
	if err != nil {
		return err
	}
	d.srv.Patch(tree)
	d.srv.Remove(gone)
	cs.mu.Lock()
	cs.seen = maps.Clone(seqs)
	cs.mu.Unlock()
	return nil
}

// holders returns who holds each source's lease now, for the status
// page; nil without a cluster.
func (d *Daemon) holders(ctx context.Context) map[string]string {
	if d.cluster == nil {
		return nil
	}
	leases, err := d.cluster.c.Leases(ctx)
	d.cluster.reached(err)
	if err != nil {
		return nil
	}
	out := make(map[string]string, len(leases))
	for s, l := range leases {
		out[s] = l.Holder
	}
	d.metrics.SetLeases(d.cluster.c.ID, out)
	d.cluster.lostMu.Lock()
	d.cluster.held = out
	d.cluster.lostMu.Unlock()
	return out
}
