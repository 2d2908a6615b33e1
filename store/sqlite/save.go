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
	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// Save upserts the articles of one collection of source sourceID at time
// now, in one transaction: all of them are saved or none.
//
// An article without a published date takes now minus its place in arts
// in seconds, its first-seen time, which keeps the source's order.
//
// An article is known by (sourceID, ID), and also by its link: one whose
// link is already stored for another source is that source's article,
// and only gains sourceID's categories. A known article with the same
// Hash is left alone, except that an article.Deferred marker for content
// replaces another stored content (the marker of the file a post was
// moved from), and nothing else; with another Hash its text is
// replaced, while its ID and Published time stay. Categories are only
// ever added by Save. A pruned article is never saved again. The articles' SourceID is
// ignored (sourceID is theirs), and an empty Hash is computed.
func (s *Store) Save(ctx context.Context, sourceID string, arts []article.Article, now time.Time) (store.SaveResult, error) {
	res, err := s.save(ctx, sourceID, arts, now)
	if err != nil {
		if ctx.Err() != nil {
			// database/sql rolled the transaction back when ctx ended,
			// which fails the statement running then: ctx is the reason.
			err = ctx.Err()
		}
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
	// Each statement takes microseconds, and a cancellable context costs
	// the driver a goroutine per statement: check ctx between articles
	// instead. database/sql rolls the transaction back when ctx ends.
	quiet := context.WithoutCancel(ctx)
	if err := sv.lookup(quiet, tx, arts); err != nil {
		return store.SaveResult{}, err
	}
	for i := range arts {
		if err := ctx.Err(); err != nil {
			return store.SaveResult{}, err
		}
		sv.pos = i
		if err := sv.save(quiet, &arts[i]); err != nil {
			return store.SaveResult{}, fmt.Errorf("article %q: %w", arts[i].ID, err)
		}
	}
	if sv.res.New+sv.res.Updated > 0 || len(sv.changed) > 0 {
		if err := recordChanges(quiet, tx, slices.Sorted(maps.Keys(sv.changed))); err != nil {
			return store.SaveResult{}, err
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
	found   lookups
	pos     int // of the article being saved, in the Save's slice

	insert, update, insertShared, insertCategory  *sql.Stmt
	insertFiler, updateCategories, liveCategories *sql.Stmt
	setContent                                    *sql.Stmt
}

func newSaver(ctx context.Context, tx *sql.Tx, source string, now time.Time) (*saver, error) {
	sv := &saver{source: source, now: now, changed: map[string]bool{}}
	for _, p := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&sv.insert, `INSERT INTO articles (source_id, id, title, link, author,
			published, published_unix, updated, updated_unix, first_seen, first_seen_unix,
			summary, content, tags, image, enclosures, hash, full_text, via)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		// The updated time stays when ?10 is set (see updateArticle).
		{&sv.update, `UPDATE articles SET title = ?1, link = ?2, author = ?3, summary = ?4,
			content = ?5, tags = ?6, image = ?7, enclosures = ?8, hash = ?9,
			updated = CASE WHEN ?10 THEN updated ELSE ?11 END,
			updated_unix = CASE WHEN ?10 THEN updated_unix ELSE ?12 END,
			full_text = ?13, via = ?14 WHERE source_id = ?15 AND id = ?16`},
		{&sv.insertShared, `INSERT INTO article_sources (source_id, article_id,
			canon_source_id, canon_article_id, first_seen) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`},
		// A category row that exists, even one pruned by the item limit,
		// is left as it is: the article is not filed there again. Its
		// no-op update counts a row that another source filed and the
		// saving source is not recorded for yet (see fileCategories);
		// a row the saving source filed, as every category of an
		// unchanged article of its own, counts nothing. (RETURNING the
		// filer would tell the two apart in one statement, but a query
		// per category made a save of unchanged articles 1.5 to 2 times
		// slower than this Exec.)
		{&sv.insertCategory, `INSERT INTO article_categories
			(source_id, article_id, category, published_unix, updated_unix, filed_unix, position, filed_by)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
			ON CONFLICT (source_id, article_id, category) DO UPDATE SET filed_by = filed_by
			WHERE filed_by <> ?8 AND NOT EXISTS (SELECT 1 FROM article_category_filers f
				WHERE f.source_id = ?1 AND f.article_id = ?2 AND f.category = ?3 AND f.filed_by = ?8)`},
		// The saving source as another filer of a row that exists.
		{&sv.insertFiler, `INSERT INTO article_category_filers (source_id, article_id, category, filed_by)
			SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM article_categories c
				WHERE c.source_id = ?1 AND c.article_id = ?2 AND c.category = ?3 AND c.filed_by <> ?4)
			ON CONFLICT DO NOTHING`},
		{&sv.setContent, `UPDATE articles SET content = ? WHERE source_id = ? AND id = ?`},
		{&sv.updateCategories, `UPDATE article_categories SET updated_unix = ?
			WHERE source_id = ? AND article_id = ?`},
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

func (sv *saver) save(ctx context.Context, a *article.Article) error {
	if a.ID == "" {
		return errors.New("empty id")
	}
	hash := a.Hash
	if hash == "" {
		hash = article.ContentHash(a)
	}
	st, found := sv.find(a)
	switch {
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
		if article.IsDeferred(a.Content) && st.marker != a.Content {
			if err := sv.putMarker(ctx, a, st); err != nil {
				return err
			}
		}
		return sv.addCategories(ctx, st, a.Categories)
	default:
		sv.res.Updated++
		return sv.updateArticle(ctx, a, hash, st)
	}
}

// putMarker stores a's marker in place of the stored content of the
// same hash: the marker of the file the post was moved from (the hash
// is the text's digest, not the path). Nothing else changes, nor do the
// feeds.
func (sv *saver) putMarker(ctx context.Context, a *article.Article, st stored) error {
	if _, err := sv.setContent.ExecContext(ctx, a.Content, st.sourceID, st.id); err != nil {
		return err
	}
	st.marker = a.Content
	sv.found.own[a.ID] = st
	return nil
}

func (sv *saver) insertArticle(ctx context.Context, a *article.Article, hash string) error {
	published := a.Published
	if published.IsZero() {
		// First seen, one second earlier per place in the document: the
		// source's order is kept (the first item newest), and the feeds,
		// whose dates have whole seconds, never give two undated items the
		// same updated time (W3C "DuplicateUpdated"). Stored once, it
		// never changes.
		published = sv.now.Add(-time.Duration(sv.pos) * time.Second)
	}
	updated := a.Updated
	if updated.IsZero() {
		updated = published
	}
	_, err := sv.insert.ExecContext(ctx, sv.source, a.ID, a.Title, a.Link, codec.EncodeAuthors(a),
		codec.FormatTime(published), published.UnixNano(), codec.FormatTime(updated), updated.UnixNano(),
		codec.FormatTime(sv.now), sv.now.UnixNano(), a.Summary, a.Content,
		codec.EncodeTags(a.Tags), a.Image, codec.EncodeEnclosures(a.Enclosures), hash, a.FullText, a.Via)
	if err != nil {
		return err
	}
	st := stored{sourceID: sv.source, id: a.ID, own: true, hash: hash, marker: markerOf(a.Content),
		publishedUnix: published.UnixNano(), updatedUnix: updated.UnixNano()}
	sv.found.own[a.ID] = st
	_, err = sv.fileCategories(ctx, st, a.Categories, true)
	return err
}

// share records that the saving source delivered another source's
// article, and files it into the saving source's categories too.
func (sv *saver) share(ctx context.Context, a *article.Article, st stored) error {
	if st.byLink {
		_, err := sv.insertShared.ExecContext(ctx, sv.source, a.ID, st.sourceID, st.id, codec.FormatTime(sv.now))
		if err != nil {
			return err
		}
		st.byLink = false // found by id from now on
		sv.found.shared[a.ID] = st
	}
	return sv.addCategories(ctx, st, a.Categories)
}

// updateArticle writes a's new version, updated now (or at a's own
// updated time, when later), except when a's text is newly deferred
// (see textDeferred): then it keeps its updated time.
func (sv *saver) updateArticle(ctx context.Context, a *article.Article, hash string, st stored) error {
	keep := textDeferred(a, st)
	updated := sv.now
	if !a.Updated.IsZero() && a.Updated.UnixNano() > st.updatedUnix {
		updated = a.Updated
	}
	_, err := sv.update.ExecContext(ctx, a.Title, a.Link, codec.EncodeAuthors(a), a.Summary, a.Content,
		codec.EncodeTags(a.Tags), a.Image, codec.EncodeEnclosures(a.Enclosures), hash,
		keep, codec.FormatTime(updated), updated.UnixNano(), a.FullText, a.Via, st.sourceID, st.id)
	if err != nil {
		return err
	}
	st.hash, st.marker = hash, markerOf(a.Content)
	if !keep {
		st.updatedUnix = updated.UnixNano()
		if _, err := sv.updateCategories.ExecContext(ctx, st.updatedUnix, st.sourceID, st.id); err != nil {
			return err
		}
	}
	sv.found.own[a.ID] = st
	if _, err := sv.fileCategories(ctx, st, a.Categories, false); err != nil {
		return err
	}
	return sv.markLiveCategories(ctx, st.sourceID, st.id)
}

// textDeferred reports whether a arrives with its text deferred (an
// article.Deferred marker) where a rendered text is stored: the first
// save of a posts source's article after its texts began to be deferred
// (an upgrade, pages turned off). Its hash changed with the form of its
// content, not with what a reader sees, so its updated time stays. (An
// edit saved at that same moment keeps it too.)
func textDeferred(a *article.Article, st stored) bool {
	return article.IsDeferred(a.Content) && st.marker == ""
}

// markerOf is what stored.marker is for content: content when it is a
// marker, else "".
func markerOf(content string) string {
	if article.IsDeferred(content) {
		return content
	}
	return ""
}

// addCategories files the stored article into cats on behalf of the
// saving source, marking changed the categories it was not filed in
// before. A category keeps the place it was first filed at: by save
// time, then by its place in cats. When another source filed it there
// first, the saving source is recorded as a filer too, so that the
// filing stays while either is configured. A new filing of an article
// stored before changes the categories it is shown in as well: each
// lists the article's categories.
func (sv *saver) addCategories(ctx context.Context, st stored, cats []string) error {
	added, err := sv.fileCategories(ctx, st, cats, false)
	if err != nil || !added {
		return err
	}
	return sv.markLiveCategories(ctx, st.sourceID, st.id)
}

// fileCategories is addCategories without the marking of the other
// categories, and says whether it filed any. fresh says that the article
// was inserted by this save, so that its every category row is new.
func (sv *saver) fileCategories(ctx context.Context, st stored, cats []string, fresh bool) (added bool, err error) {
	for i, c := range cats {
		if c == "" {
			continue
		}
		res, err := sv.insertCategory.ExecContext(ctx, st.sourceID, st.id, c,
			st.publishedUnix, st.updatedUnix, sv.now.UnixNano(), i, sv.source)
		if err != nil {
			return false, fmt.Errorf("category %s: %w", c, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return false, err
		} else if n == 0 {
			continue // the saving source filed it already
		}
		if !fresh {
			// A new row, or another source's that the saving source
			// files too: insertFiler records the second, rarely needed.
			if _, err := sv.insertFiler.ExecContext(ctx, st.sourceID, st.id, c, sv.source); err != nil {
				return false, fmt.Errorf("category %s: %w", c, err)
			}
		}
		sv.changed[c] = true
		added = true
	}
	return added, nil
}

// markLiveCategories marks changed every category the article is shown in.
func (sv *saver) markLiveCategories(ctx context.Context, sourceID, id string) error {
	rows, err := sv.liveCategories.QueryContext(ctx, sourceID, id)
	return collectStrings(rows, err, sv.changed)
}
