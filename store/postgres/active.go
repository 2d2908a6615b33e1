package postgres

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// activeRow is the condition that the article (source, id), two column
// names, is delivered by a configured source: its own, or one that
// delivered it after (article_sources). Without removed sources (filter
// false) it is TRUE, and the planner has nothing to probe.
func activeRow(filter bool, source, id string) string {
	if !filter {
		return "TRUE"
	}
	return `(NOT EXISTS (SELECT 1 FROM inactive_sources i WHERE i.source_id = ` + source + `)
		OR EXISTS (SELECT 1 FROM article_sources x
			WHERE x.canon_source_id = ` + source + ` AND x.canon_article_id = ` + id + `
			AND NOT EXISTS (SELECT 1 FROM inactive_sources j WHERE j.source_id = x.source_id)))`
}

// filedRow is the condition that the category row c (a table alias) is
// filed by a configured source: its filed_by, or one of the other
// sources that filed the article there (article_category_filers); TRUE
// without removed sources. A filer delivered the article, so a filed
// row's article is active too.
func filedRow(filter bool, c string) string {
	if !filter {
		return "TRUE"
	}
	return `(NOT EXISTS (SELECT 1 FROM inactive_sources i WHERE i.source_id = ` + c + `.filed_by)
		OR EXISTS (SELECT 1 FROM article_category_filers f
			WHERE f.source_id = ` + c + `.source_id AND f.article_id = ` + c + `.article_id AND f.category = ` + c + `.category
			AND NOT EXISTS (SELECT 1 FROM inactive_sources j WHERE j.source_id = f.filed_by)))`
}

// SetActiveSources records the ids of the configured sources, with the
// semantics of store/sqlite's, which see. It returns, sorted, the
// categories whose articles may have changed thereby, and gives them
// (and "") a new change number.
func (s *Store) SetActiveSources(ctx context.Context, ids []string) (changed []string, err error) {
	changed, err = s.setActiveSources(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("set the configured sources: %w", err)
	}
	return changed, nil
}

func (s *Store) setActiveSources(ctx context.Context, ids []string) ([]string, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := s.lockWrites(ctx, tx); err != nil {
		return nil, err
	}
	inactive, flipped, err := leftOut(ctx, tx, ids)
	if err != nil || len(flipped) == 0 {
		return nil, err
	}
	cats := map[string]bool{}
	rows, err := tx.Query(ctx, `SELECT DISTINCT c.category FROM article_categories c
		WHERE NOT c.pruned AND (c.source_id = ANY($1)
			OR EXISTS (SELECT 1 FROM article_sources x WHERE x.canon_source_id = c.source_id
				AND x.canon_article_id = c.article_id AND x.source_id = ANY($1)))`, flipped)
	if err := collectStrings(rows, err, cats); err != nil {
		return nil, err
	}
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM inactive_sources`)
	b.Queue(`INSERT INTO inactive_sources (source_id) SELECT unnest($1::text[])`, inactive)
	changed := slices.Sorted(maps.Keys(cats))
	queueChanges(b, changed)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	return changed, tx.Commit(ctx)
}

// leftOut returns, sorted, the stored sources that are not among ids,
// and those that are left out now and were not before, or the other way
// round.
func leftOut(ctx context.Context, tx pgx.Tx, ids []string) (inactive, flipped []string, err error) {
	known, old := map[string]bool{}, map[string]bool{}
	b := &pgx.Batch{}
	for _, q := range []struct {
		query string
		set   map[string]bool
	}{{distinctSources("articles"), known}, {distinctSources("article_sources"), known},
		{`SELECT source_id FROM inactive_sources`, old}} {
		b.Queue(q.query).Query(func(rows pgx.Rows) error { return collectStrings(rows, nil, q.set) })
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, err
	}
	for _, id := range ids {
		delete(known, id)
	}
	for id := range known {
		if !old[id] {
			flipped = append(flipped, id)
		}
	}
	for id := range old {
		if !known[id] {
			flipped = append(flipped, id)
		}
	}
	slices.Sort(flipped)
	return slices.Sorted(maps.Keys(known)), flipped, nil
}

// distinctSources selects the distinct source ids of table, whose
// primary key starts with source_id, by stepping from one to the next on
// that key: a lookup per source rather than a read of every row.
func distinctSources(table string) string {
	return `WITH RECURSIVE s(id) AS (
		SELECT MIN(source_id) FROM ` + table + `
		UNION ALL SELECT (SELECT MIN(source_id) FROM ` + table + ` WHERE source_id > s.id) FROM s WHERE s.id IS NOT NULL)
		SELECT id FROM s WHERE id IS NOT NULL`
}

// InactiveArticles returns the live articles that no configured source
// delivers (see SetActiveSources), newest Published first, with their
// source, id and Published time only.
func (s *Store) InactiveArticles(ctx context.Context) ([]store.ArticleKey, error) {
	keys, err := s.inactiveArticles(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the articles of removed sources: %w", err)
	}
	return keys, nil
}

func (s *Store) inactiveArticles(ctx context.Context) ([]store.ArticleKey, error) {
	rows, err := s.pool.Query(ctx, `SELECT a.source_id, a.id, a.published FROM articles a
		WHERE a.source_id IN (SELECT source_id FROM inactive_sources) AND NOT a.pruned
		AND NOT `+activeRow(true, "a.source_id", "a.id")+`
		ORDER BY a.published_unix DESC, a.source_id, a.id`)
	if err != nil {
		return nil, err
	}
	var keys []store.ArticleKey
	var k store.ArticleKey
	var published string
	_, err = pgx.ForEachRow(rows, []any{&k.SourceID, &k.ID, &published}, func() error {
		var err error
		if k.Published, err = codec.ParseTime(published); err != nil {
			return err
		}
		keys = append(keys, k)
		return nil
	})
	return keys, err
}

// anyInactive reports whether some source is left out (see
// SetActiveSources): whether queries must filter on activeRow.
func anyInactive(ctx context.Context, tx pgx.Tx) (bool, error) {
	var any bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM inactive_sources)`).Scan(&any)
	return any, err
}

// collectStrings adds the values of one-column rows to set; err is the
// query's, so a call can take a query's two results as they come.
func collectStrings(rows pgx.Rows, err error, set map[string]bool) error {
	if err != nil {
		return err
	}
	var s string
	_, err = pgx.ForEachRow(rows, []any{&s}, func() error { set[s] = true; return nil })
	return err
}
