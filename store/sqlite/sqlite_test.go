package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store/internal/codec"
	"github.com/feedsmith/feedsmith/store/storetest"
)

func openTest(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
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
	storetest.Run(t, func(t *testing.T) storetest.Store {
		return openTest(t, filepath.Join(t.TempDir(), "feedsmith.db"))
	})
}

var now = time.Date(2025, 3, 1, 12, 0, 0, 0, time.FixedZone("", 8*3600))

func testArticle(id string, cats ...string) article.Article {
	a := article.Article{ID: id, Title: "Title " + id, Link: "https://example.org/" + id,
		Published: now.Add(-time.Hour), Content: "<p>" + id + "</p>", Categories: cats}
	a.Hash = article.ContentHash(&a)
	return a
}

func TestReopen(t *testing.T) {
	// A directory to create, with URI-special characters in its name.
	path := filepath.Join(t.TempDir(), "new", "dir #1?x=y%20", "feedsmith.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(t.Context(), "src", []article.Article{testArticle("a", "news")}, now); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for range 2 { // a second open finds the schema current
		s = openTest(t, path)
		arts, err := s.Articles(t.Context(), "news", 10)
		if err != nil || len(arts) != 1 || arts[0].ID != "a" {
			t.Fatalf("after reopen: %v, %v; want article a", arts, err)
		}
		res, err := s.Save(t.Context(), "src", []article.Article{testArticle("a", "news")}, now)
		if err != nil || res.Unchanged != 1 {
			t.Fatalf("save after reopen: %+v, %v; want unchanged", res, err)
		}
	}
	if v := userVersion(t, s.read); v != len(migrations) {
		t.Errorf("schema version %d, want %d", v, len(migrations))
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at its path: %v", err)
	}
}

// pragma returns the value of PRAGMA name on a connection of db.
func pragma(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRowContext(t.Context(), "PRAGMA "+name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func userVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRowContext(t.Context(), "PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenSchemaVersions(t *testing.T) {
	tests := []struct {
		name     string
		prepare  func(t *testing.T, db *sql.DB) // the existing file
		wantErr  string
		pageSize int // a file made before keeps SQLite's default
	}{
		{"new file", nil, "", pageSize},
		{"version 0 file", func(t *testing.T, db *sql.DB) {
			exec(t, db, "CREATE TABLE unrelated (x INTEGER)")
		}, "", 4096},
		{"current", func(t *testing.T, db *sql.DB) {
			exec(t, db, "PRAGMA journal_mode = WAL")
			if err := migrate(t.Context(), db); err != nil {
				t.Fatal(err)
			}
		}, "", 4096},
		{"newer than this program", func(t *testing.T, db *sql.DB) {
			exec(t, db, "PRAGMA user_version = "+strconv.Itoa(len(migrations)+1))
		}, "newer than this program", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "feedsmith.db")
			if tt.prepare != nil {
				db, err := sql.Open("sqlite", path)
				if err != nil {
					t.Fatal(err)
				}
				tt.prepare(t, db)
				db.Close()
			}
			s, err := Open(t.Context(), path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), path) {
					t.Fatalf("Open = %v, want an error naming %s and %q", err, path, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if v := userVersion(t, s.read); v != len(migrations) {
				t.Errorf("schema version %d, want %d", v, len(migrations))
			}
			if _, err := s.Save(t.Context(), "src", []article.Article{testArticle("a")}, now); err != nil {
				t.Fatal(err)
			}
			for _, db := range []*sql.DB{s.write, s.read} {
				if mode := pragma(t, db, "journal_mode"); mode != "wal" {
					t.Errorf("journal mode %s, want wal", mode)
				}
				if size := pragma(t, db, "page_size"); size != strconv.Itoa(tt.pageSize) {
					t.Errorf("page size %s, want %d", size, tt.pageSize)
				}
			}
			if sync := pragma(t, s.write, "synchronous"); sync != "1" { // NORMAL
				t.Errorf("writer's synchronous %s, want 1 (NORMAL)", sync)
			}
		})
	}
}

// TestMigrateVersion1 opens a file written by schema version 1, whose
// category rows lack updated_unix and filed_unix.
func TestMigrateVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feedsmith.db")
	db := openAtVersion(t, path, 1)
	updated := now.Add(time.Hour)
	// b, older, is written first: without updated_unix filled in, it
	// would tie with a and be taken for the category's newest.
	exec(t, db, `INSERT INTO articles VALUES ('src', 'b', 'B', 'https://example.org/b', '',
		'`+now.Format(time.RFC3339)+`', `+strconv.FormatInt(now.UnixNano(), 10)+`,
		'`+now.Format(time.RFC3339)+`', `+strconv.FormatInt(now.UnixNano(), 10)+`,
		'`+now.Format(time.RFC3339)+`', `+strconv.FormatInt(now.UnixNano(), 10)+`,
		'', '', '[]', '', '[]', 'hash', 0)`)
	exec(t, db, `INSERT INTO article_categories VALUES
		('src', 'b', 'zebra', `+strconv.FormatInt(now.UnixNano(), 10)+`, 0, 0)`)
	exec(t, db, `INSERT INTO articles VALUES ('src', 'a', 'A', 'https://example.org/a', '',
		'`+now.Format(time.RFC3339)+`', `+strconv.FormatInt(now.UnixNano(), 10)+`,
		'`+updated.Format(time.RFC3339)+`', `+strconv.FormatInt(updated.UnixNano(), 10)+`,
		'`+now.Format(time.RFC3339)+`', `+strconv.FormatInt(now.UnixNano(), 10)+`,
		'', '', '[]', '', '[]', 'hash', 0)`)
	exec(t, db, `INSERT INTO article_categories VALUES
		('src', 'a', 'zebra', `+strconv.FormatInt(now.UnixNano(), 10)+`, 0, 0),
		('src', 'a', 'alpha', `+strconv.FormatInt(now.UnixNano(), 10)+`, 1, 0)`)
	db.Close()

	s := openTest(t, path)
	if v := userVersion(t, s.read); v != len(migrations) {
		t.Fatalf("schema version %d, want %d", v, len(migrations))
	}
	a := testArticle("a", "zebra", "alpha", "new")
	a.Hash = "hash"
	if _, err := s.Save(t.Context(), "src", []article.Article{a}, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	arts, err := s.Articles(t.Context(), "zebra", 1)
	if err != nil || len(arts) != 1 || !slices.Equal(arts[0].Categories, []string{"zebra", "alpha", "new"}) {
		t.Fatalf("articles = %+v, %v; want a in zebra, alpha, new", arts, err)
	}
	cats, err := s.Categories(t.Context())
	if err != nil || len(cats) != 3 || !cats[2].Newest.Equal(updated) {
		t.Fatalf("categories = %+v, %v; want zebra's newest %s", cats, err, updated)
	}
}

// filedByVersion is the schema version that gave category rows their
// filer.
const filedByVersion = 9

// TestMigrateFiledBy opens a file written before category rows named
// their filer: an article of srca that srcb delivered later, filed in aaa
// when srca first saved it, and in bbb when srcb did. aaa goes to srca;
// bbb, filed once srcb had delivered the article, to either.
func TestMigrateFiledBy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feedsmith.db")
	db := openAtVersion(t, path, filedByVersion-1)
	first, second := now, now.Add(time.Hour+time.Nanosecond) // ns: beyond the text's milliseconds
	ns := func(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }
	exec(t, db, `INSERT INTO articles (source_id, id, title, link, author, published, published_unix,
		updated, updated_unix, first_seen, first_seen_unix, summary, content, tags, image, enclosures, hash)
		VALUES ('srca', 'x', 'X', 'https://example.org/x', '', '`+codec.FormatTime(first)+`', `+ns(first)+`,
		'`+codec.FormatTime(first)+`', `+ns(first)+`, '`+codec.FormatTime(first)+`', `+ns(first)+`, '', '', '[]', '', '[]', 'hash')`)
	exec(t, db, `INSERT INTO article_sources VALUES ('srcb', 'x-b', 'srca', 'x', '`+codec.FormatTime(second)+`')`)
	exec(t, db, `INSERT INTO article_categories (source_id, article_id, category, published_unix, position, updated_unix, filed_unix)
		VALUES ('srca', 'x', 'aaa', `+ns(first)+`, 0, `+ns(first)+`, `+ns(first)+`),
		('srca', 'x', 'bbb', `+ns(first)+`, 0, `+ns(first)+`, `+ns(second)+`)`)
	db.Close()

	s := openTest(t, path)
	for _, tt := range []struct {
		configured []string
		aaa, bbb   int
	}{{[]string{"srcb"}, 0, 1}, {[]string{"srca"}, 1, 1}, {[]string{"srca", "srcb"}, 1, 1}, {[]string{"other"}, 0, 0}} {
		if _, err := s.SetActiveSources(t.Context(), tt.configured); err != nil {
			t.Fatal(err)
		}
		for cat, want := range map[string]int{"aaa": tt.aaa, "bbb": tt.bbb} {
			if arts, err := s.Articles(t.Context(), cat, 0); err != nil || len(arts) != want {
				t.Errorf("with %v configured, %s has %d articles (%v), want %d", tt.configured, cat, len(arts), err, want)
			}
		}
	}
}

// openAtVersion creates the store file path with the schema of version,
// for a test to write rows of that version into before Open migrates it.
func openAtVersion(t *testing.T, path string, version int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations[:version] {
		if err := m(t.Context(), tx); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	exec(t, db, `PRAGMA user_version = `+strconv.Itoa(version))
	return db
}

func exec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.ExecContext(t.Context(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestFirstSeen checks what the suite cannot see through the interface:
// first_seen never changes.
func TestFirstSeen(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "feedsmith.db"))
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
	if err := s.read.QueryRow(`SELECT first_seen FROM articles WHERE id = 'a'`).Scan(&firstSeen); err != nil {
		t.Fatal(err)
	}
	if want := now.Format(time.RFC3339Nano); firstSeen != want {
		t.Errorf("first_seen = %s, want %s", firstSeen, want)
	}
}
