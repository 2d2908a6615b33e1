package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations bring the schema from version i to i+1; the version is kept
// in PRAGMA user_version. Append, never edit a released one.
var migrations = []func(ctx context.Context, tx *sql.Tx) error{
	execAll(
		// Times are kept twice: RFC 3339 text that keeps the source's UTC
		// offset, and unix nanoseconds to sort and filter on. A pruned
		// article stays as a tombstone (pruned = 1, no text, no
		// categories) so that a later fetch does not bring it back.
		`CREATE TABLE articles (
			source_id TEXT NOT NULL,
			id TEXT NOT NULL,
			title TEXT NOT NULL,
			link TEXT NOT NULL,
			author TEXT NOT NULL,
			published TEXT NOT NULL,
			published_unix INTEGER NOT NULL,
			updated TEXT NOT NULL,
			updated_unix INTEGER NOT NULL,
			first_seen TEXT NOT NULL,
			first_seen_unix INTEGER NOT NULL,
			summary TEXT NOT NULL,
			content TEXT NOT NULL,
			tags TEXT NOT NULL,
			image TEXT NOT NULL,
			enclosures TEXT NOT NULL,
			hash TEXT NOT NULL,
			pruned INTEGER NOT NULL DEFAULT 0,
			PRIMARY KEY (source_id, id)
		)`,
		`CREATE INDEX articles_link ON articles (link) WHERE link <> ''`,
		`CREATE INDEX articles_newest ON articles (published_unix DESC, source_id, id) WHERE pruned = 0`,
		// published_unix is copied from the article (it never changes) so
		// that the newest articles of a category come from one index.
		// A row pruned = 1 was dropped by the per-category item limit;
		// it stays so that a re-fetch does not file the article again.
		`CREATE TABLE article_categories (
			source_id TEXT NOT NULL,
			article_id TEXT NOT NULL,
			category TEXT NOT NULL,
			published_unix INTEGER NOT NULL,
			position INTEGER NOT NULL,
			pruned INTEGER NOT NULL DEFAULT 0,
			PRIMARY KEY (source_id, article_id, category),
			FOREIGN KEY (source_id, article_id) REFERENCES articles (source_id, id) ON DELETE CASCADE
		)`,
		`CREATE INDEX article_categories_newest ON article_categories
			(category, published_unix DESC, source_id, article_id) WHERE pruned = 0`,
		// The other sources that delivered an article (same link) first
		// delivered by the source named in canon_source_id.
		`CREATE TABLE article_sources (
			source_id TEXT NOT NULL,
			article_id TEXT NOT NULL,
			canon_source_id TEXT NOT NULL,
			canon_article_id TEXT NOT NULL,
			first_seen TEXT NOT NULL,
			PRIMARY KEY (source_id, article_id),
			FOREIGN KEY (canon_source_id, canon_article_id) REFERENCES articles (source_id, id) ON DELETE CASCADE
		)`,
		`CREATE INDEX article_sources_canon ON article_sources (canon_source_id, canon_article_id)`,
		`CREATE TABLE categories (
			id TEXT PRIMARY KEY,
			title TEXT NOT NULL,
			description TEXT NOT NULL
		)`,
		`CREATE TABLE source_status (
			source_id TEXT PRIMARY KEY,
			last_attempt TEXT NOT NULL,
			last_success TEXT NOT NULL,
			last_error TEXT NOT NULL,
			new_count INTEGER NOT NULL,
			updated_count INTEGER NOT NULL,
			unchanged_count INTEGER NOT NULL
		)`,
		`CREATE TABLE validators (
			url TEXT PRIMARY KEY,
			etag TEXT NOT NULL,
			last_modified TEXT NOT NULL
		)`,
	),
	execAll(
		// Each category row copies its article's updated_unix too, so
		// that a category's latest update comes from an index; and says
		// when it was filed (filed_unix), so that categories list in the
		// order they were filed, position breaking ties within a save.
		// Rows from version 1 keep filed_unix 0: their position already
		// counts in filing order.
		`ALTER TABLE article_categories ADD COLUMN updated_unix INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE article_categories ADD COLUMN filed_unix INTEGER NOT NULL DEFAULT 0`,
		`UPDATE article_categories SET updated_unix = COALESCE((SELECT a.updated_unix FROM articles a
			WHERE a.source_id = article_categories.source_id AND a.id = article_categories.article_id), 0)`,
		`CREATE INDEX article_categories_updated ON article_categories
			(category, updated_unix DESC) WHERE pruned = 0`,
	),
	execAll(
		// full_text = 1: content came from a detail step (the item's own
		// page or record), so the next run need not fetch it again.
		`ALTER TABLE articles ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0`,
	),
	execAll(
		// What a source read from disk, one row per source: a file whose
		// size and mtime are still the ones in stamps is not read again
		// while the source's fingerprint (its configuration and
		// feedsmith's version) stays the same. stamps is a list of
		// (path, size, mtime) records (see codec.EncodeStamps): one read of a
		// row is much faster than 100,000 rows.
		`CREATE TABLE source_files (
			source_id TEXT PRIMARY KEY,
			fingerprint TEXT NOT NULL,
			stamps BLOB NOT NULL
		)`,
		// Each category's feeds change when its seq grows; "" stands
		// for any change at all (the all feed). A writer of the output
		// folder records the seq it rendered in rendered, with a stamp
		// of what it wrote, and skips categories that did not move.
		`CREATE TABLE category_changes (
			category TEXT PRIMARY KEY,
			seq INTEGER NOT NULL
		)`,
		`CREATE TABLE rendered (
			output TEXT NOT NULL,
			category TEXT NOT NULL,
			seq INTEGER NOT NULL,
			stamp TEXT NOT NULL,
			PRIMARY KEY (output, category)
		) WITHOUT ROWID`,
		// The hash of the last document body whose articles were all
		// saved: an upstream that answers 200 with the same bytes is
		// treated as not modified.
		`ALTER TABLE validators ADD COLUMN body_hash TEXT NOT NULL DEFAULT ''`,
		// Counting a source's live articles reads this index, not the
		// articles' text.
		`CREATE INDEX articles_live ON articles (source_id) WHERE pruned = 0`,
	),
	execAll(
		// The articles of a source whose detail the last run could not
		// fetch, with their listing data (an article.Article as JSON) and
		// their detail URL: the next run retries them from here even
		// when the listing answers 304. position keeps the listing's order;
		// attempts counts the failed fetches and first_failed (unix
		// nanoseconds) dates the first, so that a detail that keeps
		// failing is given up.
		`CREATE TABLE pending_details (
			source_id TEXT NOT NULL,
			article_id TEXT NOT NULL,
			position INTEGER NOT NULL,
			url TEXT NOT NULL,
			base_url TEXT NOT NULL,
			listing TEXT NOT NULL,
			attempts INTEGER NOT NULL DEFAULT 1,
			first_failed INTEGER NOT NULL DEFAULT 0,
			PRIMARY KEY (source_id, article_id)
		) WITHOUT ROWID`,
	),
	execAll(
		// via: the URL of the original a mirrored article credits.
		`ALTER TABLE articles ADD COLUMN via TEXT NOT NULL DEFAULT ''`,
	),
	execAll(
		// The sources with stored articles that the configuration no
		// longer has (SetActiveSources): their articles stay, history
		// and all, but are not read back unless a configured source
		// delivered them too. A source not listed is configured, so a
		// new one needs no row and an empty table changes nothing.
		`CREATE TABLE inactive_sources (
			source_id TEXT PRIMARY KEY
		) WITHOUT ROWID`,
	),
	execAll(
		// What the daemon serves, one row per tree path: the SHA-256 of
		// the bytes (hex) and when they last changed (unix nanoseconds),
		// so that Last-Modified outlives a restart.
		`CREATE TABLE served_files (
			path TEXT PRIMARY KEY,
			sum TEXT NOT NULL,
			modified_unix INTEGER NOT NULL
		) WITHOUT ROWID`,
		// Which sources feed a category is read by a skip scan of this
		// index: one seek per (category, source) pair, not one step per
		// article.
		`CREATE INDEX article_categories_sources ON article_categories
			(category, source_id) WHERE pruned = 0`,
	),
	execAll(
		// Who filed each category row: the source whose delivery put the
		// article there (its category, a templated or derived one, a
		// name in its posts, a rule), which may be a later deliverer
		// (article_sources) of the row's article. A filing shows only
		// while its filer is configured. Rows before this version were
		// made by whichever source came first; they go to the row's
		// (canonical) source.
		`ALTER TABLE article_categories ADD COLUMN filed_by TEXT NOT NULL DEFAULT ''`,
		`UPDATE article_categories SET filed_by = source_id`,
		// The other sources that filed an article into a category it
		// already had: one row per filer but the row's own filed_by.
		// A side table, as article_sources is for articles, rather than
		// filed_by in article_categories' key: then an article filed in
		// one category by two sources would have two rows, and every
		// read of a category (the feeds, the counts, the item limit)
		// would have to collapse them, removed sources or not; this way
		// only a query over a removed source's filings reads it, and
		// only for the rows of removed filers.
		`CREATE TABLE article_category_filers (
			source_id TEXT NOT NULL,
			article_id TEXT NOT NULL,
			category TEXT NOT NULL,
			filed_by TEXT NOT NULL,
			PRIMARY KEY (source_id, article_id, category, filed_by),
			FOREIGN KEY (source_id, article_id, category)
				REFERENCES article_categories (source_id, article_id, category) ON DELETE CASCADE
		) WITHOUT ROWID`,
		// A row from before may have been filed by a later deliverer: one
		// that had delivered the article by the time the row was filed
		// (at millisecond precision, rounded so as to count it in) is
		// taken for a filer too, which is what such rows meant until now.
		// A row from version 1 (filed_unix 0) has no time to tell by.
		`INSERT INTO article_category_filers (source_id, article_id, category, filed_by)
			SELECT c.source_id, c.article_id, c.category, x.source_id
			FROM article_categories c JOIN article_sources x
				ON x.canon_source_id = c.source_id AND x.canon_article_id = c.article_id
			WHERE x.source_id <> c.source_id AND (c.filed_unix = 0
				OR c.filed_unix >= CAST(unixepoch(x.first_seen, 'subsec') * 1000 AS INTEGER) * 1000000)
			ON CONFLICT DO NOTHING`,
		// Which sources file into a category is read by a skip scan of
		// this index, as article_categories_sources was by source; it
		// also covers the counts of Categories and the item limit's
		// check, with or without removed sources.
		`DROP INDEX article_categories_sources`,
		`CREATE INDEX article_categories_filers ON article_categories
			(category, filed_by, source_id, article_id) WHERE pruned = 0`,
	),
	execAll(
		// How many articles retention took out of each category: the
		// site's numbered category pages count from the oldest article a
		// category ever had, so that dropping old ones renumbers none.
		`CREATE TABLE category_dropped (
			category TEXT PRIMARY KEY,
			n INTEGER NOT NULL
		)`,
	),
	execAll(
		// What feedsmith last uploaded to an object store output (its
		// location: endpoint, bucket and prefix), one row per tree path:
		// the uploader's hex SHA-256 of the object (its bytes and the
		// headers sent with them). A file whose sum is unchanged is not
		// uploaded again, and only the paths listed here are ever
		// deleted from the bucket.
		`CREATE TABLE uploaded_files (
			output TEXT NOT NULL,
			path TEXT NOT NULL,
			sum TEXT NOT NULL,
			PRIMARY KEY (output, path)
		) WITHOUT ROWID`,
	),
}

// execAll returns a migration that executes stmts in order.
func execAll(stmts ...string) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}
}

// migrate applies the missing migrations, each in its own transaction
// together with the version bump. The version is read inside the
// (immediate) transaction, so two processes opening one new file at once
// do not both apply a step.
func migrate(ctx context.Context, db *sql.DB) error {
	for {
		done, err := migrateStep(ctx, db)
		if err != nil || done {
			return err
		}
	}
}

func migrateStep(ctx context.Context, db *sql.DB) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
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
	// PRAGMA takes no bound parameters; version is an int.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version+1)); err != nil {
		return false, fmt.Errorf("set schema version %d: %w", version+1, err)
	}
	return false, tx.Commit()
}
