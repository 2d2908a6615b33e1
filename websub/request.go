package websub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// statusError is a hub's answer other than 2xx.
type statusError struct {
	code       int
	body       string        // the start of the hub's explanation, if any
	retryAfter time.Duration // from Retry-After; 0 when absent
}

func (e *statusError) Error() string {
	msg := fmt.Sprintf("hub answered %d %s", e.code, http.StatusText(e.code))
	if e.body != "" {
		msg += ": " + e.body
	}
	return msg
}

// retryable reports whether the hub may accept the same ping later: on a
// server error or 429. Any other 4xx will not change by itself, and a 3xx
// the client did not follow means the hub URL is wrong.
func (e *statusError) retryable() bool {
	return e.code >= 500 || e.code == http.StatusTooManyRequests
}

// ping sends one publish request. A nil error means the hub accepted it.
func (p *Pinger) ping(ctx context.Context, feed string) error {
	if p.client.Timeout == 0 {
		// Every request gets a deadline, even through a caller's client.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultTimeout)
		defer cancel()
	}
	form := url.Values{"hub.mode": {"publish"}, "hub.url": {feed}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.hub, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p.mu.Lock()
	req.Header.Set("User-Agent", p.userAgent)
	p.mu.Unlock()
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	return &statusError{
		code:       resp.StatusCode,
		body:       strings.Join(strings.Fields(string(body)), " "),
		retryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
}

// checkURL refuses what no hub accepts: a relative or non-HTTP URL.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("not an absolute http(s) URL: " + raw)
	}
	return nil
}
