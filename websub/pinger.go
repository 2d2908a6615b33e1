// Package websub tells a WebSub hub that feeds changed, so subscribers get
// them pushed instead of polling (W3C WebSub, "Publishing").
//
// A ping is the de-facto publish request every public hub understands
// (Google's PubSubHubbub hub, WebSubHub, Superfeedr): a POST with the form
// body hub.mode=publish&hub.url=<feed URL>. Some hubs accept several hub.url
// values in one request and some do not, so a Pinger sends one request per
// feed URL, one after another, and retries each on its own.
package websub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Defaults for a Pinger's retry fields.
const (
	DefaultBackoff  = time.Second
	DefaultMaxDelay = 5 * time.Minute
	DefaultAttempts = 5
)

const (
	defaultTimeout   = 10 * time.Second
	defaultUserAgent = "feedsmith (+https://github.com/feedsmith/feedsmith)"
	maxErrorBody     = 512      // bytes of a hub's error answer kept for the log
	maxDrain         = 64 << 10 // bytes read to reuse the connection
)

// Pinger notifies one hub. Set its exported fields before the first call to
// Publish; after that it is safe for concurrent use.
type Pinger struct {
	// Backoff is the wait before the first retry; each further retry
	// waits twice as long as the one before, up to MaxDelay.
	Backoff time.Duration
	// MaxDelay caps the wait between attempts. A hub whose Retry-After
	// asks for longer is given up on rather than pinged too early.
	MaxDelay time.Duration
	// Attempts is the most requests sent for one feed URL, the first
	// included.
	Attempts int

	hub    string
	client *http.Client
	logger *slog.Logger
	// wait sleeps for d or until ctx is done; tests replace it.
	wait func(ctx context.Context, d time.Duration) error

	mu        sync.Mutex
	userAgent string
}

// New returns a Pinger for the hub at the given URL. A nil client means
// one with a 10-second timeout; a nil logger discards messages.
func New(hub string, client *http.Client, logger *slog.Logger) *Pinger {
	if client == nil {
		client = &http.Client{Timeout: defaultTimeout}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Pinger{
		Backoff:   DefaultBackoff,
		MaxDelay:  DefaultMaxDelay,
		Attempts:  DefaultAttempts,
		hub:       hub,
		client:    client,
		logger:    logger.With("hub", hub),
		wait:      sleep,
		userAgent: defaultUserAgent,
	}
}

// SetUserAgent sets the User-Agent header sent to the hub.
func (p *Pinger) SetUserAgent(ua string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.userAgent = ua
}

// Publish notifies the hub that the given feed URLs changed, one request
// per URL (duplicates sent once). A failed ping is retried with
// exponential backoff, honouring Retry-After, up to Attempts times; a 4xx
// answer other than 429 is a configuration problem and is not retried.
// Publish blocks until every URL is done or ctx is cancelled, and logs
// each failure itself; the returned error joins them, for callers that
// count failures. An empty hub makes Publish a no-op.
func (p *Pinger) Publish(ctx context.Context, feedURLs []string) error {
	if p.hub == "" {
		return nil
	}
	if err := checkURL(p.hub); err != nil {
		p.logger.Error("websub hub is not usable, check websub.hub", "error", err)
		return fmt.Errorf("websub hub %q: %w", p.hub, err)
	}
	var errs []error
	seen := make(map[string]bool, len(feedURLs))
	for _, feed := range feedURLs {
		if seen[feed] {
			continue
		}
		seen[feed] = true
		if err := p.publish(ctx, feed); err != nil {
			errs = append(errs, fmt.Errorf("ping hub for %s: %w", feed, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// publish pings the hub for one feed URL, retrying as Publish describes.
func (p *Pinger) publish(ctx context.Context, feed string) error {
	log := p.logger.With("feed_url", feed)
	if err := checkURL(feed); err != nil {
		log.Error("websub ping not sent, feed URL is not absolute, check site.base_url", "error", err)
		return err
	}
	attempts := max(p.Attempts, 1)
	for attempt := 1; ; attempt++ {
		err := p.ping(ctx, feed)
		if err == nil {
			log.Debug("websub ping sent", "attempt", attempt)
			return nil
		}
		if ctx.Err() != nil {
			log.Warn("websub ping cancelled", "attempt", attempt, "error", err)
			return fmt.Errorf("%w (last attempt: %v)", ctx.Err(), err)
		}
		var se *statusError
		if errors.As(err, &se) && !se.retryable() {
			log.Error("hub refused the ping, check websub.hub and site.base_url", "status", se.code, "error", err)
			return err
		}
		if attempt >= attempts {
			log.Error("websub ping failed, giving up", "attempts", attempt, "error", err)
			return err
		}
		delay, ok := p.delay(ctx, attempt, err)
		if !ok {
			log.Error("websub ping failed, next retry would come too late, giving up", "attempts", attempt, "delay", delay, "error", err)
			return err
		}
		log.Warn("websub ping failed, retrying", "attempt", attempt, "delay", delay, "error", err)
		if werr := p.wait(ctx, delay); werr != nil {
			log.Warn("websub ping cancelled", "attempt", attempt, "error", werr)
			return fmt.Errorf("%w (last attempt: %v)", werr, err)
		}
	}
}
