package publish

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/feedsmith/feedsmith/config"
)

// feeders maps each category id to the configured sources that feed it,
// in configuration order: those whose category it is, and those whose
// stored articles are filed in it (by a rule, a name an article carries,
// a templated category). A source that was removed from the
// configuration feeds nothing.
func (p *Publisher) feeders(ctx context.Context) (map[string][]config.Source, error) {
	stored, err := p.store.CategorySources(ctx)
	if err != nil {
		return nil, fmt.Errorf("list category sources: %w", err)
	}
	pos := make(map[string]int, len(p.cfg.Sources))
	for i, s := range p.cfg.Sources {
		pos[s.ID] = i
	}
	in := map[string][]int{} // category → positions of its sources
	for i, s := range p.cfg.Sources {
		if !s.Category.Templated() && s.Category.ID != "" {
			in[s.Category.ID] = append(in[s.Category.ID], i)
		}
	}
	for cat, ids := range stored {
		for _, id := range ids {
			if i, ok := pos[id]; ok && !slices.Contains(in[cat], i) {
				in[cat] = append(in[cat], i)
			}
		}
	}
	feeders := make(map[string][]config.Source, len(in))
	for cat, is := range in {
		slices.Sort(is)
		for _, i := range is {
			feeders[cat] = append(feeders[cat], p.cfg.Sources[i])
		}
	}
	return feeders, nil
}

// ttl is how often a category's feed may change, for its RSS <ttl> and
// Cache-Control: the shortest interval of the sources that feed it; of
// every source for "all", and for a category nothing has fed yet (a rule
// or a name in any source's articles may).
func (p *Publisher) ttl(id string, feeders []config.Source) time.Duration {
	if p.isAll(id) || len(feeders) == 0 {
		feeders = p.cfg.Sources
	}
	if len(feeders) == 0 {
		return config.Interval(p.cfg.Defaults.Schedule)
	}
	iv := make([]time.Duration, len(feeders))
	for i, s := range feeders {
		iv[i] = config.Interval(s.Schedule)
	}
	return slices.Min(iv)
}

// language is a category's language tag: a declared category's own,
// else, for a derived one, that of the first source feeding it that sets
// one; else the site's.
func (p *Publisher) language(id string, feeders []config.Source) string {
	for _, c := range p.cfg.Categories {
		if c.ID == id {
			if c.Language != "" {
				return c.Language
			}
			return p.cfg.Site.Language
		}
	}
	if !p.isAll(id) {
		for _, s := range feeders {
			if s.Language != "" {
				return s.Language
			}
		}
	}
	return p.cfg.Site.Language
}
