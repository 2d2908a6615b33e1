package jekyll

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/feedsmith/feedsmith/store"
)

// retireGone moves out of the folder the posts of gone, the articles no
// configured source delivers any more, as old posts go: to the archive
// folder, else deleted. A post's name is the one claim gave it, without
// or with its hash (it had the hash when another article held the plain
// name); a name an article of this write claimed is its post, not theirs.
// Only regular files are touched, found in one read of the folder.
func (w *Writer) retireGone(ctx context.Context, gone []store.ArticleKey, owner map[string]string) (int, error) {
	theirs := make(map[string]bool, 2*len(gone))
	for _, k := range gone {
		if y := k.Published.Year(); y < 1000 || y > 9999 {
			continue // it never had a post
		}
		plain := fileName(k.Published, k.ID)
		hashed := strings.TrimSuffix(plain, ".md") + "-" + shortHash(k.SourceID+"\x00"+k.ID) + ".md"
		for _, name := range []string{plain, hashed} {
			if _, ok := owner[strings.ToLower(name)]; !ok {
				theirs[name] = true
			}
		}
	}
	entries, err := os.ReadDir(w.dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("jekyll: read %s for the posts of removed sources: %w", w.dir, err)
	}
	n := 0
	var errs []error
	for _, e := range entries {
		if !theirs[e.Name()] || !e.Type().IsRegular() {
			continue
		}
		if err := ctx.Err(); err != nil {
			return n, errors.Join(append(errs, err)...)
		}
		if err := w.retire(filepath.Join(w.dir, e.Name())); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// restore moves the post name, missing from the posts folder, back from
// the archive folder: an article whose source was removed and is
// configured again gets its post back as it was, and the archive keeps
// no second copy. It reports whether it moved one.
func (w *Writer) restore(name string) (bool, error) {
	if w.archive == "" {
		return false, nil
	}
	old := filepath.Join(w.archive, filepath.Base(name))
	if fi, err := os.Lstat(old); err != nil || !fi.Mode().IsRegular() {
		return false, nil
	}
	err := os.Rename(old, name)
	if errors.Is(err, syscall.EXDEV) {
		err = copyRemove(old, name) // the archive is on another file system
	}
	if err != nil {
		return false, fmt.Errorf("jekyll: restore %s from the archive: %w", name, err)
	}
	return true, nil
}
