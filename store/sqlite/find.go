package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/feedsmith/feedsmith/article"
)

// stored is the stored article an incoming one turned out to be.
type stored struct {
	sourceID, id string
	own          bool // stored under the saving source, not shared by link
	byLink       bool // found by its link rather than by id
	pruned       bool
	hash         string
	// publishedUnix and updatedUnix are copied into article_categories;
	// updatedUnix is also compared with an update's.
	publishedUnix, updatedUnix int64
}

// storedColumns are what find reads of an article a.
const storedColumns = `a.source_id, a.id, a.hash, a.published_unix, a.updated_unix, a.pruned`

func scanStored(row *sql.Row) (stored, bool, error) {
	var st stored
	err := row.Scan(&st.sourceID, &st.id, &st.hash, &st.publishedUnix, &st.updatedUnix, &st.pruned)
	if errors.Is(err, sql.ErrNoRows) {
		return st, false, nil
	}
	return st, err == nil, err
}

// find looks a up by (source, id), then among the ids it was recorded
// with as a duplicate, then by link.
func (sv *saver) find(ctx context.Context, a *article.Article) (stored, bool, error) {
	st, found, err := scanStored(sv.selectOwn.QueryRowContext(ctx, sv.source, a.ID))
	if found || err != nil {
		st.own = true
		return st, found, err
	}
	st, found, err = scanStored(sv.selectShared.QueryRowContext(ctx, sv.source, a.ID))
	if found || err != nil || a.Link == "" {
		return st, found, err
	}
	st, found, err = scanStored(sv.selectByLink.QueryRowContext(ctx, a.Link, sv.source))
	st.byLink = true
	st.own = st.sourceID == sv.source
	return st, found, err
}
