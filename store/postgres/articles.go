package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// readOnly is the transaction of a read that runs several statements:
// one snapshot, so that they agree.
var readOnly = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

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
// sources, of a category). A NULL limit is none.
func pageQuery(category string, limit int, filter bool) (string, []any) {
	var n *int
	if limit > 0 {
		n = &limit
	}
	if category == "" {
		return `SELECT a.source_id, a.id FROM articles a WHERE NOT a.pruned AND ` + activeRow(filter, "a.source_id", "a.id") + `
			ORDER BY a.published_unix DESC, a.source_id, a.id LIMIT $1`, []any{n}
	}
	return `SELECT c.source_id, c.article_id AS id FROM article_categories c
		WHERE c.category = $2 AND NOT c.pruned AND ` + filedRow(filter, "c") + `
		ORDER BY c.published_unix DESC, c.source_id, c.article_id LIMIT $1`, []any{n, category}
}

// articlesQuery reads the articles page selects, each with its
// categories (with filter, those configured sources filed it in) in the
// order it was filed into them.
func articlesQuery(page string, filter bool) string {
	return `SELECT a.source_id, a.id, a.title, a.link, a.via, a.author,
		a.published, a.updated, a.summary, a.content, a.tags, a.image, a.enclosures, a.hash,
		ARRAY(SELECT c.category FROM article_categories c
			WHERE c.source_id = a.source_id AND c.article_id = a.id AND NOT c.pruned AND ` + filedRow(filter, "c") + `
			ORDER BY c.filed_unix, c.position, c.category)
		FROM (` + page + `) p JOIN articles a ON a.source_id = p.source_id AND a.id = p.id
		ORDER BY a.published_unix DESC, a.source_id, a.id`
}

func (s *Store) articles(ctx context.Context, category string, limit int) ([]article.Article, error) {
	// One snapshot: the filter must hold for what the query reads.
	tx, err := s.pool.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	filter, err := anyInactive(ctx, tx)
	if err != nil {
		return nil, err
	}
	page, args := pageQuery(category, limit, filter)
	rows, err := tx.Query(ctx, articlesQuery(page, filter), args...)
	if err != nil {
		return nil, err
	}
	arts, err := scanArticles(rows)
	if err != nil {
		return nil, err
	}
	return arts, tx.Commit(ctx)
}

func scanArticles(rows pgx.Rows) ([]article.Article, error) {
	var arts []article.Article
	var a article.Article
	var published, updated, tags, enclosures string
	var cats []string
	_, err := pgx.ForEachRow(rows, []any{&a.SourceID, &a.ID, &a.Title, &a.Link, &a.Via, &a.Author, &published, &updated,
		&a.Summary, &a.Content, &tags, &a.Image, &enclosures, &a.Hash, &cats}, func() error {
		x := a
		var err error
		x.Author, x.Authors = codec.DecodeAuthors(x.Author)
		if x.Published, err = codec.ParseTime(published); err != nil {
			return err
		}
		if x.Updated, err = codec.ParseTime(updated); err != nil {
			return err
		}
		if x.Tags, err = codec.DecodeTags(tags); err != nil {
			return err
		}
		if x.Enclosures, err = codec.DecodeEnclosures(enclosures); err != nil {
			return err
		}
		if len(cats) > 0 {
			x.Categories = cats
		}
		cats = nil // a new slice for the next row
		arts = append(arts, x)
		return nil
	})
	return arts, err
}

// FullText returns the content of a live article of sourceID that was
// stored with its full text (from a detail step), and whether there is one.
func (s *Store) FullText(ctx context.Context, sourceID, id string) (content string, ok bool, err error) {
	err = s.pool.QueryRow(ctx, `SELECT content FROM articles
		WHERE source_id = $1 AND id = $2 AND full_text AND NOT pruned`, sourceID, id).Scan(&content)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("read full text of %s/%s: %w", sourceID, id, err)
	}
	return content, true, nil
}
