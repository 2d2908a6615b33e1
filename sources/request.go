package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Get fetches rawURL, a URL the operator wrote (a source's url): an
// http(s) URL, fetched wherever it points, or a local path (no scheme,
// or file://), read with the same limit. A redirect away from its origin
// is untrusted, as GetLink's URLs are.
func (f *Fetcher) Get(ctx context.Context, rawURL string) (*Response, error) {
	if path, ok := localPath(rawURL); ok {
		return f.readFile(path)
	}
	u, err := httpURL(rawURL)
	if err != nil {
		return nil, err
	}
	return f.fetch(ctx, rawURL, u, originOf(u))
}

// GetLink fetches rawURL, a URL that came from upstream data: an item's
// link, a detail URL built from a record. Only http(s) URLs are fetched,
// never a file; one that has none of the policy's origins connects only
// to public addresses, unless the policy allows more. A refusal is a
// *RefusedError.
func (f *Fetcher) GetLink(ctx context.Context, rawURL string) (*Response, error) {
	u, err := httpURL(rawURL)
	if err != nil {
		return nil, err
	}
	return f.fetch(ctx, rawURL, u, "")
}

// httpURL parses an absolute http(s) URL.
func httpURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("GET %s: unsupported scheme %q", rawURL, u.Scheme)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("GET %s: no host", rawURL)
	}
	return u, nil
}

// fetch gets u (rawURL as given, for validators and errors), following
// up to maxRedirects redirects itself so that each hop's trust is
// decided afresh: a hop is trusted when it has one of the policy's
// origins, or origin (that of the trusted URL the fetch started from;
// "" when it started from an untrusted one). The client's timeout
// bounds the whole chain.
func (f *Fetcher) fetch(ctx context.Context, rawURL string, u *url.URL, origin string) (*Response, error) {
	key := rawURL // the validators' key
	if u.User != nil {
		u.User = nil // userinfo is never sent, nor shown in errors
		rawURL = u.String()
	}
	header := http.Header{}
	header.Set("User-Agent", f.UserAgent)
	header.Set("Accept", feedAccept)
	if err := f.setConditional(ctx, header, key); err != nil {
		return nil, err
	}
	if t := f.Client.Timeout; t > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t)
		defer cancel()
	}
	for hop := 0; ; hop++ {
		u.User = nil
		resp, release, err := f.do(ctx, u, header, f.policy.trusts(u, origin))
		if err != nil {
			if hop > 0 {
				return nil, fmt.Errorf("GET %s: redirected: %w", rawURL, err)
			}
			return nil, err
		}
		next, err := redirectTarget(resp, u)
		if next == nil || err != nil {
			defer release()
			defer resp.Body.Close()
			if err != nil {
				return nil, fmt.Errorf("GET %s: %w", rawURL, err)
			}
			return f.read(resp, rawURL)
		}
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		release()
		if hop == maxRedirects {
			return nil, fmt.Errorf("GET %s: stopped after %d redirects", rawURL, maxRedirects)
		}
		u = next
	}
}

// do sends one GET for u, through the trusted client or the guarded pool
// of the policy, having waited for a turn at u's host. The caller calls
// release once it has read the body.
func (f *Fetcher) do(ctx context.Context, u *url.URL, header http.Header, trusted bool) (_ *http.Response, release func(), err error) {
	client, err := f.client(u, trusted)
	if err != nil {
		return nil, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", u, err)
	}
	req.Header = header.Clone()
	release = func() {}
	if f.Limiter != nil {
		key := hostKey(u)
		if release, err = f.Limiter.Acquire(ctx, key); err != nil {
			return nil, nil, fmt.Errorf("GET %s: waiting for a turn at %s: %w", u, key, err)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		release()
		var ae *addrError
		if errors.As(err, &ae) {
			return nil, nil, &RefusedError{URL: u.String(), Reason: ae.Error()}
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, nil, fmt.Errorf("GET %s: %w", u, err)
	}
	return resp, release, nil
}

// client returns the client for one request to u: the trusted one, or
// one over the untrusted pool the policy gives u's host. Neither follows
// redirects: fetch does.
func (f *Fetcher) client(u *url.URL, trusted bool) (*http.Client, error) {
	if trusted {
		c := *f.Client
		c.CheckRedirect = stopRedirects
		return &c, nil
	}
	if f.pools == nil {
		return nil, &RefusedError{URL: u.String(), Reason: "this fetcher fetches no untrusted URL"}
	}
	host, _ := canonicalHost(u)
	return &http.Client{Transport: f.pools.transport(&f.policy, host), Timeout: f.Client.Timeout, CheckRedirect: stopRedirects}, nil
}

func stopRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// redirectTarget returns where a redirect response sends u next, or nil
// when resp is not a redirect (or has no Location, which is then the
// answer). Only http(s) targets are followed.
func redirectTarget(resp *http.Response, u *url.URL) (*url.URL, error) {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil, nil
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil, nil
	}
	next, err := u.Parse(loc)
	if err != nil {
		return nil, fmt.Errorf("redirect to %q: %w", loc, err)
	}
	if next.Scheme != "http" && next.Scheme != "https" {
		return nil, fmt.Errorf("redirect to %s refused: not http(s)", next.Redacted())
	}
	if next.Host == "" {
		return nil, fmt.Errorf("redirect to %s refused: no host", next.Redacted())
	}
	return next, nil
}
