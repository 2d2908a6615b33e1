package server

import (
	"encoding/hex"
	"time"

	"github.com/feedsmith/feedsmith/store"
)

// Remember gives the server what was served before a restart, or by
// another instance of a cluster, by tree path. The next Update or Patch
// that brings a file with the same bytes keeps its time as Last-Modified
// and does not count it as changed when it was served before; the first
// Update forgets the rest. Call it before the first Update, and in a
// cluster before a Patch of what another instance saved.
func (s *Server) Remember(files map[string]store.ServedFile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known = make(map[string]*entry, len(files))
	for p, f := range files {
		sum, err := hex.DecodeString(f.Sum)
		if err != nil || len(sum) != len(entry{}.sum) || f.Modified.IsZero() {
			continue // not a sum this server wrote: the file is new
		}
		e := &entry{path: p, modified: f.Modified.UTC().Truncate(time.Second)}
		copy(e.sum[:], sum)
		s.known[p] = e
	}
}

// remembered returns, once, the entry Remember gave for path; s.mu is
// held.
func (s *Server) remembered(path string) *entry {
	e := s.known[path]
	delete(s.known, path)
	return e
}

// Served returns the bytes' hash and Last-Modified of the files at paths
// served now, for the store to remember; paths not served are left out.
func (s *Server) Served(paths []string) map[string]store.ServedFile {
	t := *s.files.Load()
	files := make(map[string]store.ServedFile, len(paths))
	for _, p := range paths {
		if e := t[p]; e != nil {
			files[p] = store.ServedFile{Sum: hex.EncodeToString(e.sum[:]), Modified: e.modified}
		}
	}
	return files
}
