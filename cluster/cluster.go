// Package cluster coordinates several feedsmith daemons that share one
// PostgreSQL database: a lease per source, so that each source is
// collected by exactly one instance at a time (whichever is free), and a
// notification per saved change, so that every instance serves what any
// of them saved.
//
// Leases are rows of feedsmith_leases, claimed with one INSERT … ON
// CONFLICT … WHERE statement that succeeds only when the row is free,
// expired or already the claimer's, with expiry times from the database's
// clock (instances' clocks may differ). A running collection renews its
// lease every third of the lease period, so a slow run keeps it; a dead
// instance's leases expire within one period, and the next instance to
// try takes them over. Notifications are PostgreSQL's LISTEN/NOTIFY on
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
}

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
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	c := &Cluster{pool: pool, ID: id, TTL: ttl, logger: logger}
	if err := c.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
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

// Close closes the connections; the leases this instance holds expire.
func (c *Cluster) Close() { c.pool.Close() }

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
// it), renews it every third of the period while run runs, cancels run's
// context when the lease is lost (a renewal found another holder, or the
// database could not be reached for a whole period), and releases it
// when run returns.
func (c *Cluster) Hold(ctx context.Context, source string, run func(ctx context.Context)) (ran bool, current Lease, err error) {
	ok, current, err := c.Acquire(ctx, source)
	if err != nil || !ok {
		return false, current, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(max(c.TTL/3, time.Millisecond))
		defer t.Stop()
		last := time.Now()
		for {
			select {
			case <-runCtx.Done():
				return
			case <-t.C:
			}
			held, err := c.Renew(runCtx, source)
			switch {
			case err == nil && held:
				last = time.Now()
			case err == nil:
				c.logger.Warn("lease lost to another instance; the run stops", "source", source)
				cancel()
				return
			case time.Since(last) >= c.TTL:
				c.logger.Warn("lease not renewed for a whole period; the run stops", "source", source, "error", err)
				cancel()
				return
			}
		}
	}()
	run(runCtx)
	cancel()
	<-done
	if err := c.Release(context.WithoutCancel(ctx), source); err != nil {
		c.logger.Warn("could not release a lease; it expires", "source", source, "error", err)
	}
	return true, current, nil
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
