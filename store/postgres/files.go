package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// FileStamps returns the files source sourceID read before, by path, and
// the fingerprint they were read under ("" and none when never).
func (s *Store) FileStamps(ctx context.Context, sourceID string) (fingerprint string, stamps map[string]store.FileStamp, err error) {
	var blob []byte
	err = s.pool.QueryRow(ctx, `SELECT fingerprint, stamps FROM source_files WHERE source_id = $1`, sourceID).
		Scan(&fingerprint, &blob)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, nil
	}
	if err == nil {
		stamps, err = codec.DecodeStamps(blob)
	}
	if err != nil {
		return "", nil, fmt.Errorf("read file stamps of %s: %w", sourceID, err)
	}
	return fingerprint, stamps, nil
}

// SaveFileStamps records the files that source sourceID read under
// fingerprint, in place of those recorded before.
func (s *Store) SaveFileStamps(ctx context.Context, sourceID, fingerprint string, files []store.FileStamp) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO source_files (source_id, fingerprint, stamps) VALUES ($1, $2, $3)
		ON CONFLICT (source_id) DO UPDATE SET fingerprint = excluded.fingerprint, stamps = excluded.stamps`,
		sourceID, fingerprint, codec.EncodeStamps(files))
	if err != nil {
		return fmt.Errorf("save file stamps of %s: %w", sourceID, err)
	}
	return nil
}
