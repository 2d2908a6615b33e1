package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"

	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// SaveCategory sets the title and description of category id, which need
// not have articles yet.
func (s *Store) SaveCategory(ctx context.Context, id, title, description string) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO categories (id, title, description)
		VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE
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
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cats := map[string]*store.CategoryInfo{}
	if err := s.readDeclared(ctx, tx, cats); err != nil {
		return nil, err
	}
	if err := s.readCounts(ctx, tx, cats); err != nil {
		return nil, err
	}
	if err := s.readDropped(ctx, tx, cats); err != nil {
		return nil, err
	}
	list := make([]store.CategoryInfo, 0, len(cats))
	for _, id := range slices.Sorted(maps.Keys(cats)) {
		list = append(list, *cats[id])
	}
	return list, tx.Commit()
}

func (s *Store) readDeclared(ctx context.Context, tx *sql.Tx, cats map[string]*store.CategoryInfo) error {
	rows, err := s.query(ctx, tx, `SELECT id, title, description FROM categories`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c := store.CategoryInfo{Derived: true}
		if err := rows.Scan(&c.ID, &c.Title, &c.Description); err != nil {
			return err
		}
		cats[c.ID] = &c
	}
	return rows.Err()
}

// readCounts adds the count and the newest Updated of every category
// with articles configured sources filed there, and removes the
// categories whose articles only other sources filed there. The newest is read as text, which
// keeps its offset, from the first active row of article_categories_updated.
func (s *Store) readCounts(ctx context.Context, tx *sql.Tx, cats map[string]*store.CategoryInfo) error {
	filter, err := anyInactive(ctx, tx)
	if err != nil {
		return err
	}
	rows, err := s.query(ctx, tx, `SELECT g.category, g.n,
		CASE WHEN g.n > 0 THEN (SELECT a.updated FROM article_categories c
			JOIN articles a ON a.source_id = c.source_id AND a.id = c.article_id
			WHERE c.category = g.category AND c.pruned = 0 AND `+filedRow(filter, "c")+`
			ORDER BY c.updated_unix DESC LIMIT 1) ELSE '' END
		FROM (SELECT c.category, SUM(`+filedRow(filter, "c")+`) AS n
			FROM article_categories c WHERE c.pruned = 0 GROUP BY c.category) g`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, updated string
		var n int
		if err := rows.Scan(&id, &n, &updated); err != nil {
			return err
		}
		if n == 0 {
			delete(cats, id) // every article is of a removed source
			continue
		}
		c := cats[id]
		if c == nil {
			c = &store.CategoryInfo{ID: id}
			cats[id] = c
		}
		c.Articles = n
		if c.Newest, err = codec.ParseTime(updated); err != nil {
			return err
		}
	}
	return rows.Err()
}

// readDropped sets the Dropped count of the categories in cats.
func (s *Store) readDropped(ctx context.Context, tx *sql.Tx, cats map[string]*store.CategoryInfo) error {
	rows, err := s.query(ctx, tx, `SELECT category, n FROM category_dropped`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		if c := cats[id]; c != nil {
			c.Dropped = n
		}
	}
	return rows.Err()
}
