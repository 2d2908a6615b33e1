package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/store"
)

// PendingDetails returns the articles of sourceID whose detail is still
// to fetch, in the order they were set.
func (s *Store) PendingDetails(ctx context.Context, sourceID string) ([]store.PendingDetail, error) {
	rows, err := s.pool.Query(ctx, `SELECT url, base_url, listing, attempts, first_failed FROM pending_details
		WHERE source_id = $1 ORDER BY position`, sourceID)
	if err != nil {
		return nil, fmt.Errorf("read pending details of %s: %w", sourceID, err)
	}
	var out []store.PendingDetail
	var p store.PendingDetail
	var listing string
	var first int64
	_, err = pgx.ForEachRow(rows, []any{&p.URL, &p.BaseURL, &listing, &p.Attempts, &first}, func() error {
		x := p
		if err := json.Unmarshal([]byte(listing), &x.Article); err != nil {
			return fmt.Errorf("%s: %w", x.URL, err)
		}
		if first != 0 {
			x.FirstFailed = time.Unix(0, first)
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read pending details of %s: %w", sourceID, err)
	}
	return out, nil
}

// SetPendingDetails records pending as the articles of sourceID whose
// detail is still to fetch, in place of those recorded before; none
// clears them. Of two entries for the same article, the later wins: it
// is the newer listing.
func (s *Store) SetPendingDetails(ctx context.Context, sourceID string, pending []store.PendingDetail) error {
	if err := s.setPendingDetails(ctx, sourceID, pending); err != nil {
		return fmt.Errorf("save pending details of %s: %w", sourceID, err)
	}
	return nil
}

func (s *Store) setPendingDetails(ctx context.Context, sourceID string, pending []store.PendingDetail) error {
	last := make(map[string]int, len(pending))
	for i, p := range pending {
		last[p.Article.ID] = i
	}
	var c columns
	for i, p := range pending {
		if last[p.Article.ID] != i {
			continue
		}
		listing, err := json.Marshal(p.Article)
		if err != nil {
			return err
		}
		var first int64
		if !p.FirstFailed.IsZero() {
			first = p.FirstFailed.UnixNano()
		}
		c.add(p.Article.ID, i, p.URL, p.BaseURL, string(listing), max(p.Attempts, 1), first)
	}
	// A batch runs in one implicit transaction: the old entries go only
	// if the new ones come. The upsert keeps another instance setting
	// the same source's at the same moment from failing this one (the
	// entries are then both sets', the later winning where they meet).
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM pending_details WHERE source_id = $1`, sourceID)
	if c.rows > 0 {
		b.Queue(`INSERT INTO pending_details
			(source_id, article_id, position, url, base_url, listing, attempts, first_failed)
			SELECT $1::text, * FROM unnest($2::text[], $3::integer[], $4::text[], $5::text[], $6::text[],
				$7::integer[], $8::bigint[])
			ON CONFLICT (source_id, article_id) DO UPDATE SET position = excluded.position,
				url = excluded.url, base_url = excluded.base_url, listing = excluded.listing,
				attempts = excluded.attempts, first_failed = excluded.first_failed`, append([]any{sourceID}, c.args()...)...)
	}
	return s.pool.SendBatch(ctx, b).Close()
}

// ClearPendingExcept forgets the pending details of every source not in
// ids: a source removed from the configuration is never run again to
// clear its own.
func (s *Store) ClearPendingExcept(ctx context.Context, ids []string) error {
	if ids == nil {
		ids = []string{} // NOT (x = ANY(NULL)) is NULL: nothing would go
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM pending_details WHERE NOT (source_id = ANY($1))`, ids); err != nil {
		return fmt.Errorf("clear pending details: %w", err)
	}
	return nil
}
