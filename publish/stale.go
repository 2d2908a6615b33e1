package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/feedsmith/feedsmith/feeds"
	"github.com/feedsmith/feedsmith/store"
)

// ChangeStore is what rendering only the stale categories needs of the
// store: each category's change number, and what was written before; and
// what removing the feeds of categories no longer published needs.
type ChangeStore interface {
	Changes(ctx context.Context) (map[string]int64, error)
	Rendered(ctx context.Context, output string) (map[string]store.Rendered, error)
	SetRendered(ctx context.Context, output string, r map[string]store.Rendered) error
	ForgetRendered(ctx context.Context, output string, categories []string) error
}

// RenderStale renders, for the output folder dir, the feeds and pages of
// the categories that are stale there: whose articles changed since they
// were last written to dir (the store's change numbers against its
// rendered records), whose channel (title, configuration, version, theme)
// is not the one they were written with, or whose feed files on disk are
// missing or not the ones written. Of a stale category's pages, only
// those whose stamps moved, or whose files are not the ones written, are
// rendered. feeds.opml, the home and status pages and the theme's files
// are always rendered. Each category's files are written with w as soon
// as they are rendered (w writes under dir). After the writes succeed,
// record saves what was written, so that the next build skips what did
// not move, and removes the pages the stale categories no longer have
// (counted in w.Stats.Removed); it refuses, saving nothing, when any
// write of w failed. With all set, every category is taken to be stale.
func (p *Publisher) RenderStale(ctx context.Context, cs ChangeStore, dir string, w *TreeWriter, all bool) (record func(context.Context) error, err error) {
	output, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	seqs, err := cs.Changes(ctx)
	if err != nil {
		return nil, err
	}
	prev, err := cs.Rendered(ctx, output)
	if err != nil {
		return nil, err
	}
	chans, infos, err := p.channels(ctx)
	if err != nil {
		return nil, err
	}
	work, err := p.newPageWork(chans, infos)
	if err != nil {
		return nil, err
	}
	fresh := func(path, category, stamp string) bool {
		r, ok := prev[path]
		if !ok || all {
			return false
		}
		pr := parsePageRecord(r)
		return pr.Category == category && pr.Stamp == stamp && pr.File == diskStamp(dir, path)
	}
	// The pages recorded of each category, which a category not
	// rendered again keeps.
	recorded := map[string][]string{}
	for key, r := range prev {
		if isPagePath(key) {
			c := parsePageRecord(r).Category
			recorded[c] = append(recorded[c], key)
		}
	}
	next := map[string]store.Rendered{}
	// want is each category's record as it would be written now, before
	// its feed files' stamps are added (see record).
	want := make([]store.Rendered, len(chans))
	var todo, unmoved []int
	for i, ch := range chans {
		seq := seqs[ch.ID]
		if p.isAll(ch.ID) {
			seq = seqs[""]
		}
		want[i] = store.Rendered{Seq: seq, Stamp: p.channelStamp(ch, work)}
		if r, ok := prev[ch.ID]; ok && !all && r.Seq == seq && r.Stamp == want[i].Stamp+filesStamp(dir, ch.ID) {
			unmoved = append(unmoved, i)
			continue
		}
		next[ch.ID] = want[i]
		todo = append(todo, i)
	}
	// A category whose articles and feed files did not move is skipped
	// only when its pages too are on disk as written: a page deleted or
	// edited in the output folder is written again, as a feed file is.
	intact := pagesIntact(dir, prev, recorded, chans, unmoved)
	for k, i := range unmoved {
		id := chans[i].ID
		if intact[k] {
			w.Stats.Kept += len(Formats) + len(recorded[id])
			continue
		}
		next[id] = want[i]
		todo = append(todo, i)
	}
	slices.Sort(todo)
	// Each category's files are written as soon as they are rendered, and
	// only the page records are kept of them: the tree never sits in
	// memory whole.
	results, err := p.renderCategories(ctx, work, chans, todo, fresh, func(files []File) []File {
		w.Write(files...)
		var kept []File
		for _, f := range files {
			if f.Category != "" {
				kept = append(kept, File{Path: f.Path, Category: f.Category, Stamp: f.Stamp})
			}
		}
		return kept
	})
	if err != nil {
		return nil, err
	}
	var pages []File
	done := map[string]bool{}  // categories rendered
	owned := map[string]bool{} // their pages now
	for _, i := range todo {
		done[chans[i].ID] = true
		for _, path := range results[i].owned {
			owned[path] = true
		}
		pages = append(pages, results[i].files...)
		w.Stats.Kept += len(results[i].owned) - len(results[i].files)
	}
	lists, err := p.appendLists(ctx, nil, work, chans)
	if err != nil {
		return nil, err
	}
	w.Write(lists...)
	record = func(ctx context.Context) error {
		// A category whose files were not all written must be written
		// again by the next build, nothing new or not: recording it would
		// make that build skip it.
		if err := w.Err(); err != nil {
			return fmt.Errorf("not recording a failed write of %s: %w", dir, err)
		}
		for id, r := range next {
			r.Stamp += filesStamp(dir, id)
			next[id] = r
		}
		for _, f := range pages {
			next[f.Path] = pageRendered(dir, f)
		}
		if err := cs.SetRendered(ctx, output, next); err != nil {
			return err
		}
		removed, err := removePages(ctx, cs, dir, output, prev, func(path string, r pageRecord) bool {
			return done[r.Category] && !owned[path]
		})
		w.Stats.Removed += len(removed)
		return err
	}
	return record, nil
}

// pagesIntact reports, for each category chans[i] of idx, whether every
// page recorded of it (recorded, from prev) is on disk as it was
// written. The pages are looked at a few at a time: a site's article
// pages can be tens of thousands of files.
func pagesIntact(dir string, prev map[string]store.Rendered, recorded map[string][]string, chans []feeds.Channel, idx []int) []bool {
	intact := make([]bool, len(idx))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0)*2, len(idx)) {
		wg.Go(func() {
			for k := int(next.Add(1)) - 1; k < len(idx); k = int(next.Add(1)) - 1 {
				intact[k] = true
				for _, path := range recorded[chans[idx[k]].ID] {
					if parsePageRecord(prev[path]).File != diskStamp(dir, path) {
						intact[k] = false
						break
					}
				}
			}
		})
	}
	wg.Wait()
	return intact
}

// channelStamp hashes what a category's feeds depend on besides its
// articles: the channel (titles of every category included), the item
// limit and the program's version.
func (p *Publisher) channelStamp(ch feeds.Channel, w *pageWork) string {
	h := sha256.New()
	if err := json.NewEncoder(h).Encode(ch); err != nil {
		fmt.Fprintf(h, "%v", err) // never: a channel encodes
	}
	// The pages too: their theme, and which sources have pages (which
	// also changes the feeds' links).
	var paged []string
	for _, s := range p.cfg.Sources {
		if p.cfg.Pages(s) {
			paged = append(paged, s.ID)
		}
	}
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%q", p.cfg.Output.Items, p.version, w.chrome, paged)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// filesStamp describes a category's feed files as they are on disk:
// size and modification time of each, "-" for a missing one.
func filesStamp(dir, id string) string {
	s := ""
	for _, f := range Formats {
		s += " " + diskStamp(dir, FeedPath(id, f.Ext))
	}
	return s
}
