package postgres

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
	"github.com/feedsmith/feedsmith/store/storetest"
)

// The tests run against the server FEEDSMITH_TEST_POSTGRES names, each
// in a schema of its own; without it they skip (see pgtest.URL):
//
//	FEEDSMITH_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test go test ./store/postgres

func openTest(t testing.TB, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	pgtest.Server(t) // skip once, not in every subtest
	storetest.Run(t, func(t *testing.T) storetest.Store {
		return openTest(t, pgtest.URL(t))
	})
}

var now = time.Date(2025, 3, 1, 12, 0, 0, 0, time.FixedZone("", 8*3600))

func testArticle(id string, cats ...string) article.Article {
	a := article.Article{ID: id, Title: "Title " + id, Link: "https://example.org/" + id,
		Published: now.Add(-time.Hour), Content: "<p>" + id + "</p>", Categories: cats}
	a.Hash = article.ContentHash(&a)
	return a
}

func schemaVersion(t *testing.T, s *Store) int {
	t.Helper()
	var v int
	if err := s.pool.QueryRow(t.Context(), `SELECT version FROM schema_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestConcurrentOpen opens several stores at once on one new schema, as
// instances starting together do: the writer lock lets one migrate while
// the others wait, and all of them find the schema current.
func TestConcurrentOpen(t *testing.T) {
	url := pgtest.URL(t)
	const instances = 4
	stores := make([]*Store, instances)
	errs := make([]error, instances)
	var wg sync.WaitGroup
	for i := range instances {
		wg.Go(func() { stores[i], errs[i] = Open(t.Context(), url) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	if t.Failed() {
		return
	}
	if v := schemaVersion(t, stores[0]); v != len(migrations) {
		t.Errorf("schema version %d, want %d", v, len(migrations))
	}
	var rows int
	if err := stores[0].pool.QueryRow(t.Context(), `SELECT COUNT(*) FROM schema_version`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("schema_version has %d rows (%v), want 1", rows, err)
	}
	if _, err := stores[1].Save(t.Context(), "src", []article.Article{testArticle("a", "news")}, now); err != nil {
		t.Fatal(err)
	}
	if arts, err := stores[3].Articles(t.Context(), "news", 0); err != nil || len(arts) != 1 {
		t.Errorf("another instance reads %v, %v; want the article", arts, err)
	}
}

func TestReopen(t *testing.T) {
	url := pgtest.URL(t)
	s, err := Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(t.Context(), "src", []article.Article{testArticle("a", "news")}, now); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for range 2 { // a second open finds the schema current
		s = openTest(t, url)
		res, err := s.Save(t.Context(), "src", []article.Article{testArticle("a", "news")}, now)
		if err != nil || res.Unchanged != 1 {
			t.Fatalf("save after reopen: %+v, %v; want unchanged", res, err)
		}
	}
	if v := schemaVersion(t, s); v != len(migrations) {
		t.Errorf("schema version %d, want %d", v, len(migrations))
	}
}

func TestOpenNewerSchema(t *testing.T) {
	url := pgtest.URL(t)
	s := openTest(t, url)
	if _, err := s.pool.Exec(t.Context(), `UPDATE schema_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	_, err := Open(t.Context(), url)
	if err == nil || !strings.Contains(err.Error(), "newer than this program") || !strings.Contains(err.Error(), "open store postgres://") {
		t.Fatalf("Open = %v, want an error naming the store and a newer schema", err)
	}
}

// TestOpenErrors: the error names the store without its password, and
// why.
func TestOpenErrors(t *testing.T) {
	url := pgtest.URL(t)
	tests := []struct{ name, url, want string }{
		{"schema missing", strings.Replace(url, "search_path=", "search_path=nosuchschema", 1),
			"no schema of the search_path exists"},
		{"server down", "postgres://feedsmith:s3cret@127.0.0.1:1/test?connect_timeout=5", "connect"},
		{"bad parameter", "postgres://feedsmith:s3cret@127.0.0.1/test?sslmode=sometimes", "sslmode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(t.Context(), tt.url)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "open store postgres://") {
				t.Fatalf("Open = %v, want an error naming the store and %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://feedsmith:s3cret@db.example/feeds?sslmode=require", "postgres://feedsmith:xxxxx@db.example/feeds?sslmode=require"},
		{"postgres://db.example/feeds?password=s3cret", "postgres://db.example/feeds?password=xxxxx"},
		{"postgresql://feedsmith@db.example/feeds", "postgresql://feedsmith@db.example/feeds"},
		{"host=db.example password=s3cret", "(connection string)"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckWritable(t *testing.T) {
	url := pgtest.URL(t)
	s := openTest(t, url)
	if err := s.SetSourceStatus(t.Context(), store.SourceStatus{SourceID: "a", LastAttempt: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckWritable(t.Context()); err != nil {
		t.Errorf("a writable store: %v", err)
	}
	// What a standby or a read-only database looks like to the store:
	// its reads work, every write is refused.
	ro := openTest(t, url+"&default_transaction_read_only=on")
	if sts, err := ro.SourceStatuses(t.Context()); err != nil || len(sts) != 1 {
		t.Fatalf("reading a read-only store: %v, %v", sts, err)
	}
	err := ro.CheckWritable(t.Context())
	if err == nil || !strings.Contains(err.Error(), "read-only transaction") {
		t.Errorf("a read-only store: %v, want PostgreSQL's read-only error", err)
	}
}

// TestFirstSeen checks what the suite cannot see through the interface:
// first_seen never changes.
func TestFirstSeen(t *testing.T) {
	s := openTest(t, pgtest.URL(t))
	a := testArticle("a", "news")
	later := now.Add(time.Hour)
	for i, when := range []time.Time{now, later, later.Add(time.Hour)} {
		if i == 2 {
			a.Content = "edited"
			a.Hash = article.ContentHash(&a)
		}
		if _, err := s.Save(t.Context(), "src", []article.Article{a}, when); err != nil {
			t.Fatal(err)
		}
	}
	var firstSeen string
	if err := s.pool.QueryRow(t.Context(), `SELECT first_seen FROM articles WHERE id = 'a'`).Scan(&firstSeen); err != nil {
		t.Fatal(err)
	}
	if want := now.Format(time.RFC3339Nano); firstSeen != want {
		t.Errorf("first_seen = %s, want %s", firstSeen, want)
	}
}

// TestBytesTextCannotHold: what PostgreSQL's text cannot hold (NUL,
// bytes that are not UTF-8) and an upstream may send is stored anyway:
// validators as the bytes received, an error message cleaned.
func TestBytesTextCannotHold(t *testing.T) {
	s := openTest(t, pgtest.URL(t))
	ctx := t.Context()
	const etag, lm = "\"caf\xe9\"", "Sat, 01 Mar 2025 10:00:00 GMT"
	if err := s.SetValidators(ctx, "https://example.org/feed", etag, lm); err != nil {
		t.Fatal(err)
	}
	if e, l, err := s.Validators(ctx, "https://example.org/feed"); err != nil || e != etag || l != lm {
		t.Errorf("validators = %q %q %v, want %q %q", e, l, err, etag, lm)
	}
	st := store.SourceStatus{SourceID: "a", LastAttempt: now, LastError: "parse: bad byte \xff and a NUL \x00 here"}
	if err := s.SetSourceStatus(ctx, st); err != nil {
		t.Fatal(err)
	}
	sts, err := s.SourceStatuses(ctx)
	if want := "parse: bad byte \uFFFD and a NUL \uFFFD here"; err != nil || len(sts) != 1 || sts[0].LastError != want {
		t.Errorf("statuses = %+v, %v; want last error %q", sts, err, want)
	}
}
