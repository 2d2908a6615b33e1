package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/store"
)

func TestCheckWritable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSourceStatus(ctx, store.SourceStatus{SourceID: "a", LastAttempt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckWritable(ctx); err != nil {
		t.Errorf("a writable store: %v", err)
	}
	s.Close()

	// What SQLite does with a file it may only read, however the process
	// came to that (permission bits, a read-only mount): open it read
	// only. mode=ro does the same here, where the tests may run as root,
	// for whom permission bits do not count.
	ro, err := sql.Open("sqlite", dsn(path, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	rs := &Store{write: ro, read: ro, prepared: map[string]*sql.Stmt{}}
	defer rs.Close()
	if sts, err := rs.SourceStatuses(ctx); err != nil || len(sts) != 1 {
		t.Fatalf("reading a read-only store: %v, %v", sts, err)
	}
	err = rs.CheckWritable(ctx)
	if err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Errorf("a read-only store: %v, want SQLite's readonly error", err)
	}
	if sts, _ := rs.SourceStatuses(ctx); len(sts) != 1 || sts[0].LastError != "" {
		t.Errorf("the check changed the store: %+v", sts)
	}
}
