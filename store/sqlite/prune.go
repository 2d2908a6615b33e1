package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Prune applies retention at now: it removes the articles published
// before now-maxAge (when maxAge > 0), and takes each category down to
// its newest maxItems articles (when maxItems > 0), counting only the
// filings of configured sources (see SetActiveSources). An article past the
// limit in one category stays in the others; one left in none is
// removed; one never filed in a category is kept. It returns how many articles were removed and, sorted, the
// categories that lost articles.
//
// A removed article stays as a tombstone: its id, link and hash without
// text or categories, so that the next fetch of the same feed does not
// bring it back.
func (s *Store) Prune(ctx context.Context, maxAge time.Duration, maxItems int, now time.Time) (removed int, changed []string, err error) {
	p := &pruner{changed: map[string]bool{}}
	if err := s.prune(ctx, p, maxAge, maxItems, now); err != nil {
		return 0, nil, fmt.Errorf("prune articles: %w", err)
	}
	return p.removed, slices.Sorted(maps.Keys(p.changed)), nil
}

func (s *Store) prune(ctx context.Context, p *pruner, maxAge time.Duration, maxItems int, now time.Time) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
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
	return tx.Commit()
}

// pruner carries one Prune's transaction and results.
type pruner struct {
	tx      *sql.Tx
	removed int
	changed map[string]bool
}

// pruneAge removes the articles published before cutoff. The category
// rows carry the article's published_unix, so they go without a join.
func (p *pruner) pruneAge(ctx context.Context, cutoff time.Time) error {
	c := cutoff.UnixNano()
	// Most runs have nothing to remove: one look at the newest index
	// says so without scanning every category row.
	if found, err := p.exists(ctx, `SELECT 1 FROM articles WHERE pruned = 0 AND published_unix < ? LIMIT 1`, c); err != nil || !found {
		return err
	}
	err := p.markChanged(ctx, `SELECT DISTINCT category FROM article_categories
		WHERE pruned = 0 AND published_unix < ?`, c)
	if err != nil {
		return err
	}
	err = p.countDropped(ctx, `SELECT category, COUNT(*) FROM article_categories
		WHERE pruned = 0 AND published_unix < ? GROUP BY category`, c)
	if err != nil {
		return err
	}
	if _, err := p.tx.ExecContext(ctx, `DELETE FROM article_categories WHERE published_unix < ?`, c); err != nil {
		return err
	}
	return p.tombstone(ctx, `pruned = 0 AND published_unix < ?`, c)
}

// overLimit selects the category rows past the newest ? of each category.
// With filter, only the filings of configured sources count, and only
// they are unfiled: the limit is on what the feeds show, and a removed
// source's filings wait, their articles' age limit still applying, for
// it to come back.
func overLimit(filter bool) string {
	return `SELECT category, source_id, article_id FROM (
	SELECT category, source_id, article_id, ROW_NUMBER() OVER (PARTITION BY category
		ORDER BY published_unix DESC, source_id, article_id) AS rn
	FROM article_categories c WHERE pruned = 0 AND ` + filedRow(filter, "c") + `) r
	WHERE rn > ?`
}

// unfiled selects the articles left in no category: all their category
// rows were unfiled by the item limit.
const unfiled = `SELECT source_id, article_id FROM article_categories
	GROUP BY source_id, article_id HAVING MIN(pruned) = 1`

// pruneItems unfiles each category's articles past its newest limit,
// keeping the rows (marked) so that Save does not file them again, and
// removes the articles that are left in no category.
func (p *pruner) pruneItems(ctx context.Context, limit int) error {
	// Most runs find every category within the limit: counting each
	// category's live rows on its index is far cheaper than numbering
	// them all, and what a prune unfiled before is gone already.
	filter, err := anyInactive(ctx, p.tx)
	if err != nil {
		return err
	}
	found, err := p.exists(ctx, `SELECT 1 FROM article_categories c WHERE pruned = 0
		GROUP BY category HAVING SUM(`+filedRow(filter, "c")+`) > ? LIMIT 1`, limit)
	if err != nil || !found {
		return err
	}
	if err := p.markChanged(ctx, `SELECT DISTINCT category FROM (`+overLimit(filter)+`) o`, limit); err != nil {
		return err
	}
	err = p.countDropped(ctx, `SELECT category, COUNT(*) FROM (`+overLimit(filter)+`) o WHERE true GROUP BY category`, limit)
	if err != nil {
		return err
	}
	_, err = p.tx.ExecContext(ctx, `UPDATE article_categories SET pruned = 1
		WHERE (category, source_id, article_id) IN (`+overLimit(filter)+`)`, limit)
	if err != nil {
		return err
	}
	if err := p.tombstone(ctx, `pruned = 0 AND (source_id, id) IN (`+unfiled+`)`); err != nil {
		return err
	}
	_, err = p.tx.ExecContext(ctx, `DELETE FROM article_categories
		WHERE (source_id, article_id) IN (`+unfiled+`)`)
	return err
}

// tombstone turns the articles where selects into tombstones: their
// text goes, their id, link and hash stay.
func (p *pruner) tombstone(ctx context.Context, where string, args ...any) error {
	res, err := p.tx.ExecContext(ctx, `UPDATE articles SET pruned = 1, summary = '', content = ''
		WHERE `+where, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	p.removed += int(n)
	return err
}

// exists reports whether query returns a row.
func (p *pruner) exists(ctx context.Context, query string, args ...any) (bool, error) {
	rows, err := p.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	return rows.Next(), rows.Err()
}

// markChanged marks changed the categories query returns.
func (p *pruner) markChanged(ctx context.Context, query string, args ...any) error {
	rows, err := p.tx.QueryContext(ctx, query, args...)
	return collectStrings(rows, err, p.changed)
}

// countDropped adds to each category's count of dropped articles the
// counts query returns (category, n), for Categories' Dropped.
func (p *pruner) countDropped(ctx context.Context, query string, args ...any) error {
	_, err := p.tx.ExecContext(ctx, `INSERT INTO category_dropped (category, n) `+query+`
		ON CONFLICT (category) DO UPDATE SET n = n + excluded.n`, args...)
	return err
}
