package daemon

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store"
)

// TestSourceMetricsFromStore: before any run, /metrics has the series of
// every configured source, its last success from the store (0 for one
// that never succeeded); a reload gives an added source its series and
// takes a removed one's away.
func TestSourceMetricsFromStore(t *testing.T) {
	src := func(id string) config.Source {
		return config.Source{ID: id, Type: "feed", URL: "http://127.0.0.1:9/" + id, Schedule: "@every 1h"}
	}
	cfg := &config.Config{
		Site:    config.Site{Title: "t", BaseURL: "https://feeds.example.org/", Language: "en", Timezone: "UTC"},
		Store:   config.Store{Path: filepath.Join(t.TempDir(), "db.sqlite")},
		Output:  config.Output{Items: 50},
		Server:  config.Server{Listen: "127.0.0.1:0", ShutdownTimeout: config.Duration(5 * time.Second)},
		Sources: []config.Source{src("kept"), src("removed")},
	}
	ctx := context.Background()
	d, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	success := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, st := range []store.SourceStatus{
		{SourceID: "kept", LastAttempt: success, LastSuccess: success},
		{SourceID: "added", LastAttempt: success, LastSuccess: success.Add(time.Hour)},
		{SourceID: "removed", LastAttempt: success, LastError: "no such host"},
	} {
		if err := d.store.SetSourceStatus(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.schedule(ctx, nil); err != nil {
		t.Fatal(err)
	}
	scrape := func() string {
		rec := httptest.NewRecorder()
		d.metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
	page := scrape()
	for _, want := range []string{
		`feedsmith_source_last_success_timestamp_seconds{source="kept"} 1.7408304e+09`,
		`feedsmith_source_last_success_timestamp_seconds{source="removed"} 0`,
		`feedsmith_source_errors_total{source="removed"} 0`,
		`feedsmith_source_fetches_total{source="kept"} 0`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("metrics at start lack %s", want)
		}
	}
	if strings.Contains(page, `source="added"`) {
		t.Error("metrics at start have a source that is not configured")
	}
	next := *cfg
	next.Sources = []config.Source{src("kept"), src("added")}
	if err := d.Reload(ctx, &next); err != nil {
		t.Fatal(err)
	}
	page = scrape()
	if !strings.Contains(page, `feedsmith_source_last_success_timestamp_seconds{source="added"} 1.740834e+09`) {
		t.Errorf("an added source lacks its stored last success:\n%s", grep(page, "last_success"))
	}
	if strings.Contains(page, `source="removed"`) {
		t.Errorf("a removed source keeps series:\n%s", grep(page, `source="removed"`))
	}
	if !strings.Contains(page, `feedsmith_source_fetches_total{source="kept"} 0`) {
		t.Error("a kept source lost its series on reload")
	}
}

// grep returns the lines of page that contain s.
func grep(page, s string) string {
	var lines []string
	for _, l := range strings.Split(page, "\n") {
		if strings.Contains(l, s) {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
