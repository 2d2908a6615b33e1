package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/store"
)

// ServedFiles returns, by tree path, what the daemon last served.
func (s *Store) ServedFiles(ctx context.Context) (map[string]store.ServedFile, error) {
	rows, err := s.pool.Query(ctx, `SELECT path, sum, modified_unix FROM served_files`)
	if err != nil {
		return nil, fmt.Errorf("read served files: %w", err)
	}
	files := map[string]store.ServedFile{}
	var p, sum string
	var mod int64
	_, err = pgx.ForEachRow(rows, []any{&p, &sum, &mod}, func() error {
		files[p] = store.ServedFile{Sum: sum, Modified: time.Unix(0, mod).UTC()}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read served files: %w", err)
	}
	return files, nil
}

// SaveServedFiles records files, by tree path, in place of what was
// recorded for those paths; other paths keep theirs.
func (s *Store) SaveServedFiles(ctx context.Context, files map[string]store.ServedFile) error {
	if len(files) == 0 {
		return nil
	}
	var c columns
	for p, f := range files {
		c.add(p, f.Sum, f.Modified.UnixNano())
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO served_files (path, sum, modified_unix)
		SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
		ON CONFLICT (path) DO UPDATE SET sum = excluded.sum, modified_unix = excluded.modified_unix`, c.args()...)
	if err != nil {
		return fmt.Errorf("save served files: %w", err)
	}
	return nil
}

// ForgetServedExcept forgets every served file whose path is not in
// paths: a file no longer served starts afresh if it comes back.
func (s *Store) ForgetServedExcept(ctx context.Context, paths []string) error {
	if paths == nil {
		paths = []string{} // NOT (x = ANY(NULL)) is NULL: nothing would go
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM served_files WHERE NOT (path = ANY($1))`, paths); err != nil {
		return fmt.Errorf("forget served files: %w", err)
	}
	return nil
}
