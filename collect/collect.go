// Package collect runs sources through the first half of the pipeline:
// fetch and extract (sources), normalize, file into categories, and store.
// The build command and the daemon's scheduler both call it.
package collect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/category"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/normalize"
	"github.com/feedsmith/feedsmith/sources"
	"github.com/feedsmith/feedsmith/store"
)

// Store is what collecting needs of the article store.
type Store interface {
	sources.ValidatorSource
	Save(ctx context.Context, sourceID string, arts []article.Article, now time.Time) (store.SaveResult, error)
	SaveCategory(ctx context.Context, id, title, description string) error
	SetSourceStatus(ctx context.Context, st store.SourceStatus) error
	SetValidators(ctx context.Context, url, etag, lastModified string) error
	BodyHash(ctx context.Context, url string) (string, error)
	SetBodyHash(ctx context.Context, url, hash string) error
	FullText(ctx context.Context, sourceID, id string) (content string, ok bool, err error)
	FileStamps(ctx context.Context, sourceID string) (fingerprint string, stamps map[string]store.FileStamp, err error)
	SaveFileStamps(ctx context.Context, sourceID, fingerprint string, files []store.FileStamp) error
	PendingDetails(ctx context.Context, sourceID string) ([]store.PendingDetail, error)
	SetPendingDetails(ctx context.Context, sourceID string, pending []store.PendingDetail) error
}

// Collector collects sources into a store. Make one with New.
type Collector struct {
	cfg     *config.Config
	store   Store
	fetcher *sources.Fetcher
	norm    *normalize.Normalizer
	filer   *category.Filer
	logger  *slog.Logger
	now     func() time.Time
	backoff *backoff
	version string
	// Full makes every source read every file again, as if nothing had
	// been read before (build -full).
	Full bool
	// Reported is set by a caller that prints every Result itself (the
	// build's table): a source's failure and its skipped items are then
	// logged at debug level only, so that each is printed once.
	Reported bool
}

// New returns a collector for cfg. userAgent names feedsmith and its
// version; now is the clock (time.Now outside tests).
func New(cfg *config.Config, st Store, userAgent string, logger *slog.Logger, now func() time.Time) *Collector {
	f := sources.NewFetcher(userAgent, 0, 0)
	f.Validators = st
	f.Now = now
	f.Limiter = sources.NewHostLimiter(cfg.Defaults.PerHost, time.Duration(cfg.Defaults.HostGap))
	return &Collector{
		cfg:     cfg,
		store:   st,
		fetcher: f,
		norm:    normalize.New(now),
		filer:   category.NewFiler(cfg.Categories),
		logger:  logger,
		now:     now,
		backoff: newBackoff(time.Duration(cfg.Defaults.MaxBackoff)),
		version: userAgent,
	}
}

// Result is what one collection of one source did.
type Result struct {
	SourceID                string
	New, Updated, Unchanged int
	// Skipped lists the items the source could not read; the rest were kept.
	Skipped []error
	// NotModified is set when the upstream answered 304, or 200 with the
	// same bytes as last time (SameBody).
	NotModified, SameBody bool
	// Changed lists the categories whose feeds must be rendered again.
	Changed  []string
	Duration time.Duration
	// Err is why the source failed; what it stored before stays stored.
	Err error
	// Deferred is set when the run was skipped because the source is
	// backing off after failures (or its upstream asked to wait) until
	// this time.
	Deferred time.Time
	// Refused counts the fetches the fetch policy refused: untrusted
	// URLs (item links, redirects to another origin, URLs built from
	// fields) that would have connected to a non-public address.
	Refused int
	// Pending is what a run whose listing was not modified did to the
	// details an earlier run left pending.
	Pending PendingResult
}

// Run collects one source and records its status in the store. A failure
// is returned in Result.Err (and recorded); it never panics on bad input.
func (c *Collector) Run(ctx context.Context, src config.Source) (res Result) {
	start := c.now()
	res.SourceID = src.ID
	src.Caps = c.caps(src)
	log := c.logger.With("source", src.ID)
	if until := c.backoff.until(src.ID); start.Before(until) {
		log.Info("source backing off", "until", until)
		res.Deferred = until
		return res
	}
	// Fetching stops before the run's deadline; saving what was fetched
	// has a deadline of its own (saveContext), so that a run out of time
	// keeps what it got and the next fetches only the rest.
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, collectTime(src))
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			res.Err = fmt.Errorf("internal error: %v", r)
		}
		if re := (*sources.RefusedError)(nil); errors.As(res.Err, &re) {
			res.Refused++ // the source's own document, redirected inside
		}
		res.Duration = c.now().Sub(start)
		c.backoff.record(src.ID, start, res.Err)
		c.record(ctx, start, &res, log)
	}()
	s, fp, ks, prevFP, err := c.source(ctx, src, log)
	if err != nil {
		res.Err = err
		return res
	}
	if ch, ok := s.(sources.Chunker); ok {
		res.Err = c.runChunks(ctx, parent, src, ch, fp, ks, start, &res, log)
		return res
	}
	batch, err := s.Collect(ctx)
	if err != nil {
		res.Err = err
		return res
	}
	res.Skipped, res.NotModified, res.SameBody, res.Refused = batch.Skipped, batch.NotModified, batch.SameBody, batch.Refused
	if batch.NotModified {
		r, ok := s.(sources.DetailRetrier)
		switch {
		case src.Detail == nil:
			c.clearPending(ctx, src, log) // the detail step was removed
		case ok:
			res.Err = c.retryPending(ctx, parent, src, r, start, &res, log)
		}
		return res
	}
	sctx, cancelSave := saveContext(parent, saveTimeout(src))
	defer cancelSave()
	arts, derived, whole := c.prepare(sctx, src, fileReader(s), batch, map[string]bool{})
	if !whole {
		res.Err = fmt.Errorf("normalize: %w", sctx.Err())
		return res
	}
	if err := c.save(sctx, src, start, arts, derived, &res, log); err != nil {
		res.Err = err
		return res
	}
	// Validators are saved only now that the articles are: a crash in
	// between re-fetches the document instead of losing its articles.
	// The details still missing are kept with their listing data, for
	// the next run to retry even when the listing is not modified; when
	// they cannot be kept, the validators are forgotten instead, so the
	// next run gets the listing again (not a 304) and retries them.
	if !c.keepPending(sctx, src, batch.Pending, start, log) {
		for i := range batch.Validators {
			batch.Validators[i] = sources.Validator{URL: batch.Validators[i].URL}
		}
	}
	for _, v := range batch.Validators {
		if err := c.store.SetValidators(sctx, v.URL, v.ETag, v.LastModified); err != nil {
			log.Warn("could not save validators", "url", v.URL, "error", err)
		}
		if err := c.store.SetBodyHash(sctx, v.URL, bodyHash(fp, v.BodySum)); err != nil {
			log.Warn("could not save the body hash", "url", v.URL, "error", err)
		}
	}
	if prevFP != fp {
		// The validators just saved are this configuration's; posts
		// sources keep their fingerprint with their file stamps.
		if err := c.store.SaveFileStamps(sctx, src.ID, fp, nil); err != nil {
			log.Warn("could not save the source's fingerprint", "error", err)
		}
	}
	return res
}

// source makes the source for src. Its fingerprint names everything
// besides a file's bytes that its articles depend on; files read under
// the same fingerprint and unchanged since are not read again. For the
// other sources prevFP is the fingerprint their validators were saved
// under ("" for none, and for posts sources, which keep theirs with
// their file stamps); when the configuration changed since, the
// documents are fetched without validators: a 304 would leave the stored
// articles as the old configuration made them (a renamed category empty
// until the upstream changes).
func (c *Collector) source(ctx context.Context, src config.Source, log *slog.Logger) (_ sources.Source, fp string, ks *known, prevFP string, err error) {
	env := sources.Env{
		Site:     c.cfg.Site,
		Location: c.cfg.Location(src),
		Fetcher:  c.fetcher.WithLimits(time.Duration(src.Timeout), int64(src.MaxBody)),
		Logger:   log,
		Now:      c.now,
		FullText: c.fullText(src.ID, log),
	}
	if c.defers(src) {
		env.DeferText, env.SummaryRunes = true, c.norm.SummaryLen
	}
	fp = c.fingerprint(src)
	if c.store != nil && !c.Full {
		env.Fetcher.SameBody = func(ctx context.Context, url, sum string) bool {
			h, err := c.store.BodyHash(ctx, url)
			return err == nil && h != "" && h == bodyHash(fp, sum)
		}
		old, stamps, err := c.store.FileStamps(ctx, src.ID)
		switch {
		case err != nil:
			log.Warn("could not read file stamps; reading every file", "error", err)
		case src.Type != "posts":
			prevFP = old
			if old != "" && old != fp {
				log.Debug("configuration changed since the last run: fetching without validators")
				env.Fetcher.Validators = nil
			}
		case old == fp && len(stamps) > 0:
			k := &known{stamps: stamps}
			env.Unchanged = k.unchanged
			ks = k
		}
	}
	if src.Type == "posts" {
		prevFP = fp
	}
	s, err := sources.New(src, env)
	return s, fp, ks, prevFP, err
}

// known holds the file stamps a source saved last time, and counts the
// files found unchanged.
type known struct {
	stamps map[string]store.FileStamp
	hits   int
}

func (k *known) unchanged(f store.FileStamp) bool {
	s, ok := k.stamps[f.Path]
	if ok && s == f {
		k.hits++
		return true
	}
	return false
}

// all reports whether files are exactly the known ones, all unchanged.
func (k *known) all(files []store.FileStamp) bool {
	return k != nil && k.hits == len(k.stamps) && len(files) == k.hits
}

// fingerprint hashes what a source's articles depend on besides its
// documents: its configuration, the site's, the categories' rules and
// the program's version.
func (c *Collector) fingerprint(src config.Source) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	parts := []any{src, c.cfg.Site, c.cfg.Categories, c.cfg.Location(src).String(), c.version}
	if c.defers(src) {
		// Texts stored deferred, or rendered: a change either way reads
		// every file again.
		parts = append(parts, "deferred")
	}
	for _, v := range parts {
		if err := enc.Encode(v); err != nil {
			fmt.Fprintf(h, "%v", err) // never: config values encode
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// bodyHash is what is kept of a document body whose articles were saved:
// its sum under the source's fingerprint, so that the same bytes read
// under another configuration are read again. "" for no sum.
func bodyHash(fingerprint, sum string) string {
	if sum == "" {
		return ""
	}
	h := sha256.Sum256([]byte(fingerprint + "\x00" + sum))
	return hex.EncodeToString(h[:])
}

// save stores one batch's prepared articles and the categories they
// derived, adding to res.
func (c *Collector) save(ctx context.Context, src config.Source, start time.Time, arts []article.Article, derived []category.Derived, res *Result, log *slog.Logger) error {
	for _, d := range derived {
		if err := c.store.SaveCategory(ctx, d.ID, d.Title, ""); err != nil {
			log.Warn("could not save category", "category", d.ID, "error", err)
		}
	}
	saved, err := c.store.Save(ctx, src.ID, arts, start)
	if err != nil {
		return err
	}
	res.New += saved.New
	res.Updated += saved.Updated
	res.Unchanged += saved.Unchanged
	for _, ch := range saved.Changed {
		if !slices.Contains(res.Changed, ch) {
			res.Changed = append(res.Changed, ch)
		}
	}
	slices.Sort(res.Changed)
	return nil
}

// prepare normalizes and files the batch's articles, leaving out those
// whose id is in seen (a duplicate guid: first wins) and adding the rest.
// It returns them and the categories derived from their names, with
// their titles. Articles are normalized in parallel, cut to the source's
// caps. When ctx ends first, only the articles normalized by then are
// returned, and whole is false: no article is ever saved unnormalized.
func (c *Collector) prepare(ctx context.Context, src config.Source, r sources.FileReader, b sources.Batch, seen map[string]bool) (_ []article.Article, _ []category.Derived, whole bool) {
	done := c.normalizeAll(ctx, src, b.Articles, b.BaseURL)
	c.redoShort(ctx, src, r, b.Articles[:done])
	arts := make([]article.Article, 0, done)
	var derived []category.Derived
	for _, a := range b.Articles[:done] {
		if seen[a.ID] {
			continue
		}
		seen[a.ID] = true
		for _, d := range c.filer.File(&a, defaultCategory(src)) {
			if t := b.CategoryTitles[d.ID]; t != "" {
				d.Title = t // a templated category's own title
			}
			if !slices.ContainsFunc(derived, func(x category.Derived) bool { return x.ID == d.ID }) {
				derived = append(derived, d)
			}
		}
		arts = append(arts, a)
	}
	return arts, derived, done == len(b.Articles)
}

// normalizeAll normalizes arts in place with one worker per CPU, within
// the source's caps. It stops early when ctx ends, and returns how many
// it normalized: arts[:n], since articles are taken in order and each
// one taken is finished.
func (c *Collector) normalizeAll(ctx context.Context, src config.Source, arts []article.Article, baseURL string) int {
	lim := limits(src.Caps)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(arts)/minPerWorker+1) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(arts) {
					return
				}
				arts[i].SourceID = src.ID
				c.norm.ArticleWithin(&arts[i], baseURL, lim)
			}
		})
	}
	wg.Wait()
	return min(int(next.Load()), len(arts))
}

// minPerWorker is how many articles make starting another normalizing
// worker worth it.
const minPerWorker = 8

// Preview collects src and prepares its articles as Run would, without
// storing anything or sending conditional requests: for tuning selectors
// and paths.
func (c *Collector) Preview(ctx context.Context, src config.Source) ([]article.Article, []category.Derived, sources.Batch, error) {
	p := *c
	src.Caps = c.caps(src)
	p.fetcher = c.fetcher.WithLimits(0, 0)
	p.fetcher.Validators = nil
	p.store = nil
	s, _, _, _, err := p.source(ctx, src, c.logger.With("source", src.ID))
	if err != nil {
		return nil, nil, sources.Batch{}, err
	}
	fctx, cancel := context.WithTimeout(ctx, collectTime(src))
	defer cancel()
	batch, err := s.Collect(fctx)
	if err != nil {
		return nil, nil, batch, err
	}
	pctx, cancelPrepare := saveContext(ctx, saveTimeout(src))
	defer cancelPrepare()
	arts, derived, whole := p.prepare(pctx, src, fileReader(s), batch, map[string]bool{})
	if !whole {
		return nil, nil, batch, fmt.Errorf("normalize: %w", pctx.Err())
	}
	return arts, derived, batch, nil
}

// shown is the level to log at, level, of what the Result reports:
// debug when the caller prints every Result itself (Reported), so that
// nothing is printed twice.
func (c *Collector) shown(level slog.Level) slog.Level {
	if c.Reported {
		return slog.LevelDebug
	}
	return level
}

func (c *Collector) record(ctx context.Context, start time.Time, res *Result, log *slog.Logger) {
	st := store.SourceStatus{SourceID: res.SourceID, LastAttempt: start,
		New: res.New, Updated: res.Updated, Unchanged: res.Unchanged}
	failed, skipped := c.shown(slog.LevelError), c.shown(slog.LevelWarn)
	if res.Err != nil {
		st.LastError = res.Err.Error()
		log.Log(ctx, failed, "source failed", "error", res.Err, "duration", res.Duration)
	} else {
		st.LastSuccess = start
		log.Info("source collected", "new", res.New, "updated", res.Updated,
			"unchanged", res.Unchanged, "skipped", len(res.Skipped), "not_modified", res.NotModified, "duration", res.Duration)
	}
	for _, e := range res.Skipped {
		log.Log(ctx, skipped, "item skipped", "error", e)
	}
	// The status is recorded even when the run's context was cancelled.
	if err := c.store.SetSourceStatus(context.WithoutCancel(ctx), st); err != nil && !errors.Is(err, context.Canceled) {
		log.Warn("could not record source status", "error", err)
	}
}

// defaultCategory is the declared category every article of src is filed
// in; a templated category is the source's own to render per item.
func defaultCategory(src config.Source) string {
	if src.Category.Templated() {
		return ""
	}
	return src.Category.ID
}

// fullText reads what the store holds with full text, for detail steps;
// nil without a store (preview).
func (c *Collector) fullText(sourceID string, log *slog.Logger) func(context.Context, string) (string, bool) {
	if c.store == nil {
		return nil
	}
	return func(ctx context.Context, id string) (string, bool) {
		// Read even when the run's time is up: an article saved without
		// the full text it has stored would lose it until fetched again.
		content, ok, err := c.store.FullText(context.WithoutCancel(ctx), sourceID, id)
		if err != nil {
			log.Warn("could not read stored full text", "id", id, "error", err)
		}
		return content, ok
	}
}

// Close releases the collector's idle upstream connections.
func (c *Collector) Close() { c.fetcher.CloseIdleConnections() }
