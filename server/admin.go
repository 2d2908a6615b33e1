package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// healthz answers 200 while the process can serve at all.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	plain(w, http.StatusOK, "ok")
}

// readyz answers 200 once Options.Ready says so, else 503 with the reason.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	var detail string
	if s.opts.ReadyDetail != nil {
		if d := s.opts.ReadyDetail(); d != "" {
			detail = "\n" + d
		}
	}
	if s.opts.Ready != nil {
		if err := s.opts.Ready(); err != nil {
			plain(w, http.StatusServiceUnavailable, "not ready: "+err.Error()+detail)
			return
		}
	}
	plain(w, http.StatusOK, "ready"+detail)
}

// refresh runs a source now, for POST /-/refresh/{source}. It answers
// 200 once Options.Refresh has returned, so the caller knows the run is
// over; the write deadline is lifted for as long as that takes.
func (s *Server) refresh(w http.ResponseWriter, r *http.Request) {
	switch s.authorize(r) {
	case authMissing:
		w.Header().Set("WWW-Authenticate", `Bearer realm="feedsmith"`)
		plain(w, http.StatusUnauthorized, "unauthorized")
		return
	case authWrong:
		w.Header().Set("WWW-Authenticate", `Bearer realm="feedsmith", error="invalid_token"`)
		plain(w, http.StatusUnauthorized, "unauthorized")
		return
	}
	if _, err := io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxAdminBody)); err != nil {
		plain(w, http.StatusRequestEntityTooLarge, "request body too large")
		return
	}
	id := r.PathValue("source")
	// Not every ResponseWriter can: then the server's deadline stays.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(refreshTimeout))
	err := s.opts.Refresh(r.Context(), id)
	switch {
	case err == nil:
		s.logger.Info("source refreshed on request", "source", id)
		plain(w, http.StatusOK, "refreshed "+id)
	case errors.Is(err, ErrUnknownSource):
		plain(w, http.StatusNotFound, "unknown source")
	default:
		s.logger.Warn("refresh on request failed", "source", id, "error", err)
		// The caller holds the admin token: it may read why.
		plain(w, http.StatusInternalServerError, "refresh "+id+": "+err.Error())
	}
}

type auth int

const (
	authOK auth = iota
	authMissing
	authWrong
)

// authorize checks the bearer token. Both sides are hashed first so the
// constant-time comparison does not leak the token's length either.
func (s *Server) authorize(r *http.Request) auth {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return authMissing
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if subtle.ConstantTimeCompare(sum[:], s.tokenSum[:]) != 1 {
		return authWrong
	}
	return authOK
}

// plain writes a short uncached text response.
func plain(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}
