package open

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store/postgres"
	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

func TestOpen(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "data", "feedsmith.db")
		s, err := Open(t.Context(), config.Store{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, ok := s.(*sqlite.Store); !ok {
			t.Errorf("store.path opened a %T, want *sqlite.Store", s)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		s, err := Open(t.Context(), config.Store{URL: pgtest.URL(t), Path: "ignored.db"})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, ok := s.(*postgres.Store); !ok {
			t.Errorf("store.url opened a %T, want *postgres.Store", s)
		}
		if err := s.CheckWritable(t.Context()); err != nil {
			t.Error(err)
		}
	})
	t.Run("failure", func(t *testing.T) {
		s, err := Open(t.Context(), config.Store{URL: "postgres://feedsmith:s3cret@127.0.0.1:1/feeds?connect_timeout=5"})
		if err == nil || s != nil {
			t.Fatalf("Open = %v, %v; want a nil Store and an error", s, err)
		}
		if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "feedsmith:xxxxx@127.0.0.1:1") {
			t.Errorf("error %q: want the URL named, its password hidden", err)
		}
	})
}

// TestCheck: what pgx would refuse in a store.url is a problem of the
// configuration, found without connecting.
func TestCheck(t *testing.T) {
	tests := []struct{ url, want string }{
		{"", ""},
		{"postgres://feedsmith@db.example/feeds?sslmode=require&pool_max_conns=8", ""},
		{"postgres://feedsmith:s3cret@db.example/feeds?sslmode=sometimes", "store.url: failed to configure TLS (sslmode is invalid)"},
		{"postgres://feedsmith:s3cret@db.example/feeds?pool_max_conns=many", "store.url: cannot parse pool_max_conns"},
		{"mysql://db.example/feeds", ""}, // config.Load reports it
	}
	for _, tt := range tests {
		ps := Check(&config.Config{Store: config.Store{URL: tt.url}})
		switch {
		case tt.want == "" && len(ps) > 0:
			t.Errorf("Check(%q) = %v, want nothing", tt.url, ps)
		case tt.want != "" && (len(ps) != 1 || !strings.Contains(ps[0].String(), tt.want)):
			t.Errorf("Check(%q) = %v, want %q", tt.url, ps, tt.want)
		case len(ps) > 0 && strings.Contains(ps[0].String(), "s3cret"):
			t.Errorf("Check(%q) = %v shows the password", tt.url, ps)
		}
	}
}
