package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/feedsmith/feedsmith/store"
)

// FileStamps returns the files source sourceID read before, by path, and
// the fingerprint they were read under ("" and none when never).
func (s *Store) FileStamps(ctx context.Context, sourceID string) (fingerprint string, stamps map[string]store.FileStamp, err error) {
	var blob []byte
	err = s.read.QueryRowContext(ctx, `SELECT fingerprint, stamps FROM source_files WHERE source_id = ?`, sourceID).
		Scan(&fingerprint, &blob)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, nil
	}
	if err == nil {
		stamps, err = decodeStamps(blob)
	}
	if err != nil {
		return "", nil, fmt.Errorf("read file stamps of %s: %w", sourceID, err)
	}
	return fingerprint, stamps, nil
}

// SaveFileStamps records the files that source sourceID read under
// fingerprint, in place of those recorded before.
func (s *Store) SaveFileStamps(ctx context.Context, sourceID, fingerprint string, files []store.FileStamp) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO source_files (source_id, fingerprint, stamps) VALUES (?, ?, ?)
		ON CONFLICT (source_id) DO UPDATE SET fingerprint = excluded.fingerprint, stamps = excluded.stamps`,
		sourceID, fingerprint, encodeStamps(files))
	if err != nil {
		return fmt.Errorf("save file stamps of %s: %w", sourceID, err)
	}
	return nil
}

// encodeStamps writes each stamp as the length of its path (uvarint),
// the path, its size and its mtime in nanoseconds (varints).
func encodeStamps(files []store.FileStamp) []byte {
	n := 0
	for _, f := range files {
		n += len(f.Path) + 3*binary.MaxVarintLen64
	}
	b := make([]byte, 0, n)
	for _, f := range files {
		b = binary.AppendUvarint(b, uint64(len(f.Path)))
		b = append(b, f.Path...)
		b = binary.AppendVarint(b, f.Size)
		b = binary.AppendVarint(b, f.ModUnix)
	}
	return b
}

var errBadStamps = errors.New("malformed file stamps")

func decodeStamps(b []byte) (map[string]store.FileStamp, error) {
	stamps := map[string]store.FileStamp{}
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, errBadStamps
		}
		f := store.FileStamp{Path: string(b[k : k+int(n)])}
		b = b[k+int(n):]
		if f.Size, k = binary.Varint(b); k <= 0 {
			return nil, errBadStamps
		}
		b = b[k:]
		if f.ModUnix, k = binary.Varint(b); k <= 0 {
			return nil, errBadStamps
		}
		b = b[k:]
		stamps[f.Path] = f
	}
	return stamps, nil
}
