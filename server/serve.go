package server

import (
	"net/http"
	"strings"
)

// treeFirst serves a request whose path is a file of the current tree
// and hands any other to next. Only an exact lookup of the decoded URL
// path in the in-memory tree can serve a file: there is no file system
// behind it, and a path that is not clean matches no key: it is
// redirected to its clean form, with its escapes as they were.
//
// The tree comes before the ServeMux because the mux cannot route a
// changing set of paths without a wildcard pattern, and matching one
// costs four allocations per request.
func (s *Server) treeFirst(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e := s.lookup(r.URL.Path); e != nil {
			s.serveFile(w, r, e)
			return
		}
		if redirectClean(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// lookup returns the entry of a URL path, "/" being the index page.
func (s *Server) lookup(urlPath string) *entry {
	key, ok := strings.CutPrefix(urlPath, "/")
	if !ok {
		return nil
	}
	if key == "" {
		key = "index.html"
	}
	return (*s.files.Load())[key]
}

// serveFile answers a request for a tree file from its prepared response.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, e *entry) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	v := &e.plain
	if e.gzip != nil && acceptsGzip(r.Header["Accept-Encoding"]) {
		v = e.gzip
	}
	status := http.StatusOK
	h := w.Header()
	if notModified(r.Header["If-None-Match"], r.Header["If-Modified-Since"], e) {
		status = http.StatusNotModified
		set(h, v.notModified)
		w.WriteHeader(status)
	} else {
		set(h, v.ok)
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(v.body) // an error is the reader gone: nothing to do
		}
	}
	if s.opts.Metrics != nil {
		s.opts.Metrics.FeedRequest(metricPath(e.path), status)
	}
}

// notModified evaluates the If-None-Match values, or the If-Modified-Since
// ones when there is no If-None-Match (RFC 9110 §13.1.3), for a GET or
// HEAD of e.
func notModified(inm, ims []string, e *entry) bool {
	if len(inm) > 0 {
		for _, list := range inm {
			if etagListMatches(list, e) {
				return true
			}
		}
		return false
	}
	if len(ims) == 0 {
		return false
	}
	if ims[0] == e.lastModified { // what a reader sends back, mostly
		return true
	}
	t, err := http.ParseTime(ims[0])
	if err != nil {
		return false // an invalid date is ignored (RFC 9110 §13.1.3)
	}
	return !e.modified.After(t)
}

// etagListMatches reports whether an If-None-Match value ("*" or a list
// of entity tags) matches either coding's ETag of e, by the weak
// comparison RFC 9110 §13.1.2 asks for: W/ is ignored. A list that does
// not parse matches nothing from the bad tag on.
func etagListMatches(list string, e *entry) bool {
	for {
		list = strings.TrimLeft(list, " \t,")
		if list == "" {
			return false
		}
		if list[0] == '*' {
			return true
		}
		list = strings.TrimPrefix(list, "W/")
		if len(list) < 2 || list[0] != '"' {
			return false
		}
		end := strings.IndexByte(list[1:], '"') + 2
		if end < 2 {
			return false
		}
		tag := list[:end]
		if tag == e.plain.etag || (e.gzip != nil && tag == e.gzip.etag) {
			return true
		}
		list = list[end:]
	}
}
