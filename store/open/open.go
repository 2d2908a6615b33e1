// Package open opens the store a configuration names, store/sqlite for
// store.path (the default) and store/postgres for store.url, behind the
// one interface its callers (the build, the daemon) need.
package open

import (
	"context"
	"net/url"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/postgres"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// Store is what the build and the daemon use of a store: everything the
// collector, the publisher, the Jekyll writer and the daemon's own
// bookkeeping ask of it.
type Store interface {
	Save(ctx context.Context, sourceID string, arts []article.Article, now time.Time) (store.SaveResult, error)
	Articles(ctx context.Context, category string, limit int) ([]article.Article, error)
	Categories(ctx context.Context) ([]store.CategoryInfo, error)
	SaveCategory(ctx context.Context, id, title, description string) error
	SetSourceStatus(ctx context.Context, st store.SourceStatus) error
	SourceStatuses(ctx context.Context) ([]store.SourceStatus, error)
	Validators(ctx context.Context, url string) (etag, lastModified string, err error)
	SetValidators(ctx context.Context, url, etag, lastModified string) error
	BodyHash(ctx context.Context, url string) (string, error)
	SetBodyHash(ctx context.Context, url, hash string) error
	Prune(ctx context.Context, maxAge time.Duration, maxItems int, now time.Time) (removed int, changed []string, err error)
	FullText(ctx context.Context, sourceID, id string) (content string, ok bool, err error)
	FileStamps(ctx context.Context, sourceID string) (fingerprint string, stamps map[string]store.FileStamp, err error)
	SaveFileStamps(ctx context.Context, sourceID, fingerprint string, files []store.FileStamp) error
	PendingDetails(ctx context.Context, sourceID string) ([]store.PendingDetail, error)
	SetPendingDetails(ctx context.Context, sourceID string, pending []store.PendingDetail) error
	ClearPendingExcept(ctx context.Context, ids []string) error
	Changes(ctx context.Context) (map[string]int64, error)
	Rendered(ctx context.Context, output string) (map[string]store.Rendered, error)
	SetRendered(ctx context.Context, output string, r map[string]store.Rendered) error
	ForgetRendered(ctx context.Context, output string, categories []string) error
	SetActiveSources(ctx context.Context, ids []string) (changed []string, err error)
	InactiveArticles(ctx context.Context) ([]store.ArticleKey, error)
	ServedFiles(ctx context.Context) (map[string]store.ServedFile, error)
	SaveServedFiles(ctx context.Context, files map[string]store.ServedFile) error
	ForgetServedExcept(ctx context.Context, paths []string) error
	CategorySources(ctx context.Context) (map[string][]string, error)
	UploadedFiles(ctx context.Context, output string) (map[string]string, error)
	SaveUploaded(ctx context.Context, output string, sums map[string]string) error
	ForgetUploaded(ctx context.Context, output string, paths []string) error
	// CheckWritable reports an error when the store can be read but
	// not written.
	CheckWritable(ctx context.Context) error
	Close() error
}

var (
	_ Store = (*sqlite.Store)(nil)
	_ Store = (*postgres.Store)(nil)
)

// Open opens the store cfg names: the PostgreSQL database of cfg.URL
// when it is set, else the SQLite file cfg.Path. Either is migrated to
// the current schema.
func Open(ctx context.Context, cfg config.Store) (Store, error) {
	if cfg.URL != "" {
		s, err := postgres.Open(ctx, cfg.URL)
		if err != nil {
			return nil, err // not a nil *postgres.Store in a non-nil Store
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, cfg.Path)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Check returns what is wrong with cfg's store that the configuration
// package cannot see, without connecting: a store.url whose parameters
// pgx refuses (an unknown sslmode, a pool_max_conns that is no number).
// A store.url that is no postgres:// URL is the configuration's to
// report, and left alone.
func Check(cfg *config.Config) config.Problems {
	u, err := url.Parse(cfg.Store.URL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil
	}
	if err := postgres.CheckURL(cfg.Store.URL); err != nil {
		return config.Problems{cfg.Problem("store.url", err.Error())}
	}
	return nil
}
