package jekyll

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// tempNameRE is the name publish.WriteFile gives its temporary file for
// a post (os.CreateTemp's "*" is a decimal number): ".NAME.tmp-N", NAME
// a post's file name. Nothing else in the folders is removed.
var tempNameRE = regexp.MustCompile(`^\.\d{4}-\d{2}-\d{2}-.+\.(?i:md|markdown|html|htm)\.tmp-\d+$`)

// removeTemps removes the temporary files a killed write left in the
// posts and archive folders: a process killed between CreateTemp and
// Rename leaves one behind, and nothing else ever removes it. Jekyll
// skips dot files, so they do no harm but pile up. Write holds the
// Writer's lock, so none of them belongs to a write of this process
// still running; a second feedsmith writing the same folder at that
// very moment would lose one write, which fails with an error and is
// made again on its next run.
func (w *Writer) removeTemps() error {
	var errs []error
	for _, dir := range []string{w.dir, w.archive} {
		if dir == "" {
			continue
		}
		entries, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("jekyll: read %s for temporary files: %w", dir, err))
			continue
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || !tempNameRE.MatchString(e.Name()) {
				continue
			}
			name := filepath.Join(dir, e.Name())
			if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, fmt.Errorf("jekyll: remove temporary file: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}
