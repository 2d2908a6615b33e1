// Package storetest is the behaviour suite every article store passes:
// store/sqlite runs it against a temporary file, and a PostgreSQL store
// is to run it against a database.
package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
)

// Store is what the suite exercises: the methods every article store
// provides.
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
	UploadedFiles(ctx context.Context, output string) (map[string]string, error)
	SaveUploaded(ctx context.Context, output string, sums map[string]string) error
	ForgetUploaded(ctx context.Context, output string, paths []string) error
	CategorySources(ctx context.Context) (map[string][]string, error)
	Close() error
}

// Opener is the type of Run's open: it returns a new, empty store for
// t, closed when t ends.
type Opener = func(t *testing.T) Store

// Run runs the suite, one subtest per behaviour, each on a new store
// from open, which also closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		test func(t *testing.T, open Opener)
	}{
		{"SaveCounts", testSaveCounts},
		{"UpdateKeepsIdentity", testUpdateKeepsIdentity},
		{"ZeroPublished", testZeroPublished},
		{"UndatedOrder", testUndatedOrder},
		{"Offsets", testOffsets},
		{"SaveIsAtomic", testSaveIsAtomic},
		{"DedupeByLink", testDedupeByLink},
		{"DedupeNotByEmptyLink", testDedupeNotByEmptyLink},
		{"DedupeByFragmentLink", testDedupeByFragmentLink},
		{"ArticlesOrder", testArticlesOrder},
		{"RoundTrip", testRoundTrip},
		{"RoundTripAuthors", testRoundTripAuthors},
		{"Categories", testCategories},
		{"SourceStatus", testSourceStatus},
		{"Validators", testValidators},
		{"Prune", testPrune},
		{"PruneNoResurrection", testPruneNoResurrection},
		{"PruneUnfiled", testPruneUnfiled},
		{"ConcurrentSaves", testConcurrentSaves},
		{"FullText", testFullText},
		{"SaveMarker", testSaveMarker},
		{"TextDeferred", testTextDeferred},
		{"FileStamps", testFileStamps},
		{"PendingDetails", testPendingDetails},
		{"PendingAttempts", testPendingAttempts},
		{"ClearPendingExcept", testClearPendingExcept},
		{"Changes", testChanges},
		{"Rendered", testRendered},
		{"ActiveSources", testActiveSources},
		{"PruneInactive", testPruneInactive},
		{"FiledBy", testFiledBy},
		{"ServedFiles", testServedFiles},
		{"Uploaded", testUploaded},
		{"CategorySources", testCategorySources},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, open) })
	}
}

// base is the suite's clock origin; at(h) is h hours after it.
var base = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

func at(h int) time.Time { return base.Add(time.Duration(h) * time.Hour) }

// art returns article id, linked at example.org, published h hours after
// base, filed in cats, with its hash set.
func art(id string, h int, cats ...string) article.Article {
	a := article.Article{
		ID:         id,
		Title:      "Title " + id,
		Link:       "https://example.org/" + id,
		Published:  at(h),
		Summary:    "Summary of " + id,
		Content:    "<p>Content of " + id + "</p>",
		Categories: cats,
	}
	a.Hash = article.ContentHash(&a)
	return a
}

// edited returns a with other content and the new hash.
func edited(a article.Article, content string) article.Article {
	a.Content = content
	a.Hash = article.ContentHash(&a)
	return a
}

func save(t *testing.T, s Store, source string, now time.Time, arts ...article.Article) store.SaveResult {
	t.Helper()
	res, err := s.Save(t.Context(), source, arts, now)
	if err != nil {
		t.Fatalf("Save(%s): %v", source, err)
	}
	return res
}

func articles(t *testing.T, s Store, category string, limit int) []article.Article {
	t.Helper()
	arts, err := s.Articles(t.Context(), category, limit)
	if err != nil {
		t.Fatalf("Articles(%q, %d): %v", category, limit, err)
	}
	return arts
}

// keys names arts as "source/id", in order.
func keys(arts []article.Article) []string {
	ks := []string{}
	for _, a := range arts {
		ks = append(ks, a.SourceID+"/"+a.ID)
	}
	return ks
}

// checkResult compares save results, a nil Changed equal to an empty one.
func checkResult(t *testing.T, got, want store.SaveResult) {
	t.Helper()
	if len(got.Changed) == 0 && len(want.Changed) == 0 {
		got.Changed, want.Changed = nil, nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("save result = %+v, want %+v", got, want)
	}
}

// checkTime compares times by instant and by offset.
func checkTime(t *testing.T, name string, got, want time.Time) {
	t.Helper()
	if g, w := got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano); g != w {
		t.Errorf("%s = %s, want %s", name, g, w)
	}
}

func checkEqual(t *testing.T, name string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %s, want %s", name, show(got), show(want))
	}
}

func show(v any) string { return fmt.Sprintf("%#v", v) }

// only returns the one article arts must hold.
func only(t *testing.T, arts []article.Article) article.Article {
	t.Helper()
	if len(arts) != 1 {
		t.Fatalf("got %d articles %v, want 1", len(arts), keys(arts))
	}
	return arts[0]
}
