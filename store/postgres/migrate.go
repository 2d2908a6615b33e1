package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// migrations bring the schema from version i to i+1; the version is kept
// in schema_version. Append, never edit a released one.
//
// Version 1 is store/sqlite's schema at its version 9, in PostgreSQL's
// types: the columns that sort or are compared (ids, links, categories)
// are COLLATE "C", which orders by bytes as SQLite does, whatever the
// database's locale, so that both stores list articles alike; pruned and
// full_text are booleans.
var migrations = []func(ctx context.Context, tx pgx.Tx) error{
	execAll(
		// Times are kept twice: RFC 3339 text that keeps the source's UTC
		// offset, and unix nanoseconds to sort and filter on. A pruned
		// article stays as a tombstone (pruned, no text, no categories)
		// so that a later fetch does not bring it back. full_text: the
		// content came from a detail step. via: the URL of the original
		// a mirrored article credits.
		`CREATE TABLE articles (
			source_id text COLLATE "C" NOT NULL,
			id text COLLATE "C" NOT NULL,
			title text NOT NULL,
			link text COLLATE "C" NOT NULL,
			via text NOT NULL,
			author text NOT NULL,
			published text NOT NULL,
			published_unix bigint NOT NULL,
			updated text NOT NULL,
			updated_unix bigint NOT NULL,
			first_seen text NOT NULL,
			first_seen_unix bigint NOT NULL,
			summary text NOT NULL,
			content text NOT NULL,
			tags text NOT NULL,
			image text NOT NULL,
			enclosures text NOT NULL,
			hash text NOT NULL,
			full_text boolean NOT NULL DEFAULT false,
			pruned boolean NOT NULL DEFAULT false,
			PRIMARY KEY (source_id, id)
		)`,
		`CREATE INDEX articles_link ON articles (link) WHERE link <> ''`,
		`CREATE INDEX articles_newest ON articles (published_unix DESC, source_id, id) WHERE NOT pruned`,
		`CREATE INDEX articles_live ON articles (source_id) WHERE NOT pruned`,
		// published_unix and updated_unix are copied from the article so
		// that the newest articles of a category, and its latest update,
		// come from one index. A pruned row was dropped by the item limit;
		// it stays so that a re-fetch does not file the article again.
		// filed_unix and position order an article's categories; filed_by
		// is the source whose delivery filed it (see store/sqlite).
		// Unlike SQLite's, the rows name their article without a foreign
		// key: PostgreSQL checks one with a query per row, 40% of the time
		// of saving new articles, and here it would never act (articles
		// are never deleted, only made tombstones) nor catch anything that
		// Save, which files only the articles it read or inserted under the
		// writer lock, does not rule out.
		`CREATE TABLE article_categories (
			source_id text COLLATE "C" NOT NULL,
			article_id text COLLATE "C" NOT NULL,
			category text COLLATE "C" NOT NULL,
			published_unix bigint NOT NULL,
			updated_unix bigint NOT NULL,
			filed_unix bigint NOT NULL,
			position integer NOT NULL,
			filed_by text COLLATE "C" NOT NULL,
			pruned boolean NOT NULL DEFAULT false,
			PRIMARY KEY (source_id, article_id, category)
		)`,
		`CREATE INDEX article_categories_newest ON article_categories
			(category, published_unix DESC, source_id, article_id) WHERE NOT pruned`,
		`CREATE INDEX article_categories_updated ON article_categories
			(category, updated_unix DESC) WHERE NOT pruned`,
		`CREATE INDEX article_categories_filers ON article_categories
			(category, filed_by, source_id, article_id) WHERE NOT pruned`,
		// The other sources that filed an article into a category it
		// already had: one row per filer but the row's own filed_by. Few
		// rows, and the foreign key removes them with their category row
		// (Prune).
		`CREATE TABLE article_category_filers (
			source_id text COLLATE "C" NOT NULL,
			article_id text COLLATE "C" NOT NULL,
			category text COLLATE "C" NOT NULL,
			filed_by text COLLATE "C" NOT NULL,
			PRIMARY KEY (source_id, article_id, category, filed_by),
			FOREIGN KEY (source_id, article_id, category)
				REFERENCES article_categories (source_id, article_id, category) ON DELETE CASCADE
		)`,
		// The other sources that delivered an article (same link) first
		// delivered by the source named in canon_source_id.
		`CREATE TABLE article_sources (
			source_id text COLLATE "C" NOT NULL,
			article_id text COLLATE "C" NOT NULL,
			canon_source_id text COLLATE "C" NOT NULL,
			canon_article_id text COLLATE "C" NOT NULL,
			first_seen text NOT NULL,
			PRIMARY KEY (source_id, article_id),
			FOREIGN KEY (canon_source_id, canon_article_id) REFERENCES articles (source_id, id) ON DELETE CASCADE
		)`,
		`CREATE INDEX article_sources_canon ON article_sources (canon_source_id, canon_article_id)`,
		`CREATE TABLE categories (
			id text COLLATE "C" PRIMARY KEY,
			title text NOT NULL,
			description text NOT NULL
		)`,
		// last_error is cleaned of what text cannot hold (see cleanText).
		`CREATE TABLE source_status (
			source_id text COLLATE "C" PRIMARY KEY,
			last_attempt text NOT NULL,
			last_success text NOT NULL,
			last_error text NOT NULL,
			new_count integer NOT NULL,
			updated_count integer NOT NULL,
			unchanged_count integer NOT NULL
		)`,
		// The validators are the header values as received: bytes, since
		// HTTP lets them hold bytes that are not UTF-8. body_hash: the
		// hash of the last body whose articles were all saved.
		`CREATE TABLE validators (
			url text COLLATE "C" PRIMARY KEY,
			etag bytea NOT NULL,
			last_modified bytea NOT NULL,
			body_hash text NOT NULL DEFAULT ''
		)`,
		// What a source read from disk: stamps is codec.EncodeStamps's
		// list of (path, size, mtime).
		`CREATE TABLE source_files (
			source_id text COLLATE "C" PRIMARY KEY,
			fingerprint text NOT NULL,
			stamps bytea NOT NULL
		)`,
		// Each category's change number; "" stands for any change.
		`CREATE TABLE category_changes (
			category text COLLATE "C" PRIMARY KEY,
			seq bigint NOT NULL
		)`,
		`CREATE TABLE rendered (
			output text COLLATE "C" NOT NULL,
			category text COLLATE "C" NOT NULL,
			seq bigint NOT NULL,
			stamp text NOT NULL,
			PRIMARY KEY (output, category)
		)`,
		// listing is an article.Article as JSON; first_failed is unix
		// nanoseconds, 0 for unknown.
		`CREATE TABLE pending_details (
			source_id text COLLATE "C" NOT NULL,
			article_id text COLLATE "C" NOT NULL,
			position integer NOT NULL,
			url text NOT NULL,
			base_url text NOT NULL,
			listing text NOT NULL,
			attempts integer NOT NULL DEFAULT 1,
			first_failed bigint NOT NULL DEFAULT 0,
			PRIMARY KEY (source_id, article_id)
		)`,
		// The sources with stored articles that the configuration no
		// longer has (SetActiveSources).
		`CREATE TABLE inactive_sources (
			source_id text COLLATE "C" PRIMARY KEY
		)`,
		// What the daemon serves, one row per tree path.
		`CREATE TABLE served_files (
			path text COLLATE "C" PRIMARY KEY,
			sum text NOT NULL,
			modified_unix bigint NOT NULL
		)`,
	),
	execAll(
		// How many articles retention took out of each category (see
		// store/sqlite): the site's numbered pages count from the oldest.
		`CREATE TABLE category_dropped (
			category text COLLATE "C" PRIMARY KEY,
			n bigint NOT NULL
		)`,
		// What was last uploaded to an object store output, by tree path
		// (see store/sqlite).
		`CREATE TABLE uploaded_files (
			output text COLLATE "C" NOT NULL,
			path text COLLATE "C" NOT NULL,
			sum text NOT NULL,
			PRIMARY KEY (output, path)
		)`,
	),
}

// execAll returns a migration that executes stmts in order.
func execAll(stmts ...string) func(ctx context.Context, tx pgx.Tx) error {
	return func(ctx context.Context, tx pgx.Tx) error {
		for _, q := range stmts {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}
}

// migrate applies the missing migrations, each in its own transaction
// together with the version bump. Each transaction takes the writer lock
// before it reads the version, so two instances starting at once on a
// new schema do not both apply a step: the second waits, then finds the
// schema current.
func (s *Store) migrate(ctx context.Context) error {
	for {
		done, err := s.migrateStep(ctx)
		if err != nil || done {
			return err
		}
	}
}

func (s *Store) migrateStep(ctx context.Context) (done bool, err error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := s.lockWrites(ctx, tx); err != nil {
		return false, fmt.Errorf("lock the schema: %w", err)
	}
	version, err := readVersion(ctx, tx)
	if err != nil {
		return false, err
	}
	switch {
	case version == len(migrations):
		return true, nil
	case version > len(migrations):
		return false, fmt.Errorf("schema version %d is newer than this program's %d", version, len(migrations))
	}
	if err := migrations[version](ctx, tx); err != nil {
		return false, fmt.Errorf("migrate schema to version %d: %w", version+1, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE schema_version SET version = $1`, version+1); err != nil {
		return false, fmt.Errorf("set schema version %d: %w", version+1, err)
	}
	return false, tx.Commit(ctx)
}

// readVersion returns the schema's version, creating the table that
// keeps it (at version 0) in a new schema. It looks for the table in the
// store's own schema only: another schema of the search_path may hold
// one of its own.
func readVersion(ctx context.Context, tx pgx.Tx) (int, error) {
	var exists bool
	err := tx.QueryRow(ctx, `SELECT to_regclass(quote_ident(current_schema()) || '.schema_version') IS NOT NULL`).Scan(&exists)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if !exists {
		_, err := tx.Exec(ctx, `CREATE TABLE schema_version (version integer NOT NULL);
			INSERT INTO schema_version VALUES (0)`)
		if err != nil {
			return 0, fmt.Errorf("create the schema version table: %w", err)
		}
		return 0, nil
	}
	var version int
	if err := tx.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&version); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return version, nil
}
