package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// CategorySources returns, by category, the sources that delivered its
// stored articles (pruned ones excluded), sorted: what feeds a category,
// for its refresh interval and, for a derived one, its language.
func (s *Store) CategorySources(ctx context.Context) (map[string][]string, error) {
	bySource, err := s.categorySources(ctx)
	if err != nil {
		return nil, fmt.Errorf("read category sources: %w", err)
	}
	return bySource, nil
}

// The steps of categorySources: the first category after one, and the
// first source of a category after one.
const (
	nextCategoryQuery = `SELECT category FROM article_categories
		WHERE pruned = 0 AND category > ? ORDER BY category LIMIT 1`
	nextSourceQuery = `SELECT source_id FROM article_categories
		WHERE pruned = 0 AND category = ? AND source_id > ? ORDER BY source_id LIMIT 1`
)

// categorySources skips through article_categories_sources, one seek
// per category and per (category, source) pair rather than a step per
// article: a store holds few of those pairs and many articles.
func (s *Store) categorySources(ctx context.Context) (map[string][]string, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	bySource := map[string][]string{}
	for category := ""; ; {
		ok, err := s.next(ctx, tx, &category, nextCategoryQuery, category)
		if err != nil {
			return nil, err
		}
		if !ok {
			return bySource, nil
		}
		for src := ""; ; {
			ok, err := s.next(ctx, tx, &src, nextSourceQuery, category, src)
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			bySource[category] = append(bySource[category], src)
		}
	}
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
