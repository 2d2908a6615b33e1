package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// Articles returns the newest limit articles of category (every article
// when category is ""), newest Published first, then by source and id,
// with their categories. A limit of 0 or less returns them all. Pruned
// articles are left out, and so are those that no configured source
// delivers (see SetActiveSources); of a category, and of an article's
// categories, so are the filings no configured source made.
func (s *Store) Articles(ctx context.Context, category string, limit int) ([]article.Article, error) {
	arts, err := s.articles(ctx, category, limit)
	if err != nil {
		return nil, fmt.Errorf("read articles of category %q: %w", category, err)
	}
	return arts, nil
}

// pageQuery selects the keys of the requested articles in feed order,
// from one index: articles_newest, or article_categories_newest; with
// filter, only those of configured sources (the filings of configured
// sources, of a category).
func pageQuery(category string, limit int, filter bool) (string, []any) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	if category == "" {
		return `SELECT a.source_id, a.id FROM articles a WHERE a.pruned = 0 AND ` + activeRow(filter, "a.source_id", "a.id") + `
			ORDER BY a.published_unix DESC, a.source_id, a.id LIMIT ?`, []any{limit}
	}
	return `SELECT c.source_id, c.article_id AS id FROM article_categories c
		WHERE c.category = ? AND c.pruned = 0 AND ` + filedRow(filter, "c") + `
		ORDER BY c.published_unix DESC, c.source_id, c.article_id LIMIT ?`, []any{category, limit}
}

// articlesQuery reads the articles page selects.
func articlesQuery(page string) string {
	return `SELECT a.source_id, a.id, a.title, a.link, a.via, a.author,
		a.published, a.updated, a.summary, a.content, a.tags, a.image, a.enclosures, a.hash
		FROM (` + page + `) p JOIN articles a ON a.source_id = p.source_id AND a.id = p.id
		ORDER BY a.published_unix DESC, a.source_id, a.id`
}

// categoriesQuery reads the categories of the articles page selects;
// with filter, only those configured sources filed them in.
func categoriesQuery(page string, filter bool) string {
	return `SELECT c.source_id, c.article_id, c.category
		FROM (` + page + `) p JOIN article_categories c ON c.source_id = p.source_id AND c.article_id = p.id
		WHERE c.pruned = 0 AND ` + filedRow(filter, "c") + ` ORDER BY c.source_id, c.article_id, c.filed_unix, c.position`
}

func (s *Store) articles(ctx context.Context, category string, limit int) ([]article.Article, error) {
	// One read transaction, so that the categories match the articles.
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	filter, err := anyInactive(ctx, tx)
	if err != nil {
		return nil, err
	}
	page, args := pageQuery(category, limit, filter)
	rows, err := s.query(ctx, tx, articlesQuery(page), args...)
	if err != nil {
		return nil, err
	}
	arts, err := scanArticles(rows)
	if err != nil || len(arts) == 0 {
		return arts, err
	}
	if err := s.fillCategories(ctx, tx, categoriesQuery(page, filter), args, arts); err != nil {
		return nil, err
	}
	return arts, tx.Commit()
}

func scanArticles(rows *sql.Rows) ([]article.Article, error) {
	defer rows.Close()
	var arts []article.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		arts = append(arts, a)
	}
	return arts, rows.Err()
}

func scanArticle(rows *sql.Rows) (article.Article, error) {
	var a article.Article
	var published, updated, tags, enclosures string
	err := rows.Scan(&a.SourceID, &a.ID, &a.Title, &a.Link, &a.Via, &a.Author, &published, &updated,
		&a.Summary, &a.Content, &tags, &a.Image, &enclosures, &a.Hash)
	if err != nil {
		return a, err
	}
	a.Author, a.Authors = codec.DecodeAuthors(a.Author)
	if a.Published, err = codec.ParseTime(published); err != nil {
		return a, err
	}
	if a.Updated, err = codec.ParseTime(updated); err != nil {
		return a, err
	}
	if a.Tags, err = codec.DecodeTags(tags); err != nil {
		return a, err
	}
	a.Enclosures, err = codec.DecodeEnclosures(enclosures)
	return a, err
}

// fillCategories sets the categories of arts, the articles of the page
// the query of categoriesQuery reads, in the order the article was filed
// into them.
func (s *Store) fillCategories(ctx context.Context, tx *sql.Tx, query string, args []any, arts []article.Article) error {
	type key struct{ source, id string }
	index := make(map[key]int, len(arts))
	for i := range arts {
		index[key{arts[i].SourceID, arts[i].ID}] = i
	}
	rows, err := s.query(ctx, tx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k key
		var c string
		if err := rows.Scan(&k.source, &k.id, &c); err != nil {
			return err
		}
		if i, ok := index[k]; ok {
			arts[i].Categories = append(arts[i].Categories, c)
		}
	}
	return rows.Err()
}

// FullText returns the content of a live article of sourceID that was
// stored with its full text (from a detail step), and whether there is one.
func (s *Store) FullText(ctx context.Context, sourceID, id string) (content string, ok bool, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT content FROM articles
		WHERE source_id = ? AND id = ? AND full_text = 1 AND pruned = 0`, sourceID, id).Scan(&content)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("read full text of %s/%s: %w", sourceID, id, err)
	}
	return content, true, nil
}
