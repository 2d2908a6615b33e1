package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store/internal/codec"
)

// articleRow is an article to insert or update.
type articleRow struct {
	key                                 artKey
	title, link, author                 string
	published, updated, firstSeen       string
	publishedUnix, updatedUnix          int64
	firstSeenUnix                       int64
	summary, content, tags, image, encl string
	hash, via                           string
	fullText                            bool
}

// set sets what an update replaces: the text, hash and updated time.
func (r *articleRow) set(a *article.Article, hash string, updated time.Time) {
	r.title, r.link, r.author = a.Title, a.Link, codec.EncodeAuthors(a)
	r.summary, r.content, r.image = a.Summary, a.Content, a.Image
	r.tags, r.encl = codec.EncodeTags(a.Tags), codec.EncodeEnclosures(a.Enclosures)
	r.hash, r.via, r.fullText = hash, a.Via, a.FullText
	r.updated, r.updatedUnix = codec.FormatTime(updated), updated.UnixNano()
}

// writes are the writes of one Save, by table, in the order they were
// decided; batch sends each table's as one statement.
type writes struct {
	inserts  []*articleRow
	inserted map[artKey]*articleRow
	updates  []*articleRow
	updated  map[artKey]*articleRow
	shared   columns // article_sources
	cats     columns // article_categories
	filers   columns // article_category_filers
	// catUpdates is the updated_unix of the category rows of each
	// updated article, the last one set.
	catUpdates map[artKey]int64
	// contents are the contents, as stored, that replace those of
	// articles this save neither inserts nor updates otherwise.
	contents map[artKey]string
}

func newWrites() *writes {
	return &writes{inserted: map[artKey]*articleRow{}, updated: map[artKey]*articleRow{},
		catUpdates: map[artKey]int64{}, contents: map[artKey]string{}}
}

func (w *writes) insert(r *articleRow) {
	w.inserts = append(w.inserts, r)
	w.inserted[r.key] = r
}

// update replaces the text of the article k: in its pending insert when
// this save inserts it, else in its one pending update. A zero updated
// keeps the updated time the article has: the pending row's, else the
// stored one (an update row's empty updated, see updateArticles).
func (w *writes) update(k artKey, a *article.Article, hash string, updated time.Time) {
	r, inserted := w.inserted[k]
	if !inserted {
		var ok bool
		if r, ok = w.updated[k]; !ok {
			r = &articleRow{key: k}
			w.updated[k] = r
			w.updates = append(w.updates, r)
		}
		delete(w.contents, k) // the update writes the content too
	}
	before, beforeUnix := r.updated, r.updatedUnix
	r.set(a, hash, updated)
	if updated.IsZero() {
		r.updated, r.updatedUnix = before, beforeUnix
	}
}

// setContent replaces the content of the article k, and nothing else:
// in its pending insert or update when this save has one, else on its
// own.
func (w *writes) setContent(k artKey, content string) {
	if r, ok := w.inserted[k]; ok {
		r.content = content
	} else if r, ok := w.updated[k]; ok {
		r.content = content
	} else {
		w.contents[k] = content
	}
}

// articleColumns are the columns of articleRow, in the order of the
// unnest of insertArticles and updateArticles.
const articleColumns = `source_id, id, title, link, author, published, published_unix,
	updated, updated_unix, first_seen, first_seen_unix, summary, content, tags, image,
	enclosures, hash, full_text, via`

const articleArrays = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
	$7::bigint[], $8::text[], $9::bigint[], $10::text[], $11::bigint[], $12::text[], $13::text[],
	$14::text[], $15::text[], $16::text[], $17::text[], $18::boolean[], $19::text[])`

const (
	insertArticles = `INSERT INTO articles (` + articleColumns + `) SELECT * FROM ` + articleArrays
	updateArticles = `UPDATE articles a SET title = u.title, link = u.link, author = u.author,
		summary = u.summary, content = u.content, tags = u.tags, image = u.image,
		enclosures = u.enclosures, hash = u.hash,
		updated = CASE WHEN u.updated = '' THEN a.updated ELSE u.updated END,
		updated_unix = CASE WHEN u.updated = '' THEN a.updated_unix ELSE u.updated_unix END,
		full_text = u.full_text, via = u.via
		FROM ` + articleArrays + ` u (` + articleColumns + `)
		WHERE a.source_id = u.source_id AND a.id = u.id`
	insertShared = `INSERT INTO article_sources (source_id, article_id, canon_source_id, canon_article_id, first_seen)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
		ON CONFLICT DO NOTHING`
	insertCategories = `INSERT INTO article_categories
		(source_id, article_id, category, published_unix, updated_unix, filed_unix, position, filed_by)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[],
			$7::integer[], $8::text[])`
	insertFilers = `INSERT INTO article_category_filers (source_id, article_id, category, filed_by)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
		ON CONFLICT DO NOTHING`
	setContents = `UPDATE articles a SET content = u.content
		FROM unnest($1::text[], $2::text[], $3::text[]) u (source_id, id, content)
		WHERE a.source_id = u.source_id AND a.id = u.id`
	updateCategories = `UPDATE article_categories c SET updated_unix = u.updated_unix
		FROM unnest($1::text[], $2::text[], $3::bigint[]) u (source_id, article_id, updated_unix)
		WHERE c.source_id = u.source_id AND c.article_id = u.article_id`
)

// batch queues the writes on a new batch, in an order the foreign keys
// allow: articles before the rows that name them, and the category rows'
// updated times after every category row is in.
func (w *writes) batch() *pgx.Batch {
	b := &pgx.Batch{}
	if len(w.inserts) > 0 {
		b.Queue(insertArticles, articleArgs(w.inserts)...)
	}
	if len(w.updates) > 0 {
		b.Queue(updateArticles, articleArgs(w.updates)...)
	}
	if len(w.contents) > 0 {
		var c columns
		for k, content := range w.contents {
			c.add(k.source, k.id, content)
		}
		b.Queue(setContents, c.args()...)
	}
	for _, t := range []struct {
		query string
		cols  *columns
	}{{insertShared, &w.shared}, {insertCategories, &w.cats}, {insertFilers, &w.filers}} {
		if t.cols.rows > 0 {
			b.Queue(t.query, t.cols.args()...)
		}
	}
	if len(w.catUpdates) > 0 {
		var c columns
		for k, u := range w.catUpdates {
			c.add(k.source, k.id, u)
		}
		b.Queue(updateCategories, c.args()...)
	}
	return b
}

func articleArgs(rows []*articleRow) []any {
	var c columns
	for _, r := range rows {
		c.add(r.key.source, r.key.id, r.title, r.link, r.author, r.published, r.publishedUnix,
			r.updated, r.updatedUnix, r.firstSeen, r.firstSeenUnix, r.summary, r.content, r.tags, r.image,
			r.encl, r.hash, r.fullText, r.via)
	}
	return c.args()
}

// columns gathers rows as one slice per column, for a multi-row
// statement over unnest.
type columns struct {
	cols []any // *[]string, *[]int64, *[]int or *[]bool
	rows int
}

// add appends one row; every row has the same column types, in order.
func (c *columns) add(row ...any) {
	if c.cols == nil {
		c.cols = make([]any, len(row))
		for i, v := range row {
			switch v.(type) {
			case string:
				c.cols[i] = new([]string)
			case int64:
				c.cols[i] = new([]int64)
			case int:
				c.cols[i] = new([]int)
			case bool:
				c.cols[i] = new([]bool)
			default:
				panic("postgres: no column type for a value of this type")
			}
		}
	}
	for i, v := range row {
		switch col := c.cols[i].(type) {
		case *[]string:
			*col = append(*col, v.(string))
		case *[]int64:
			*col = append(*col, v.(int64))
		case *[]int:
			*col = append(*col, v.(int))
		case *[]bool:
			*col = append(*col, v.(bool))
		}
	}
	c.rows++
}

// args returns the columns as the statement's arguments.
func (c *columns) args() []any {
	args := make([]any, len(c.cols))
	for i, col := range c.cols {
		switch col := col.(type) {
		case *[]string:
			args[i] = *col
		case *[]int64:
			args[i] = *col
		case *[]int:
			args[i] = *col
		case *[]bool:
			args[i] = *col
		}
	}
	return args
}
