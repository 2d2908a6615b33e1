package daemon

import (
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store"
)

// knowSources gives every source of cfg that old (nil at start) does not
// have its metrics series now, from its stored status: /metrics lists
// each configured source, with its last success, before it runs in this
// process. The sources old has keep the series their runs set.
func (d *Daemon) knowSources(cfg, old *config.Config, statuses []store.SourceStatus) {
	stored := make(map[string]store.SourceStatus, len(statuses))
	for _, s := range statuses {
		stored[s.SourceID] = s
	}
	for _, s := range cfg.Sources {
		if old != nil {
			if _, ok := old.Source(s.ID); ok {
				continue
			}
		}
		d.metrics.KnowSource(s.ID, stored[s.ID].LastSuccess)
	}
}
