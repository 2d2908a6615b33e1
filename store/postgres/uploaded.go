package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// UploadedFiles returns what was last uploaded to the object store
// output, by tree path: the uploader's sum of each object.
func (s *Store) UploadedFiles(ctx context.Context, output string) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT path, sum FROM uploaded_files WHERE output = $1`, output)
	if err != nil {
		return nil, fmt.Errorf("read uploaded files of %s: %w", output, err)
	}
	sums := map[string]string{}
	var p, sum string
	if _, err := pgx.ForEachRow(rows, []any{&p, &sum}, func() error { sums[p] = sum; return nil }); err != nil {
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
	paths := make([]string, 0, len(sums))
	values := make([]string, 0, len(sums))
	for p, sum := range sums {
		paths = append(paths, p)
		values = append(values, sum)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO uploaded_files (output, path, sum)
		SELECT $1, * FROM unnest($2::text[], $3::text[])
		ON CONFLICT (output, path) DO UPDATE SET sum = excluded.sum`, output, paths, values)
	if err != nil {
		return fmt.Errorf("save uploaded files of %s: %w", output, err)
	}
	return nil
}

// ForgetUploaded forgets paths of output: their objects were deleted.
func (s *Store) ForgetUploaded(ctx context.Context, output string, paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM uploaded_files WHERE output = $1 AND path = ANY($2)`, output, paths); err != nil {
		return fmt.Errorf("forget uploaded files of %s: %w", output, err)
	}
	return nil
}
