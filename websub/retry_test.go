package websub

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, value string
		want        time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "120", 2 * time.Minute},
		{"seconds with spaces", " 5 ", 5 * time.Second},
		{"zero", "0", 0},
		{"negative", "-5", 0},
		{"garbage", "soon", 0},
		{"huge", "99999999999999999", (1 << 31) * time.Second},
		{"date ahead", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"date past", now.Add(-time.Hour).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryAfter(tt.value, now); got != tt.want {
				t.Errorf("retryAfter(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestDelayDoublesUpToMaxDelay(t *testing.T) {
	p := New("https://hub.example.org/", nil, nil)
	p.Backoff = time.Second
	p.MaxDelay = 10 * time.Second
	want := []time.Duration{1, 2, 4, 8, 10, 10}
	for i, w := range want {
		d, ok := p.delay(t.Context(), i+1, nil)
		if !ok || d != w*time.Second {
			t.Errorf("attempt %d: delay %v, %v; want %v, true", i+1, d, ok, w*time.Second)
		}
	}
}
