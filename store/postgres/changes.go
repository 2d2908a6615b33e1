package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/store"
)

// recordChangesQuery gives the categories $1, and "" (anything changed),
// the next change sequence number. Its writer holds the writer lock (see
// lockWrites), so the number read is the latest, and it only grows.
const recordChangesQuery = `INSERT INTO category_changes (category, seq)
	SELECT c, (SELECT COALESCE(MAX(seq), 0) + 1 FROM category_changes)
	FROM unnest($1::text[] || '{""}'::text[]) c
	ON CONFLICT (category) DO UPDATE SET seq = excluded.seq`

// queueChanges queues on b recordChangesQuery for categories.
func queueChanges(b *pgx.Batch, categories []string) {
	if categories == nil {
		categories = []string{}
	}
	b.Queue(recordChangesQuery, categories)
}

// recordChanges runs recordChangesQuery for categories in tx: a writer
// of the output folder renders again the categories whose number moved
// since it last did.
func recordChanges(ctx context.Context, tx pgx.Tx, categories []string) error {
	if categories == nil {
		categories = []string{}
	}
	_, err := tx.Exec(ctx, recordChangesQuery, categories)
	return err
}

// Changes returns each category's change sequence number; "" is the
// number of the latest change to any category or article.
func (s *Store) Changes(ctx context.Context) (map[string]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT category, seq FROM category_changes`)
	if err != nil {
		return nil, fmt.Errorf("read category changes: %w", err)
	}
	seqs := map[string]int64{}
	var c string
	var n int64
	if _, err := pgx.ForEachRow(rows, []any{&c, &n}, func() error { seqs[c] = n; return nil }); err != nil {
		return nil, fmt.Errorf("read category changes: %w", err)
	}
	return seqs, nil
}

// Rendered returns what was last written to the output folder output,
// by category.
func (s *Store) Rendered(ctx context.Context, output string) (map[string]store.Rendered, error) {
	rows, err := s.pool.Query(ctx, `SELECT category, seq, stamp FROM rendered WHERE output = $1`, output)
	if err != nil {
		return nil, fmt.Errorf("read rendered of %s: %w", output, err)
	}
	r := map[string]store.Rendered{}
	var c string
	var x store.Rendered
	if _, err := pgx.ForEachRow(rows, []any{&c, &x.Seq, &x.Stamp}, func() error { r[c] = x; return nil }); err != nil {
		return nil, fmt.Errorf("read rendered of %s: %w", output, err)
	}
	return r, nil
}

// SetRendered records what was written to the output folder output.
func (s *Store) SetRendered(ctx context.Context, output string, r map[string]store.Rendered) error {
	if len(r) == 0 {
		return nil
	}
	var c columns
	for category, x := range r {
		c.add(output, category, x.Seq, x.Stamp)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO rendered (output, category, seq, stamp)
		SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])
		ON CONFLICT (output, category) DO UPDATE SET seq = excluded.seq, stamp = excluded.stamp`, c.args()...)
	if err != nil {
		return fmt.Errorf("save rendered of %s: %w", output, err)
	}
	return nil
}

// ForgetRendered removes the records of categories from those of the
// output folder output: their files are gone from it, and a category
// published again there must be written whole.
func (s *Store) ForgetRendered(ctx context.Context, output string, categories []string) error {
	if len(categories) == 0 {
		return nil
	}
	_, err := s.pool.Exec(ctx, `DELETE FROM rendered WHERE output = $1 AND category = ANY($2)`, output, categories)
	if err != nil {
		return fmt.Errorf("forget rendered of %s: %w", output, err)
	}
	return nil
}
