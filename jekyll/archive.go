package jekyll

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/feedsmith/feedsmith/datetime"
	"github.com/feedsmith/feedsmith/publish"
)

// postNameRE is a Jekyll post's file name, as the posts source reads it.
var postNameRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})-.+\.(?i:md|markdown|html|htm)$`)

// maxHeader is how much of a post is read for its date.
const maxHeader = 64 << 10

// sweep moves the posts in the folder dated before cutoff to the archive
// folder, or deletes them when there is none, in file name order. Posts
// just written are current by construction and not read again.
func (w *Writer) sweep(ctx context.Context, cutoff time.Time, written map[string]bool) (int, error) {
	entries, err := os.ReadDir(w.dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("jekyll archive: read %s: %w", w.dir, err)
	}
	n := 0
	var errs []error
	for _, e := range entries {
		if ctx.Err() != nil {
			return n, errors.Join(append(errs, ctx.Err())...)
		}
		m := postNameRE.FindStringSubmatch(e.Name())
		if m == nil || written[e.Name()] || !e.Type().IsRegular() {
			continue
		}
		name := filepath.Join(w.dir, e.Name())
		if !postDate(name, m[1]).Before(cutoff) {
			continue
		}
		if err := w.retire(name); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// postDate is the date in a post's front matter, else the end of the day
// its file name gives (UTC), so a post is never retired early for want
// of a time.
func postDate(name, day string) time.Time {
	if t, ok := headerDate(name); ok {
		return t
	}
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return time.Time{}
	}
	return t.AddDate(0, 0, 1)
}

// headerDate reads the date: key of a post's front matter.
func headerDate(name string) (time.Time, bool) {
	f, err := os.Open(name)
	if err != nil {
		return time.Time{}, false
	}
	defer f.Close()
	head, err := io.ReadAll(io.LimitReader(f, maxHeader))
	if err != nil {
		return time.Time{}, false
	}
	rest, ok := bytes.CutPrefix(head, []byte("---\n"))
	if !ok {
		return time.Time{}, false
	}
	yml, _, ok := bytes.Cut(rest, []byte("\n---"))
	if !ok {
		return time.Time{}, false
	}
	var fm struct {
		Date yaml.Node `yaml:"date"`
	}
	if yaml.Unmarshal(yml, &fm) != nil || fm.Date.Kind != yaml.ScalarNode {
		return time.Time{}, false
	}
	t, err := datetime.Parse(fm.Date.Value, time.UTC)
	return t, err == nil
}

// retire moves a post to the archive folder, or deletes it when there
// is none.
func (w *Writer) retire(name string) error {
	if w.archive == "" {
		if err := os.Remove(name); err != nil {
			return fmt.Errorf("jekyll archive: %w", err)
		}
		return nil
	}
	if err := os.MkdirAll(w.archive, 0o755); err != nil {
		return fmt.Errorf("jekyll archive %s: %w", name, err)
	}
	dst := filepath.Join(w.archive, filepath.Base(name))
	err := os.Rename(name, dst)
	if errors.Is(err, syscall.EXDEV) {
		err = copyRemove(name, dst) // the archive is on another file system
	}
	if err != nil {
		return fmt.Errorf("jekyll archive %s: %w", name, err)
	}
	return nil
}

func copyRemove(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := publish.WriteFile(dst, data); err != nil {
		return err
	}
	return os.Remove(src)
}
