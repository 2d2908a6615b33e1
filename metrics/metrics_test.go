package metrics

import (
	"bufio"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/collect"
	"github.com/feedsmith/feedsmith/sources"
)

// scrape fetches the exposition text and returns its samples by series,
// e.g. `feedsmith_source_fetches_total{source="a"}` → 2.
func scrape(t *testing.T, m *Metrics) map[string]float64 {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape status %d", resp.StatusCode)
	}
	samples := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		samples[line[:i]] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return samples
}

func TestBuildInfo(t *testing.T) {
	s := scrape(t, New("v1.2.3"))
	key := `feedsmith_build_info{goversion="` + runtime.Version() + `",version="v1.2.3"}`
	if s[key] != 1 {
		t.Errorf("%s = %v, want 1", key, s[key])
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if _, ok := s[name]; !ok {
			t.Errorf("%s missing: go and process collectors not registered", name)
		}
	}
}

func TestObserveSource(t *testing.T) {
	m := New("test")
	now := time.Date(2025, 3, 1, 12, 0, 0, 500e6, time.UTC)
	m.ObserveSource(collect.Result{SourceID: "a", New: 3, Updated: 1, Unchanged: 5, Duration: 2 * time.Second,
		Skipped: []error{errors.New("bad item"), &sources.OverMaxItems{Skipped: 700, Kept: 500}}}, now)
	m.ObserveSource(collect.Result{SourceID: "a", Unchanged: 9, Duration: 200 * time.Millisecond}, now.Add(time.Hour))
	m.ObserveSource(collect.Result{SourceID: "a", Err: errors.New("timeout"), Duration: 30 * time.Second}, now.Add(2*time.Hour))
	m.ObserveSource(collect.Result{SourceID: "b", Err: errors.New("404")}, now)
	m.ObserveSource(collect.Result{SourceID: "c", Refused: 3}, now)
	m.ObserveSource(collect.Result{SourceID: "c", Refused: 2}, now)
	s := scrape(t, m)

	want := map[string]float64{
		`feedsmith_source_fetches_total{source="a"}`:                        3,
		`feedsmith_source_errors_total{source="a"}`:                         1,
		`feedsmith_source_skipped_items_total{source="a"}`:                  701,
		`feedsmith_source_articles_total{kind="new",source="a"}`:            3,
		`feedsmith_source_articles_total{kind="updated",source="a"}`:        1,
		`feedsmith_source_articles_total{kind="unchanged",source="a"}`:      14,
		`feedsmith_source_fetch_duration_seconds_count{source="a"}`:         3,
		`feedsmith_source_fetch_duration_seconds_sum{source="a"}`:           32.2,
		`feedsmith_source_fetch_duration_seconds_bucket{source="a",le="1"}`: 1,
		`feedsmith_source_fetch_duration_seconds_bucket{source="a",le="5"}`: 2,
		`feedsmith_source_last_success_timestamp_seconds{source="a"}`:       float64(now.Add(time.Hour).UnixMilli()) / 1e3,
		`feedsmith_source_fetches_total{source="b"}`:                        1,
		`feedsmith_source_errors_total{source="b"}`:                         1,
		`feedsmith_fetch_refused_total{source="a"}`:                         0,
		`feedsmith_fetch_refused_total{source="c"}`:                         5,
	}
	for k, v := range want {
		got, ok := s[k]
		if !ok {
			t.Errorf("%s missing", k)
		} else if got != v {
			t.Errorf("%s = %v, want %v", k, got, v)
		}
	}
	if _, ok := s[`feedsmith_source_last_success_timestamp_seconds{source="b"}`]; ok {
		t.Error("a source that never succeeded has a last success time")
	}
}

func TestForgetSource(t *testing.T) {
	m := New("test")
	now := time.Now()
	m.ObserveSource(collect.Result{SourceID: "gone", New: 1}, now)
	m.ObserveSource(collect.Result{SourceID: "kept", New: 1}, now)
	m.ForgetSource("gone")
	for k := range scrape(t, m) {
		if strings.Contains(k, `source="gone"`) {
			t.Errorf("series of a forgotten source remains: %s", k)
		}
	}
	if s := scrape(t, m); s[`feedsmith_source_articles_total{kind="new",source="kept"}`] != 1 {
		t.Error("forgetting one source dropped another's series")
	}
}

// TestKnowSource: a source known from the store has every series before
// it runs, with its stored last success (0 for never), and a run after
// that counts on from zero.
func TestKnowSource(t *testing.T) {
	m := New("test")
	last := time.Date(2025, 3, 1, 11, 0, 0, 250e6, time.UTC)
	m.KnowSource("ok", last)
	m.KnowSource("never", time.Time{})
	s := scrape(t, m)
	for _, id := range []string{"ok", "never"} {
		l := `{source="` + id + `"}`
		want := map[string]float64{
			"feedsmith_source_fetches_total" + l:                                    0,
			"feedsmith_source_errors_total" + l:                                     0,
			"feedsmith_source_skipped_items_total" + l:                              0,
			"feedsmith_fetch_refused_total" + l:                                     0,
			"feedsmith_source_fetch_duration_seconds_count" + l:                     0,
			`feedsmith_source_articles_total{kind="new",source="` + id + `"}`:       0,
			`feedsmith_source_articles_total{kind="updated",source="` + id + `"}`:   0,
			`feedsmith_source_articles_total{kind="unchanged",source="` + id + `"}`: 0,
			"feedsmith_source_last_success_timestamp_seconds" + l:                   0,
		}
		if id == "ok" {
			want["feedsmith_source_last_success_timestamp_seconds"+l] = 1740826800.25
		}
		for k, v := range want {
			if got, ok := s[k]; !ok || got != v {
				t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
			}
		}
	}
	m.ObserveSource(collect.Result{SourceID: "never", Err: errors.New("404")}, last)
	s = scrape(t, m)
	if got := s[`feedsmith_source_errors_total{source="never"}`]; got != 1 {
		t.Errorf("errors after one failed run = %v, want 1", got)
	}
	if got := s[`feedsmith_source_last_success_timestamp_seconds{source="never"}`]; got != 0 {
		t.Errorf("last success after a failed run = %v, want 0", got)
	}
}

func TestFeedRequest(t *testing.T) {
	m := New("test")
	for _, st := range []int{200, 304, 304, 200} {
		m.FeedRequest("feeds/news.atom", st)
	}
	m.FeedRequest("index.html", 200)
	m.FeedRequest("feeds/old.rss", 304)
	m.ForgetFeed("feeds/old.rss")
	s := scrape(t, m)
	want := map[string]float64{
		`feedsmith_feed_requests_total{feed="feeds/news.atom"}`:     4,
		`feedsmith_feed_not_modified_total{feed="feeds/news.atom"}`: 2,
		`feedsmith_feed_requests_total{feed="index.html"}`:          1,
	}
	for k, v := range want {
		if s[k] != v {
			t.Errorf("%s = %v, want %v", k, s[k], v)
		}
	}
	for k := range s {
		if strings.Contains(k, "feeds/old.rss") {
			t.Errorf("series of a forgotten feed remains: %s", k)
		}
	}
}

func BenchmarkFeedRequest(b *testing.B) {
	m := New("bench")
	for b.Loop() {
		m.FeedRequest("feeds/news.atom", http.StatusNotModified)
	}
}
