package daemon

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// The outputs the daemon writes, as named in logs and metrics.
const (
	outputDir    = "dir"    // output.dir
	outputJekyll = "jekyll" // outputs.jekyll.dir
	outputS3     = "s3"     // outputs.s3, the bucket
)

// faults remembers which outputs (on disk, or the bucket) the last write
// failed for. The daemon serves what it rendered from memory whatever the
// disk holds, so a failed write is the only sign that the disk lags
// behind: until a write of that output succeeds, every run (and the retry
// loop) writes all of it again, /readyz answers 503 and the status page
// says why.
type faults struct {
	mu     sync.Mutex
	failed map[string]fault
}

// fault is one output's failed write.
type fault struct {
	folder string // or the bucket, s3://bucket/prefix/
	err    error
	since  time.Time // the first failure of this streak
}

func newFaults() *faults { return &faults{failed: map[string]fault{}} }

// record notes the outcome of a write of output into folder, and reports
// whether that output's state changed: failing since now, fixed now, or
// failing for another reason.
func (f *faults) record(output, folder string, err error, now time.Time) (changed bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	old, was := f.failed[output]
	if err == nil {
		delete(f.failed, output)
		return was
	}
	nf := fault{folder: folder, err: err, since: now}
	if was {
		nf.since = old.since
	}
	f.failed[output] = nf
	return !was || summary(old.err) != summary(err)
}

// forget drops a fault of an output the configuration no longer has.
func (f *faults) forget(output string) (changed bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, was := f.failed[output]
	delete(f.failed, output)
	return was
}

// failing reports whether the last write of output failed.
func (f *faults) failing(output string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.failed[output]
	return ok
}

// any reports whether any output's last write failed.
func (f *faults) any() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.failed) > 0
}

// err is the readiness error: one line per failing output, nil when
// every output is written.
func (f *faults) err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	var errs []error
	for _, name := range f.names() {
		errs = append(errs, fmt.Errorf("output %s: %s", name, summary(f.failed[name].err)))
	}
	return errors.Join(errs...)
}

// notices are the status page's lines about the failing outputs.
func (f *faults) notices() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var lines []string
	for _, name := range f.names() {
		ft := f.failed[name]
		since := ft.since.UTC().Format(time.RFC3339)
		if name == outputS3 {
			lines = append(lines, fmt.Sprintf("The bucket %s could not be updated since %s; the feeds served here are newer than the files in the bucket, and the upload is retried until it succeeds: %s",
				ft.folder, since, summary(ft.err)))
			continue
		}
		what := "The output folder"
		if name == outputJekyll {
			what = "The Jekyll posts folder"
		}
		lines = append(lines, fmt.Sprintf("%s %s could not be written since %s; the feeds served here are newer than the files on disk, and the write is retried until it succeeds: %s",
			what, ft.folder, since, summary(ft.err)))
	}
	return lines
}

// names lists the failing outputs in a fixed order; f.mu is held.
func (f *faults) names() []string {
	var names []string
	for name := range f.failed {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// summary is one line for a write's error: the first of the files that
// failed, and how many more did.
func summary(err error) string {
	if err == nil {
		return ""
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = slices.DeleteFunc(j.Unwrap(), func(e error) bool { return e == nil })
	}
	if len(errs) == 0 {
		return err.Error()
	}
	s := strings.ReplaceAll(errs[0].Error(), "\n", "; ")
	if len(errs) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(errs)-1)
	}
	return s
}
