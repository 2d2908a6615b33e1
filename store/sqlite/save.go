package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
)

// Save upserts the articles of one collection of source sourceID at time
// now, in one transaction: all of them are saved or none.
//
// An article is known by (sourceID, ID), and also by its link: one whose
// link is already stored for another source is that source's article,
// and only gains sourceID's categories. A known article with the same
// Hash is left alone; with another Hash its text is replaced, while its
// ID and Published time stay. Categories are only ever added by Save.
// A pruned article is never saved again.
func (s *Store) Save(ctx context.Context, sourceID string, arts []article.Article, now time.Time) (store.SaveResult, error) {
	res, err := s.save(ctx, sourceID, arts, now)
	if err != nil {
		return store.SaveResult{}, fmt.Errorf("save articles of %s: %w", sourceID, err)
	}
	return res, nil
}

func (s *Store) save(ctx context.Context, sourceID string, arts []article.Article, now time.Time) (store.SaveResult, error) {
	if now.IsZero() {
		return store.SaveResult{}, errors.New("zero save time")
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return store.SaveResult{}, err
	}
	defer tx.Rollback()
	sv, err := newSaver(ctx, tx, sourceID, now)
	if err != nil {
		return store.SaveResult{}, err
	}
	defer sv.close()
	for i := range arts {
		if err := sv.save(ctx, &arts[i]); err != nil {
			return store.SaveResult{}, fmt.Errorf("article %q: %w", arts[i].ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return store.SaveResult{}, err
	}
	res := sv.res
	res.Changed = slices.Sorted(maps.Keys(sv.changed))
	return res, nil
}

// saver saves the articles of one Save with statements prepared once in
// its transaction.
type saver struct {
	source  string
	now     time.Time
	stmts   []*sql.Stmt
	res     store.SaveResult
	changed map[string]bool

	selectOwn, selectShared, selectByLink        *sql.Stmt
	insert, update, insertShared, insertCategory *sql.Stmt
	liveCategories                               *sql.Stmt
}

func newSaver(ctx context.Context, tx *sql.Tx, source string, now time.Time) (*saver, error) {
	sv := &saver{source: source, now: now, changed: map[string]bool{}}
	for _, p := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&sv.selectOwn, `SELECT hash, updated_unix, pruned FROM articles WHERE source_id = ? AND id = ?`},
		{&sv.selectShared, `SELECT a.source_id, a.id, a.pruned FROM article_sources s
			JOIN articles a ON a.source_id = s.canon_source_id AND a.id = s.canon_article_id
			WHERE s.source_id = ? AND s.article_id = ?`},
		// A live article of the same source with this link is another
		// article (a source may reuse a link); a pruned one is not.
		{&sv.selectByLink, `SELECT source_id, id, pruned FROM articles
			WHERE link = ? AND link <> '' AND (source_id <> ? OR pruned = 1)
			ORDER BY first_seen_unix, source_id, id LIMIT 1`},
		{&sv.insert, `INSERT INTO articles (source_id, id, title, link, author,
			published, published_unix, updated, updated_unix, first_seen, first_seen_unix,
			summary, content, tags, image, enclosures, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&sv.update, `UPDATE articles SET title = ?, link = ?, author = ?, summary = ?,
			content = ?, tags = ?, image = ?, enclosures = ?, hash = ?, updated = ?, updated_unix = ?
			WHERE source_id = ? AND id = ?`},
		{&sv.insertShared, `INSERT INTO article_sources (source_id, article_id,
			canon_source_id, canon_article_id, first_seen) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`},
		// A category row that exists, even one pruned by the item limit,
		// is left as it is: the article is not filed there again.
		{&sv.insertCategory, `INSERT INTO article_categories
			(source_id, article_id, category, published_unix, position)
			SELECT a.source_id, a.id, ?, a.published_unix,
				(SELECT COUNT(*) FROM article_categories c WHERE c.source_id = a.source_id AND c.article_id = a.id)
			FROM articles a WHERE a.source_id = ? AND a.id = ?
			ON CONFLICT DO NOTHING`},
		{&sv.liveCategories, `SELECT category FROM article_categories
			WHERE source_id = ? AND article_id = ? AND pruned = 0`},
	} {
		st, err := tx.PrepareContext(ctx, p.query)
		if err != nil {
			sv.close()
			return nil, err
		}
		*p.stmt = st
		sv.stmts = append(sv.stmts, st)
	}
	return sv, nil
}

func (sv *saver) close() {
	for _, st := range sv.stmts {
		st.Close()
	}
}

// stored is the stored article an incoming one turned out to be.
type stored struct {
	sourceID, id string
	own          bool // stored under the saving source, not shared by link
	byLink       bool // found by its link rather than by id
	pruned       bool
	hash         string
	updatedUnix  int64
}

func (sv *saver) save(ctx context.Context, a *article.Article) error {
	if a.ID == "" {
		return errors.New("empty id")
	}
	hash := a.Hash
	if hash == "" {
		hash = article.ContentHash(a)
	}
	st, found, err := sv.find(ctx, a)
	switch {
	case err != nil:
		return err
	case !found:
		sv.res.New++
		return sv.insertArticle(ctx, a, hash)
	case st.pruned:
		sv.res.Unchanged++
		return nil
	case !st.own:
		sv.res.Unchanged++
		return sv.share(ctx, a, st)
	case st.hash == hash:
		sv.res.Unchanged++
		return sv.addCategories(ctx, st.sourceID, st.id, a.Categories)
	default:
		sv.res.Updated++
		return sv.updateArticle(ctx, a, hash, st)
	}
}

// find looks a up by (source, id), then among the ids it was recorded
// with as a duplicate, then by link.
func (sv *saver) find(ctx context.Context, a *article.Article) (stored, bool, error) {
	st := stored{sourceID: sv.source, id: a.ID, own: true}
	err := sv.selectOwn.QueryRowContext(ctx, sv.source, a.ID).Scan(&st.hash, &st.updatedUnix, &st.pruned)
	if !errors.Is(err, sql.ErrNoRows) {
		return st, err == nil, err
	}
	st = stored{}
	err = sv.selectShared.QueryRowContext(ctx, sv.source, a.ID).Scan(&st.sourceID, &st.id, &st.pruned)
	if !errors.Is(err, sql.ErrNoRows) || a.Link == "" {
		return st, err == nil, ignoreNoRows(err)
	}
	st.byLink = true
	err = sv.selectByLink.QueryRowContext(ctx, a.Link, sv.source).Scan(&st.sourceID, &st.id, &st.pruned)
	st.own = st.sourceID == sv.source
	return st, err == nil, ignoreNoRows(err)
}

func ignoreNoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

func (sv *saver) insertArticle(ctx context.Context, a *article.Article, hash string) error {
	published := a.Published
	if published.IsZero() {
		published = sv.now
	}
	updated := a.Updated
	if updated.IsZero() {
		updated = published
	}
	_, err := sv.insert.ExecContext(ctx, sv.source, a.ID, a.Title, a.Link, a.Author,
		formatTime(published), published.UnixNano(), formatTime(updated), updated.UnixNano(),
		formatTime(sv.now), sv.now.UnixNano(), a.Summary, a.Content,
		encodeTags(a.Tags), a.Image, encodeEnclosures(a.Enclosures), hash)
	if err != nil {
		return err
	}
	return sv.addCategories(ctx, sv.source, a.ID, a.Categories)
}

// share records that the saving source delivered another source's
// article, and files it into the saving source's categories too.
func (sv *saver) share(ctx context.Context, a *article.Article, st stored) error {
	if st.byLink {
		_, err := sv.insertShared.ExecContext(ctx, sv.source, a.ID, st.sourceID, st.id, formatTime(sv.now))
		if err != nil {
			return err
		}
	}
	return sv.addCategories(ctx, st.sourceID, st.id, a.Categories)
}

func (sv *saver) updateArticle(ctx context.Context, a *article.Article, hash string, st stored) error {
	updated := sv.now
	if !a.Updated.IsZero() && a.Updated.UnixNano() > st.updatedUnix {
		updated = a.Updated
	}
	_, err := sv.update.ExecContext(ctx, a.Title, a.Link, a.Author, a.Summary, a.Content,
		encodeTags(a.Tags), a.Image, encodeEnclosures(a.Enclosures), hash,
		formatTime(updated), updated.UnixNano(), st.sourceID, st.id)
	if err != nil {
		return err
	}
	if err := sv.addCategories(ctx, st.sourceID, st.id, a.Categories); err != nil {
		return err
	}
	return sv.markLiveCategories(ctx, st.sourceID, st.id)
}

// addCategories files the article into cats, marking changed the
// categories it was not filed in before.
func (sv *saver) addCategories(ctx context.Context, sourceID, id string, cats []string) error {
	for _, c := range cats {
		if c == "" {
			continue
		}
		res, err := sv.insertCategory.ExecContext(ctx, c, sourceID, id)
		if err != nil {
			return fmt.Errorf("category %s: %w", c, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n > 0 {
			sv.changed[c] = true
		}
	}
	return nil
}

// markLiveCategories marks changed every category the article is shown in.
func (sv *saver) markLiveCategories(ctx context.Context, sourceID, id string) error {
	rows, err := sv.liveCategories.QueryContext(ctx, sourceID, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return err
		}
		sv.changed[c] = true
	}
	return rows.Err()
}
