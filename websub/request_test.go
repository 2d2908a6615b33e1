package websub

import (
	"net/http"
	"testing"
)

func TestPublishRefusesBadURLs(t *testing.T) {
	h := newHub(t, statuses(http.StatusNoContent))
	tests := []struct {
		name, hub, feed string
	}{
		{"relative feed URL", h.URL, "/feeds/a.atom"},
		{"feed URL without scheme", h.URL, "example.org/feeds/a.atom"},
		{"relative hub URL", "/hub", "https://example.org/feeds/a.atom"},
		{"ftp hub URL", "ftp://hub.example.org/", "https://example.org/feeds/a.atom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := New(tt.hub, nil, nil).Publish(t.Context(), []string{tt.feed}); err == nil {
				t.Error("Publish succeeded")
			}
		})
	}
	if got := len(h.recorded()); got != 0 {
		t.Errorf("hub got %d pings for unusable URLs", got)
	}
}
