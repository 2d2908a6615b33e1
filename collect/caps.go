package collect

import (
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/normalize"
)

// caps returns src's caps with those it does not set taken from the
// configuration's defaults, and those from the built-in defaults: a
// configuration built by hand, not loaded, is capped too.
func (c *Collector) caps(src config.Source) config.Caps {
	return src.Caps.Or(c.cfg.Defaults.Caps).Or(config.DefaultCaps())
}

// limits are the normalizer's limits for caps.
func limits(caps config.Caps) normalize.Limits {
	return normalize.Limits{Title: int(caps.MaxTitle), Author: int(caps.MaxAuthor),
		Summary: int(caps.MaxSummary), Content: int(caps.MaxContent)}
}
