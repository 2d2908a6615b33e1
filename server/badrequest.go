package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/valyala/fasthttp"
)

// Reasons of feedsmith_http_bad_requests_total.
const (
	reasonMalformed   = "malformed"
	reasonHeaderLarge = "header_too_large"
	reasonURILong     = "uri_too_long"
	reasonBodyLarge   = "body_too_large"
	reasonTimeout     = "timeout"
)

// badRequest is HTTPServer's ErrorHandler: it answers a request fasthttp
// could not read, before any handler runs. A head larger than the read
// buffer gets 414 when its request line did not fit, 431 otherwise (the
// default was a 431 the client rarely saw: the connection was reset with
// the rest of the head unread); a body over the limit 413; a request not
// complete within the read timeout 408; anything else 400. Each is
// counted in /metrics and logged at most once per badLogEvery.
func (s *Server) badRequest(ctx *fasthttp.RequestCtx, err error) {
	status, reason := classify(ctx, err)
	if hc, ok := ctx.Conn().(*headConn); ok {
		hc.linger.Store(true)
	}
	s.reportBad(reason, status, ctx.RemoteAddr(), err)
	ctx.Response.Reset()
	h := &ctx.Response.Header
	h.SetContentType("text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	ctx.SetStatusCode(status)
	ctx.SetBodyString(strings.ToLower(http.StatusText(status)) + "\n")
}

// classify maps a read error to its status and reason.
func classify(ctx *fasthttp.RequestCtx, err error) (int, string) {
	var small *fasthttp.ErrSmallBuffer
	var nerr net.Error
	switch {
	case errors.As(err, &small):
		if hc, ok := ctx.Conn().(*headConn); ok && !hc.lineRead.Load() {
			return http.StatusRequestURITooLong, reasonURILong
		}
		return http.StatusRequestHeaderFieldsTooLarge, reasonHeaderLarge
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		return http.StatusRequestEntityTooLarge, reasonBodyLarge
	case errors.Is(err, fasthttp.ErrTimeout) || errors.As(err, &nerr) && nerr.Timeout():
		return http.StatusRequestTimeout, reasonTimeout
	}
	return http.StatusBadRequest, reasonMalformed
}

// reportBad counts a bad request and logs it, rate-limited. A timeout is
// logged at debug only: a client that opens a connection and sends
// nothing is common and harmless.
func (s *Server) reportBad(reason string, status int, remote net.Addr, err error) {
	if m := s.opts.Metrics; m != nil {
		m.BadRequest(reason)
	}
	level := slog.LevelWarn
	if reason == reasonTimeout {
		level = slog.LevelDebug
	}
	ctx := context.Background()
	if !s.logger.Enabled(ctx, level) {
		return
	}
	ok, held := s.badLog.allow(s.now())
	if !ok {
		return
	}
	attrs := []any{"status", status, "reason", reason, "remote_addr", remote.String(), "error", err}
	if held > 0 {
		attrs = append(attrs, "held_back", held)
	}
	s.logger.Log(ctx, level, "bad request", attrs...)
}

// fastLogger passes fasthttp's own messages to the server's logger. The
// line fasthttp writes for each connection that ended in an error is a
// debug line: the error handler has reported a bad request already, and
// the rest are clients going away. Other messages are warnings, at most
// one per badLogEvery.
type fastLogger struct{ s *Server }

func (f fastLogger) Printf(format string, args ...any) {
	l := f.s.logger
	if strings.HasPrefix(format, "error when serving connection") {
		l.Debug(fmt.Sprintf(format, args...))
		return
	}
	ok, held := f.s.fastLog.allow(f.s.now())
	if !ok {
		return
	}
	if held > 0 {
		l.Warn(fmt.Sprintf(format, args...), "held_back", held)
		return
	}
	l.Warn(fmt.Sprintf(format, args...))
}
