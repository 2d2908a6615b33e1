package postgres

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"
)

// categorySourcesQuery selects the configured (category, source) pairs
// of live filings: a loose index scan of article_categories_filers, one
// seek per pair rather than a step per article (a store holds few pairs
// and many articles), then the other filers of live rows, read from
// their own table, which only articles several sources delivered have
// rows in. One statement, so one snapshot.
const categorySourcesQuery = `WITH RECURSIVE pairs (category, filed_by) AS (
		(SELECT category, filed_by FROM article_categories WHERE NOT pruned
			ORDER BY category, filed_by LIMIT 1)
		UNION ALL
		SELECT n.category, n.filed_by FROM pairs p CROSS JOIN LATERAL (
			SELECT c.category, c.filed_by FROM article_categories c
			WHERE NOT c.pruned AND (c.category, c.filed_by) > (p.category, p.filed_by)
			ORDER BY c.category, c.filed_by LIMIT 1) n
	)
	SELECT category, filed_by FROM (
		SELECT category, filed_by FROM pairs
		UNION
		SELECT f.category, f.filed_by FROM article_category_filers f
		WHERE EXISTS (SELECT 1 FROM article_categories c WHERE c.source_id = f.source_id
			AND c.article_id = f.article_id AND c.category = f.category AND NOT c.pruned)
	) x WHERE NOT EXISTS (SELECT 1 FROM inactive_sources i WHERE i.source_id = x.filed_by)`

// CategorySources returns, by category, the configured sources that
// filed its stored articles there (pruned filings excluded), sorted: what
// feeds a category, for its refresh interval and, for a derived one, its
// language. A source that only delivered an article another filed there
// does not feed that category.
func (s *Store) CategorySources(ctx context.Context) (map[string][]string, error) {
	rows, err := s.pool.Query(ctx, categorySourcesQuery)
	if err != nil {
		return nil, fmt.Errorf("read category sources: %w", err)
	}
	pairs := map[string]map[string]bool{}
	var category, src string
	_, err = pgx.ForEachRow(rows, []any{&category, &src}, func() error {
		if pairs[category] == nil {
			pairs[category] = map[string]bool{}
		}
		pairs[category][src] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read category sources: %w", err)
	}
	bySource := make(map[string][]string, len(pairs))
	for category, srcs := range pairs {
		bySource[category] = slices.Sorted(maps.Keys(srcs))
	}
	return bySource, nil
}
