package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// CategorySources returns, by category, the configured sources that
// filed its stored articles there (pruned filings excluded), sorted: what
// feeds a category, for its refresh interval and, for a derived one, its
// language. A source that only delivered an article another filed there
// does not feed that category.
func (s *Store) CategorySources(ctx context.Context) (map[string][]string, error) {
	bySource, err := s.categorySources(ctx)
	if err != nil {
		return nil, fmt.Errorf("read category sources: %w", err)
	}
	return bySource, nil
}

// The steps of categorySources: the first category after one, and the
// first filer of a category after one.
const (
	nextCategoryQuery = `SELECT category FROM article_categories
		WHERE pruned = 0 AND category > ? ORDER BY category LIMIT 1`
	nextSourceQuery = `SELECT filed_by FROM article_categories
		WHERE pruned = 0 AND category = ? AND filed_by > ? ORDER BY filed_by LIMIT 1`
)

// otherFilersQuery selects the (category, source) pairs of the other
// filers of live rows: a table only articles several sources delivered
// have rows in, read from its side (a join may scan every category row
// instead, and probe the table for each).
const otherFilersQuery = `SELECT DISTINCT f.category, f.filed_by FROM article_category_filers f
	WHERE EXISTS (SELECT 1 FROM article_categories c
		WHERE c.source_id = f.source_id AND c.article_id = f.article_id AND c.category = f.category AND c.pruned = 0)`

// categorySources skips through article_categories_filers, one seek
// per category and per (category, filer) pair rather than a step per
// article: a store holds few of those pairs and many articles.
func (s *Store) categorySources(ctx context.Context) (map[string][]string, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	removed := map[string]bool{}
	rows, err := s.query(ctx, tx, `SELECT source_id FROM inactive_sources`)
	if err := collectStrings(rows, err, removed); err != nil {
		return nil, err
	}
	pairs := map[string]map[string]bool{}
	add := func(category, src string) {
		if removed[src] {
			return
		}
		if pairs[category] == nil {
			pairs[category] = map[string]bool{}
		}
		pairs[category][src] = true
	}
	for category := ""; ; {
		ok, err := s.next(ctx, tx, &category, nextCategoryQuery, category)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		for src := ""; ; {
			ok, err := s.next(ctx, tx, &src, nextSourceQuery, category, src)
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			add(category, src)
		}
	}
	if err := s.otherFilers(ctx, tx, add); err != nil {
		return nil, err
	}
	bySource := make(map[string][]string, len(pairs))
	for category, srcs := range pairs {
		bySource[category] = slices.Sorted(maps.Keys(srcs))
	}
	return bySource, tx.Commit()
}

// otherFilers calls add with each pair otherFilersQuery selects.
func (s *Store) otherFilers(ctx context.Context, tx *sql.Tx, add func(category, src string)) error {
	rows, err := s.query(ctx, tx, otherFilersQuery)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var category, src string
		if err := rows.Scan(&category, &src); err != nil {
			return err
		}
		add(category, src)
	}
	return rows.Err()
}

// next scans the one value of a query into dst; false when it has no row.
func (s *Store) next(ctx context.Context, tx *sql.Tx, dst *string, query string, args ...any) (bool, error) {
	st, err := s.readStmt(ctx, query)
	if err != nil {
		return false, err
	}
	err = tx.StmtContext(ctx, st).QueryRowContext(ctx, args...).Scan(dst)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
