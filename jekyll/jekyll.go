// Package jekyll owns the Jekyll output: every article written as a
// post in a _posts folder, the way a news-mirror site keeps them, and
// old posts moved out to an archive folder.
package jekyll

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/publish"
	"github.com/feedsmith/feedsmith/store"
)

// Writer writes articles as Jekyll posts into one folder.
type Writer struct {
	dir, archive  string
	layout        string
	siteURL       string
	keep          time.Duration
	footerTmpl    *template.Template
	footerErr     error
	categoryTitle func(id string) string
	now           func() time.Time
	mu            sync.Mutex // one Write at a time: two would race on the same files
}

// Stats counts what Write did: posts written (new or changed), posts
// left alone because their bytes were the same, and old posts moved to
// the archive (or deleted when there is none).
type Stats struct {
	Written, Unchanged, Archived int
	// Skipped counts the articles that can have no post (no date, or a
	// year a file name cannot hold), FirstSkip says why for the first:
	// upstream data, not a failed write of the folder.
	Skipped   int
	FirstSkip error
	// Removed counts the posts of articles that no configured source
	// delivers any more, moved to the archive (or deleted when there is
	// none) by WriteStored; Archived does not count them.
	Removed int
}

// New returns a Writer for cfg. categoryTitle gives a category id's
// title, for the tags of an article without any and for the footer's
// link text; nil uses the id. now is the clock Keep is measured by; nil
// uses time.Now.
func New(cfg config.Jekyll, categoryTitle func(id string) string, now func() time.Time) *Writer {
	w := &Writer{
		dir:     cfg.Dir,
		archive: cfg.Archive,
		layout:  cmp.Or(cfg.Layout, "post"),
		siteURL: strings.TrimRight(cfg.SiteURL, "/"),
		keep:    time.Duration(cfg.Keep),
		now:     now,
	}
	if w.now == nil {
		w.now = time.Now
	}
	w.categoryTitle = func(id string) string {
		if categoryTitle != nil {
			if t := categoryTitle(id); t != "" {
				return t
			}
		}
		return id
	}
	w.footerTmpl, w.footerErr = template.New("footer").Parse(cmp.Or(cfg.Footer, defaultFooter))
	return w
}

// Write removes the temporary files a killed write left behind, writes
// one post per article, rewriting a post only when its bytes change,
// then moves posts older than Keep out of the folder.
// Articles older than Keep are not written. An article that can have no
// post is counted in Stats.Skipped; one whose post cannot be written is
// reported in the joined error; the others are still written.
func (w *Writer) Write(ctx context.Context, arts []article.Article) (Stats, error) {
	return w.write(ctx, arts, nil)
}

// write is Write, which also retires the posts of gone (see retireGone)
// before moving the old posts out.
func (w *Writer) write(ctx context.Context, arts []article.Article, gone []store.ArticleKey) (Stats, error) {
	var st Stats
	switch {
	case w.dir == "":
		return st, errors.New("jekyll: no posts folder (dir) configured")
	case w.footerErr != nil:
		return st, fmt.Errorf("jekyll footer template: %w", w.footerErr)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	cutoff := time.Time{}
	if w.keep > 0 {
		cutoff = w.now().Add(-w.keep)
	}
	errs := []error{w.removeTemps()}
	owner := make(map[string]string, len(arts)) // lower-cased name → who wrote it
	written := make(map[string]bool, len(arts))
	for i := range arts {
		if err := ctx.Err(); err != nil {
			return st, errors.Join(append(errs, err)...)
		}
		a := &arts[i]
		if !a.Published.IsZero() && a.Published.Before(cutoff) {
			continue
		}
		name, err := w.claim(a, owner)
		if err != nil {
			if st.Skipped++; st.FirstSkip == nil {
				st.FirstSkip = err
			}
			continue
		}
		written[name] = true
		changed, err := w.writePost(a, filepath.Join(w.dir, name))
		switch {
		case err != nil:
			errs = append(errs, err)
		case changed:
			st.Written++
		default:
			st.Unchanged++
		}
	}
	if len(gone) > 0 {
		n, err := w.retireGone(ctx, gone, owner)
		st.Removed = n
		errs = append(errs, err)
	}
	if !cutoff.IsZero() {
		n, err := w.sweep(ctx, cutoff, written)
		st.Archived = n
		errs = append(errs, err)
	}
	return st, errors.Join(errs...)
}

// claim returns the article's file name. Ids are unique within a source
// only, and a case-insensitive file system folds "NW1" and "nw1" into
// one file: an article whose name is taken by another gets a hash of
// its source and id added.
func (w *Writer) claim(a *article.Article, owner map[string]string) (string, error) {
	switch y := a.Published.Year(); {
	case a.Published.IsZero():
		return "", fmt.Errorf("jekyll post for article %q of source %s: %w", a.ID, a.SourceID, errNoDate)
	case y < 1000 || y > 9999: // a file name needs a four-digit year
		return "", fmt.Errorf("jekyll post for article %q of source %s: date %s out of range", a.ID, a.SourceID, a.Published)
	}
	who := a.SourceID + "\x00" + a.ID
	name := fileName(a.Published, a.ID)
	if o, ok := owner[strings.ToLower(name)]; ok && o != who {
		name = strings.TrimSuffix(name, ".md") + "-" + shortHash(who) + ".md"
	}
	owner[strings.ToLower(name)] = who
	return name, nil
}

// writePost writes the post for a to name unless the file already holds
// the same bytes, which keeps its mtime and spares Jekyll a rebuild.
func (w *Writer) writePost(a *article.Article, name string) (changed bool, err error) {
	data, err := w.render(a)
	if err != nil {
		return false, fmt.Errorf("jekyll post %s: %w", name, err)
	}
	old, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		var restored bool
		if restored, err = w.restore(name); err != nil {
			return false, err
		} else if restored {
			old, err = os.ReadFile(name)
		}
	}
	if err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := publish.WriteFile(name, data); err != nil {
		return false, fmt.Errorf("jekyll post: %w", err)
	}
	return true, nil
}
