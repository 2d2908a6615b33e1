package metrics

import (
	"errors"
	"testing"
	"time"
)

func TestObserveOutputWrite(t *testing.T) {
	m := New("test")
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	full := errors.New("write public/feeds/news.atom: no space left on device")
	m.ObserveOutputWrite("dir", nil, now)
	m.ObserveOutputWrite("dir", full, now.Add(time.Minute))
	m.ObserveOutputWrite("dir", full, now.Add(2*time.Minute))
	m.ObserveOutputWrite("jekyll", nil, now)
	s := scrape(t, m)
	ts := func(d time.Duration) float64 { return float64(now.Add(d).Unix()) }
	want := map[string]float64{
		`feedsmith_output_write_errors_total{output="dir"}`:              2,
		`feedsmith_output_write_failing{output="dir"}`:                   1,
		`feedsmith_output_last_error_timestamp_seconds{output="dir"}`:    ts(2 * time.Minute),
		`feedsmith_output_last_write_timestamp_seconds{output="dir"}`:    ts(0),
		`feedsmith_output_write_errors_total{output="jekyll"}`:           0,
		`feedsmith_output_write_failing{output="jekyll"}`:                0,
		`feedsmith_output_last_write_timestamp_seconds{output="jekyll"}`: ts(0),
	}
	for k, v := range want {
		if got, ok := s[k]; !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	for k := range s {
		if k == `feedsmith_output_last_error_timestamp_seconds{output="jekyll"}` {
			t.Errorf("%s present though jekyll never failed", k)
		}
	}

	m.ObserveOutputWrite("dir", nil, now.Add(3*time.Minute))
	s = scrape(t, m)
	if s[`feedsmith_output_write_failing{output="dir"}`] != 0 || s[`feedsmith_output_write_errors_total{output="dir"}`] != 2 {
		t.Errorf("after a good write: failing %v, errors %v; want 0 and still 2",
			s[`feedsmith_output_write_failing{output="dir"}`], s[`feedsmith_output_write_errors_total{output="dir"}`])
	}
}

func TestBadRequest(t *testing.T) {
	m := New("test")
	for range 3 {
		m.BadRequest("malformed")
	}
	m.BadRequest("uri_too_long")
	s := scrape(t, m)
	if s[`feedsmith_http_bad_requests_total{reason="malformed"}`] != 3 || s[`feedsmith_http_bad_requests_total{reason="uri_too_long"}`] != 1 {
		t.Errorf("bad requests: %v", s)
	}
}
