package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

// formatTime encodes t as RFC 3339 text that keeps its UTC offset; the
// zero time is "".
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// parseTime decodes formatTime's text, with the offset it was stored with.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time: %w", err)
	}
	return t, nil
}

// enclosure is the stored form of article.Enclosure: its own JSON names,
// so that renaming a Go field does not orphan stored data.
type enclosure struct {
	URL    string `json:"url"`
	Type   string `json:"type,omitempty"`
	Length int64  `json:"length,omitempty"`
}

// encodeTags and encodeEnclosures ignore json.Marshal's error: it fails
// only for types (channels, functions, cycles) these are not.
func encodeTags(tags []string) string {
	if len(tags) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(tags)
	return string(b)
}

func decodeTags(s string) ([]string, error) {
	var tags []string
	if err := json.Unmarshal([]byte(s), &tags); err != nil {
		return nil, fmt.Errorf("stored tags: %w", err)
	}
	if len(tags) == 0 {
		return nil, nil
	}
	return tags, nil
}

func encodeEnclosures(es []article.Enclosure) string {
	if len(es) == 0 {
		return "[]"
	}
	stored := make([]enclosure, len(es))
	for i, e := range es {
		stored[i] = enclosure(e)
	}
	b, _ := json.Marshal(stored)
	return string(b)
}

func decodeEnclosures(s string) ([]article.Enclosure, error) {
	var stored []enclosure
	if err := json.Unmarshal([]byte(s), &stored); err != nil {
		return nil, fmt.Errorf("stored enclosures: %w", err)
	}
	if len(stored) == 0 {
		return nil, nil
	}
	es := make([]article.Enclosure, len(stored))
	for i, e := range stored {
		es[i] = article.Enclosure(e)
	}
	return es, nil
}

// collectStrings adds the values of one-column rows to set; err is the
// query's, so a call can take a query's two results as they come.
func collectStrings(rows *sql.Rows, err error, set map[string]bool) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		set[s] = true
	}
	return rows.Err()
}
