// Package cluster coordinates several feedsmith daemons that share one
// PostgreSQL database: a lease per source, so that each source is
// collected by exactly one instance at a time (whichever is free), and a
// notification per saved change, so that every instance serves what any
// of them saved.
//
// Leases are rows of feedsmith_leases, claimed with one INSERT … ON
// CONFLICT … WHERE statement that succeeds only when the row is free,
// expired or already the claimer's, with expiry times from the database's
// clock (instances' clocks may differ). One loop per instance renews all
// the leases its running collections hold, in one statement every sixth
// of the lease period on a connection of its own, so a slow run keeps its
// lease; a run whose lease was not renewed by a statement sent less than
// two thirds of a period ago is cancelled, a third of a period before
// the lease can expire. A dead instance's leases expire within one
// period, and the next instance to try takes them over. Writes to the
// outputs the instances share are serialized by an advisory lock
// (LockOutputs). Notifications are PostgreSQL's LISTEN/NOTIFY on
// one channel; an instance that misses some (a dropped connection)
// catches up from the store's change numbers, which it re-checks
// periodically anyway.
package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Channel is the notification channel of saved changes.
const Channel = "feedsmith_changes"

// Cluster is one instance's membership of the cluster.
type Cluster struct {
	pool *pgxpool.Pool
	// ID names this instance in leases, notifications and the status
	// page: host name and process id, unique among live instances.
	ID string
	// TTL is the lease period.
	TTL    time.Duration
	logger *slog.Logger
	// renewPool is the renewal loop's own connection, so that renewals
	// never wait for one behind collections, publishes and page renders.
	renewPool *pgxpool.Pool
	// held are the leases of the runs in progress (Hold), by source.
	heldMu sync.Mutex
	held   map[string]*held
	stop   context.CancelFunc // ends the renewal loop
	done   chan struct{}      // closed when it ended
}

// held is one run's lease as the renewal loop keeps it.
type held struct {
	// sent is when the statement that last claimed or extended the lease
	// was sent: the lease runs until at least sent + TTL by the
	// database's clock, whatever the reply's delay.
	sent time.Time
	// taken is set when a renewal found another holder.
	taken bool
	// changed is poked when the loop updates sent or taken.
	changed chan struct{}
}

// poolConns is the size of the pool for everything but renewals: the
// runs' claims and releases, the lease listings, notifications and one
// held through every publish by LockOutputs.
const poolConns = 8

// Open connects to the database of connString (a postgres:// URL; its
// search_path selects the schema, as for the store) as instance id, with
// leases of ttl, and creates the lease table when it is missing.
func Open(ctx context.Context, connString, id string, ttl time.Duration, logger *slog.Logger) (*Cluster, error) {
	if ttl <= 0 {
		return nil, errors.New("cluster: the lease period must be positive")
	}
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	renewCfg := cfg.Copy()
	cfg.MaxConns = poolConns
	renewCfg.MaxConns = 1 // one statement at a time, for every lease
	// The server gives up a renewal too when its deadline passes (one
	// waiting for a row lock, say), rather than extending the lease
	// after this instance judged it lost.
	renewCfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(max(ttl/3, time.Millisecond).Milliseconds(), 10)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	renewPool, err := pgxpool.NewWithConfig(ctx, renewCfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("cluster: %w", err)
	}
	c := &Cluster{pool: pool, renewPool: renewPool, ID: id, TTL: ttl, logger: logger, held: map[string]*held{}}
	if err := c.migrate(ctx); err != nil {
		pool.Close()
		renewPool.Close()
		return nil, err
	}
	loopCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	c.stop, c.done = stop, make(chan struct{})
	go func() { defer close(c.done); c.renewLoop(loopCtx) }()
	return c, nil
}

// lockKey is the advisory lock taken around creating the table, so that
// two instances starting at once do not both try.
const lockKey = 0x6665656473 // "feeds"

func (c *Cluster) migrate(ctx context.Context) error {
	conn, err := c.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockKey); err != nil {
		return fmt.Errorf("cluster: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockKey)
	_, err = conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS feedsmith_leases (
		source_id TEXT PRIMARY KEY,
		holder TEXT NOT NULL,
		started TIMESTAMPTZ NOT NULL,
		expires TIMESTAMPTZ NOT NULL
	)`)
	if err != nil {
		return fmt.Errorf("cluster: create the lease table: %w", err)
	}
	return nil
}

// Close stops renewing and closes the connections; the leases this
// instance holds expire.
func (c *Cluster) Close() {
	c.stop()
	<-c.done
	c.renewPool.Close()
	c.pool.Close()
}

// Ping checks that the database answers.
func (c *Cluster) Ping(ctx context.Context) error { return c.pool.Ping(ctx) }

// Lease is who holds a source, until when.
type Lease struct {
	Source, Holder   string
	Started, Expires time.Time
}

// Acquire claims source's lease for this instance: it succeeds when no
// one holds it or its holder's lease expired; not when it is held, by
// this instance too (one run at a time: Renew extends a lease). Otherwise
// it returns the current holder's lease.
func (c *Cluster) Acquire(ctx context.Context, source string) (ok bool, current Lease, err error) {
	current = Lease{Source: source}
	err = c.pool.QueryRow(ctx, `INSERT INTO feedsmith_leases (source_id, holder, started, expires)
		VALUES ($1, $2, now(), now() + $3 * interval '1 microsecond')
		ON CONFLICT (source_id) DO UPDATE SET holder = excluded.holder, started = excluded.started, expires = excluded.expires
		WHERE feedsmith_leases.expires < now()
		RETURNING holder, started, expires`, source, c.ID, c.TTL.Microseconds()).Scan(&current.Holder, &current.Started, &current.Expires)
	switch {
	case err == nil:
		return true, current, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return false, current, fmt.Errorf("cluster: lease %s: %w", source, err)
	}
	err = c.pool.QueryRow(ctx, `SELECT holder, started, expires FROM feedsmith_leases WHERE source_id = $1`, source).
		Scan(&current.Holder, &current.Started, &current.Expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return c.Acquire(ctx, source) // released between the two statements
	}
	if err != nil {
		return false, current, fmt.Errorf("cluster: lease %s: %w", source, err)
	}
	return false, current, nil
}

// Renew extends this instance's lease of source by a period; it reports
// false when the lease is no longer this instance's (it expired and
// another took it).
func (c *Cluster) Renew(ctx context.Context, source string) (bool, error) {
	tag, err := c.pool.Exec(ctx, `UPDATE feedsmith_leases SET expires = now() + $3 * interval '1 microsecond'
		WHERE source_id = $1 AND holder = $2`, source, c.ID, c.TTL.Microseconds())
	if err != nil {
		return false, fmt.Errorf("cluster: renew the lease of %s: %w", source, err)
	}
	return tag.RowsAffected() == 1, nil
}

// Release gives up this instance's lease of source.
func (c *Cluster) Release(ctx context.Context, source string) error {
	if _, err := c.pool.Exec(ctx, `DELETE FROM feedsmith_leases WHERE source_id = $1 AND holder = $2`, source, c.ID); err != nil {
		return fmt.Errorf("cluster: release the lease of %s: %w", source, err)
	}
	return nil
}

// Hold runs run for source while holding its lease: it claims the lease
// (returning false, with the holder's lease, when another instance holds
// it), has the renewal loop renew it while run runs, cancels run's
// context when the lease is lost (a renewal found another holder, or no
// renewal sent within two thirds of a period succeeded: the lease may
// expire a third of a period later), and releases it when run returns.
func (c *Cluster) Hold(ctx context.Context, source string, run func(ctx context.Context)) (ran bool, current Lease, err error) {
	sent := time.Now()
	ok, current, err := c.Acquire(ctx, source)
	if err != nil || !ok {
		return false, current, err
	}
	h := &held{sent: sent, changed: make(chan struct{}, 1)}
	c.heldMu.Lock()
	c.held[source] = h
	c.heldMu.Unlock()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); c.watch(runCtx, cancel, source, h) }()
	run(runCtx)
	cancel()
	<-done
	c.heldMu.Lock()
	delete(c.held, source)
	c.heldMu.Unlock()
	if err := c.Release(context.WithoutCancel(ctx), source); err != nil {
		c.logger.Warn("could not release a lease; it expires", "source", source, "error", err)
	}
	return true, current, nil
}

// lostAfter is how long after the last successful claim or renewal was
// sent a lease counts as lost: a third of a period before it can expire,
// for the cancelled run to stop.
func (c *Cluster) lostAfter() time.Duration { return c.TTL * 2 / 3 }

// watch cancels a run whose lease h is lost, until ctx is done.
func (c *Cluster) watch(ctx context.Context, cancel context.CancelFunc, source string, h *held) {
	for {
		c.heldMu.Lock()
		sent, taken := h.sent, h.taken
		c.heldMu.Unlock()
		left := time.Until(sent.Add(c.lostAfter()))
		switch {
		case taken:
			c.logger.Warn("lease lost to another instance; the run stops", "source", source)
			cancel()
			return
		case left <= 0:
			c.logger.Warn("lease not renewed for two thirds of a period; the run stops", "source", source, "renewed", sent)
			cancel()
			return
		}
		t := time.NewTimer(left)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-h.changed:
		case <-t.C:
		}
		t.Stop()
	}
}

// renewEvery is how often the renewal loop renews: a sixth of a period,
// so that a renewal that timed out (after a third) is followed by
// another before the lease counts as lost.
func (c *Cluster) renewEvery() time.Duration { return max(c.TTL/6, time.Millisecond) }

// renewLoop renews the held leases every renewEvery until ctx is done.
func (c *Cluster) renewLoop(ctx context.Context) {
	t := time.NewTicker(c.renewEvery())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := c.renewHeld(ctx); err != nil && ctx.Err() == nil {
			c.logger.Warn("could not renew the leases", "error", err)
		}
	}
}

// renewHeld extends every held lease in one statement, with a deadline
// of a third of a period, and records for each the time it was sent, or
// that another instance holds it now.
func (c *Cluster) renewHeld(ctx context.Context) error {
	c.heldMu.Lock()
	batch := make(map[string]*held, len(c.held))
	sources := make([]string, 0, len(c.held))
	for s, h := range c.held {
		batch[s] = h
		sources = append(sources, s)
	}
	c.heldMu.Unlock()
	if len(sources) == 0 {
		return nil
	}
	sent := time.Now()
	rctx, cancel := context.WithTimeout(ctx, max(c.TTL/3, time.Millisecond))
	defer cancel()
	rows, err := c.renewPool.Query(rctx, `UPDATE feedsmith_leases SET expires = now() + $3 * interval '1 microsecond'
		WHERE source_id = ANY($1) AND holder = $2 RETURNING source_id`, sources, c.ID, c.TTL.Microseconds())
	var renewed []string
	if err == nil {
		renewed, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		return fmt.Errorf("cluster: renew %d leases: %w", len(sources), err)
	}
	still := make(map[string]bool, len(renewed))
	for _, s := range renewed {
		still[s] = true
	}
	c.heldMu.Lock()
	defer c.heldMu.Unlock()
	for s, h := range batch {
		if c.held[s] != h {
			continue // released meanwhile (and maybe claimed again)
		}
		if still[s] {
			h.sent = sent
		} else {
			h.taken = true
		}
		select {
		case h.changed <- struct{}{}:
		default:
		}
	}
	return nil
}

// Leases returns every lease held now (not expired), by source.
func (c *Cluster) Leases(ctx context.Context) (map[string]Lease, error) {
	rows, err := c.pool.Query(ctx, `SELECT source_id, holder, started, expires FROM feedsmith_leases WHERE expires >= now()`)
	if err != nil {
		return nil, fmt.Errorf("cluster: read the leases: %w", err)
	}
	leases, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Lease, error) {
		var l Lease
		err := r.Scan(&l.Source, &l.Holder, &l.Started, &l.Expires)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("cluster: read the leases: %w", err)
	}
	out := make(map[string]Lease, len(leases))
	for _, l := range leases {
		out[l.Source] = l
	}
	return out, nil
}

// Change is what a notification says: which instance saved a change to
// which categories (nil: anything may have changed).
type Change struct {
	From       string   `json:"from"`
	Categories []string `json:"categories"`
}

// Notify tells every instance that this one saved a change to
// categories.
func (c *Cluster) Notify(ctx context.Context, categories []string) error {
	b, err := json.Marshal(Change{From: c.ID, Categories: categories})
	if err != nil {
		return err
	}
	if len(b) > 7000 { // NOTIFY payloads are limited to 8000 bytes
		b, _ = json.Marshal(Change{From: c.ID})
	}
	if _, err := c.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, Channel, string(b)); err != nil {
		return fmt.Errorf("cluster: notify: %w", err)
	}
	return nil
}

// Listen calls fn for every change another instance notifies, until ctx
// is done, on a connection of its own. When the connection drops it
// reconnects (waiting up to a few seconds between tries) and calls fn
// with a Change of nil categories, since notifications sent meanwhile are
// lost: the caller re-checks everything.
func (c *Cluster) Listen(ctx context.Context, fn func(Change)) {
	wait := 100 * time.Millisecond
	for first := true; ctx.Err() == nil; first = false {
		err := c.listen(ctx, fn, !first)
		if ctx.Err() != nil {
			return
		}
		c.logger.Warn("change notifications interrupted; listening again", "error", err, "in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func (c *Cluster) listen(ctx context.Context, fn func(Change), resumed bool) error {
	// A connection of its own, not the pool's: it waits for as long as
	// the instance runs, and is closed rather than reused after an error.
	conn, err := pgx.ConnectConfig(ctx, c.pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return err
	}
	if resumed {
		fn(Change{})
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var ch Change
		if err := json.Unmarshal([]byte(n.Payload), &ch); err != nil {
			c.logger.Warn("a change notification that is not feedsmith's", "payload", n.Payload)
			continue
		}
		if ch.From != c.ID {
			fn(ch)
		}
	}
}

// outputsKey is the first key of the advisory lock of the shared outputs;
// the second is a hash of the schema, so that clusters on other schemas
// of one database do not wait for each other. (The two-key form never
// meets the one-key locks of migrations and of the store's writes.)
const outputsKey = 0x6f757470 // "outp"

// LockOutputs waits for the cluster-wide lock of the outputs the
// instances share (output.dir, the bucket), at most until ctx is done,
// and returns the function that releases it. An instance holds it from
// before it reads the store to render a publish until it has written the
// result, so that whichever instance writes last wrote the newest state.
// The lock is PostgreSQL's session-level advisory lock on a connection
// kept for the duration: if the instance dies or loses the connection,
// the server releases it.
func (c *Cluster) LockOutputs(ctx context.Context) (unlock func(), err error) {
	conn, err := c.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("cluster: lock the outputs: %w", err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, hashtext(current_schema()))`, outputsKey); err != nil {
		// A query cancelled by ctx leaves the connection closed (pgx),
		// with it any lock granted meanwhile.
		conn.Release()
		return nil, fmt.Errorf("cluster: lock the outputs: %w", err)
	}
	return func() {
		uctx, cancel := context.WithTimeout(context.Background(), max(c.TTL/3, time.Second))
		defer cancel()
		var released bool
		err := conn.QueryRow(uctx, `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, outputsKey).Scan(&released)
		if err != nil || !released {
			// Closing the session is what releases the lock for sure.
			c.logger.Warn("could not release the outputs lock; closing its connection", "error", err)
			conn.Conn().Close(uctx)
		}
		conn.Release()
	}, nil
}
