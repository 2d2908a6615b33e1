package server

import (
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/feedsmith/feedsmith/config"
)

// accessLog writes one line per request answered: through the server's
// logger (target "stderr"), or appended to a file in the Combined Log
// Format, the form web servers write and log tools read:
//
//	203.0.113.9 - - [01/Mar/2025:12:00:00 +0800] "GET /feeds/news.atom HTTP/1.1" 304 - "-" "Feedly/1.0"
type accessLog struct {
	target string
	logger *slog.Logger // target "stderr"

	mu   sync.Mutex // serialises writes and Close
	file *os.File   // any other target; nil once closed
	buf  []byte
}

// OpenAccessLog starts logging requests to target ("stderr", or a file
// path, created when missing and appended to), in place of where they
// went before; "" stops. A file already open, even at the same path, is
// closed and opened again: logrotate's postrotate reload moves it aside.
// On error the log stays as it was.
func (s *Server) OpenAccessLog(target string) error {
	var next *accessLog
	switch target {
	case "":
	case config.AccessLogStderr:
		next = &accessLog{target: target, logger: s.logger}
	default:
		f, err := OpenAccessLogFile(target)
		if err != nil {
			return fmt.Errorf("open access log: %w", err)
		}
		next = &accessLog{target: target, file: f}
	}
	return s.access.Swap(next).close()
}

// OpenAccessLogFile opens the access log file at path for appending,
// creating it (mode 0640) when it is not there.
func OpenAccessLogFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
}

// ReopenAccessLog opens the access log's file again, for log rotation;
// it does nothing when the log is off or goes to the logger.
func (s *Server) ReopenAccessLog() error {
	if al := s.access.Load(); al != nil && al.logger == nil {
		return s.OpenAccessLog(al.target)
	}
	return nil
}

// CloseAccessLog stops logging requests and closes the file.
func (s *Server) CloseAccessLog() error { return s.access.Swap(nil).close() }

func (al *accessLog) close() error {
	if al == nil || al.logger != nil {
		return nil
	}
	al.mu.Lock()
	defer al.mu.Unlock()
	f := al.file
	al.file = nil // a request still finishing writes nothing
	if f == nil {
		return nil
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close access log: %w", err)
	}
	return nil
}

// log writes the line of a request that started at start, once it is
// answered. A write that fails is not retried: serving comes first.
func (al *accessLog) log(ctx *fasthttp.RequestCtx, start time.Time) {
	status := ctx.Response.StatusCode()
	n := 0
	switch {
	case ctx.IsHead() || status == fasthttp.StatusNotModified || status == fasthttp.StatusNoContent:
	case ctx.Response.IsBodyStream():
		// Body would read the stream (a sendfile body) into memory.
		n = max(ctx.Response.Header.ContentLength(), 0)
	default:
		n = len(ctx.Response.Body())
	}
	if al.logger != nil {
		al.logger.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("remote", ctx.RemoteIP().String()),
			slog.String("method", string(ctx.Method())),
			slog.String("uri", string(ctx.RequestURI())),
			slog.Int("status", status),
			slog.Int("bytes", n),
			slog.Duration("duration", time.Since(start)),
			slog.String("referer", string(ctx.Referer())),
			slog.String("user_agent", string(ctx.UserAgent())))
		return
	}
	al.mu.Lock()
	defer al.mu.Unlock()
	if al.file == nil {
		return
	}
	al.buf = combined(al.buf[:0], ctx, start, status, n)
	al.file.Write(al.buf) // a full disk loses the line; the request was answered
}

// combined appends the Combined Log Format line of a request.
func combined(b []byte, ctx *fasthttp.RequestCtx, start time.Time, status, n int) []byte {
	if ip, ok := netip.AddrFromSlice(ctx.RemoteIP()); ok {
		b = ip.Unmap().AppendTo(b)
	} else {
		b = append(b, '-')
	}
	b = append(b, " - - ["...)
	b = start.AppendFormat(b, "02/Jan/2006:15:04:05 -0700")
	b = append(b, `] "`...)
	b = appendEscaped(b, ctx.Method())
	b = append(b, ' ')
	b = appendEscaped(b, ctx.RequestURI())
	b = append(b, ' ')
	b = appendEscaped(b, ctx.Request.Header.Protocol())
	b = append(b, `" `...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, ' ')
	if n > 0 {
		b = strconv.AppendInt(b, int64(n), 10)
	} else {
		b = append(b, '-')
	}
	b = append(b, ` "`...)
	b = appendField(b, ctx.Referer())
	b = append(b, `" "`...)
	b = appendField(b, ctx.UserAgent())
	return append(b, "\"\n"...)
}

// appendField appends a header value, "-" when there is none.
func appendField(b, v []byte) []byte {
	if len(v) == 0 {
		return append(b, '-')
	}
	return appendEscaped(b, v)
}

// appendEscaped appends v with '"', '\' and every byte outside printable
// ASCII written \xHH, as nginx does: whatever a client sends, a line
// stays one line and its quoted fields stay quoted.
func appendEscaped(b, v []byte) []byte {
	const hex = "0123456789ABCDEF"
	for _, c := range v {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			b = append(b, '\\', 'x', hex[c>>4], hex[c&0xf])
			continue
		}
		b = append(b, c)
	}
	return b
}
