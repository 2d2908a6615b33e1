package postgres

import (
	"context"
	"fmt"

	"github.com/feedsmith/feedsmith/store"
)

// SetContents replaces, in one transaction, the content of each article
// of updates whose stored content is still its Old; an update whose Old
// no longer matches is skipped, the article having been saved again
// meanwhile. It has the semantics of store/sqlite's SetContents, which
// see: nothing else changes, and no change is recorded.
func (s *Store) SetContents(ctx context.Context, updates []store.ContentUpdate) error {
	if len(updates) == 0 {
		return nil
	}
	if err := s.setContents(ctx, updates); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err() // see Save
		}
		return fmt.Errorf("set contents: %w", err)
	}
	return nil
}

func (s *Store) setContents(ctx context.Context, updates []store.ContentUpdate) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// Taken as by Save, whose lookup of the stored markers (see
	// queueMarkers) a content written between it and the save's own
	// writes would make wrong.
	if err := s.lockWrites(ctx, tx); err != nil {
		return err
	}
	var c columns
	for _, u := range updates {
		c.add(u.SourceID, u.ID, encodeContent(u.Old), encodeContent(u.Content))
	}
	_, err = tx.Exec(ctx, `UPDATE articles a SET content = u.content
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) u (source_id, id, old, content)
		WHERE a.source_id = u.source_id AND a.id = u.id AND a.content = u.old`, c.args()...)
	if err != nil {
		return err
	}
	return tx.Commit(ctx)
}
