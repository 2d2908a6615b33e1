package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store"
)

// Removal is what RemoveGone did about one category that is no longer
// published.
type Removal struct {
	Category string
	// Removed are the feed files deleted, as paths under the output
	// folder ("feeds/releases.atom").
	Removed []string
	// Kept are the feed files left in place: not as feedsmith last wrote
	// them, so not its to delete.
	Kept []Kept
}

// Kept is a file RemoveGone left in place, and why.
type Kept struct {
	Path string // under the output folder; "" when the category id names no file
	Why  string
}

// RemoveGone deletes from the output folder dir the feeds of the
// categories recorded as written there (the store's Rendered records of
// dir) that are no longer published: removed from the configuration,
// renamed, or left with articles of removed sources only. A file is
// deleted only when it is the one feedsmith wrote: a regular file (not a
// link), inside dir (through no link that leaves it), of the size and
// modification time recorded after the write. Any other is kept and
// reported. The records of the categories dealt with are forgotten, so a
// category published again is written whole. It returns, sorted by
// category, what it did; an error leaves that category's record, for the
// next publish to try again.
func (p *Publisher) RemoveGone(ctx context.Context, cs ChangeStore, dir string) ([]Removal, error) {
	output, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	prev, err := cs.Rendered(ctx, output)
	if err != nil {
		return nil, err
	}
	chans, _, err := p.channels(ctx)
	if err != nil {
		return nil, err
	}
	published := map[string]bool{}
	for _, ch := range chans {
		published[ch.ID] = true
	}
	pages := map[string]store.Rendered{}
	for key, r := range prev {
		switch {
		case isPagePath(key):
			if !published[parsePageRecord(r).Category] {
				pages[key] = r
			}
			delete(prev, key)
		case published[key]:
			delete(prev, key)
		}
	}
	if len(prev) == 0 && len(pages) == 0 {
		return nil, nil
	}
	root, err := openOutput(dir)
	if err != nil {
		return nil, fmt.Errorf("remove the feeds of removed categories from %s: %w", dir, err)
	}
	if root != nil {
		defer root.Close()
	}
	var done []Removal
	var forget []string
	var errs []error
	// The pages of each category gone, by category.
	byCategory := map[string][]string{}
	for path, r := range pages {
		c := parsePageRecord(r).Category
		byCategory[c] = append(byCategory[c], path)
		if _, ok := prev[c]; !ok {
			prev[c] = store.Rendered{} // its feeds have no record: none to remove
		}
	}
	for _, id := range slices.Sorted(maps.Keys(prev)) {
		r, err := removeFeeds(root, id, prev[id])
		for _, path := range slices.Sorted(slices.Values(byCategory[id])) {
			removed, kept, perr := removeFile(root, path, parsePageRecord(pages[path]).File)
			if perr != nil {
				err = errors.Join(err, perr)
				continue
			}
			forget = append(forget, path)
			if removed {
				r.Removed = append(r.Removed, path)
			} else if kept != "" {
				r.Kept = append(r.Kept, Kept{path, kept})
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("remove the feeds of removed category %q from %s: %w", id, dir, err))
		} else {
			forget = append(forget, id)
		}
		if len(r.Removed)+len(r.Kept) > 0 {
			done = append(done, r)
		}
	}
	if err := cs.ForgetRendered(ctx, output, forget); err != nil {
		errs = append(errs, err)
	}
	return done, errors.Join(errs...)
}

// removeFeeds deletes the feed files of category id under root that are
// still as rec recorded them. A nil root has none.
func removeFeeds(root *os.Root, id string, rec store.Rendered) (Removal, error) {
	r := Removal{Category: id}
	if root == nil {
		return r, nil
	}
	// The id comes from the store, which a bad write or a hand edit may
	// have filled with anything. Only a category id names files: no feed
	// was ever written under any other (checkPath, channels).
	if !config.SlugPattern.MatchString(id) {
		r.Kept = append(r.Kept, Kept{Why: "not a category id, so no file of feedsmith's"})
		return r, nil
	}
	written := writtenStamps(rec.Stamp)
	var errs []error
	for i, f := range Formats {
		path := FeedPath(id, f.Ext)
		removed, kept, err := removeFile(root, path, written[i])
		switch {
		case err != nil:
			errs = append(errs, err)
		case removed:
			r.Removed = append(r.Removed, path)
		case kept != "":
			r.Kept = append(r.Kept, Kept{path, kept})
		}
	}
	return r, errors.Join(errs...)
}

// removeFile deletes the file at path under root when it is still the
// one feedsmith wrote: a regular file (not a link), inside root, whose
// fileStamp is written; kept says why not when it is not. A nil root,
// or a missing file, has nothing to remove.
func removeFile(root *os.Root, path, written string) (removed bool, kept string, err error) {
	if root == nil {
		return false, "", nil
	}
	if err := checkPath(path); err != nil {
		return false, "not a path feedsmith writes", nil
	}
	name := filepath.FromSlash(path)
	fi, err := root.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, "", nil
	case err != nil:
		// A link in the way that leaves the folder counts here too: what
		// it leads to was not written by feedsmith.
		return false, err.Error(), nil
	case !fi.Mode().IsRegular():
		return false, "not a regular file", nil
	case written != fileStamp(fi):
		return false, "changed since feedsmith wrote it", nil
	}
	if err := root.Remove(name); err != nil {
		return false, "", err
	}
	return true, "", nil
}

// openOutput opens the output folder dir as a root that no path leaves;
// nil, without an error, when there is no such folder (nothing to
// remove).
func openOutput(dir string) (*os.Root, error) {
	root, err := os.OpenRoot(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return root, err
}

// removePages deletes from dir (whose absolute path is output) the pages
// among the records prev for which gone holds, as far as they are the
// files feedsmith wrote, and forgets their records. It returns the paths
// deleted.
func removePages(ctx context.Context, cs ChangeStore, dir, output string, prev map[string]store.Rendered, gone func(path string, r pageRecord) bool) ([]string, error) {
	var paths []string
	for key, r := range prev {
		if isPagePath(key) && gone(key, parsePageRecord(r)) {
			paths = append(paths, key)
		}
	}
	if len(paths) == 0 {
		return nil, nil
	}
	slices.Sort(paths)
	root, err := openOutput(dir)
	if err != nil {
		return nil, fmt.Errorf("remove pages from %s: %w", dir, err)
	}
	if root != nil {
		defer root.Close()
	}
	var removed, forget []string
	var errs []error
	for _, path := range paths {
		ok, _, err := removeFile(root, path, parsePageRecord(prev[path]).File)
		if err != nil {
			errs = append(errs, fmt.Errorf("remove %s from %s: %w", path, dir, err))
			continue
		}
		if ok {
			removed = append(removed, path)
		}
		forget = append(forget, path)
	}
	if err := cs.ForgetRendered(ctx, output, forget); err != nil {
		errs = append(errs, err)
	}
	return removed, errors.Join(errs...)
}

// RemovePages deletes from the output folder dir the pages recorded as
// written there for which gone holds, as far as they are the files
// feedsmith wrote (see RemoveGone), and forgets their records: for a
// writer that learns which pages went from RenderChanged (the daemon).
// It returns the paths deleted.
func RemovePages(ctx context.Context, cs ChangeStore, dir string, gone func(path string) bool) ([]string, error) {
	output, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	prev, err := cs.Rendered(ctx, output)
	if err != nil {
		return nil, err
	}
	return removePages(ctx, cs, dir, output, prev, func(path string, _ pageRecord) bool { return gone(path) })
}

// diskStamp is the fileStamp of the file at path under dir, "-" when
// there is none.
func diskStamp(dir, path string) string {
	fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(path)))
	if err != nil {
		return "-"
	}
	return fileStamp(fi)
}

// writtenStamps returns the file stamps at the end of a rendered record's
// Stamp (see filesStamp), one per format; "" where there is none.
func writtenStamps(stamp string) []string {
	fields := strings.Fields(stamp)
	out := make([]string, len(Formats))
	if len(fields) >= len(Formats) {
		copy(out, fields[len(fields)-len(Formats):])
	}
	return out
}

// fileStamp is one file's part of filesStamp.
func fileStamp(fi fs.FileInfo) string {
	return fmt.Sprintf("%d:%d", fi.Size(), fi.ModTime().UnixNano())
}

// RecordWritten records, for RemoveGone and RemovePages, the feeds and
// pages among files as they are now in the output folder dir, for a
// writer that renders by categories changed rather than by change
// numbers (the daemon). A build
// that writes dir later renders those categories again, once.
func RecordWritten(ctx context.Context, cs ChangeStore, dir string, files []File) error {
	output, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("output folder %s: %w", dir, err)
	}
	r := map[string]store.Rendered{}
	for _, f := range files {
		if id, ok := feedCategory(f.Path); ok {
			r[id] = store.Rendered{Stamp: filesStamp(dir, id)}
		}
		if f.Category != "" {
			r[f.Path] = pageRendered(dir, f)
		}
	}
	if len(r) == 0 {
		return nil
	}
	return cs.SetRendered(ctx, output, r)
}

// feedCategory returns the category of a feed's tree path.
func feedCategory(path string) (string, bool) {
	name, ok := strings.CutPrefix(path, "feeds/")
	if !ok {
		return "", false
	}
	for _, f := range Formats {
		if id, ok := strings.CutSuffix(name, "."+f.Ext); ok && id != "" && !strings.Contains(id, "/") {
			return id, true
		}
	}
	return "", false
}
