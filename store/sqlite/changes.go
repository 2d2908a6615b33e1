package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// recordChanges gives the categories, and "" (anything changed), the
// next change sequence number, in tx: a writer of the output folder
// renders again the categories whose number moved since it last did.
func recordChanges(ctx context.Context, tx *sql.Tx, categories []string) error {
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM category_changes`).Scan(&seq); err != nil {
		return err
	}
	for _, c := range append(categories, "") {
		_, err := tx.ExecContext(ctx, `INSERT INTO category_changes (category, seq) VALUES (?, ?)
			ON CONFLICT (category) DO UPDATE SET seq = excluded.seq`, c, seq)
		if err != nil {
			return err
		}
	}
	return nil
}

// Changes returns each category's change sequence number; "" is the
// number of the latest change to any category or article.
func (s *Store) Changes(ctx context.Context) (map[string]int64, error) {
	rows, err := s.query(ctx, nil, `SELECT category, seq FROM category_changes`)
	if err != nil {
		return nil, fmt.Errorf("read category changes: %w", err)
	}
	defer rows.Close()
	seqs := map[string]int64{}
	for rows.Next() {
		var c string
		var n int64
		if err := rows.Scan(&c, &n); err != nil {
			return nil, fmt.Errorf("read category changes: %w", err)
		}
		seqs[c] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read category changes: %w", err)
	}
	return seqs, nil
}

// Rendered returns what was last written to the output folder output,
// by category.
func (s *Store) Rendered(ctx context.Context, output string) (map[string]store.Rendered, error) {
	rows, err := s.query(ctx, nil, `SELECT category, seq, stamp FROM rendered WHERE output = ?`, output)
	if err != nil {
		return nil, fmt.Errorf("read rendered of %s: %w", output, err)
	}
	defer rows.Close()
	r := map[string]store.Rendered{}
	for rows.Next() {
		var c string
		var x store.Rendered
		if err := rows.Scan(&c, &x.Seq, &x.Stamp); err != nil {
			return nil, fmt.Errorf("read rendered of %s: %w", output, err)
		}
		r[c] = x
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read rendered of %s: %w", output, err)
	}
	return r, nil
}

// SetRendered records what was written to the output folder output.
func (s *Store) SetRendered(ctx context.Context, output string, r map[string]store.Rendered) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save rendered of %s: %w", output, err)
	}
	defer tx.Rollback()
	for c, x := range r {
		_, err := tx.ExecContext(ctx, `INSERT INTO rendered (output, category, seq, stamp) VALUES (?, ?, ?, ?)
			ON CONFLICT (output, category) DO UPDATE SET seq = excluded.seq, stamp = excluded.stamp`,
			output, c, x.Seq, x.Stamp)
		if err != nil {
			return fmt.Errorf("save rendered of %s: %w", output, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save rendered of %s: %w", output, err)
	}
	return nil
}

// ForgetRendered removes the records of categories from those of the
// output folder output: their files are gone from it, and a category
// published again there must be written whole.
func (s *Store) ForgetRendered(ctx context.Context, output string, categories []string) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM rendered
		WHERE output = ? AND category IN (SELECT value FROM json_each(?))`, output, codec.JSONList(categories))
	if err != nil {
		return fmt.Errorf("forget rendered of %s: %w", output, err)
	}
	return nil
}
