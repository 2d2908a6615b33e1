package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/feedsmith/feedsmith/publish"
)

// entry is one tree file's prepared response. It is immutable.
type entry struct {
	path string
	// category and stamp are those of a page (publish.File), for Files.
	category, stamp string
	sum             [sha256.Size]byte
	modified        time.Time // UTC, whole seconds, as Last-Modified says
	// lastModified is the Last-Modified value, compared as is with
	// If-Modified-Since before any date parsing.
	lastModified string
	plain        variant
	gzip         *variant // nil when gzip would not make the body smaller
	// mem holds plain.body for sendfile when it is large (sendfileMin);
	// nil otherwise. Entries with the same bytes share it; it is retired
	// when the tree stops holding it.
	mem *memBody
	// contentType and maxAge are the file's, for Files.
	contentType string
	maxAge      time.Duration
}

// variant is the response in one content coding.
type variant struct {
	body []byte
	etag string
	// ok are the header fields of a 200 (and HEAD), notModified those of
	// a 304. Their values are shared by every response: the handler
	// assigns them to the header map and never changes them.
	ok, notModified []field
	// fastOK and fastNotModified are the same for fasthttp.
	fastOK, fastNotModified []fastField
}

// field is one header, its key canonical and its values ready to assign.
type field struct {
	key string
	val []string
}

// Update replaces the whole tree with t: files missing from t are no
// longer served. Readers see the old tree or the new one, never a mix. It
// returns the paths whose bytes changed (new files included), in t's
// order, for WebSub pings.
func (s *Server) Update(t publish.Tree) (changed []string) {
	return s.apply(t, false)
}

// Patch replaces or adds the given files and keeps every other, for an
// incremental re-render of a few categories. It returns the paths whose
// bytes changed.
func (s *Server) Patch(files []publish.File) (changed []string) {
	return s.apply(files, true)
}

// pagesMetric is the path label the site's pages (and its theme files)
// are counted under together (label feed): a site has a page per article, and one
// series per page would swamp the metrics.
const pagesMetric = "pages"

// metricPath is the path label of the requests for the tree file at p:
// its own for a feed and the OPML, pagesMetric for the rest.
func metricPath(p string) string {
	if strings.HasPrefix(p, "feeds/") || p == "feeds.opml" {
		return p
	}
	return pagesMetric
}

// Remove stops serving the files at paths (pages a category no longer
// has); the others stay.
func (s *Server) Remove(paths []string) {
	if len(paths) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := *s.files.Load()
	next := maps.Clone(cur)
	for _, p := range paths {
		delete(next, p)
	}
	s.files.Store(&next)
	retireMems(cur, next)
}

func (s *Server) apply(files []publish.File, keep bool) (changed []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := *s.files.Load()
	next := make(tree, len(files))
	if keep {
		maps.Copy(next, cur)
	}
	now := s.now().UTC().Truncate(time.Second)
	for _, f := range files {
		if !treePath(f.Path) {
			s.logger.Warn("not serving a file with an unsafe path", "path", f.Path)
			continue
		}
		old := cur[f.Path]
		if rem := s.remembered(f.Path); old == nil {
			old = rem
		} else if rem != nil && old.sum != rem.sum && rem.sum == sha256.Sum256(f.Body) {
			// Changed bytes that another instance of a cluster served
			// first: its time, so that every instance says the same
			// Last-Modified.
			old = rem
		}
		e := s.prepare(f, old, now)
		if prev := next[f.Path]; prev != nil && prev != cur[f.Path] && prev.mem != e.mem && (old == nil || prev.mem != old.mem) {
			prev.mem.retire() // the same path twice in files: the first made its own
		}
		next[f.Path] = e
		if (old == nil || old.sum != e.sum) && !slices.Contains(changed, f.Path) {
			changed = append(changed, f.Path)
		}
	}
	if !keep {
		s.known = nil // every file is in the tree now, or gone
	}
	if m := s.opts.Metrics; m != nil && !keep {
		for p := range cur {
			if next[p] == nil && metricPath(p) == p {
				m.ForgetFeed(p)
			}
		}
	}
	s.files.Store(&next)
	retireMems(cur, next)
	return changed
}

// retireMems retires the memfds of the entries of cur that next does not
// hold: a request that loaded cur before the swap still sends what it
// took, and one that comes after answers from the bytes in memory.
func retireMems(cur, next tree) {
	for p, e := range cur {
		if e.mem != nil {
			if n := next[p]; n == nil || n.mem != e.mem {
				e.mem.retire()
			}
		}
	}
}

// treePath reports whether p is a clean relative slash path that stays
// inside the tree. publish checks the same before writing; this keeps
// the map from ever holding a key a cleaned URL could not reach anyway.
func treePath(p string) bool {
	return p != "" && p != "." && path.Clean(p) == p && !path.IsAbs(p) &&
		p != ".." && !strings.HasPrefix(p, "../") && !strings.ContainsAny(p, "\\\x00")
}

// prepare builds f's entry. When old has the same bytes, its
// Last-Modified and gzip body are kept: a re-render that changed nothing
// must not make every reader download the feed again. (An old entry
// remembered from before a restart has its time only, no bodies.)
func (s *Server) prepare(f publish.File, old *entry, now time.Time) *entry {
	e := &entry{path: f.Path, category: f.Category, stamp: f.Stamp, contentType: f.ContentType, maxAge: f.MaxAge, sum: sha256.Sum256(f.Body), modified: now}
	var body, gz []byte
	if old != nil && old.sum == e.sum && old.plain.body != nil {
		e.modified, body, e.mem = old.modified, old.plain.body, old.mem
		if old.gzip != nil {
			gz = old.gzip.body
		}
	} else {
		if old != nil && old.sum == e.sum {
			e.modified = old.modified
		}
		body = f.Body // shared for as long as it is served: publish never changes a File's bytes
		gz = compress(body)
	}
	if e.mem == nil && len(body) >= sendfileMin {
		var err error
		if e.mem, err = newMemBody(body); err != nil {
			s.logger.Warn("serving a file without sendfile", "path", f.Path, "error", err)
		}
	}
	e.lastModified = e.modified.Format(httpTimeFormat)
	tag := hex.EncodeToString(e.sum[:16])
	shared := s.fileFields(f, e.lastModified)
	e.plain = newVariant(body, `"`+tag+`"`, "", shared)
	if gz != nil {
		v := newVariant(gz, `"`+tag+`-gzip"`, "gzip", shared)
		e.gzip = &v
	}
	return e
}

// httpTimeFormat is http.TimeFormat, the only format a server may send.
const httpTimeFormat = "Mon, 02 Jan 2006 15:04:05 GMT"

// compress returns body gzipped at the best compression, or nil when that
// is not smaller. It runs once per changed file, not per request.
func compress(body []byte) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil
	}
	if _, err := zw.Write(body); err != nil {
		return nil
	}
	if err := zw.Close(); err != nil || buf.Len() >= len(body) {
		return nil
	}
	return slices.Clip(buf.Bytes())
}

// Files returns the files served now, sorted by path, with their Path,
// Body, ContentType and MaxAge (no Disk), and a page's Category and
// Stamp: for a caller that must put on disk or in a bucket exactly what
// is served. The bodies are the served ones and must not be changed.
func (s *Server) Files() publish.Tree {
	t := *s.files.Load()
	files := make(publish.Tree, 0, len(t))
	for _, e := range t {
		files = append(files, publish.File{Path: e.path, ContentType: e.contentType, Body: e.plain.body, MaxAge: e.maxAge, Category: e.category, Stamp: e.stamp})
	}
	slices.SortFunc(files, func(a, b publish.File) int { return strings.Compare(a.Path, b.Path) })
	return files
}
