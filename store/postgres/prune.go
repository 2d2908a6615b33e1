package postgres

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// Prune applies retention at now, with the semantics of store/sqlite's
// Prune, which see: articles published before now-maxAge go (maxAge >
// 0), and each category keeps its newest maxItems articles (maxItems >
// 0), counting only the filings of configured sources. It returns how
// many articles were removed and, sorted, the categories that lost
// articles. A removed article stays as a tombstone.
func (s *Store) Prune(ctx context.Context, maxAge time.Duration, maxItems int, now time.Time) (removed int, changed []string, err error) {
	p := &pruner{changed: map[string]bool{}}
	if err := s.prune(ctx, p, maxAge, maxItems, now); err != nil {
		return 0, nil, fmt.Errorf("prune articles: %w", err)
	}
	return p.removed, slices.Sorted(maps.Keys(p.changed)), nil
}

func (s *Store) prune(ctx context.Context, p *pruner, maxAge time.Duration, maxItems int, now time.Time) error {
	if maxAge <= 0 && maxItems <= 0 {
		return nil
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := s.lockWrites(ctx, tx); err != nil {
		return err
	}
	p.tx = tx
	if maxAge > 0 {
		if err := p.pruneAge(ctx, now.Add(-maxAge)); err != nil {
			return fmt.Errorf("by age: %w", err)
		}
	}
	if maxItems > 0 {
		if err := p.pruneItems(ctx, maxItems); err != nil {
			return fmt.Errorf("by items: %w", err)
		}
	}
	if p.removed > 0 || len(p.changed) > 0 {
		if err := recordChanges(ctx, tx, slices.Sorted(maps.Keys(p.changed))); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// pruner carries one Prune's transaction and results.
type pruner struct {
	tx      pgx.Tx
	removed int
	changed map[string]bool
}

// pruneAge removes the articles published before cutoff. The category
// rows carry the article's published_unix, so they go without a join.
func (p *pruner) pruneAge(ctx context.Context, cutoff time.Time) error {
	c := cutoff.UnixNano()
	// Most runs have nothing to remove: one look at the newest index
	// says so without scanning every category row.
	if found, err := p.exists(ctx, `SELECT 1 FROM articles WHERE NOT pruned AND published_unix < $1 LIMIT 1`, c); err != nil || !found {
		return err
	}
	err := p.markChanged(ctx, `SELECT DISTINCT category FROM article_categories
		WHERE NOT pruned AND published_unix < $1`, c)
	if err != nil {
		return err
	}
	err = p.countDropped(ctx, `SELECT category, COUNT(*) FROM article_categories
		WHERE NOT pruned AND published_unix < $1 GROUP BY category`, c)
	if err != nil {
		return err
	}
	if _, err := p.tx.Exec(ctx, `DELETE FROM article_categories WHERE published_unix < $1`, c); err != nil {
		return err
	}
	return p.tombstone(ctx, `NOT pruned AND published_unix < $1`, c)
}

// overLimit selects the category rows past the newest $1 of each
// category; with filter, of the filings of configured sources only (see
// store/sqlite).
func overLimit(filter bool) string {
	return `SELECT category, source_id, article_id FROM (
	SELECT category, source_id, article_id, ROW_NUMBER() OVER (PARTITION BY category
		ORDER BY published_unix DESC, source_id, article_id) AS rn
	FROM article_categories c WHERE NOT pruned AND ` + filedRow(filter, "c") + `) r
	WHERE rn > $1`
}

// unfiled selects the articles left in no category: all their category
// rows were unfiled by the item limit.
const unfiled = `SELECT source_id, article_id FROM article_categories
	GROUP BY source_id, article_id HAVING bool_and(pruned)`

// pruneItems unfiles each category's articles past its newest limit,
// keeping the rows (marked) so that Save does not file them again, and
// removes the articles that are left in no category.
func (p *pruner) pruneItems(ctx context.Context, limit int) error {
	filter, err := anyInactive(ctx, p.tx)
	if err != nil {
		return err
	}
	// Most runs find every category within the limit: counting is far
	// cheaper than numbering every row.
	found, err := p.exists(ctx, `SELECT 1 FROM article_categories c WHERE NOT pruned
		GROUP BY category HAVING COUNT(*) FILTER (WHERE `+filedRow(filter, "c")+`) > $1 LIMIT 1`, limit)
	if err != nil || !found {
		return err
	}
	if err := p.markChanged(ctx, `SELECT DISTINCT category FROM (`+overLimit(filter)+`) o`, limit); err != nil {
		return err
	}
	err = p.countDropped(ctx, `SELECT category, COUNT(*) FROM (`+overLimit(filter)+`) o GROUP BY category`, limit)
	if err != nil {
		return err
	}
	_, err = p.tx.Exec(ctx, `UPDATE article_categories SET pruned = true
		WHERE (category, source_id, article_id) IN (`+overLimit(filter)+`)`, limit)
	if err != nil {
		return err
	}
	if err := p.tombstone(ctx, `NOT pruned AND (source_id, id) IN (`+unfiled+`)`); err != nil {
		return err
	}
	_, err = p.tx.Exec(ctx, `DELETE FROM article_categories WHERE (source_id, article_id) IN (`+unfiled+`)`)
	return err
}

// tombstone turns the articles where selects into tombstones: their
// text goes, their id, link and hash stay.
func (p *pruner) tombstone(ctx context.Context, where string, args ...any) error {
	tag, err := p.tx.Exec(ctx, `UPDATE articles SET pruned = true, summary = '', content = '' WHERE `+where, args...)
	p.removed += int(tag.RowsAffected())
	return err
}

// exists reports whether query returns a row.
func (p *pruner) exists(ctx context.Context, query string, args ...any) (bool, error) {
	rows, err := p.tx.Query(ctx, query, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	return rows.Next(), rows.Err()
}

// markChanged marks changed the categories query returns.
func (p *pruner) markChanged(ctx context.Context, query string, args ...any) error {
	rows, err := p.tx.Query(ctx, query, args...)
	return collectStrings(rows, err, p.changed)
}

// countDropped adds to each category's count of dropped articles the
// counts query returns (category, n), for Categories' Dropped.
func (p *pruner) countDropped(ctx context.Context, query string, args ...any) error {
	_, err := p.tx.Exec(ctx, `INSERT INTO category_dropped (category, n) `+query+`
		ON CONFLICT (category) DO UPDATE SET n = category_dropped.n + excluded.n`, args...)
	return err
}
