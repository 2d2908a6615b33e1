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

// SaveCategory sets the title and description of category id, which need
// not have articles yet.
func (s *Store) SaveCategory(ctx context.Context, id, title, description string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO categories (id, title, description)
		VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE
		SET title = excluded.title, description = excluded.description`, id, title, description)
	if err != nil {
		return fmt.Errorf("save category %s: %w", id, err)
	}
	return nil
}

// Categories returns, sorted by id, every category that has an article
// or was saved with SaveCategory, with its article count and the newest
// Updated time of its articles. Only the filings of configured sources
// count (see SetActiveSources): a category whose every article was filed
// there by sources no longer configured is left out, saved or not.
func (s *Store) Categories(ctx context.Context) ([]store.CategoryInfo, error) {
	cats, err := s.categories(ctx)
	if err != nil {
		return nil, fmt.Errorf("read categories: %w", err)
	}
	return cats, nil
}

func (s *Store) categories(ctx context.Context) ([]store.CategoryInfo, error) {
	tx, err := s.pool.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	filter, err := anyInactive(ctx, tx)
	if err != nil {
		return nil, err
	}
	cats := map[string]*store.CategoryInfo{}
	b := &pgx.Batch{}
	b.Queue(`SELECT id, title, description FROM categories`).Query(func(rows pgx.Rows) error {
		var c store.CategoryInfo
		_, err := pgx.ForEachRow(rows, []any{&c.ID, &c.Title, &c.Description}, func() error {
			x := c
			x.Derived = true
			cats[c.ID] = &x
			return nil
		})
		return err
	})
	b.Queue(countsQuery(filter)).Query(func(rows pgx.Rows) error { return readCounts(rows, cats) })
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT category, n FROM category_dropped`)
	if err != nil {
		return nil, err
	}
	var id string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&id, &n}, func() error {
		if c := cats[id]; c != nil {
			c.Dropped = n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	list := make([]store.CategoryInfo, 0, len(cats))
	for _, id := range slices.Sorted(maps.Keys(cats)) {
		list = append(list, *cats[id])
	}
	return list, tx.Commit(ctx)
}

// countsQuery selects each category's count of the articles configured
// sources filed there, and the newest Updated among them as text, which
// keeps its offset, from the first filed row of
// article_categories_updated.
func countsQuery(filter bool) string {
	return `SELECT g.category, g.n,
		CASE WHEN g.n > 0 THEN (SELECT a.updated FROM article_categories c
			JOIN articles a ON a.source_id = c.source_id AND a.id = c.article_id
			WHERE c.category = g.category AND NOT c.pruned AND ` + filedRow(filter, "c") + `
			ORDER BY c.updated_unix DESC LIMIT 1) ELSE '' END
		FROM (SELECT c.category, COUNT(*) FILTER (WHERE ` + filedRow(filter, "c") + `) AS n
			FROM article_categories c WHERE NOT c.pruned GROUP BY c.category) g`
}

// readCounts adds the count and the newest Updated of every category
// with articles configured sources filed there, and removes the
// categories whose articles only other sources filed there.
func readCounts(rows pgx.Rows, cats map[string]*store.CategoryInfo) error {
	var id, updated string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&id, &n, &updated}, func() error {
		if n == 0 {
			delete(cats, id) // every article is of a removed source
			return nil
		}
		c := cats[id]
		if c == nil {
			c = &store.CategoryInfo{ID: id}
			cats[id] = c
		}
		c.Articles = n
		var err error
		c.Newest, err = codec.ParseTime(updated)
		return err
	})
	return err
}
