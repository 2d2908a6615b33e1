// Package publish turns stored articles into the output tree: one Atom,
// RSS and JSON Feed document per category, the OPML list of them and an
// index page; and writes the tree to disk atomically.
package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// File is one document of the output tree.
type File struct {
	// Path is slash-separated and relative to the tree's root, e.g.
	// "feeds/news.atom".
	Path        string
	ContentType string
	Body        []byte
	// Disk, when not nil, is what the output folder gets instead of
	// Body: the index page the daemon serves shows run times that the
	// copy on disk leaves out (Publisher.RunTimes).
	Disk []byte
	// MaxAge is how long a cache may keep the file: a feed's refresh
	// interval, shorter for the index page.
	MaxAge time.Duration
	// Category and Stamp are set for a category's and an article's page:
	// the category it belongs to, and a hash of what it was rendered
	// from. A page whose stamp did not change is not rendered again.
	Category, Stamp string
}

// Tree is the whole output, in a deterministic order.
type Tree []File

// ErrUnsafePath is returned for a path that would leave the output folder.
var ErrUnsafePath = errors.New("path leaves the output folder")

// checkPath refuses absolute paths, "..", backslashes and NUL bytes:
// nothing that comes from a source may write outside the output folder.
func checkPath(p string) error {
	if p == "" || strings.ContainsAny(p, "\\\x00") || path.IsAbs(p) || path.Clean(p) != p || !filepath.IsLocal(filepath.FromSlash(p)) {
		return fmt.Errorf("%q: %w", p, ErrUnsafePath)
	}
	return nil
}

// WriteStats counts what WriteTree did: the files written, and those
// left alone because they held the bytes already. Kept counts the files
// not even rendered because their category or page had not changed since
// they were written (RenderStale), which are as unchanged; Removed the
// pages RenderStale's record deleted because their category no longer
// has them.
type WriteStats struct{ Written, Unchanged, Kept, Removed int }

// WriteTree writes every file of t under dir. A file whose bytes on disk
// are already the same is left alone (its mtime too); any other is
// written to a temporary file in the same folder, synced and renamed over
// the old one, so a reader sees either the old or the new document, never
// half of one. Temporary files that a write killed before its rename
// left beside the tree's files are removed first; the caller must not
// run two WriteTree on one folder at once.
func WriteTree(dir string, t Tree) (WriteStats, error) {
	w := NewTreeWriter(dir)
	w.Write(t...)
	return w.Stats, w.Err()
}

// Overlay returns t with the files of over in place of those at the same
// paths, and the other files of over added.
func Overlay(t, over Tree) Tree {
	out := slices.Clone(t)
	at := make(map[string]int, len(out))
	for i, f := range out {
		at[f.Path] = i
	}
	for _, f := range over {
		if i, ok := at[f.Path]; ok {
			out[i] = f
		} else {
			out = append(out, f)
		}
	}
	return out
}

// A TreeWriter writes the files of a tree under its folder as they come,
// as WriteTree does, so that a large tree never sits in memory whole.
// Write may be called from several goroutines at once (each file's
// fsyncs then overlap another's); Stats and Err are read once the Writes
// are done.
type TreeWriter struct {
	dir   string
	Stats WriteStats

	mu   sync.Mutex
	errs []error
	// temps lists, per folder read so far, the names in it that look
	// like WriteFile's temporary files.
	temps map[string][]string
}

// NewTreeWriter returns a writer of files under dir.
func NewTreeWriter(dir string) *TreeWriter {
	return &TreeWriter{dir: dir, temps: map[string][]string{}}
}

// Write writes files; errors are kept for Err, and the other files are
// still written. Each changed file is written to a temporary name beside
// its own and synced, several at once (the disk's journal commits
// concurrent syncs together), then renamed into place, and each folder
// that got a file is synced once: after a crash every file is its old
// bytes or its new ones, as with WriteFile, for one folder sync a batch
// instead of one a file.
func (w *TreeWriter) Write(files ...File) {
	type job struct {
		name string
		body []byte
	}
	var jobs []job
	var errs []error
	unchanged := 0
	for _, f := range files {
		if err := checkPath(f.Path); err != nil {
			errs = append(errs, err)
			continue
		}
		name := filepath.Join(w.dir, filepath.FromSlash(f.Path))
		w.removeStale(name)
		body := f.Body
		if f.Disk != nil {
			body = f.Disk
		}
		if sameFile(name, body) {
			unchanged++
			continue
		}
		jobs = append(jobs, job{name, body})
	}
	temps := make([]staged, len(jobs))
	failed := make([]error, len(jobs))
	// A batch is synced with one syncfs(2) where there is one: one
	// journal commit for all its files instead of one a file.
	batch := len(jobs) >= syncBatch && haveSyncFS
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(writeWorkers, len(jobs)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(jobs); i = int(next.Add(1)) - 1 {
				temps[i], failed[i] = stage(jobs[i].name, jobs[i].body, !batch)
			}
		})
	}
	wg.Wait()
	if batch {
		// Each folder's file system (one of them may be a link to
		// another disk), and the files one by one where syncfs fails.
		synced := map[string]bool{}
		for i, t := range temps {
			if failed[i] != nil {
				continue
			}
			dir := filepath.Dir(t.name)
			ok, seen := synced[dir]
			if !seen {
				ok = syncFS(dir) == nil
				synced[dir] = ok
			}
			if !ok {
				failed[i] = t.sync()
			}
		}
	}
	dirs := map[string]bool{}
	written := 0
	for i, t := range temps {
		if failed[i] == nil {
			failed[i] = t.commit()
		}
		if failed[i] != nil {
			errs = append(errs, failed[i])
			continue
		}
		dirs[filepath.Dir(t.name)] = true
		written++
	}
	for dir := range dirs {
		syncDir(dir)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.errs = append(w.errs, errs...)
	w.Stats.Unchanged += unchanged
	w.Stats.Written += written
}

const (
	// writeWorkers bounds the files one Write stages at once.
	writeWorkers = 8
	// syncBatch is the fewest files a Write syncs with one syncfs(2)
	// rather than one fsync each: syncfs also flushes what other
	// programs wrote to the file system, which a few files are not worth.
	syncBatch = 16
)

// sameFile reports whether the file name holds exactly body. It reads
// the file a block at a time: the whole tree is compared on every
// publish, and must not be read into memory beside the new one.
func sameFile(name string, body []byte) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.Size() != int64(len(body)) {
		return false
	}
	buf := compareBufs.Get().(*[]byte)
	defer compareBufs.Put(buf)
	for len(body) > 0 {
		n, err := io.ReadFull(f, (*buf)[:min(len(*buf), len(body))])
		if err != nil || !bytes.Equal((*buf)[:n], body[:n]) {
			return false
		}
		body = body[n:]
	}
	n, _ := f.Read((*buf)[:1]) // grown since the Stat
	return n == 0
}

var compareBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// Err returns the errors of every Write so far.
func (w *TreeWriter) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return errors.Join(w.errs...)
}

// removeStale removes the temporary files of WriteFile beside name. A
// process killed between CreateTemp and Rename leaves one behind, and
// nothing else would ever remove it: over many kills they pile up.
func (w *TreeWriter) removeStale(name string) {
	folder := filepath.Dir(name)
	w.mu.Lock()
	defer w.mu.Unlock()
	temps, ok := w.temps[folder]
	if !ok {
		entries, _ := os.ReadDir(folder) // a missing folder has nothing stale
		for _, e := range entries {
			n := e.Name()
			i := strings.LastIndex(n, ".tmp-")
			if i <= 0 || n[0] != '.' || !e.Type().IsRegular() {
				continue
			}
			if suffix := n[i+len(".tmp-"):]; suffix != "" && strings.Trim(suffix, "0123456789") == "" {
				temps = append(temps, n)
			}
		}
		w.temps[folder] = temps
	}
	prefix := "." + filepath.Base(name) + ".tmp-"
	for _, t := range temps {
		if strings.HasPrefix(t, prefix) && strings.Trim(t[len(prefix):], "0123456789") == "" {
			os.Remove(filepath.Join(folder, t))
		}
	}
}

// WriteFile writes data to name atomically: temp file, fsync, rename,
// and an fsync of the folder so the rename survives a crash.
func WriteFile(name string, data []byte) error {
	t, err := stage(name, data, true)
	if err == nil {
		err = t.commit()
	}
	if err != nil {
		return err
	}
	syncDir(filepath.Dir(name))
	return nil
}

// staged is a file's new bytes, written and synced under a temporary
// name beside it, to be renamed into place by commit.
type staged struct{ tmp, name string }

// stage writes data to a temporary file beside name, and syncs it with
// sync set (else the caller syncs it before commit).
func stage(name string, data []byte, sync bool) (t staged, err error) {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return t, fmt.Errorf("write %s: %w", name, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return t, fmt.Errorf("write %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return t, fmt.Errorf("write %s: %w", name, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return t, fmt.Errorf("write %s: %w", name, err)
	}
	if sync {
		if err = tmp.Sync(); err != nil {
			return t, fmt.Errorf("sync %s: %w", name, err)
		}
	}
	if err = tmp.Close(); err != nil {
		return t, fmt.Errorf("write %s: %w", name, err)
	}
	return staged{tmp: tmp.Name(), name: name}, nil
}

// sync syncs a file staged without; a failure removes it.
func (t staged) sync() error {
	f, err := os.OpenFile(t.tmp, os.O_WRONLY, 0)
	if err == nil {
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		os.Remove(t.tmp)
		return fmt.Errorf("sync %s: %w", t.name, err)
	}
	return nil
}

// commit renames the staged file into place; a failed rename removes it.
func (t staged) commit() error {
	if err := os.Rename(t.tmp, t.name); err != nil {
		os.Remove(t.tmp)
		return fmt.Errorf("rename %s: %w", t.name, err)
	}
	return nil
}

// syncDir syncs a folder, so that the renames into it survive a crash:
// best effort, since not every file system syncs folders.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
