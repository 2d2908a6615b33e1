package websub

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// ping is one request as the hub stand-in saw it.
type ping struct {
	method, contentType, userAgent string
	mode                           string
	urls                           []string
}

// hub is a stand-in WebSub hub that records pings and answers the n-th
// request (from 0) with reply(n).
type hub struct {
	*httptest.Server
	mu    sync.Mutex
	pings []ping
}

func newHub(t *testing.T, reply func(n int, w http.ResponseWriter)) *hub {
	t.Helper()
	h := &hub{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Errorf("hub: parse form: %v", err)
		}
		h.mu.Lock()
		n := len(h.pings)
		h.pings = append(h.pings, ping{
			method:      r.Method,
			contentType: r.Header.Get("Content-Type"),
			userAgent:   r.Header.Get("User-Agent"),
			mode:        r.PostForm.Get("hub.mode"),
			urls:        r.PostForm["hub.url"],
		})
		h.mu.Unlock()
		reply(n, w)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hub) recorded() []ping {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.pings)
}

// statuses answers the n-th request with codes[n], repeating the last.
func statuses(codes ...int) func(int, http.ResponseWriter) {
	return func(n int, w http.ResponseWriter) {
		w.WriteHeader(codes[min(n, len(codes)-1)])
	}
}

// newTestPinger returns a Pinger on h whose waits are recorded, not slept.
func newTestPinger(t *testing.T, h *hub) (*Pinger, *[]time.Duration) {
	p := New(h.URL, nil, slog.New(slog.NewTextHandler(t.Output(), nil)))
	p.Backoff = time.Millisecond
	p.MaxDelay = time.Minute
	p.Attempts = 4
	var waits []time.Duration
	p.wait = func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}
	return p, &waits
}

func TestPublishOnePingPerURL(t *testing.T) {
	h := newHub(t, statuses(http.StatusNoContent))
	p, waits := newTestPinger(t, h)
	p.SetUserAgent("feedsmith/test")
	feeds := []string{
		"https://example.org/feeds/news.atom",
		"https://example.org/feeds/news.rss",
		"https://example.org/feeds/news.atom", // changed twice, pinged once
		"https://example.org/feeds/news.json?x=1&y=2",
	}
	if err := p.Publish(t.Context(), feeds); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	got := h.recorded()
	want := []string{feeds[0], feeds[1], feeds[3]}
	if len(got) != len(want) {
		t.Fatalf("hub got %d pings, want %d: %+v", len(got), len(want), got)
	}
	for i, pg := range got {
		if pg.method != http.MethodPost {
			t.Errorf("ping %d: method %s, want POST", i, pg.method)
		}
		if pg.contentType != "application/x-www-form-urlencoded" {
			t.Errorf("ping %d: Content-Type %q", i, pg.contentType)
		}
		if pg.userAgent != "feedsmith/test" {
			t.Errorf("ping %d: User-Agent %q", i, pg.userAgent)
		}
		if pg.mode != "publish" {
			t.Errorf("ping %d: hub.mode %q, want publish", i, pg.mode)
		}
		if !slices.Equal(pg.urls, []string{want[i]}) {
			t.Errorf("ping %d: hub.url %q, want [%q]", i, pg.urls, want[i])
		}
	}
	if len(*waits) != 0 {
		t.Errorf("waited %v with no failure", *waits)
	}
}

func TestPublishRetry(t *testing.T) {
	tests := []struct {
		name      string
		reply     func(int, http.ResponseWriter)
		wantPings int
		wantWaits []time.Duration
		wantErr   string // "" for success
	}{
		{
			name:      "503 then 202",
			reply:     statuses(http.StatusServiceUnavailable, http.StatusAccepted),
			wantPings: 2,
			wantWaits: []time.Duration{time.Millisecond},
		},
		{
			name:      "gives up after Attempts failures",
			reply:     statuses(http.StatusBadGateway),
			wantPings: 4,
			wantWaits: []time.Duration{1 * time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond},
			wantErr:   "hub answered 502 Bad Gateway",
		},
		{
			name: "no retry on 400",
			reply: func(_ int, w http.ResponseWriter) {
				http.Error(w, "hub.url is not a known topic", http.StatusBadRequest)
			},
			wantPings: 1,
			wantErr:   "hub answered 400 Bad Request: hub.url is not a known topic",
		},
		{
			name:      "no retry on 404",
			reply:     statuses(http.StatusNotFound),
			wantPings: 1,
			wantErr:   "hub answered 404 Not Found",
		},
		{
			name: "429 honours Retry-After",
			reply: func(n int, w http.ResponseWriter) {
				if n == 0 {
					w.Header().Set("Retry-After", "7")
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				w.WriteHeader(http.StatusNoContent)
			},
			wantPings: 2,
			wantWaits: []time.Duration{7 * time.Second},
		},
		{
			name: "Retry-After shorter than backoff keeps backoff",
			reply: func(n int, w http.ResponseWriter) {
				if n == 0 {
					w.Header().Set("Retry-After", "0")
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				w.WriteHeader(http.StatusNoContent)
			},
			wantPings: 2,
			wantWaits: []time.Duration{time.Millisecond},
		},
		{
			name: "Retry-After past MaxDelay gives up",
			reply: func(_ int, w http.ResponseWriter) {
				w.Header().Set("Retry-After", "3600")
				w.WriteHeader(http.StatusServiceUnavailable)
			},
			wantPings: 1,
			wantErr:   "hub answered 503 Service Unavailable",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHub(t, tt.reply)
			p, waits := newTestPinger(t, h)
			err := p.Publish(t.Context(), []string{"https://example.org/feeds/a.atom"})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Publish: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Publish error %v, want one containing %q", err, tt.wantErr)
			}
			if got := len(h.recorded()); got != tt.wantPings {
				t.Errorf("hub got %d pings, want %d", got, tt.wantPings)
			}
			if !slices.Equal(*waits, tt.wantWaits) {
				t.Errorf("waits %v, want %v", *waits, tt.wantWaits)
			}
		})
	}
}

func TestPublishNetworkErrorRetried(t *testing.T) {
	h := newHub(t, statuses(http.StatusNoContent))
	p, waits := newTestPinger(t, h)
	h.Close() // connections to the hub are now refused
	err := p.Publish(t.Context(), []string{"https://example.org/feeds/a.atom"})
	if err == nil {
		t.Fatal("Publish to a closed hub succeeded")
	}
	if len(*waits) != p.Attempts-1 {
		t.Errorf("waited %d times, want %d", len(*waits), p.Attempts-1)
	}
}

// TestPublishSleeps runs the real wait with a short backoff.
func TestPublishSleeps(t *testing.T) {
	h := newHub(t, statuses(http.StatusServiceUnavailable, http.StatusInternalServerError, http.StatusNoContent))
	p := New(h.URL, nil, nil)
	p.Backoff = 10 * time.Millisecond
	start := time.Now()
	if err := p.Publish(t.Context(), []string{"https://example.org/feeds/a.atom"}); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("Publish took %v, want at least 10ms+20ms of backoff", d)
	}
	if got := len(h.recorded()); got != 3 {
		t.Errorf("hub got %d pings, want 3", got)
	}
}

func TestPublishCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	h := newHub(t, func(_ int, w http.ResponseWriter) {
		cancel() // the daemon shuts down while the hub is failing
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	p := New(h.URL, nil, nil)
	p.Backoff = time.Hour
	p.MaxDelay = 2 * time.Hour
	start := time.Now()
	err := p.Publish(ctx, []string{"https://example.org/feeds/a.atom", "https://example.org/feeds/b.atom"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Publish error %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Publish took %v after cancel", d)
	}
	if got := len(h.recorded()); got != 1 {
		t.Errorf("hub got %d pings after cancel, want 1", got)
	}
}

func TestPublishDeadlineShorterThanBackoff(t *testing.T) {
	h := newHub(t, statuses(http.StatusServiceUnavailable))
	p, waits := newTestPinger(t, h)
	p.Backoff = time.Hour
	p.MaxDelay = 2 * time.Hour
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := p.Publish(ctx, []string{"https://example.org/feeds/a.atom"}); err == nil {
		t.Fatal("Publish succeeded against a failing hub")
	}
	if len(*waits) != 0 || len(h.recorded()) != 1 {
		t.Errorf("waits %v and %d pings, want none and 1: a wait past the deadline is pointless",
			*waits, len(h.recorded()))
	}
}

func TestPublishWithoutHub(t *testing.T) {
	if err := New("", nil, nil).Publish(t.Context(), []string{"https://example.org/a.atom"}); err != nil {
		t.Errorf("Publish without a hub: %v", err)
	}
}
