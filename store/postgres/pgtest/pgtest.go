// Package pgtest gives each test that needs PostgreSQL a schema of its
// own on the server FEEDSMITH_TEST_POSTGRES names, dropped when the test
// ends.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/feedsmith/feedsmith/internal/testutil"
)

// Env is the environment variable that names the test server: a
// postgres:// URL of a database the tests may create schemas in.
const Env = "FEEDSMITH_TEST_POSTGRES"

// HowToRun says how to run the tests that need PostgreSQL.
const HowToRun = Env + "=postgres://postgres@127.0.0.1:5432/test go test ./store/postgres"

// prefix starts the name of every schema URL makes; the unix time of its
// making follows, so that a later test can drop the schemas a killed run
// left (see dropStale).
const prefix = "feedsmith_test_"

// Server returns the URL of the test server, Env. Without it, t is
// skipped, saying how to run it, or fails when
// FEEDSMITH_REQUIRE_EXTERNAL=1.
func Server(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	switch {
	case base != "":
	case os.Getenv(testutil.RequireExternal) == "1":
		t.Fatalf("%s is not set, and %s=1 requires this PostgreSQL test to run; %s", Env, testutil.RequireExternal, HowToRun)
	default:
		t.Skipf("%s is not set; to run this test against PostgreSQL: %s", Env, HowToRun)
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL, such as postgres://postgres@127.0.0.1:5432/test", Env)
	}
	return base
}

// URL returns a connection URL to a new, empty schema on the test
// server (see Server): the URL of Env with search_path set to the schema
// alone. The schema is dropped when t ends. A server that cannot be
// reached fails t, never skips it.
func URL(t testing.TB) string {
	t.Helper()
	base := Server(t)
	u, _ := url.Parse(base) // Server checked it
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("%s=%s: cannot reach the server: %v", Env, u.Redacted(), err)
	}
	defer conn.Close(context.Background())
	if err := dropStale(ctx, conn, time.Now()); err != nil {
		t.Fatalf("drop the schemas of earlier runs: %v", err)
	}
	name := newName(time.Now())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("create schema %s: %v", name, err)
	}
	t.Cleanup(func() { drop(t, base, name) })
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// newName returns a schema name no other test has, made at now.
func newName(now time.Time) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + strconv.FormatInt(now.Unix(), 10) + "_" + hex.EncodeToString(b)
}

// drop drops the schema name, with every table in it, on its own
// connection: t's context is done by the time its cleanups run.
func drop(t testing.TB, base, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Errorf("drop schema %s: %v", name, err)
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP SCHEMA "+name+" CASCADE"); err != nil {
		t.Errorf("drop schema %s: %v", name, err)
	}
}

// staleAfter is the age past which a test schema is taken for one that
// a killed run left behind: no test runs that long.
const staleAfter = 6 * time.Hour

// dropStale drops the test schemas made more than staleAfter before now.
func dropStale(ctx context.Context, conn *pgx.Conn, now time.Time) error {
	rows, err := conn.Query(ctx, `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`, prefix)
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, name := range names {
		made, _, _ := strings.Cut(strings.TrimPrefix(name, prefix), "_")
		sec, err := strconv.ParseInt(made, 10, 64)
		if err != nil || now.Sub(time.Unix(sec, 0)) < staleAfter {
			continue
		}
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			return fmt.Errorf("drop schema %s: %w", name, err)
		}
	}
	return nil
}
