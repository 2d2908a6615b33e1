package normalize

import (
	"net/url"
	"strings"
)

// ResolveURL returns ref made absolute against base, with its host
// lower-cased and without userinfo ("user:password@" is never
// republished), an IRI made a URI (see toURI), or "" when that is not
// possible (ref relative and base not an absolute http(s) URL, an
// unparseable ref, a host IDNA rejects) or when the result is not an http
// or https URL. A protocol-relative ref ("//host/path") with
// no usable base is taken as https, which is what nearly every site that
// writes one serves.
func ResolveURL(ref, base string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if !r.IsAbs() {
		b, err := url.Parse(strings.TrimSpace(base))
		if err != nil || !isHTTP(b) {
			if !strings.HasPrefix(ref, "//") {
				return ""
			}
			b = &url.URL{Scheme: "https"}
		}
		r = b.ResolveReference(r)
	}
	if !isHTTP(r) {
		return ""
	}
	if !toURI(r) { // also lower-cases the host: host names are case-insensitive
		return ""
	}
	r.User = nil
	return r.String()
}

// isHTTP reports whether u is an absolute http or https URL with a host.
// url.Parse has already lower-cased the scheme.
func isHTTP(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Opaque == ""
}

// CanonicalURL returns the form of an absolute URL used to recognise the
// same article under two links: scheme and host lower-cased, the default
// port dropped, an empty path written "/", and well-known tracking
// parameters (see tracking) removed from the query, whose other
// parameters keep their order and spelling. The fragment is kept: a feed
// that links its items as page#n1, page#n2 distinguishes them by it
// (the same story under page and page#comments is then two links; the
// upstream said so). Only an empty fragment and a text directive
// ("#:~:text=…", a browser's scroll-to-text, never part of the page's
// identity) are dropped. A string that is
// not an absolute URL is returned trimmed and otherwise unchanged.
func CanonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	switch {
	case u.Scheme == "http" && strings.HasSuffix(u.Host, ":80"):
		u.Host = strings.TrimSuffix(u.Host, ":80")
	case u.Scheme == "https" && strings.HasSuffix(u.Host, ":443"):
		u.Host = strings.TrimSuffix(u.Host, ":443")
	}
	if u.Path == "" && u.Opaque == "" {
		u.Path = "/"
	}
	if i := strings.Index(u.Fragment, ":~:"); i >= 0 {
		u.Fragment, u.RawFragment = u.Fragment[:i], ""
	}
	u.RawQuery = stripTracking(u.RawQuery)
	u.ForceQuery = false
	return u.String()
}

// stripTracking removes tracking parameters and empty pairs from a raw
// query, leaving the rest byte for byte.
func stripTracking(q string) string {
	if q == "" {
		return ""
	}
	kept := make([]string, 0, 8)
	for _, p := range strings.Split(q, "&") {
		k, _, _ := strings.Cut(p, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if p == "" || isTracking(strings.ToLower(k)) {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "&")
}

// tracking lists query parameters that only identify a campaign, click or
// share, never the page: Google Analytics (utm_* is matched by prefix),
// Google, Microsoft and Yandex ads, Facebook, Instagram, Mailchimp,
// HubSpot, and Alibaba's spm. Generic names such as "from" or "source"
// are left alone, since sites also use them for real content.
var tracking = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "igshid": true, "mc_cid": true, "mc_eid": true,
	"_hsenc": true, "_hsmi": true, "spm": true,
}

func isTracking(key string) bool {
	return strings.HasPrefix(key, "utm_") || tracking[key]
}

// WithoutUserinfo returns s without its userinfo when it is an absolute
// http(s) URL that has one, else s unchanged: an id taken from a link
// must not carry the link's credentials into the feeds either.
func WithoutUserinfo(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil || !isHTTP(u) {
		return s
	}
	u.User = nil
	return u.String()
}
