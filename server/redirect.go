package server

import (
	"net/http"
	"net/url"
	"path"
)

// A request for a path that is not clean ("//feeds/x", "/./feeds/x",
// "/feeds/../feeds/x") is redirected to its clean form here rather than
// by the ServeMux: the mux cleans the escaped path and then escapes it
// again, so "/./feeds/%78ss.atom" went to "/feeds/%2578ss.atom", a path
// that does not exist. Here the escapes stay exactly as the client sent
// them.

// cleanTarget returns the target a request for u is redirected to, and
// false when u's path is clean already.
func cleanTarget(u *url.URL) (string, bool) {
	escaped := u.EscapedPath()
	clean := cleanPath(escaped)
	if clean == escaped {
		return "", false
	}
	if u.RawQuery != "" {
		clean += "?" + u.RawQuery
	}
	return clean, true
}

// redirectClean redirects a request whose path is not clean, as the
// ServeMux would (307, the same body), and reports whether it did.
func redirectClean(w http.ResponseWriter, r *http.Request) bool {
	target, ok := cleanTarget(r.URL)
	if !ok {
		return false
	}
	http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	return true
}

// cleanPath is the ServeMux's: p rooted and cleaned, a trailing slash
// kept.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}
