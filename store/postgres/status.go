package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// SetSourceStatus replaces the status of st.SourceID, except that a zero
// LastSuccess (a failed run) keeps the last success stored. st.Articles
// is ignored: it is counted when read. LastError is kept as cleanText
// makes it.
func (s *Store) SetSourceStatus(ctx context.Context, st store.SourceStatus) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO source_status (source_id, last_attempt,
		last_success, last_error, new_count, updated_count, unchanged_count)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source_id) DO UPDATE SET
		last_attempt = excluded.last_attempt,
		last_success = CASE WHEN excluded.last_success = '' THEN source_status.last_success
			ELSE excluded.last_success END,
		last_error = excluded.last_error, new_count = excluded.new_count,
		updated_count = excluded.updated_count, unchanged_count = excluded.unchanged_count`,
		st.SourceID, codec.FormatTime(st.LastAttempt), codec.FormatTime(st.LastSuccess), cleanText(st.LastError),
		st.New, st.Updated, st.Unchanged)
	if err != nil {
		return fmt.Errorf("save status of source %s: %w", st.SourceID, err)
	}
	return nil
}

// cleanText makes s storable as PostgreSQL text, which holds neither NUL
// nor bytes that are not UTF-8 (SQLite keeps any): an error message may
// quote what an upstream sent. A valid string comes back as it is.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// SourceStatuses returns the status of every source that has one, sorted
// by source id, with Articles counted: the source's stored articles and
// those it delivered after another source did.
func (s *Store) SourceStatuses(ctx context.Context) ([]store.SourceStatus, error) {
	rows, err := s.pool.Query(ctx, `SELECT s.source_id, s.last_attempt, s.last_success,
		s.last_error, s.new_count, s.updated_count, s.unchanged_count,
		(SELECT COUNT(*) FROM articles a WHERE a.source_id = s.source_id AND NOT a.pruned) +
		(SELECT COUNT(*) FROM article_sources x JOIN articles a
			ON a.source_id = x.canon_source_id AND a.id = x.canon_article_id
			WHERE x.source_id = s.source_id AND NOT a.pruned)
		FROM source_status s ORDER BY s.source_id`)
	if err != nil {
		return nil, fmt.Errorf("read source statuses: %w", err)
	}
	var sts []store.SourceStatus
	var st store.SourceStatus
	var attempt, success string
	_, err = pgx.ForEachRow(rows, []any{&st.SourceID, &attempt, &success, &st.LastError,
		&st.New, &st.Updated, &st.Unchanged, &st.Articles}, func() error {
		var err error
		if st.LastAttempt, err = codec.ParseTime(attempt); err != nil {
			return err
		}
		if st.LastSuccess, err = codec.ParseTime(success); err != nil {
			return err
		}
		sts = append(sts, st)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read source statuses: %w", err)
	}
	return sts, nil
}

// Validators returns the ETag and Last-Modified last received for url,
// "" when none.
func (s *Store) Validators(ctx context.Context, url string) (etag, lastModified string, err error) {
	var e, lm []byte
	err = s.pool.QueryRow(ctx, `SELECT etag, last_modified FROM validators WHERE url = $1`, url).Scan(&e, &lm)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("read validators of %s: %w", url, err)
	}
	return string(e), string(lm), nil
}

// dropEmptyValidators removes url's row when it keeps nothing.
const dropEmptyValidators = `DELETE FROM validators
	WHERE url = $1 AND etag = '' AND last_modified = '' AND body_hash = ''`

// SetValidators keeps the ETag and Last-Modified received for url for
// the next conditional request; two empty values forget them.
func (s *Store) SetValidators(ctx context.Context, url, etag, lastModified string) error {
	b := &pgx.Batch{} // one round trip, in one implicit transaction
	b.Queue(`INSERT INTO validators (url, etag, last_modified)
		VALUES ($1, $2, $3) ON CONFLICT (url) DO UPDATE
		SET etag = excluded.etag, last_modified = excluded.last_modified`, url, []byte(etag), []byte(lastModified))
	b.Queue(dropEmptyValidators, url)
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("save validators of %s: %w", url, err)
	}
	return nil
}

// BodyHash returns the hash last kept for url's body with SetBodyHash,
// "" when none.
func (s *Store) BodyHash(ctx context.Context, url string) (string, error) {
	var h string
	err := s.pool.QueryRow(ctx, `SELECT body_hash FROM validators WHERE url = $1`, url).Scan(&h)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read body hash of %s: %w", url, err)
	}
	return h, nil
}

// SetBodyHash keeps a hash of the body received for url, so that the
// same bytes answered with 200 count as not modified; "" forgets it.
func (s *Store) SetBodyHash(ctx context.Context, url, hash string) error {
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO validators (url, etag, last_modified, body_hash)
		VALUES ($1, '', '', $2) ON CONFLICT (url) DO UPDATE SET body_hash = excluded.body_hash`, url, hash)
	b.Queue(dropEmptyValidators, url)
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("save body hash of %s: %w", url, err)
	}
	return nil
}
