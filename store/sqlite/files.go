package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/feedsmith/feedsmith/store"
)

// FileStamps returns the files source sourceID read before, by path, and
// the fingerprint they were read under ("" and none when never).
func (s *Store) FileStamps(ctx context.Context, sourceID string) (fingerprint string, stamps map[string]store.FileStamp, err error) {
	fingerprint, stamps, err = s.fileStamps(ctx, sourceID)
	if err != nil {
		return "", nil, fmt.Errorf("read file stamps of %s: %w", sourceID, err)
	}
	return fingerprint, stamps, nil
}

func (s *Store) fileStamps(ctx context.Context, sourceID string) (string, map[string]store.FileStamp, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", nil, err
	}
	defer tx.Rollback()
	var fp string
	err = tx.QueryRowContext(ctx, `SELECT fingerprint FROM source_fingerprints WHERE source_id = ?`, sourceID).Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT path, size, mod_unix FROM source_files WHERE source_id = ?`, sourceID)
	if err != nil {
		return "", nil, err
	}
	defer rows.Close()
	stamps := map[string]store.FileStamp{}
	for rows.Next() {
		var f store.FileStamp
		if err := rows.Scan(&f.Path, &f.Size, &f.ModUnix); err != nil {
			return "", nil, err
		}
		stamps[f.Path] = f
	}
	return fp, stamps, rows.Err()
}

// SaveFileStamps records files that source sourceID read under
// fingerprint. When the fingerprint is not the one stored, every stamp
// of the source read under the old one is forgotten first.
func (s *Store) SaveFileStamps(ctx context.Context, sourceID, fingerprint string, files []store.FileStamp) error {
	if err := s.saveFileStamps(ctx, sourceID, fingerprint, files); err != nil {
		return fmt.Errorf("save file stamps of %s: %w", sourceID, err)
	}
	return nil
}

func (s *Store) saveFileStamps(ctx context.Context, sourceID, fingerprint string, files []store.FileStamp) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var old string
	err = tx.QueryRowContext(ctx, `SELECT fingerprint FROM source_fingerprints WHERE source_id = ?`, sourceID).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if old != fingerprint || errors.Is(err, sql.ErrNoRows) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM source_files WHERE source_id = ?`, sourceID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO source_fingerprints (source_id, fingerprint) VALUES (?, ?)
			ON CONFLICT (source_id) DO UPDATE SET fingerprint = excluded.fingerprint`, sourceID, fingerprint); err != nil {
			return err
		}
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO source_files (source_id, path, size, mod_unix) VALUES (?, ?, ?, ?)
		ON CONFLICT (source_id, path) DO UPDATE SET size = excluded.size, mod_unix = excluded.mod_unix`)
	if err != nil {
		return err
	}
	defer st.Close()
	quiet := context.WithoutCancel(ctx) // see save: ctx is checked between rows
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := st.ExecContext(quiet, sourceID, f.Path, f.Size, f.ModUnix); err != nil {
			return err
		}
	}
	return tx.Commit()
}
