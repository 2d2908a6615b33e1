package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/feedsmith/feedsmith/collect"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/jekyll"
	"github.com/feedsmith/feedsmith/publish"
	"github.com/feedsmith/feedsmith/sources"
	"github.com/feedsmith/feedsmith/store/open"
)

// workers is how many sources a build collects at once.
const workers = 4

const buildAbout = `
Collect every source once (four at a time), store the articles, apply
retention, render the categories whose articles changed and write the
output tree, then exit. Prints one line per source in configuration order,
the files written, and how many sources failed.

Exit status:
  0  done; some sources may have failed (see -strict)
  1  every source failed, the output or Jekyll folder was not fully
     written, the bucket (outputs.s3) not fully uploaded, or the store
     cannot be written
  2  usage error or invalid configuration
  3  with -strict: at least one source failed (and not every one)`

// exitSourcesFailed is build -strict's exit status when some sources
// failed: cron and CI tell it from a build that did not run (1, 2).
const exitSourcesFailed = 3

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cl := newCommandLine("build", buildAbout)
	path := cl.configFile()
	verbose := cl.fs.Bool("v", false, "log every source's progress, not only problems (-log-level debug)")
	strict := cl.fs.Bool("strict", false, fmt.Sprintf("exit %d when any source failed", exitSourcesFailed))
	full := cl.fs.Bool("full", false, "read every post file and render every feed again, even those unchanged since the last build")
	cpuProfile := cl.fs.String("cpuprofile", "", "write a CPU profile (pprof) of the build to this `file`")
	memProfile := cl.fs.String("memprofile", "", "write a heap profile (pprof) at the end of the build to this `file`")
	logs := cl.logFlags(slog.LevelWarn)
	if code, ok := cl.parse(args, stdout, stderr); !ok {
		return code
	}
	if *verbose {
		logs.level = logLevel(slog.LevelDebug)
	}
	setBuildGC()
	stop, err := startProfiles(*cpuProfile, *memProfile)
	if err != nil {
		fmt.Fprintf(stderr, "feedsmith: %v\n", err)
		return 1
	}
	defer stop()
	cfg, problems := loadConfig(*path, false) // a missing path fails its source
	if cfg == nil {
		fmt.Fprintln(stderr, problems.Errors())
		return exitUsage
	}
	b := &build{cfg: cfg, stdout: stdout, logger: logs.logger(stderr), now: time.Now,
		progress: newProgress(stderr, len(cfg.Sources)), full: *full}
	err = b.run(ctx)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "feedsmith: %v\n", err)
		return 1
	case *strict && b.failed > 0:
		return exitSourcesFailed
	}
	return 0
}

// build is one run of "feedsmith build".
type build struct {
	cfg      *config.Config
	stdout   io.Writer
	logger   *slog.Logger
	now      func() time.Time
	progress *progress
	full     bool
	// failed counts the sources that failed.
	failed int
}

var errAllFailed = errors.New("every source failed")

func (b *build) run(ctx context.Context) error {
	start := b.now()
	st, err := open.Open(ctx, b.cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	// Reading works from a store that cannot be written, and a build that
	// finds nothing new would write only its status and records, each
	// failure a warning: it exited 0, its runs unrecorded. Fail now, with
	// the reason, before fetching what it could not keep.
	if err := st.CheckWritable(ctx); err != nil {
		return fmt.Errorf("store %s cannot be written: %w", b.cfg.Store.Location(), err)
	}
	// A source removed from the configuration is never run again to
	// clear the details it left pending.
	if err := st.ClearPendingExcept(ctx, b.cfg.SourceIDs()); err != nil {
		b.logger.Warn("could not clear the pending details of removed sources", "error", err)
	}
	// The articles of removed sources leave the output (the store keeps
	// them, for when the source comes back).
	if _, err := st.SetActiveSources(ctx, b.cfg.SourceIDs()); err != nil {
		return err
	}
	ua := b.cfg.Defaults.UserAgent
	if ua == "" {
		ua = sources.UserAgent(buildVersion())
	}
	c := collect.New(b.cfg, st, ua, b.logger, b.now)
	c.Full = b.full
	c.Reported = true // the table prints each failure
	results := b.collect(ctx, c)
	var failedIDs []string
	for i, r := range results {
		if r.Err != nil {
			failedIDs = append(failedIDs, b.cfg.Sources[i].ID)
		}
	}
	b.failed = len(failedIDs)
	err = b.publish(ctx, st, c, start)
	// The last line, whatever happened to the output: what cron mails
	// and CI shows ends with how many sources failed.
	line := fmt.Sprintf("%d of %d sources failed", len(failedIDs), len(results))
	if len(failedIDs) > 0 {
		line += ": " + strings.Join(failedIDs, ", ")
	}
	fmt.Fprintln(b.stdout, line)
	if err == nil && len(results) > 0 && len(failedIDs) == len(results) {
		return errAllFailed
	}
	return err
}

// publish applies retention, renders what changed and writes it to the
// output folder (and the Jekyll posts), then records what it wrote, and
// uploads to the bucket what it lacks.
func (b *build) publish(ctx context.Context, st open.Store, c *collect.Collector, start time.Time) error {
	if b.cfg.Store.MaxAge > 0 || b.cfg.Store.MaxItems > 0 {
		removed, _, err := st.Prune(ctx, time.Duration(b.cfg.Store.MaxAge), b.cfg.Store.MaxItems, b.now())
		if err != nil {
			return fmt.Errorf("apply retention: %w", err)
		}
		if removed > 0 {
			fmt.Fprintf(b.stdout, "retention removed %d articles\n", removed)
		}
	}
	// Even when every source failed, what they published before stays
	// published: the tree is rendered from the store either way.
	pub := publish.New(b.cfg, st, buildVersion())
	pub.Materialize = c.Materialize
	// Feeds are written as they are rendered, a category at a time.
	w := publish.NewTreeWriter(b.cfg.Output.Dir)
	record, err := pub.RenderStale(ctx, st, b.cfg.Output.Dir, w, b.full)
	if err != nil {
		return err
	}
	var errs []error
	removed, err := pub.RemoveGone(ctx, st, b.cfg.Output.Dir)
	for _, r := range removed {
		fmt.Fprintln(b.stdout, removalLine(b.cfg.Output.Dir, r))
	}
	if err != nil {
		errs = append(errs, err)
	}
	if j := b.cfg.Outputs.Jekyll; j != nil {
		titles, err := pub.CategoryTitles(ctx)
		if err != nil {
			return err
		}
		js, err := jekyll.New(*j, func(id string) string { return titles[id] }, b.now).WriteStored(ctx, st)
		fmt.Fprintf(b.stdout, "jekyll: %d posts written, %d unchanged, %d archived, in %s\n", js.Written, js.Unchanged, js.Archived, j.Dir)
		if js.Removed > 0 {
			fmt.Fprintf(b.stdout, "jekyll: %d posts of removed sources %s\n", js.Removed, retiredTo(*j))
		}
		if js.Skipped > 0 {
			fmt.Fprintf(b.stdout, "jekyll: %d articles have no post: %v\n", js.Skipped, js.FirstSkip)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("jekyll posts folder %s not fully written: %w", j.Dir, err))
		}
	}
	ws := w.Stats
	// Every file of the tree counts: the categories not rendered again
	// (Kept) are on disk as written, as unchanged as those compared.
	unchanged := ws.Unchanged + ws.Kept
	fmt.Fprintf(b.stdout, "wrote %d of %d files, %d unchanged, to %s in %s\n",
		ws.Written, ws.Written+unchanged, unchanged, b.cfg.Output.Dir, b.now().Sub(start).Round(time.Millisecond))
	if err := w.Err(); err != nil {
		// Nothing is recorded: the next build renders and writes again
		// every category this one rendered, changed upstream or not.
		errs = append(errs, fmt.Errorf("output folder %s not fully written: %w", b.cfg.Output.Dir, err))
	} else if err := record(ctx); err != nil {
		// The tree was written whole, whatever happened to the Jekyll
		// posts (compared with the store on every build anyway): what is
		// recorded is what a later removal may delete.
		errs = append(errs, fmt.Errorf("record the written feeds in store %s: %w", b.cfg.Store.Location(), err))
	}
	if n := w.Stats.Removed; n > 0 {
		fmt.Fprintf(b.stdout, "removed %s the site no longer has from %s\n", plural(n, "page"), b.cfg.Output.Dir)
	}
	if c := b.cfg.Outputs.S3; c != nil {
		errs = append(errs, b.upload(ctx, st, pub, *c))
	}
	return errors.Join(errs...)
}

// removalLine is the line printed for a category no longer published:
// its feeds deleted from dir, and those left there (not as feedsmith
// wrote them) with the reason.
func removalLine(dir string, r publish.Removal) string {
	id := r.Category
	if !config.SlugPattern.MatchString(id) {
		id = strconv.Quote(id) // from the store: shown as the text it is
	}
	line := "removed category " + id + ":"
	// The feeds by name; the pages, which may be thousands, by number.
	var paths []string
	pages := 0
	for _, p := range r.Removed {
		if strings.HasSuffix(p, ".html") {
			pages++
			continue
		}
		paths = append(paths, filepath.Join(dir, filepath.FromSlash(p)))
	}
	if pages > 0 {
		paths = append(paths, plural(pages, "page"))
	}
	if len(paths) > 0 {
		line += " deleted " + strings.Join(paths, ", ")
	}
	for i, k := range r.Kept {
		if i > 0 || len(paths) > 0 {
			line += ";"
		}
		if k.Path == "" {
			line += " nothing to delete (" + k.Why + ")"
			continue
		}
		line += fmt.Sprintf(" left %s (%s)", filepath.Join(dir, filepath.FromSlash(k.Path)), k.Why)
	}
	return line
}

// retiredTo says where the posts of removed sources went.
func retiredTo(j config.Jekyll) string {
	if j.Archive == "" {
		return "deleted from " + j.Dir
	}
	return "moved to " + j.Archive
}

// collect runs every source, a few at a time, printing a line for each
// in configuration order: a source's line waits for those before it, so
// the table reads the same from run to run. Results are in configuration
// order.
func (b *build) collect(ctx context.Context, c *collect.Collector) []collect.Result {
	results := make([]collect.Result, len(b.cfg.Sources))
	finished := make([]bool, len(b.cfg.Sources))
	done := make(chan int)
	sem := make(chan struct{}, workers)
	for i, src := range b.cfg.Sources {
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = c.Run(ctx, src)
			done <- i
		}()
	}
	next := 0
	for range b.cfg.Sources {
		i := <-done
		finished[i] = true
		b.progress.clear()
		for ; next < len(finished) && finished[next]; next++ {
			fmt.Fprintln(b.stdout, summary(b.cfg.Sources[next], results[next]))
		}
		b.progress.add(results[i].New + results[i].Updated + results[i].Unchanged)
	}
	b.progress.clear()
	return results
}

// summary is the one line printed for a source.
func summary(src config.Source, r collect.Result) string {
	head := fmt.Sprintf("%-16s %-6s", src.ID, src.Type)
	if r.Err != nil {
		return fmt.Sprintf("%s error: %v", head, r.Err)
	}
	if r.SameBody || r.NotModified {
		what := "not modified upstream"
		if r.SameBody {
			what = "unchanged upstream: the same bytes as last time"
		}
		what += pendingSummary(r.Pending)
		return fmt.Sprintf("%s %s (%s)", head, what, r.Duration.Round(time.Millisecond))
	}
	line := fmt.Sprintf("%s %d new, %d updated, %d unchanged", head, r.New, r.Updated, r.Unchanged)
	if n := sources.SkippedItems(r.Skipped); n > 0 {
		line += fmt.Sprintf(", %d skipped", n)
	}
	line += fmt.Sprintf(" (%s)", r.Duration.Round(time.Millisecond))
	for _, e := range r.Skipped {
		line += "\n    skipped: " + e.Error()
	}
	return line
}

// pendingSummary says what retrying the details an earlier run left
// pending did, "" when there were none.
func pendingSummary(p collect.PendingResult) string {
	if p.Tried == 0 {
		return ""
	}
	s := fmt.Sprintf("; %d of %d pending details fetched", p.Fetched, p.Tried)
	if p.Left > 0 {
		s += fmt.Sprintf(", %d still pending", p.Left)
	}
	if n := len(p.GivenUp); n > 0 {
		s += fmt.Sprintf(", %d given up (%s)", n, strings.Join(slices.Compact(slices.Sorted(slices.Values(p.GivenUp))), ", "))
	}
	return s
}

// progress shows "sources done of total, articles so far" on a terminal
// and nothing when output is piped or under CI.
type progress struct {
	w                     io.Writer
	live                  bool
	done, total, articles int
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, live: isTerminal(w) && os.Getenv("CI") == ""}
	p.draw()
	return p
}

func (p *progress) add(articles int) {
	p.done++
	p.articles += articles
	p.draw()
}

func (p *progress) draw() {
	if p.live && p.done < p.total {
		fmt.Fprintf(p.w, "\r\x1b[Kcollecting: %d/%d sources done, %d articles", p.done, p.total, p.articles)
	}
}

func (p *progress) clear() {
	if p.live {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := fileOf(w)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
