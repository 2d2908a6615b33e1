// Package sqlite keeps feedsmith's articles, categories, source statuses
// and upstream validators in one SQLite file, through the pure-Go driver
// modernc.org/sqlite (no cgo) in WAL mode.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// pageSize is the page size of a new store file. At SQLite's default,
// 4 KiB, an article row of a few KB of text spills into overflow pages
// of its own, mostly empty, and a save writes twice the pages to the WAL
// and to the file: at 16 KiB most rows fit in their leaf page. Saving
// 10,000 posts like bench/corpus's took 18% less CPU time
// (BenchmarkSaveCorpus: 1.27 s to 1.04 s); 8 KiB saved less, 32 and 64
// KiB no more. A bigger page cache for the writer saved more (0.68 s
// with 8 MB) but cost a cold build ~30 MB more peak memory, a third of
// its budget, and is left at SQLite's default. Editing many stored
// articles costs more with big pages (BenchmarkSaveUpdated, 1,000 edits:
// 46–52 ms to 64–75 ms): a build mostly adds, a refresh mostly finds
// articles unchanged.
const pageSize = 16384

// readConns bounds the reading connections. WAL lets readers run beside
// the one writer; a few cover the HTTP server and the renderers.
const readConns = 4

// Store is an article store in one SQLite file. It is safe for concurrent
// use by several goroutines.
type Store struct {
	// write has a single connection: SQLite admits one writer at a time,
	// and queueing writers in Go is cheaper and surer than SQLITE_BUSY
	// retries. Its transactions begin IMMEDIATE so that a transaction
	// never has to upgrade a read lock, which can fail without waiting.
	write *sql.DB
	// read serves queries; its connections are query-only.
	read *sql.DB

	mu sync.Mutex
	// prepared holds the read queries, each prepared once per connection
	// of read: parsing costs about as much as running them.
	prepared map[string]*sql.Stmt
}

// Open opens the store at path, creating the file and its parent
// directory when missing and migrating an older schema to the current one.
func Open(ctx context.Context, path string) (*Store, error) {
	s, err := open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

func open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	// synchronous(NORMAL) in WAL mode: a commit survives a crash of
	// feedsmith; a power cut may lose the commits since the last
	// checkpoint (SQLite syncs the WAL then), never corrupt the file.
	write, err := sql.Open("sqlite", dsn(path, "_pragma=synchronous(NORMAL)", "_txlock=immediate"))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	// The page size must be set before a new file's first page is
	// written, which setting WAL mode does; the driver runs a DSN's
	// pragmas in alphabetical order, journal_mode first, so both are run
	// here, on the writer's only connection. WAL mode is then kept in the
	// file, for every later connection; the page size of a file made
	// before is kept (changing it takes a VACUUM), and works as it did.
	for _, q := range []string{fmt.Sprintf("PRAGMA page_size = %d", pageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := write.ExecContext(ctx, q); err != nil {
			return nil, errors.Join(err, write.Close())
		}
	}
	if err := migrate(ctx, write); err != nil {
		return nil, errors.Join(err, write.Close())
	}
	read, err := sql.Open("sqlite", dsn(path, "_pragma=query_only(1)"))
	if err != nil {
		return nil, errors.Join(err, write.Close())
	}
	read.SetMaxOpenConns(readConns)
	read.SetMaxIdleConns(readConns)
	if err := read.PingContext(ctx); err != nil {
		return nil, errors.Join(err, read.Close(), write.Close())
	}
	return &Store{write: write, read: read, prepared: map[string]*sql.Stmt{}}, nil
}

// dsn builds a URI filename for path: escaped, so that a '?' or '#' in
// the path is not taken for the start of the parameters.
func dsn(path string, params ...string) string {
	s := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	for _, p := range params {
		s += "&" + p
	}
	return s
}

// readStmt returns query prepared on the read pool.
func (s *Store) readStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.prepared[query]; ok {
		return st, nil
	}
	st, err := s.read.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.prepared[query] = st
	return st, nil
}

// query runs a read query, in tx when it is not nil.
func (s *Store) query(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	st, err := s.readStmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if tx != nil {
		st = tx.StmtContext(ctx, st)
	}
	return st.QueryContext(ctx, args...)
}

// Close closes the store's connections.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, st := range s.prepared {
		errs = append(errs, st.Close())
	}
	return errors.Join(append(errs, s.read.Close(), s.write.Close())...)
}
