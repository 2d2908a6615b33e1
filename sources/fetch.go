package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Defaults of NewFetcher for zero arguments.
const (
	DefaultTimeout = 30 * time.Second
	DefaultMaxBody = 10 << 20
	maxRedirects   = 5
	feedAccept     = "application/rss+xml, application/atom+xml, application/feed+json, " +
		"application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.9, */*;q=0.8"
)

// UserAgent returns the User-Agent feedsmith sends, for a build version.
func UserAgent(version string) string {
	return "feedsmith/" + version + " (+https://github.com/feedsmith/feedsmith)"
}

// Fetcher gets documents over HTTP(S), or from local files, politely:
// with a deadline, a User-Agent, conditional requests and a body limit.
// It follows its Policy (see WithPolicy): Get is for the URLs the
// operator wrote, GetLink for those that came from upstream data. Make
// one with NewFetcher; it is safe for concurrent use.
type Fetcher struct {
	// Client fetches the trusted URLs; its Timeout bounds every fetch,
	// redirects included, and its CheckRedirect is not used (the
	// fetcher follows redirects itself, deciding each hop's trust).
	Client    *http.Client
	UserAgent string
	MaxBody   int64
	// Validators gives the stored ETag and Last-Modified of a URL; nil
	// sends unconditional requests.
	Validators ValidatorSource
	// Now returns the current time, for Retry-After dates; nil is time.Now.
	Now func() time.Time
	// Limiter, when set, bounds the requests to each host.
	Limiter *HostLimiter
	// SameBody, when set, reports whether a source's document body (its
	// SHA-256, hex) is the one whose articles were last saved for url:
	// the document then counts as not modified, as if it had been a 304.
	// Many upstreams answer every request with 200 and the same bytes.
	SameBody func(ctx context.Context, url, sum string) bool

	policy Policy
	// pools are the untrusted fetches' connection pools; nil refuses
	// every untrusted fetch.
	pools *pools
}

// ValidatorSource gives the stored ETag and Last-Modified of a URL (the
// store implements it).
type ValidatorSource interface {
	Validators(ctx context.Context, url string) (etag, lastModified string, err error)
}

// Response is a fetched document.
type Response struct {
	// URL is the final URL after redirects; "" for a local file, which
	// has no base URL.
	URL         string
	Status      int
	Body        []byte
	ContentType string
	// NotModified is set on a 304; Body is then empty.
	NotModified bool
	// ETag and LastModified are the response's validators. The fetcher
	// does not save them: the caller does once the articles are stored.
	ETag, LastModified string
}

// StatusError is a non-2xx answer. RetryAfter is the server's Retry-After
// on a 429 or 503 (0 when absent).
type StatusError struct {
	URL        string
	Code       int
	Status     string // "503 Service Unavailable"
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("GET %s: %s (retry after %s)", e.URL, e.Status, e.RetryAfter)
	}
	return fmt.Sprintf("GET %s: %s", e.URL, e.Status)
}

// NewFetcher returns a fetcher with its own transport; zero timeout or
// maxBody take the defaults, an empty userAgent UserAgent("dev").
func NewFetcher(userAgent string, timeout time.Duration, maxBody int64) *Fetcher {
	if userAgent == "" {
		userAgent = UserAgent("dev")
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	client := &http.Client{
		Transport: http.DefaultTransport.(*http.Transport).Clone(),
		Timeout:   timeout,
	}
	return &Fetcher{Client: client, UserAgent: userAgent, MaxBody: maxBody, pools: newPools()}
}

// WithLimits returns a copy of f with a source's own timeout and body
// limit; zero values keep f's.
func (f *Fetcher) WithLimits(timeout time.Duration, maxBody int64) *Fetcher {
	g := *f
	if timeout > 0 {
		c := *f.Client
		c.Timeout = timeout
		g.Client = &c
	}
	if maxBody > 0 {
		g.MaxBody = maxBody
	}
	return &g
}

// WithPolicy returns a copy of f that fetches under a source's policy.
func (f *Fetcher) WithPolicy(p Policy) *Fetcher {
	g := *f
	g.policy = p
	return &g
}

// CloseIdleConnections closes the idle connections of every pool.
func (f *Fetcher) CloseIdleConnections() {
	f.Client.CloseIdleConnections()
	if f.pools != nil {
		f.pools.closeIdle()
	}
}

func (f *Fetcher) setConditional(ctx context.Context, h http.Header, rawURL string) error {
	if f.Validators == nil {
		return nil
	}
	etag, lastModified, err := f.Validators.Validators(ctx, rawURL)
	if err != nil {
		return fmt.Errorf("GET %s: load validators: %w", rawURL, err)
	}
	if etag != "" {
		h.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		h.Set("If-Modified-Since", lastModified)
	}
	return nil
}

func (f *Fetcher) read(resp *http.Response, rawURL string) (*Response, error) {
	r := &Response{
		URL:          resp.Request.URL.String(),
		Status:       resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	if resp.StatusCode == http.StatusNotModified {
		r.NotModified = true
		return r, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, &StatusError{
			URL:        rawURL,
			Code:       resp.StatusCode,
			Status:     resp.Status,
			RetryAfter: f.retryAfter(resp),
		}
	}
	if resp.ContentLength > f.MaxBody {
		return nil, fmt.Errorf("GET %s: %w", rawURL, f.tooLarge())
	}
	body, err := f.readBody(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", rawURL, err)
	}
	r.Body = body
	return r, nil
}

func (f *Fetcher) readBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, f.MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > f.MaxBody {
		return nil, f.tooLarge()
	}
	return body, nil
}

func (f *Fetcher) tooLarge() error {
	return fmt.Errorf("body exceeds %s limit", formatSize(f.MaxBody))
}

// retryAfter reads Retry-After as seconds or an HTTP date (RFC 9110 10.2.3).
func (f *Fetcher) retryAfter(resp *http.Response) time.Duration {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
		return 0
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(min(s, int64(1<<31))) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	return max(t.Sub(now()), 0)
}

// localPath reports whether rawURL names a local file, and its path.
func localPath(rawURL string) (string, bool) {
	if p, ok := strings.CutPrefix(rawURL, "file://"); ok {
		if rest, ok := strings.CutPrefix(p, "localhost/"); ok {
			return "/" + rest, true
		}
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		return p, true
	}
	u, err := url.Parse(rawURL)
	return rawURL, err != nil || u.Scheme == ""
}

func (f *Fetcher) readFile(path string) (*Response, error) {
	file, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named below
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer file.Close()
	if st, err := file.Stat(); err == nil && st.Size() > f.MaxBody {
		return nil, fmt.Errorf("read %s: %w", path, f.tooLarge())
	}
	body, err := f.readBody(file)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &Response{Status: http.StatusOK, Body: body}, nil
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
