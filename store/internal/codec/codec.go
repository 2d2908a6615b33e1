// Package codec owns how the article stores (store/sqlite and
// store/postgres) write the values that have no column type of their
// own: times with their UTC offset, tags, enclosures, several authors and
// file stamps. Both stores keep them alike, so what one reads the other
// would read the same way.
package codec

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

// FormatTime encodes t as RFC 3339 text that keeps its UTC offset; the
// zero time is "".
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// ParseTime decodes FormatTime's text, with the offset it was stored with.
func ParseTime(s string) (time.Time, error) {
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

// EncodeTags and EncodeEnclosures ignore json.Marshal's error: it fails
// only for types (channels, functions, cycles) these are not.
func EncodeTags(tags []string) string {
	if len(tags) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(tags)
	return string(b)
}

// DecodeTags decodes EncodeTags's text; no tags are nil.
func DecodeTags(s string) ([]string, error) {
	var tags []string
	if err := json.Unmarshal([]byte(s), &tags); err != nil {
		return nil, fmt.Errorf("stored tags: %w", err)
	}
	if len(tags) == 0 {
		return nil, nil
	}
	return tags, nil
}

// EncodeEnclosures encodes es as a JSON list.
func EncodeEnclosures(es []article.Enclosure) string {
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

// DecodeEnclosures decodes EncodeEnclosures's text; none are nil.
func DecodeEnclosures(s string) ([]article.Enclosure, error) {
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

// authorSep joins several authors in the author column. It is a control
// character that normalized text never holds (XML 1.0 has no U+001F), so
// a column without it is one author, as every row written before
// Authors existed is; no migration is needed.
const authorSep = "\x1f"

// EncodeAuthors returns the author column of a: its authors joined when
// it has several, else its Author.
func EncodeAuthors(a *article.Article) string {
	if len(a.Authors) > 1 {
		return strings.Join(a.Authors, authorSep)
	}
	return a.Author
}

// DecodeAuthors returns the article's Author and Authors from the
// column: Authors only when there are several.
func DecodeAuthors(s string) (string, []string) {
	if !strings.Contains(s, authorSep) {
		return s, nil
	}
	all := strings.Split(s, authorSep)
	return all[0], all
}

// JSONList encodes strings as a JSON array ("[]" for none, never
// "null"), for SQLite's json_each.
func JSONList(s []string) string {
	if len(s) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(s) // strings always encode
	return string(b)
}
