package postgres

import (
	"context"
	"fmt"
)

// CheckWritable reports an error when the store cannot be written, as
// on a read-only server (a standby, default_transaction_read_only) or
// for a role without the privilege, where every read works: it starts a
// write and rolls it back, changing nothing. A one-shot build calls it
// first, so that it fails with the reason instead of collecting what it
// could not keep.
func (s *Store) CheckWritable(ctx context.Context) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("write to the store: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// A write that matches no row is still refused by a read-only
	// transaction, and without the UPDATE privilege.
	if _, err := tx.Exec(ctx, `UPDATE source_status SET last_error = last_error WHERE false`); err != nil {
		return fmt.Errorf("write to the store: %w", err)
	}
	return nil
}
