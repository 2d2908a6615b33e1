package server

import (
	"net/http"
	"strings"

	"github.com/valyala/fasthttp"
)

// The server answers GET and HEAD, and POST on the admin endpoint; any
// other method (CONNECT, TRACE, OPTIONS, PUT, or one made up) gets 405
// with an Allow field, from both fronts alike. A CONNECT in particular
// must not reach fasthttpadaptor, which cannot turn its authority-form
// target into a URL and answered 500.

// servedMethod reports whether a request of method goes on to the routes.
func servedMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodPost
}

// allow is the Allow value of a 405 for a request path.
func (s *Server) allow(path string) string {
	if s.opts.AdminToken != "" && s.opts.Refresh != nil && strings.HasPrefix(path, "/-/refresh/") {
		return http.MethodPost
	}
	return "GET, HEAD"
}

// notAllowedBody is the body of a 405, as http.Error writes it.
const notAllowedBody = "method not allowed\n"

// onlyServedMethods answers 405 to a method the server does not serve.
func (s *Server) onlyServedMethods(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !servedMethod(r.Method) {
			w.Header().Set("Allow", s.allow(cleanPath(r.URL.Path)))
			http.Error(w, strings.TrimSuffix(notAllowedBody, "\n"), http.StatusMethodNotAllowed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// notAllowedFast is onlyServedMethods' 405 for fasthttp, field for field.
func (s *Server) notAllowedFast(ctx *fasthttp.RequestCtx) {
	h := &ctx.Response.Header
	h.Set("Allow", s.allow(string(ctx.Path())))
	h.SetContentType("text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	ctx.SetStatusCode(http.StatusMethodNotAllowed)
	ctx.SetBodyString(notAllowedBody)
}
