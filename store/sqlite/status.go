package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// SetSourceStatus replaces the status of st.SourceID, except that a zero
// LastSuccess (a failed run) keeps the last success stored. st.Articles
// is ignored: it is counted when read.
func (s *Store) SetSourceStatus(ctx context.Context, st store.SourceStatus) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO source_status (source_id, last_attempt,
		last_success, last_error, new_count, updated_count, unchanged_count)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET
		last_attempt = excluded.last_attempt,
		last_success = CASE WHEN excluded.last_success = '' THEN source_status.last_success
			ELSE excluded.last_success END,
		last_error = excluded.last_error, new_count = excluded.new_count,
		updated_count = excluded.updated_count, unchanged_count = excluded.unchanged_count`,
		st.SourceID, codec.FormatTime(st.LastAttempt), codec.FormatTime(st.LastSuccess), st.LastError,
		st.New, st.Updated, st.Unchanged)
	if err != nil {
		return fmt.Errorf("save status of source %s: %w", st.SourceID, err)
	}
	return nil
}

// SourceStatuses returns the status of every source that has one, sorted
// by source id, with Articles counted: the source's stored articles and
// those it delivered after another source did.
func (s *Store) SourceStatuses(ctx context.Context) ([]store.SourceStatus, error) {
	rows, err := s.query(ctx, nil, `SELECT s.source_id, s.last_attempt, s.last_success,
		s.last_error, s.new_count, s.updated_count, s.unchanged_count,
		(SELECT COUNT(*) FROM articles a WHERE a.source_id = s.source_id AND a.pruned = 0) +
		(SELECT COUNT(*) FROM article_sources x JOIN articles a
			ON a.source_id = x.canon_source_id AND a.id = x.canon_article_id
			WHERE x.source_id = s.source_id AND a.pruned = 0)
		FROM source_status s ORDER BY s.source_id`)
	if err != nil {
		return nil, fmt.Errorf("read source statuses: %w", err)
	}
	sts, err := scanStatuses(rows)
	if err != nil {
		return nil, fmt.Errorf("read source statuses: %w", err)
	}
	return sts, nil
}

func scanStatuses(rows *sql.Rows) ([]store.SourceStatus, error) {
	defer rows.Close()
	var sts []store.SourceStatus
	for rows.Next() {
		var st store.SourceStatus
		var attempt, success string
		err := rows.Scan(&st.SourceID, &attempt, &success, &st.LastError,
			&st.New, &st.Updated, &st.Unchanged, &st.Articles)
		if err != nil {
			return nil, err
		}
		if st.LastAttempt, err = codec.ParseTime(attempt); err != nil {
			return nil, err
		}
		if st.LastSuccess, err = codec.ParseTime(success); err != nil {
			return nil, err
		}
		sts = append(sts, st)
	}
	return sts, rows.Err()
}

// Validators returns the ETag and Last-Modified last received for url,
// "" when none.
func (s *Store) Validators(ctx context.Context, url string) (etag, lastModified string, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT etag, last_modified FROM validators WHERE url = ?`, url).
		Scan(&etag, &lastModified)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("read validators of %s: %w", url, err)
	}
	return etag, lastModified, nil
}

// SetValidators keeps the ETag and Last-Modified received for url for
// the next conditional request; two empty values forget them.
func (s *Store) SetValidators(ctx context.Context, url, etag, lastModified string) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO validators (url, etag, last_modified)
		VALUES (?, ?, ?) ON CONFLICT (url) DO UPDATE
		SET etag = excluded.etag, last_modified = excluded.last_modified`, url, etag, lastModified)
	if err == nil {
		err = s.dropEmptyValidators(ctx, url)
	}
	if err != nil {
		return fmt.Errorf("save validators of %s: %w", url, err)
	}
	return nil
}

// BodyHash returns the hash last kept for url's body with SetBodyHash,
// "" when none.
func (s *Store) BodyHash(ctx context.Context, url string) (string, error) {
	var h string
	err := s.read.QueryRowContext(ctx, `SELECT body_hash FROM validators WHERE url = ?`, url).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
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
	_, err := s.write.ExecContext(ctx, `INSERT INTO validators (url, etag, last_modified, body_hash)
		VALUES (?, '', '', ?) ON CONFLICT (url) DO UPDATE SET body_hash = excluded.body_hash`, url, hash)
	if err == nil {
		err = s.dropEmptyValidators(ctx, url)
	}
	if err != nil {
		return fmt.Errorf("save body hash of %s: %w", url, err)
	}
	return nil
}

// dropEmptyValidators removes url's row when it keeps nothing.
func (s *Store) dropEmptyValidators(ctx context.Context, url string) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM validators
		WHERE url = ? AND etag = '' AND last_modified = '' AND body_hash = ''`, url)
	return err
}
