// Package store owns the types shared by the article stores (store/sqlite,
// and later store/postgres): what a save reports, what a source's status
// and a category's summary look like. Callers declare the small interfaces
// they need; the implementations return these types.
package store

import (
	"time"

	"github.com/feedsmith/feedsmith/article"
)

// SaveResult reports what one Save did to the articles of a collection.
type SaveResult struct {
	// New, Updated and Unchanged count the saved articles. A duplicate of
	// another source's article (same link) and a pruned article count as
	// Unchanged.
	New, Updated, Unchanged int
	// Changed lists, sorted, the category ids whose article set or content
	// changed: the ones whose feeds must be rendered again.
	Changed []string
}

// SourceStatus is the health of one source, as the status page shows it.
type SourceStatus struct {
	SourceID    string
	LastAttempt time.Time
	// LastSuccess is zero when the source never succeeded. Stores keep
	// the previous one when given a zero LastSuccess: a failed run does
	// not forget when the source last worked.
	LastSuccess time.Time
	// LastError is the error of the last attempt, "" when it succeeded.
	LastError string
	// New, Updated and Unchanged are the counts of the last run.
	New, Updated, Unchanged int
	// Articles is computed by the store when read: how many articles of
	// the source are stored (pruned ones excluded), including those it
	// shares with a source that delivered them first.
	Articles int
}

// CategoryInfo summarises one category.
type CategoryInfo struct {
	ID          string
	Title       string
	Description string
	// Derived is set for a category saved with SaveCategory, which
	// collecting does for the categories it derives from articles (the
	// names they carry, a source's templated category) and never for a
	// declared one: a category that is neither declared nor Derived has
	// articles only because a configuration filed them there before.
	Derived bool
	// Articles counts the category's stored articles, pruned ones and
	// those no configured source filed in it excluded.
	Articles int
	// Newest is the latest Updated time among those articles, with its
	// original offset; zero when the category has none.
	Newest time.Time
	// Dropped counts the articles retention (Prune) took out of the
	// category over its life: the site numbers a category's older pages
	// from the oldest article it ever had.
	Dropped int
}

// ArticleKey names a stored article, with its Published time (and its
// original offset).
type ArticleKey struct {
	SourceID, ID string
	Published    time.Time
}

// FileStamp is what a source knew of a file it read: the file is taken
// to be unchanged while its size and modification time stay the same.
type FileStamp struct {
	Path    string
	Size    int64
	ModUnix int64 // nanoseconds
}

// Rendered is what a writer of the output folder last wrote for one
// category: the category's change sequence number it rendered, and a
// stamp of the files it wrote (their configuration and sizes), so that
// an unchanged category need not be rendered again.
type Rendered struct {
	Seq   int64
	Stamp string
}

// ServedFile is what the daemon last served at one path of its tree: a
// hash of the bytes and when they last changed. A file that comes back
// after a restart with the same bytes keeps its Last-Modified, so that a
// reader's If-Modified-Since from before the restart still gets a 304.
type ServedFile struct {
	// Sum is the lower-case hex SHA-256 of the bytes.
	Sum string
	// Modified is when the bytes last changed; stores keep it to the
	// nanosecond (Last-Modified itself has whole seconds).
	Modified time.Time
}

// PendingDetail is an article whose detail (its full text, from its own
// page or record) a run could not fetch: its listing data as the source
// gave it, before normalizing, and the URL of its detail. The next run
// retries it from here, so that the listing itself may stay conditional.
type PendingDetail struct {
	URL string
	// BaseURL is what the article's relative links resolve against.
	BaseURL string
	Article article.Article
	// Attempts counts the fetches of the detail that failed, the first
	// run's included; FirstFailed is when the first failed.
	Attempts    int
	FirstFailed time.Time
}
