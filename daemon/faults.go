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

// output is one output a configuration writes: its name (outputDir,
// outputJekyll, outputS3) and where it writes (a folder, or the bucket's
// location), as logs, notices and metrics name them.
type output struct{ name, where string }

// outputsOf returns the outputs st's configuration writes.
func outputsOf(st *state) []output {
	var outs []output
	if dir := st.cfg.Output.Dir; dir != "" {
		outs = append(outs, output{outputDir, dir})
	}
	if j := st.cfg.Outputs.Jekyll; j != nil {
		outs = append(outs, output{outputJekyll, j.Dir})
	}
	if c := st.cfg.Outputs.S3; c != nil {
		outs = append(outs, output{outputS3, c.Location()})
	}
	return outs
}

// maxRetryDelay caps the retry loop's wait before writing a failing
// output again: a bucket down for a day is tried every half hour, not
// every minute.
const maxRetryDelay = 30 * time.Minute

// faults remembers which outputs (on disk, or the bucket) the last write
// failed for. The daemon serves what it rendered from memory whatever the
// disk holds, so a failed write is the only sign that the disk lags
// behind: until a write of that output succeeds, every run (and the retry
// loop, when the output's delay has passed) writes all of it again,
// /readyz answers 503 and the status page says why.
type faults struct {
	mu     sync.Mutex
	failed map[string]fault
	// first is the retry loop's wait after an output's first failed
	// write; see retryDelay.
	first time.Duration
}

// fault is one output's failed write.
type fault struct {
	folder   string // or the bucket, s3://bucket/prefix/
	err      error
	since    time.Time // the first failure of this streak
	failures int       // the writes failed in a row, by runs and retries
	next     time.Time // when the retry loop writes it again
}

// newFaults returns a record of no fault, whose outputs are retried
// first a delay after their first failure.
func newFaults(first time.Duration) *faults {
	return &faults{failed: map[string]fault{}, first: first}
}

// retryDelay is the wait before the retry of an output whose last n
// writes failed (n ≥ 1): first, doubled for each failure after the
// first, at most maxRetryDelay (unless first is longer).
func retryDelay(first time.Duration, n int) time.Duration {
	d := first
	for i := 1; i < n && d < maxRetryDelay; i++ {
		d *= 2
	}
	return max(min(d, maxRetryDelay), first)
}

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
	nf := fault{folder: folder, err: err, since: now, failures: 1}
	if was {
		nf.since, nf.failures = old.since, old.failures+1
	}
	nf.next = now.Add(retryDelay(f.first, nf.failures))
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

// due reports whether the retry loop should write the failing outputs
// now: the delay of one of them has passed.
func (f *faults) due(now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ft := range f.failed {
		if !now.Before(ft.next) {
			return true
		}
	}
	return false
}

// wait is how long the retry loop sleeps from now: until the first
// output is due, and no longer than the first delay, so that an output
// failing while the loop sleeps is retried in time.
func (f *faults) wait(now time.Time) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	w := f.first
	for _, ft := range f.failed {
		w = min(w, ft.next.Sub(now))
	}
	return max(w, 0)
}

// err is the readiness error: one line per failing output, nil when
// every output is written.
func (f *faults) err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	var errs []error
	for _, name := range f.names() {
		ft := f.failed[name]
		errs = append(errs, fmt.Errorf("output %s: %s (next retry at %s)", name, summary(ft.err), ft.next.UTC().Format(time.RFC3339)))
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
		since, next := ft.since.UTC().Format(time.RFC3339), ft.next.UTC().Format(time.RFC3339)
		if name == outputS3 {
			lines = append(lines, fmt.Sprintf("The bucket %s could not be updated since %s; the feeds served here are newer than the files in the bucket, and the upload is retried until it succeeds (next at %s): %s",
				ft.folder, since, next, summary(ft.err)))
			continue
		}
		what := "The output folder"
		if name == outputJekyll {
			what = "The Jekyll posts folder"
		}
		lines = append(lines, fmt.Sprintf("%s %s could not be written since %s; the feeds served here are newer than the files on disk, and the write is retried until it succeeds (next at %s): %s",
			what, ft.folder, since, next, summary(ft.err)))
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
