package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/feedsmith/feedsmith/store"
)

// PendingDetails returns the articles of sourceID whose detail is still
// to fetch, in the order they were set.
func (s *Store) PendingDetails(ctx context.Context, sourceID string) ([]store.PendingDetail, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT url, base_url, listing, attempts, first_failed FROM pending_details
		WHERE source_id = ? ORDER BY position`, sourceID)
	if err != nil {
		return nil, fmt.Errorf("read pending details of %s: %w", sourceID, err)
	}
	defer rows.Close()
	var out []store.PendingDetail
	for rows.Next() {
		var p store.PendingDetail
		var listing string
		var first int64
		if err := rows.Scan(&p.URL, &p.BaseURL, &listing, &p.Attempts, &first); err != nil {
			return nil, fmt.Errorf("read pending details of %s: %w", sourceID, err)
		}
		if err := json.Unmarshal([]byte(listing), &p.Article); err != nil {
			return nil, fmt.Errorf("read pending details of %s: %s: %w", sourceID, p.URL, err)
		}
		if first != 0 {
			p.FirstFailed = time.Unix(0, first)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read pending details of %s: %w", sourceID, err)
	}
	return out, nil
}

// SetPendingDetails records pending as the articles of sourceID whose
// detail is still to fetch, in place of those recorded before; none
// clears them.
func (s *Store) SetPendingDetails(ctx context.Context, sourceID string, pending []store.PendingDetail) error {
	if err := s.setPendingDetails(ctx, sourceID, pending); err != nil {
		return fmt.Errorf("save pending details of %s: %w", sourceID, err)
	}
	return nil
}

func (s *Store) setPendingDetails(ctx context.Context, sourceID string, pending []store.PendingDetail) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM pending_details WHERE source_id = ?`, sourceID); err != nil {
		return err
	}
	for i, p := range pending {
		listing, err := json.Marshal(p.Article)
		if err != nil {
			return err
		}
		var first int64
		if !p.FirstFailed.IsZero() {
			first = p.FirstFailed.UnixNano()
		}
		// A later entry for the same article wins: it is the newer listing.
		if _, err := tx.ExecContext(ctx, `INSERT INTO pending_details
			(source_id, article_id, position, url, base_url, listing, attempts, first_failed)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (source_id, article_id) DO UPDATE SET position = excluded.position,
			url = excluded.url, base_url = excluded.base_url, listing = excluded.listing,
			attempts = excluded.attempts, first_failed = excluded.first_failed`,
			sourceID, p.Article.ID, i, p.URL, p.BaseURL, string(listing), max(p.Attempts, 1), first); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ClearPendingExcept forgets the pending details of every source not in
// ids: a source removed from the configuration is never run again to
// clear its own.
func (s *Store) ClearPendingExcept(ctx context.Context, ids []string) error {
	if ids == nil {
		ids = []string{} // "[]": json "null" would be one NULL, keeping all
	}
	keep, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("clear pending details: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, `DELETE FROM pending_details
		WHERE source_id NOT IN (SELECT value FROM json_each(?))`, string(keep)); err != nil {
		return fmt.Errorf("clear pending details: %w", err)
	}
	return nil
}
