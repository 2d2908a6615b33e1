package server

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"
	"unsafe"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// The daemon serves with fasthttp rather than net/http: on the 2-core
// bench machine net/http's per-request work (a Request, a header map, a
// context, a sorted header write, a goroutine handoff per read) held it
// to about half of nginx's requests/s for one prepared feed, and a
// minimal net/http handler did no better. fasthttp reuses all of that
// per connection. Only a GET or HEAD of a tree file is answered natively,
// and the requests Handler would refuse before routing (a method it does
// not serve, a target net/http cannot parse); every other request goes to
// Handler through fasthttpadaptor, so the routes, redirects, 404s and
// admin endpoint stay net/http code.

// maxRequestBody bounds what fasthttp buffers of a request body before
// the handler runs; the admin endpoint, the only one that reads a body,
// caps it lower (maxAdminBody) and answers 413 itself.
const maxRequestBody = 64 << 10

// HTTPServer returns the server the daemon runs, with every timeout set
// and request headers bounded; the caller runs it with Serve on a
// listener wrapped by Listener and stops it with ShutdownWithContext. It
// answers exactly as Handler does, and answers the requests it cannot
// read (too large, malformed) itself, without a 5xx.
func (s *Server) HTTPServer() *fasthttp.Server {
	return &fasthttp.Server{
		Handler: s.fastHandler(),
		// fasthttp has one read timeout, for the whole request from its
		// first byte: bodies are at most maxRequestBody, so the header
		// timeout is enough for both.
		ReadTimeout:           readHeaderTimeout,
		WriteTimeout:          writeTimeout,
		IdleTimeout:           idleTimeout,
		ReadBufferSize:        maxHeaderBytes, // also the largest request head
		MaxRequestBodySize:    maxRequestBody,
		NoDefaultServerHeader: true,
		// Handler's responses set their own Content-Type; a 304 has none.
		NoDefaultContentType:         true,
		DisablePreParseMultipartForm: true,
		CloseOnShutdown:              true,
		SecureErrorLogMessage:        true,
		ErrorHandler:                 s.badRequest,
		Logger:                       fastLogger{s},
	}
}

// fastHandler answers a GET or HEAD of a tree file from its prepared
// response and hands every other request to Handler.
func (s *Server) fastHandler() fasthttp.RequestHandler {
	slow := fasthttpadaptor.NewFastHTTPHandler(s.handler)
	return func(ctx *fasthttp.RequestCtx) {
		if al := s.access.Load(); al != nil {
			defer al.log(ctx, time.Now()) // after recoverFast: it logs the status sent
		}
		defer s.recoverFast(ctx)
		switch {
		case ctx.IsGet() || ctx.IsHead():
			if p, ok := plainPath(ctx.Request.Header.RequestURI()); ok {
				// string(p) in a map index does not allocate.
				if e := (*s.files.Load())[treeKey(p)]; e != nil {
					s.serveFast(ctx, e)
					return
				}
			}
		case !ctx.IsPost():
			s.notAllowedFast(ctx)
			return
		}
		// fasthttp takes targets that net/http refuses ("/%zz"), and the
		// adaptor answers those 500: they get the 400 net/http gives.
		if _, err := url.ParseRequestURI(byteString(ctx.RequestURI())); err != nil {
			s.badRequest(ctx, fmt.Errorf("request target: %w", err))
			ctx.SetConnectionClose()
			return
		}
		slow(ctx)
	}
}

// plainPath returns the path of an origin-form request target when
// net/http would decode it to the same bytes: it has no percent escapes.
// Any other target (escapes, absolute form, "*") goes to Handler, which
// decodes, cleans and redirects as it always has.
func plainPath(target []byte) ([]byte, bool) {
	if len(target) == 0 || target[0] != '/' {
		return nil, false
	}
	if i := bytes.IndexByte(target, '?'); i >= 0 {
		target = target[:i]
	}
	if bytes.IndexByte(target, '%') >= 0 {
		return nil, false
	}
	return target, true
}

// treeKey is lookup's key for a URL path that starts with "/", as a view
// of p: it is only used as a map index.
func treeKey(p []byte) string {
	if len(p) == 1 {
		return "index.html"
	}
	return byteString(p[1:])
}

// serveFast is serveFile for fasthttp: same negotiation, same fields.
func (s *Server) serveFast(ctx *fasthttp.RequestCtx, e *entry) {
	var start time.Time
	debug := s.logger.Enabled(ctx, slog.LevelDebug)
	if debug {
		start = time.Now()
	}
	h := &ctx.Request.Header
	v := &e.plain
	// PeekAll reuses one slice per request: each list is read before
	// the next PeekAll.
	var buf [4]string
	if e.gzip != nil && acceptsGzip(byteStrings(buf[:0], h.PeekAll("Accept-Encoding"))) {
		v = e.gzip
	}
	inm := byteStrings(buf[:0], h.PeekAll("If-None-Match"))
	var ims []string
	if len(inm) == 0 {
		ims = byteStrings(buf[:0], h.PeekAll("If-Modified-Since"))
	}
	status, n := http.StatusOK, 0
	if notModified(inm, ims, e) {
		status = http.StatusNotModified
		setFast(&ctx.Response.Header, v.fastNotModified)
	} else {
		setFast(&ctx.Response.Header, v.fastOK)
		var mr *memReader
		if v == &e.plain && !ctx.IsHead() {
			mr = s.newMemReader(e.mem)
		}
		if mr != nil {
			// fasthttp closes it once the response is written.
			ctx.Response.SetBodyStream(mr, len(v.body))
		} else {
			// SetBodyRaw shares the prepared bytes; for a HEAD fasthttp
			// sends their length and not the bytes.
			ctx.Response.SetBodyRaw(v.body)
		}
		if !ctx.IsHead() {
			n = len(v.body)
		}
	}
	ctx.SetStatusCode(status)
	if s.opts.Metrics != nil {
		s.opts.Metrics.FeedRequest(metricPath(e.path), status)
	}
	if debug {
		s.logger.LogAttrs(ctx, slog.LevelDebug, "request",
			slog.String("method", string(ctx.Method())),
			slog.String("path", string(ctx.Path())),
			slog.Int("status", status),
			slog.Int64("bytes", int64(n)),
			slog.Duration("duration", time.Since(start)))
	}
}

// fastField is a field as fasthttp takes it.
type fastField struct{ key, val []byte }

// fastFields converts prepared fields for setFast. Content-Length is left
// out: fasthttp writes it from the body, and never on a 304.
func fastFields(fields []field) []fastField {
	var out []fastField
	for _, f := range fields {
		if f.key == "Content-Length" {
			continue
		}
		for _, v := range f.val {
			out = append(out, fastField{[]byte(f.key), []byte(v)})
		}
	}
	return out
}

// setFast adds fields to a response header; fasthttp copies them into
// buffers it keeps per connection, so nothing is allocated once warm.
func setFast(h *fasthttp.ResponseHeader, fields []fastField) {
	for _, f := range fields {
		h.AddBytesKV(f.key, f.val)
	}
}

// byteStrings appends views of vals to dst. The views share the request's
// buffer and must not outlive the handler call.
func byteStrings(dst []string, vals [][]byte) []string {
	for _, v := range vals {
		dst = append(dst, byteString(v))
	}
	return dst
}

// byteString views b as a string without copying, for header values read
// only while fasthttp holds the request (it reuses the buffer after the
// handler returns, so nothing may keep the string).
func byteString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// recoverFast does for the native path what net/http does for a handler
// that panics: log it and drop the connection, and keep serving others.
// Handler's own panics are recovered by fasthttpadaptor.
func (s *Server) recoverFast(ctx *fasthttp.RequestCtx) {
	if p := recover(); p != nil {
		s.logger.Error("panic serving a request", "path", string(ctx.Path()), "error", fmt.Sprint(p))
		ctx.Response.Reset()
		ctx.SetConnectionClose()
		ctx.Error("internal server error", http.StatusInternalServerError)
	}
}
