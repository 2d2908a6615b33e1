package sqlite

import (
	"context"
	"fmt"
)

// CheckWritable reports an error when the store cannot be written, as a
// database file the process may only read (SQLite then opens it read
// only, and every read works): it starts a write and rolls it back,
// changing nothing. A one-shot build calls it first, so that it fails
// with the reason instead of collecting what it could not keep.
func (s *Store) CheckWritable(ctx context.Context) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("write to the store: %w", err)
	}
	defer tx.Rollback()
	// A write that matches no row still needs a write transaction, which
	// a read-only database refuses (SQLITE_READONLY).
	if _, err := tx.ExecContext(ctx, `UPDATE source_status SET last_error = last_error WHERE 0`); err != nil {
		return fmt.Errorf("write to the store: %w", err)
	}
	return nil
}
