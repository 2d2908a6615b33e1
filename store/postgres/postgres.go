// Package postgres keeps feedsmith's articles, categories, source
// statuses and upstream validators in a PostgreSQL database, with the
// semantics of store/sqlite (both pass store/storetest), for deployments
// that run several instances against one database.
//
// It talks to the server through pgx's own pool (pgxpool) rather than
// pgx's database/sql driver: a save sends its writes as one pgx.Batch, in
// one round trip, and binds []string to text[] directly, where
// database/sql would add a layer and a round trip per statement.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// connectTimeout bounds each connection attempt, unless the URL sets
// connect_timeout.
const connectTimeout = 30 * time.Second

// Store is an article store in one PostgreSQL schema: the first schema
// of the connection's search_path (set it with ?search_path=name in the
// URL). It is safe for concurrent use by several goroutines and by
// several processes.
type Store struct {
	pool *pgxpool.Pool
	// lockKey names the store's writer lock (see lockWrites): one per
	// schema, so that stores in other schemas of the database do not
	// wait for each other.
	lockKey int64
}

// Open connects to the database at connString (a postgres:// URL, or
// anything pgxpool.ParseConfig takes) and migrates the schema to the
// current version. The error names the URL with its password hidden.
func Open(ctx context.Context, connString string) (*Store, error) {
	s, err := open(ctx, connString)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", Redact(connString), err)
	}
	return s, nil
}

func open(ctx context.Context, connString string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, err
	}
	// The store's queries are short, and a planner without statistics
	// yet (a new or freshly filled schema) can cost them high enough to
	// be compiled: JIT then takes 100 ms where the query takes 10. The
	// URL may turn it back on (?jit=on).
	if _, ok := cfg.ConnConfig.RuntimeParams["jit"]; !ok {
		cfg.ConnConfig.RuntimeParams["jit"] = "off"
	}
	// A server that drops the packets would hold a start for the
	// system's TCP timeout, minutes; connect_timeout in the URL wins.
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var schema *string
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		pool.Close()
		return nil, err
	}
	if schema == nil {
		pool.Close()
		return nil, errors.New("no schema of the search_path exists: create it first (CREATE SCHEMA name)")
	}
	s := &Store{pool: pool, lockKey: lockKey(*schema)}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// lockKey is the advisory lock key of the store in schema: a hash of
// its name, so that two stores of one database lock apart.
func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("feedsmith store " + schema))
	return int64(h.Sum64())
}

// lockWrites takes the store's writer lock for the rest of tx. Saves,
// retention and the configured sources are written one at a time, as
// SQLite writes: their change numbers, the first delivery of a link and
// the item limit's counts each read what the one before wrote, and the
// lock keeps that true across processes. Readers never wait for it.
func (s *Store) lockWrites(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, s.lockKey)
	return err
}

// Close closes the store's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// CheckURL reports what pgx finds wrong with connString, without
// connecting: an unknown sslmode, a pool_max_conns that is no number.
// The error does not show the password.
func CheckURL(connString string) error {
	_, err := pgxpool.ParseConfig(connString)
	if err == nil {
		return nil
	}
	// "cannot parse `<redacted URL>`: why": the caller names the URL.
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "cannot parse `"); ok {
		if _, why, ok := strings.Cut(rest, "`: "); ok {
			msg = why
		}
	}
	return errors.New(msg)
}

// Redact returns connString with its password, if any, replaced by
// "xxxxx", in the userinfo or as the password parameter: what may be
// shown in a log or an error. A string that is not a URL is not shown.
func Redact(connString string) string {
	u, err := url.Parse(connString)
	if err != nil || u.Scheme == "" {
		return "(connection string)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
