package postgres

import (
	"context"
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
// now, in one transaction: all of them are saved or none. It has the
// semantics of store/sqlite's Save, which see.
//
// It reads what the articles may be first (see lookup), decides every
// write in memory, and sends them as one batch of multi-row statements:
// a save costs a few round trips to the server, however many articles it
// holds.
func (s *Store) Save(ctx context.Context, sourceID string, arts []article.Article, now time.Time) (store.SaveResult, error) {
	res, err := s.save(ctx, sourceID, arts, now)
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err() // pgx failed the statement running when ctx ended
		}
		return store.SaveResult{}, fmt.Errorf("save articles of %s: %w", sourceID, err)
	}
	return res, nil
}

func (s *Store) save(ctx context.Context, sourceID string, arts []article.Article, now time.Time) (store.SaveResult, error) {
	if now.IsZero() {
		return store.SaveResult{}, errors.New("zero save time")
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return store.SaveResult{}, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := s.lockWrites(ctx, tx); err != nil {
		return store.SaveResult{}, err
	}
	sv := &saver{source: sourceID, now: now, changed: map[string]bool{}, w: newWrites()}
	if err := sv.lookup(ctx, tx, arts); err != nil {
		return store.SaveResult{}, err
	}
	for i := range arts {
		sv.pos = i
		if err := sv.save(&arts[i]); err != nil {
			return store.SaveResult{}, fmt.Errorf("article %q: %w", arts[i].ID, err)
		}
	}
	changed := slices.Sorted(maps.Keys(sv.changed))
	b := sv.w.batch()
	if sv.res.New+sv.res.Updated > 0 || len(changed) > 0 {
		queueChanges(b, changed)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return store.SaveResult{}, err
	}
	if err := tx.Commit(ctx); err != nil {
		return store.SaveResult{}, err
	}
	res := sv.res
	res.Changed = changed
	return res, nil
}

// saver decides the writes of one Save.
type saver struct {
	source  string
	now     time.Time
	res     store.SaveResult
	changed map[string]bool
	found   lookups
	w       *writes
	pos     int // of the article being saved, in the Save's slice
}

func (sv *saver) save(a *article.Article) error {
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
		sv.insertArticle(a, hash)
	case st.pruned:
		sv.res.Unchanged++
	case !st.own:
		sv.res.Unchanged++
		sv.share(a, st)
	case st.hash == hash:
		sv.res.Unchanged++
		if article.IsDeferred(a.Content) && st.marker != a.Content {
			sv.putMarker(a, st)
		}
		sv.addCategories(st, a.Categories)
	default:
		sv.res.Updated++
		sv.updateArticle(a, hash, st)
	}
	return nil
}

func (sv *saver) insertArticle(a *article.Article, hash string) {
	published := a.Published
	if published.IsZero() {
		// First seen, one second earlier per place in the document (see
		// store/sqlite): the source's order is kept, and no two undated
		// items get the same updated time.
		published = sv.now.Add(-time.Duration(sv.pos) * time.Second)
	}
	updated := a.Updated
	if updated.IsZero() {
		updated = published
	}
	st := stored{sourceID: sv.source, id: a.ID, own: true, hash: hash, marker: markerOf(a.Content),
		publishedUnix: published.UnixNano(), updatedUnix: updated.UnixNano()}
	row := &articleRow{key: st.key(), published: codec.FormatTime(published), publishedUnix: published.UnixNano(),
		firstSeen: codec.FormatTime(sv.now), firstSeenUnix: sv.now.UnixNano()}
	row.set(a, hash, updated)
	sv.w.insert(row)
	sv.found.own[a.ID] = st
	sv.found.cats[st.key()] = map[string]*catRow{}
	sv.fileCategories(st, a.Categories, true)
}

// share records that the saving source delivered another source's
// article, and files it into the saving source's categories too.
func (sv *saver) share(a *article.Article, st stored) {
	if st.byLink {
		sv.w.shared.add(sv.source, a.ID, st.sourceID, st.id, codec.FormatTime(sv.now))
		st.byLink = false // found by id from now on
		sv.found.shared[a.ID] = st
	}
	sv.addCategories(st, a.Categories)
}

// updateArticle writes a's new version, updated now (or at a's own
// updated time, when later), except when a's text is newly deferred
// (see textDeferred): then it keeps its updated time.
func (sv *saver) updateArticle(a *article.Article, hash string, st stored) {
	if textDeferred(a, st) {
		sv.w.update(st.key(), a, hash, time.Time{})
		st.hash, st.marker = hash, markerOf(a.Content)
		sv.found.own[a.ID] = st
	} else {
		updated := sv.now
		if !a.Updated.IsZero() && a.Updated.UnixNano() > st.updatedUnix {
			updated = a.Updated
		}
		sv.w.update(st.key(), a, hash, updated)
		st.updatedUnix, st.hash, st.marker = updated.UnixNano(), hash, markerOf(a.Content)
		sv.found.own[a.ID] = st
		sv.w.catUpdates[st.key()] = st.updatedUnix
	}
	sv.fileCategories(st, a.Categories, false)
	sv.markLiveCategories(st)
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

// putMarker stores a's marker in place of the stored content of the
// same hash: the marker of the file the post was moved from (the hash
// is the text's digest, not the path). Nothing else changes, nor do the
// feeds.
func (sv *saver) putMarker(a *article.Article, st stored) {
	sv.w.setContent(st.key(), a.Content)
	st.marker = a.Content
	sv.found.own[a.ID] = st
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
// before, and then every category it is shown in (each lists the
// article's categories). When another source filed it in one first, the
// saving source is recorded as a filer too.
func (sv *saver) addCategories(st stored, cats []string) {
	if sv.fileCategories(st, cats, false) {
		sv.markLiveCategories(st)
	}
}

// fileCategories is addCategories without the marking of the other
// categories, and says whether it filed any. fresh says that the article
// was inserted by this save. A category row that exists, even one pruned
// by the item limit, stays as it is: the article is not filed there
// again; a row another source filed gains the saving source as a filer,
// once.
func (sv *saver) fileCategories(st stored, cats []string, fresh bool) (added bool) {
	rows := sv.found.cats[st.key()]
	for i, c := range cats {
		if c == "" {
			continue
		}
		r, ok := rows[c]
		switch {
		case !ok:
			rows[c] = &catRow{filedBy: sv.source}
			sv.w.cats.add(st.sourceID, st.id, c, st.publishedUnix, st.updatedUnix, sv.now.UnixNano(), i, sv.source)
		case r.filedBy == sv.source || r.filer:
			continue // the saving source filed it already
		case !fresh:
			r.filer = true
			sv.w.filers.add(st.sourceID, st.id, c, sv.source)
		}
		sv.changed[c] = true
		added = true
	}
	return added
}

// markLiveCategories marks changed every category the article is shown in.
func (sv *saver) markLiveCategories(st stored) {
	for c, r := range sv.found.cats[st.key()] {
		if !r.pruned {
			sv.changed[c] = true
		}
	}
}
