package sqlite

import (
	"context"
	"database/sql"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// stored is the stored article an incoming one turned out to be.
type stored struct {
	sourceID, id string
	own          bool // stored under the saving source, not shared by link
	byLink       bool // found by its link rather than by id
	pruned       bool
	hash         string
	// marker is the stored content when it is an article.Deferred
	// marker and the Save has an article with a marker (see
	// lookupMarkers); "" otherwise.
	marker string
	// publishedUnix and updatedUnix are copied into article_categories;
	// updatedUnix is also compared with an update's.
	publishedUnix, updatedUnix int64
}

// storedColumns are what find reads of an article a.
const storedColumns = `a.source_id, a.id, a.hash, a.published_unix, a.updated_unix, a.pruned`

// lookups are the stored articles one Save's articles may be, read in
// three queries before the first article is saved instead of three per
// article, and kept current as the Save goes.
type lookups struct {
	own    map[string]stored // by id, of the saving source
	shared map[string]stored // by id, delivered before by another source
	byLink map[string]stored // by link, of another source or pruned
}

// lookup reads what find needs for arts: the saving source's articles
// with their ids, those it shares by id, and for the rest the first
// article (oldest first seen) of another source, or a pruned one, with
// each link.
func (sv *saver) lookup(ctx context.Context, tx *sql.Tx, arts []article.Article) error {
	sv.found = lookups{own: map[string]stored{}, shared: map[string]stored{}, byLink: map[string]stored{}}
	ids := make([]string, 0, len(arts))
	for i := range arts {
		ids = append(ids, arts[i].ID)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+storedColumns+`, a.id FROM articles a
		WHERE a.source_id = ? AND a.id IN (SELECT value FROM json_each(?))`, sv.source, codec.JSONList(ids))
	err = scanLookups(rows, err, func(k string, st stored) {
		st.own = true
		sv.found.own[k] = st
	})
	if err != nil {
		return err
	}
	if err := sv.lookupMarkers(ctx, tx, arts); err != nil {
		return err
	}
	ids = ids[:0]
	for i := range arts {
		if _, ok := sv.found.own[arts[i].ID]; !ok {
			ids = append(ids, arts[i].ID)
		}
	}
	rows, err = tx.QueryContext(ctx, `SELECT `+storedColumns+`, s.article_id FROM article_sources s
		JOIN articles a ON a.source_id = s.canon_source_id AND a.id = s.canon_article_id
		WHERE s.source_id = ? AND s.article_id IN (SELECT value FROM json_each(?))`, sv.source, codec.JSONList(ids))
	err = scanLookups(rows, err, func(k string, st stored) { sv.found.shared[k] = st })
	if err != nil {
		return err
	}
	var links []string
	for i := range arts {
		a := &arts[i]
		if _, ok := sv.found.own[a.ID]; !ok && a.Link != "" {
			if _, ok := sv.found.shared[a.ID]; !ok {
				links = append(links, a.Link)
			}
		}
	}
	// A live article of the same source with this link is another
	// article (a source may reuse a link); a pruned one is not.
	rows, err = tx.QueryContext(ctx, `SELECT `+storedColumns+`, a.link FROM articles a
		WHERE a.link IN (SELECT value FROM json_each(?)) AND a.link <> '' AND (a.source_id <> ? OR a.pruned = 1)
		ORDER BY a.first_seen_unix, a.source_id, a.id`, codec.JSONList(links), sv.source)
	return scanLookups(rows, err, func(k string, st stored) {
		if _, ok := sv.found.byLink[k]; !ok { // the first is the one
			st.byLink = true
			st.own = st.sourceID == sv.source
			sv.found.byLink[k] = st
		}
	})
}

// markersQuery reads the contents of the articles of source ?1 with the
// ids of the JSON list ?2 that sort from ?3 up to ?4.
const markersQuery = `SELECT a.id, a.content FROM articles a
	WHERE a.source_id = ?1 AND a.id IN (SELECT value FROM json_each(?2)) AND a.content >= ?3 AND a.content < ?4`

// lookupMarkers sets the marker of the saving source's stored articles
// that arrive with a marker for content, and have one stored: a save
// compares the two, to put the new marker in place of a stored text
// with the same hash (see saver.save). Only those articles' contents
// are read, and only the markers among them are returned: a save of
// articles that are no markers runs no query more.
func (sv *saver) lookupMarkers(ctx context.Context, tx *sql.Tx, arts []article.Article) error {
	var ids []string
	for i := range arts {
		if _, ok := sv.found.own[arts[i].ID]; ok && article.IsDeferred(arts[i].Content) {
			ids = append(ids, arts[i].ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	// Every marker sorts from the prefix up to the prefix with its last
	// byte one higher: BINARY comparisons, no function of the text.
	prefix := article.DeferredMarker
	upper := prefix[:len(prefix)-1] + string([]byte{prefix[len(prefix)-1] + 1})
	rows, err := tx.QueryContext(ctx, markersQuery, sv.source, codec.JSONList(ids), prefix, upper)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, content string
		if err := rows.Scan(&id, &content); err != nil {
			return err
		}
		st := sv.found.own[id]
		st.marker = content
		sv.found.own[id] = st
	}
	return rows.Err()
}

// scanLookups calls add with each row's key (its last column) and
// stored article.
func scanLookups(rows *sql.Rows, err error, add func(key string, st stored)) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var st stored
		var key string
		if err := rows.Scan(&st.sourceID, &st.id, &st.hash, &st.publishedUnix, &st.updatedUnix, &st.pruned, &key); err != nil {
			return err
		}
		add(key, st)
	}
	return rows.Err()
}

// find looks a up by (source, id), then among the ids it was recorded
// with as a duplicate, then by link.
func (sv *saver) find(a *article.Article) (stored, bool) {
	if st, ok := sv.found.own[a.ID]; ok {
		return st, true
	}
	if st, ok := sv.found.shared[a.ID]; ok {
		return st, true
	}
	if a.Link == "" {
		return stored{}, false
	}
	st, ok := sv.found.byLink[a.Link]
	return st, ok
}
