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
	for _, ch := range chans {
		delete(prev, ch.ID)
	}
	if len(prev) == 0 {
		return nil, nil
	}
	root, err := os.OpenRoot(dir)
	if errors.Is(err, fs.ErrNotExist) {
		root = nil // nothing on disk to remove; the records go
	} else if err != nil {
		return nil, fmt.Errorf("remove the feeds of removed categories from %s: %w", dir, err)
	}
	if root != nil {
		defer root.Close()
	}
	var done []Removal
	var forget []string
	var errs []error
	for _, id := range slices.Sorted(maps.Keys(prev)) {
		r, err := removeFeeds(root, id, prev[id])
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
		if err := checkPath(path); err != nil {
			return r, err
		}
		name := filepath.FromSlash(path)
		fi, err := root.Lstat(name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			// A link in the way that leaves the folder counts here too:
			// what it leads to was not written by feedsmith.
			r.Kept = append(r.Kept, Kept{path, err.Error()})
			continue
		case !fi.Mode().IsRegular():
			r.Kept = append(r.Kept, Kept{path, "not a regular file"})
			continue
		case written[i] != fileStamp(fi):
			r.Kept = append(r.Kept, Kept{path, "changed since feedsmith wrote it"})
			continue
		}
		if err := root.Remove(name); err != nil {
			errs = append(errs, err)
			continue
		}
		r.Removed = append(r.Removed, path)
	}
	return r, errors.Join(errs...)
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

// RecordWritten records, for RemoveGone, the feeds among files as they
// are now in the output folder dir, for a writer that renders by
// categories changed rather than by change numbers (the daemon). A build
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
