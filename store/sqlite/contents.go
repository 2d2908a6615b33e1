package sqlite

import (
	"context"
	"fmt"

	"github.com/feedsmith/feedsmith/store"
)

// SetContents replaces, in one transaction, the content of each article
// of updates whose stored content is still its Old; an update whose Old
// no longer matches is skipped, the article having been saved again
// meanwhile. Nothing else of an article changes, and no change is
// recorded (see recordChanges): the content put in is the rendering of
// the marker it replaces (see article.Deferred), which the hash, and so
// the feeds, already account for. Each article is to be named once.
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
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// As in Save: ctx is checked between statements instead of costing
	// the driver a goroutine for each.
	quiet := context.WithoutCancel(ctx)
	st, err := tx.PrepareContext(quiet, `UPDATE articles SET content = ?
		WHERE source_id = ? AND id = ? AND content = ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, u := range updates {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := st.ExecContext(quiet, u.Content, u.SourceID, u.ID, u.Old); err != nil {
			return fmt.Errorf("article %s/%s: %w", u.SourceID, u.ID, err)
		}
	}
	return tx.Commit()
}
