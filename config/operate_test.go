package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestJitterConfig: defaults.jitter is 5m unless set, 0 turns it off, and
// a source's own jitter, 0 included, replaces it.
func TestJitterConfig(t *testing.T) {
	const head = "site: {base_url: https://feeds.example.org/}\n"
	const sources = "sources:\n" +
		"  - {id: plain, type: feed, url: https://example.org/a.xml}\n" +
		"  - {id: own, type: feed, url: https://example.org/b.xml, jitter: 30s}\n" +
		"  - {id: off, type: feed, url: https://example.org/c.xml, jitter: 0}\n"
	tests := []struct {
		name, defaults  string
		plain, own, off time.Duration
	}{
		{"default", "", DefaultJitter, 30 * time.Second, 0},
		{"defaults set", "defaults: {jitter: 90s}\n", 90 * time.Second, 30 * time.Second, 0},
		{"defaults off", "defaults: {jitter: 0}\n", 0, 30 * time.Second, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("x.yml", []byte(head+tt.defaults+sources), os.LookupEnv)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range []time.Duration{tt.plain, tt.own, tt.off} {
				if got := cfg.Jitter(cfg.Sources[i]); got != want {
					t.Errorf("%s: jitter %v, want %v", cfg.Sources[i].ID, got, want)
				}
			}
		})
	}
	if _, err := Parse("x.yml", []byte(head+"defaults: {jitter: -1m}\n"), os.LookupEnv); err == nil {
		t.Error("a negative jitter was accepted")
	}
}

// TestAccessLogPath: a relative access log file is taken relative to the
// configuration's folder; "stderr" and off stay as they are.
func TestAccessLogPath(t *testing.T) {
	dir := t.TempDir()
	for value, want := range map[string]string{
		"access.log": filepath.Join(dir, "access.log"),
		"/var/log/x": "/var/log/x",
		"stderr":     AccessLogStderr,
		`""`:         "",
	} {
		path := filepath.Join(dir, "config.yaml")
		body := "site: {base_url: https://feeds.example.org/}\nserver: {access_log: " + value + "}\n"
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Server.AccessLog != want {
			t.Errorf("access_log %s: %q, want %q", value, cfg.Server.AccessLog, want)
		}
		if cfg.File != path {
			t.Errorf("File = %q, want %q", cfg.File, path)
		}
	}
}
