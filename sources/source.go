// Package sources owns the kinds of places articles come from (one file
// per kind) and the shared HTTP fetcher they use.
package sources

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store"
)

// Source collects the current articles of one configured source.
type Source interface {
	Collect(ctx context.Context) (Batch, error)
}

// Batch is what one collection of a source produced. Articles carry raw
// (unsanitized) content and may carry relative links: the collect stage
// normalizes them against BaseURL.
type Batch struct {
	Articles []article.Article
	// Skipped lists items that could not be read; the rest are kept.
	Skipped []error
	// NotModified is set when the upstream answered 304, or 200 with the
	// bytes whose articles were saved last time (then SameBody is set
	// too): nothing changed.
	NotModified, SameBody bool
	// CategoryTitles gives the titles of categories the source derived
	// per item (a templated category id → its rendered title).
	CategoryTitles map[string]string
	// BaseURL is the URL relative links resolve against: the document's
	// own site link if it has one, else the URL it was fetched from.
	BaseURL string
	// Validators are the upstream validators of the fetched URLs. The
	// caller saves them only after the articles are stored, so a crash in
	// between refetches instead of losing articles.
	Validators []Validator
	// Files are the stamps of the files whose reading need not be
	// repeated while they stay the same: those read this time, and those
	// left unread because Env.Unchanged knew them. The caller saves them
	// after the articles, for Env.Unchanged to find next time.
	Files []store.FileStamp
	// Unchanged counts the files left unread because Env.Unchanged
	// knew them.
	Unchanged int
	// Refused counts the fetches of untrusted URLs (detail pages and
	// records) that the fetch policy refused; the source logged them.
	Refused int
	// Pending lists the articles whose detail could not be fetched, for
	// the caller to store and retry (DetailRetrier) even when the
	// listing is not modified next time.
	Pending []store.PendingDetail
}

// titleCategory records title as the title of the derived category id.
func (b *Batch) titleCategory(id, title string) {
	if b.CategoryTitles == nil {
		b.CategoryTitles = map[string]string{}
	}
	b.CategoryTitles[id] = title
}

// A Chunker is a source that can deliver a large collection in batches
// of about size articles, in order, so that it never sits in memory
// whole. Every batch is complete in itself (its own articles, skipped
// items and files); a collection is done when CollectChunks returns nil.
type Chunker interface {
	CollectChunks(ctx context.Context, size int, emit func(Batch) error) error
}

// Validator is the ETag and Last-Modified an upstream gave for a URL,
// and the SHA-256 (hex) of the body it sent.
type Validator struct {
	URL, ETag, LastModified string
	BodySum                 string
}

// Env is what every source kind may need besides its own configuration.
type Env struct {
	Site config.Site
	// Location is the zone for dates without an offset: the source's
	// timezone, else the site's.
	Location *time.Location
	Fetcher  *Fetcher
	Logger   *slog.Logger
	// Now returns the current time; tests set it.
	Now func() time.Time
	// FullText returns the content of an article of this source that was
	// stored with its full text, so a detail step need not fetch it
	// again. Nil means nothing is stored.
	FullText func(ctx context.Context, articleID string) (content string, ok bool)
	// Unchanged reports whether a file was read before with the same
	// size and modification time (and the same configuration), so that
	// it need not be read again. Nil means every file is read.
	Unchanged func(store.FileStamp) bool
	// DeferText makes a posts source render of each post only as much
	// of the text as its summary needs (SummaryRunes characters), the
	// article marked article.Deferred: the collector stores the marker,
	// and the text is rendered when the article is published
	// (FileReader). Only a source none of whose texts are published
	// unless they enter a feed is read so.
	DeferText    bool
	SummaryRunes int
}

// FileReader is a source whose articles can be read again one file at
// a time, in full: a posts source, for the articles it stored with
// their text deferred.
type FileReader interface {
	// ReadFile reads the post at path as Collect would, its text
	// rendered whole. The batch holds the article, or the reason it
	// could not be read in Skipped, or neither for a post no longer
	// published.
	ReadFile(ctx context.Context, path string) (Batch, error)
}

type constructor func(cfg config.Source, env Env) (Source, error)

var kinds = map[string]constructor{
	"feed":  newFeed,
	"html":  newHTML,
	"json":  newJSON,
	"posts": newPosts,
}

// Kinds lists the source types New accepts.
func Kinds() []string {
	var ks []string
	for k := range kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// New returns the source for cfg, dispatched by its type.
func New(cfg config.Source, env Env) (Source, error) {
	c, ok := kinds[cfg.Type]
	if !ok {
		return nil, fmt.Errorf("source %s: unknown type %q (one of %v)", cfg.ID, cfg.Type, Kinds())
	}
	return c(cfg, env)
}

// fetchDocument fetches a source's own document and starts its batch
// with the response's validators, and NotModified on a 304 or on the
// same body as the last saved one (Fetcher.SameBody).
func fetchDocument(ctx context.Context, f *Fetcher, url string) (*Response, Batch, error) {
	resp, err := f.Get(ctx, url)
	if err != nil {
		return nil, Batch{}, err
	}
	var b Batch
	b.NotModified = resp.NotModified
	v := Validator{URL: url, ETag: resp.ETag, LastModified: resp.LastModified}
	if !resp.NotModified && f.SameBody != nil {
		sum := sha256.Sum256(resp.Body)
		v.BodySum = hex.EncodeToString(sum[:])
		b.NotModified = f.SameBody(ctx, url, v.BodySum)
		b.SameBody = b.NotModified
	}
	if v.ETag != "" || v.LastModified != "" || v.BodySum != "" {
		b.Validators = []Validator{v}
	}
	return resp, b, nil
}
