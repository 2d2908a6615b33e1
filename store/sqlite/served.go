package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/feedsmith/feedsmith/store"
)

// ServedFiles returns, by tree path, what the daemon last served.
func (s *Store) ServedFiles(ctx context.Context) (map[string]store.ServedFile, error) {
	rows, err := s.query(ctx, nil, `SELECT path, sum, modified_unix FROM served_files`)
	if err != nil {
		return nil, fmt.Errorf("read served files: %w", err)
	}
	defer rows.Close()
	files := map[string]store.ServedFile{}
	for rows.Next() {
		var p string
		var f store.ServedFile
		var mod int64
		if err := rows.Scan(&p, &f.Sum, &mod); err != nil {
			return nil, fmt.Errorf("read served files: %w", err)
		}
		f.Modified = time.Unix(0, mod).UTC()
		files[p] = f
	}
	if err := rows.Err(); err != nil {
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
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save served files: %w", err)
	}
	defer tx.Rollback()
	for p, f := range files {
		_, err := tx.ExecContext(ctx, `INSERT INTO served_files (path, sum, modified_unix) VALUES (?, ?, ?)
			ON CONFLICT (path) DO UPDATE SET sum = excluded.sum, modified_unix = excluded.modified_unix`,
			p, f.Sum, f.Modified.UnixNano())
		if err != nil {
			return fmt.Errorf("save served files: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save served files: %w", err)
	}
	return nil
}

// ForgetServedExcept forgets every served file whose path is not in
// paths: a file no longer served starts afresh if it comes back.
func (s *Store) ForgetServedExcept(ctx context.Context, paths []string) error {
	if paths == nil {
		paths = []string{} // "[]": json "null" would be one NULL, keeping all
	}
	keep, err := json.Marshal(paths)
	if err != nil {
		return fmt.Errorf("forget served files: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, `DELETE FROM served_files
		WHERE path NOT IN (SELECT value FROM json_each(?))`, string(keep)); err != nil {
		return fmt.Errorf("forget served files: %w", err)
	}
	return nil
}
