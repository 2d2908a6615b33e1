package server

import (
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/feedsmith/feedsmith/publish"
)

// minMaxAge is the shortest Cache-Control max-age served, also for a file
// without a MaxAge: no reader needs a feed fresher than a minute, and it
// spares the server readers that poll in a loop.
const minMaxAge = time.Minute

// htmlCSP allows the pages their stylesheet and images from the site
// itself and nothing else: no script, no frames, no forms, no request to
// any other host (an article's images from upstream included: a reader
// of the page is not announced to the upstream).
const htmlCSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// svgCSP is the theme's icon's: an SVG opened as a document may carry
// script, which this forbids.
const svgCSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

// sharedFields are the header fields of a file in either content coding.
type sharedFields struct {
	// both go into 200s and 304s (RFC 9110 §15.4.5: a 304 carries the
	// Cache-Control, ETag and Vary a 200 would have).
	both []field
	// ok go into 200s only.
	ok []field
}

// fileFields prepares the fields that depend on the file, not on the
// content coding.
func (s *Server) fileFields(f publish.File, lastModified string) sharedFields {
	maxAge := max(f.MaxAge, minMaxAge)
	sf := sharedFields{both: []field{
		one("Last-Modified", lastModified),
		one("Cache-Control", "public, max-age="+strconv.FormatInt(int64(maxAge/time.Second), 10)),
		one("Vary", "Accept-Encoding"),
	}}
	ct := f.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	sf.ok = append(sf.ok, one("Content-Type", ct), one("X-Content-Type-Options", "nosniff"))
	media, _, _ := mime.ParseMediaType(ct)
	switch media {
	case "text/html":
		sf.ok = append(sf.ok,
			one("Content-Security-Policy", htmlCSP),
			one("Referrer-Policy", "no-referrer"),
			one("X-Frame-Options", "DENY"))
		return sf
	case "image/svg+xml":
		sf.ok = append(sf.ok, one("Content-Security-Policy", svgCSP))
		return sf
	case "application/atom+xml", "application/rss+xml", "application/feed+json":
		if s.opts.Hub != "" {
			sf.ok = append(sf.ok, field{"Link", []string{
				"<" + s.opts.Hub + `>; rel="hub"`,
				"<" + s.selfURL(f.Path) + `>; rel="self"`,
			}})
		}
	}
	// Feeds and the OPML list are read by web feed readers on other
	// origins.
	sf.ok = append(sf.ok, one("Access-Control-Allow-Origin", "*"))
	return sf
}

// selfURL is the URL a feed is published at, as the feed itself names it.
func (s *Server) selfURL(p string) string {
	base := s.opts.BaseURL
	if base == "" {
		return "/" + p
	}
	if base[len(base)-1] != '/' {
		base += "/"
	}
	return base + p
}

// newVariant prepares the response of one content coding ("" for
// identity) of a file.
func newVariant(body []byte, etag, coding string, sf sharedFields) variant {
	v := variant{body: body, etag: etag}
	v.ok = append(v.ok,
		one("Content-Length", strconv.Itoa(len(body))),
		one("Etag", etag))
	if coding != "" {
		v.ok = append(v.ok, one("Content-Encoding", coding))
	}
	v.ok = append(append(v.ok, sf.both...), sf.ok...)
	v.notModified = append([]field{one("Etag", etag)}, sf.both...)
	v.fastOK, v.fastNotModified = fastFields(v.ok), fastFields(v.notModified)
	return v
}

// one is a field with a single value. The value slice has no spare
// capacity, so a later Header.Add copies it instead of writing into the
// slice every response shares.
func one(key, val string) field {
	return field{http.CanonicalHeaderKey(key), []string{val}}
}

// set assigns fields to h without allocating a value slice per request.
func set(h http.Header, fields []field) {
	for _, f := range fields {
		h[f.key] = f.val
	}
}
