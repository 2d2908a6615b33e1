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
// its newest maxItems articles (when maxItems > 0). An article past the
// limit in one category stays in the others; one left in none is
// removed. It returns how many articles were removed and, sorted, the
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
	return tx.Commit()
}

// pruner carries one Prune's transaction and results.
type pruner struct {
	tx      *sql.Tx
	removed int
	changed map[string]bool
}

// filed is one article in one category.
type filed struct{ category, sourceID, id string }

func (p *pruner) pruneAge(ctx context.Context, cutoff time.Time) error {
	old, err := p.query(ctx, `SELECT COALESCE(c.category, ''), a.source_id, a.id FROM articles a
		LEFT JOIN article_categories c
			ON c.source_id = a.source_id AND c.article_id = a.id AND c.pruned = 0
		WHERE a.pruned = 0 AND a.published_unix < ?`, cutoff.UnixNano())
	if err != nil {
		return err
	}
	for _, f := range old {
		if f.category != "" {
			p.changed[f.category] = true
		}
	}
	return p.tombstone(ctx, old)
}

// pruneItems unfiles each category's articles past its newest limit, and
// removes the articles that are left in no category.
func (p *pruner) pruneItems(ctx context.Context, limit int) error {
	over, err := p.query(ctx, `SELECT category, source_id, article_id FROM (
		SELECT category, source_id, article_id, ROW_NUMBER() OVER (PARTITION BY category
			ORDER BY published_unix DESC, source_id, article_id) AS rn
		FROM article_categories WHERE pruned = 0) r
		WHERE rn > ?`, limit)
	if err != nil || len(over) == 0 {
		return err
	}
	orphans, err := p.unfile(ctx, over)
	if err != nil {
		return err
	}
	return p.tombstone(ctx, orphans)
}

// unfile takes the articles of fs out of the categories of fs, leaving
// the rows marked so that Save does not file them again, and returns
// the articles that are left in no category.
func (p *pruner) unfile(ctx context.Context, fs []filed) ([]filed, error) {
	unfile, err := p.tx.PrepareContext(ctx, `UPDATE article_categories SET pruned = 1
		WHERE category = ? AND source_id = ? AND article_id = ?`)
	if err != nil {
		return nil, err
	}
	defer unfile.Close()
	live, err := p.tx.PrepareContext(ctx, `SELECT COUNT(*) FROM article_categories
		WHERE source_id = ? AND article_id = ? AND pruned = 0`)
	if err != nil {
		return nil, err
	}
	defer live.Close()
	for _, f := range fs {
		if _, err := unfile.ExecContext(ctx, f.category, f.sourceID, f.id); err != nil {
			return nil, err
		}
		p.changed[f.category] = true
	}
	var orphans []filed
	for _, f := range fs {
		var n int
		if err := live.QueryRowContext(ctx, f.sourceID, f.id).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			orphans = append(orphans, f)
		}
	}
	return orphans, nil
}

// tombstone turns the articles of fs (which may repeat one) into
// tombstones.
func (p *pruner) tombstone(ctx context.Context, fs []filed) error {
	if len(fs) == 0 {
		return nil
	}
	mark, err := p.tx.PrepareContext(ctx, `UPDATE articles SET pruned = 1, summary = '', content = ''
		WHERE source_id = ? AND id = ? AND pruned = 0`)
	if err != nil {
		return err
	}
	defer mark.Close()
	unfile, err := p.tx.PrepareContext(ctx, `DELETE FROM article_categories
		WHERE source_id = ? AND article_id = ?`)
	if err != nil {
		return err
	}
	defer unfile.Close()
	for _, f := range fs {
		res, err := mark.ExecContext(ctx, f.sourceID, f.id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			continue // already done: the article came twice in fs
		}
		if _, err := unfile.ExecContext(ctx, f.sourceID, f.id); err != nil {
			return err
		}
		p.removed++
	}
	return nil
}

// query reads (category, source id, article id) rows whole, before the
// transaction writes to the tables they come from.
func (p *pruner) query(ctx context.Context, q string, args ...any) ([]filed, error) {
	rows, err := p.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var fs []filed
	for rows.Next() {
		var f filed
		if err := rows.Scan(&f.category, &f.sourceID, &f.id); err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	return fs, rows.Err()
}
