package sqlite

import (
	"context"
	"fmt"

	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// UploadedFiles returns what was last uploaded to the object store
// output, by tree path: the uploader's sum of each object.
func (s *Store) UploadedFiles(ctx context.Context, output string) (map[string]string, error) {
	rows, err := s.query(ctx, nil, `SELECT path, sum FROM uploaded_files WHERE output = ?`, output)
	if err != nil {
		return nil, fmt.Errorf("read uploaded files of %s: %w", output, err)
	}
	defer rows.Close()
	sums := map[string]string{}
	for rows.Next() {
		var p, sum string
		if err := rows.Scan(&p, &sum); err != nil {
			return nil, fmt.Errorf("read uploaded files of %s: %w", output, err)
		}
		sums[p] = sum
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read uploaded files of %s: %w", output, err)
	}
	return sums, nil
}

// SaveUploaded records sums, by tree path, as uploaded to output, in
// place of what was recorded for those paths; other paths keep theirs.
func (s *Store) SaveUploaded(ctx context.Context, output string, sums map[string]string) error {
	if len(sums) == 0 {
		return nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save uploaded files of %s: %w", output, err)
	}
	defer tx.Rollback()
	for p, sum := range sums {
		_, err := tx.ExecContext(ctx, `INSERT INTO uploaded_files (output, path, sum) VALUES (?, ?, ?)
			ON CONFLICT (output, path) DO UPDATE SET sum = excluded.sum`, output, p, sum)
		if err != nil {
			return fmt.Errorf("save uploaded files of %s: %w", output, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save uploaded files of %s: %w", output, err)
	}
	return nil
}

// ForgetUploaded forgets paths of output: their objects were deleted.
func (s *Store) ForgetUploaded(ctx context.Context, output string, paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	_, err := s.write.ExecContext(ctx, `DELETE FROM uploaded_files
		WHERE output = ? AND path IN (SELECT value FROM json_each(?))`, output, codec.JSONList(paths))
	if err != nil {
		return fmt.Errorf("forget uploaded files of %s: %w", output, err)
	}
	return nil
}
