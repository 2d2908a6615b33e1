package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/article"
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
	// queueMarkers); "" otherwise.
	marker string
	// publishedUnix and updatedUnix are copied into article_categories;
	// updatedUnix is also compared with an update's.
	publishedUnix, updatedUnix int64
}

// artKey names a stored article.
type artKey struct{ source, id string }

func (st stored) key() artKey { return artKey{st.sourceID, st.id} }

// catRow is what a save needs of one category row of an article.
type catRow struct {
	filedBy string
	pruned  bool
	// filer: the saving source is among the row's other filers
	// (article_category_filers).
	filer bool
}

// storedColumns are what find reads of an article a.
const storedColumns = `a.source_id, a.id, a.hash, a.published_unix, a.updated_unix, a.pruned`

// lookups are the stored articles one Save's articles may be, and the
// category rows of each, read before the first article is saved and
// kept current as the Save goes: the writer lock (see lockWrites) keeps
// anyone else from changing them meanwhile, so the save decides every
// write in memory and sends them all at once.
type lookups struct {
	own    map[string]stored // by id, of the saving source
	shared map[string]stored // by id, delivered before by another source
	byLink map[string]stored // by link, of another source or pruned
	cats   map[artKey]map[string]*catRow
}

// lookup reads what find needs for arts, in three round trips at most:
// the saving source's articles with their ids; then those it shares by
// id, for the rest the first article (oldest first seen) of another
// source, or a pruned one, with each link, and the category rows of the
// first; then the category rows of the others.
func (sv *saver) lookup(ctx context.Context, tx pgx.Tx, arts []article.Article) error {
	sv.found = lookups{own: map[string]stored{}, shared: map[string]stored{}, byLink: map[string]stored{},
		cats: map[artKey]map[string]*catRow{}}
	ids := make([]string, 0, len(arts))
	for i := range arts {
		ids = append(ids, arts[i].ID)
	}
	rows, err := tx.Query(ctx, `SELECT `+storedColumns+`, a.id FROM articles a
		WHERE a.source_id = $1 AND a.id = ANY($2)`, sv.source, ids)
	err = scanLookups(rows, err, func(k string, st stored) {
		st.own = true
		sv.found.own[k] = st
	})
	if err != nil {
		return err
	}
	var rest, links []string
	for i := range arts {
		a := &arts[i]
		if _, ok := sv.found.own[a.ID]; !ok {
			rest = append(rest, a.ID)
			if a.Link != "" {
				links = append(links, a.Link)
			}
		}
	}
	b := &pgx.Batch{}
	if len(rest) > 0 {
		b.Queue(`SELECT `+storedColumns+`, s.article_id FROM article_sources s
			JOIN articles a ON a.source_id = s.canon_source_id AND a.id = s.canon_article_id
			WHERE s.source_id = $1 AND s.article_id = ANY($2)`, sv.source, rest).
			Query(func(rows pgx.Rows) error {
				return scanLookups(rows, nil, func(k string, st stored) { sv.found.shared[k] = st })
			})
	}
	// A live article of the same source with this link is another
	// article (a source may reuse a link); a pruned one is not. The links
	// of the articles shared by id are looked up too, to save a round
	// trip: find never reads them.
	if len(links) > 0 {
		b.Queue(`SELECT `+storedColumns+`, a.link FROM articles a
			WHERE a.link = ANY($1) AND a.link <> '' AND (a.source_id <> $2 OR a.pruned)
			ORDER BY a.first_seen_unix, a.source_id, a.id`, links, sv.source).
			Query(func(rows pgx.Rows) error {
				return scanLookups(rows, nil, func(k string, st stored) {
					if _, ok := sv.found.byLink[k]; !ok { // the first is the one
						st.byLink = true
						st.own = st.sourceID == sv.source
						sv.found.byLink[k] = st
					}
				})
			})
	}
	sv.queueCategories(b, sv.found.own)
	sv.queueMarkers(b, arts)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	b = &pgx.Batch{}
	sv.queueCategories(b, sv.found.shared)
	sv.queueCategories(b, sv.found.byLink)
	return tx.SendBatch(ctx, b).Close()
}

// queueCategories queues on b the reading of the category rows of the
// found articles whose rows are not read yet: one query per source, on
// the primary key's two leading columns, which the planner probes the
// index for even on a table it has no statistics of yet (a join with an
// unnest of keys was planned as a scan of every row).
func (sv *saver) queueCategories(b *pgx.Batch, found map[string]stored) {
	ids := map[string][]string{} // by source
	for _, st := range found {
		if _, ok := sv.found.cats[st.key()]; !ok {
			sv.found.cats[st.key()] = map[string]*catRow{}
			ids[st.sourceID] = append(ids[st.sourceID], st.id)
		}
	}
	for src, ids := range ids {
		b.Queue(`SELECT c.article_id, c.category, c.filed_by, c.pruned,
				EXISTS (SELECT 1 FROM article_category_filers f WHERE f.source_id = c.source_id
					AND f.article_id = c.article_id AND f.category = c.category AND f.filed_by = $3)
			FROM article_categories c WHERE c.source_id = $1 AND c.article_id = ANY($2)`, src, ids, sv.source).
			Query(func(rows pgx.Rows) error {
				var id, category string
				var r catRow
				_, err := pgx.ForEachRow(rows, []any{&id, &category, &r.filedBy, &r.pruned, &r.filer}, func() error {
					row := r
					sv.found.cats[artKey{src, id}][category] = &row
					return nil
				})
				return err
			})
	}
}

// queueMarkers queues on b the setting of the marker of the saving
// source's stored articles that arrive with a marker for content, and
// have one stored: a save compares the two, to put the new marker in
// place of a stored text with the same hash (see saver.save). Only
// those articles' contents are read, and only the markers among them
// are returned: a save of articles that are no markers reads nothing
// more.
func (sv *saver) queueMarkers(b *pgx.Batch, arts []article.Article) {
	var ids []string
	for i := range arts {
		if _, ok := sv.found.own[arts[i].ID]; ok && article.IsDeferred(arts[i].Content) {
			ids = append(ids, arts[i].ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	b.Queue(`SELECT a.id, a.content FROM articles a
		WHERE a.source_id = $1 AND a.id = ANY($2) AND starts_with(a.content, $3)`,
		sv.source, ids, article.DeferredMarker).
		Query(func(rows pgx.Rows) error {
			var id, content string
			_, err := pgx.ForEachRow(rows, []any{&id, &content}, func() error {
				st := sv.found.own[id]
				st.marker = content
				sv.found.own[id] = st
				return nil
			})
			return err
		})
}

// scanLookups calls add with each row's key (its last column) and
// stored article.
func scanLookups(rows pgx.Rows, err error, add func(key string, st stored)) error {
	if err != nil {
		return err
	}
	var st stored
	var key string
	_, err = pgx.ForEachRow(rows, []any{&st.sourceID, &st.id, &st.hash, &st.publishedUnix, &st.updatedUnix, &st.pruned, &key}, func() error {
		add(key, st)
		return nil
	})
	return err
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
