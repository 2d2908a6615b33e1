package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
)

// TestBuildPostgres builds the shipped configuration with store.url on
// a new schema of the PostgreSQL test server (FEEDSMITH_TEST_POSTGRES;
// skipped without it) and with its SQLite file: both output trees hold
// the same files, byte for byte, after the first build and after a
// second one, which finds nothing changed and rewrites nothing.
func TestBuildPostgres(t *testing.T) {
	t.Setenv("FEEDSMITH_TEST_STORE_URL", pgtest.URL(t)) // as a password would come
	liteDir, liteCfg := shippedConfig(t)
	pgDir, pgCfg := shippedConfig(t)
	data, err := os.ReadFile(pgCfg)
	if err != nil {
		t.Fatal(err)
	}
	const path = "\n  path: data/feedsmith.db\n"
	if !bytes.Contains(data, []byte(path)) {
		t.Fatalf("the shipped config.yaml has no %q to replace with store.url", strings.TrimSpace(path))
	}
	data = bytes.Replace(data, []byte(path), []byte("\n  url: ${FEEDSMITH_TEST_STORE_URL}\n"), 1)
	if err := os.WriteFile(pgCfg, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCommand(t, "check", "-config", pgCfg); code != 0 {
		t.Fatalf("check exited %d\n%s%s", code, out, errs)
	}
	for _, round := range []string{"first build", "nothing changed"} {
		for _, cfg := range []string{liteCfg, pgCfg} {
			code, out, errs := runCommand(t, "build", "-config", cfg)
			if code != 0 {
				t.Fatalf("%s of %s exited %d\nstdout:\n%s\nstderr:\n%s", round, cfg, code, out, errs)
			}
			if round == "nothing changed" && !strings.Contains(out, "wrote 0 of ") {
				t.Errorf("%s of %s rewrote files:\n%s", round, cfg, out)
			}
		}
		lite, pg := snapshot(t, filepath.Join(liteDir, "public")), snapshot(t, filepath.Join(pgDir, "public"))
		if names := slices.Sorted(maps.Keys(pg)); !slices.Equal(names, slices.Sorted(maps.Keys(lite))) {
			t.Fatalf("%s: PostgreSQL wrote %v, SQLite %v", round, names, slices.Sorted(maps.Keys(lite)))
		}
		if len(pg) < 20 {
			t.Fatalf("%s: only %d files written", round, len(pg))
		}
		for name, f := range pg {
			if !bytes.Equal(f.body, lite[name].body) {
				t.Errorf("%s: %s differs from the SQLite build's", round, name)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(pgDir, "data")); !os.IsNotExist(err) {
		t.Errorf("the PostgreSQL build made the SQLite store's folder (%v)", err)
	}
}
