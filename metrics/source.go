package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/feedsmith/feedsmith/collect"
	"github.com/feedsmith/feedsmith/sources"
)

// ObserveSource records one collection of a source. now is when it ended,
// the time recorded as its last success when it did not fail.
//
// Articles are counters (feedsmith_source_articles_total{kind}), not
// gauges of the last run: a counter loses nothing between two scrapes, so
// rate() gives new articles per hour however often a source runs. The
// counts of the last run are on the status page.
func (m *Metrics) ObserveSource(r collect.Result, now time.Time) {
	id := r.SourceID
	m.fetches.WithLabelValues(id).Inc()
	// Touching the error and skip counters creates them at 0, so that
	// rate() and increase() see the first failure.
	errs := m.errors.WithLabelValues(id)
	if r.Err != nil {
		errs.Inc()
	}
	m.skipped.WithLabelValues(id).Add(float64(sources.SkippedItems(r.Skipped)))
	m.refused.WithLabelValues(id).Add(float64(r.Refused))
	m.duration.WithLabelValues(id).Observe(r.Duration.Seconds())
	m.articles.WithLabelValues(id, "new").Add(float64(r.New))
	m.articles.WithLabelValues(id, "updated").Add(float64(r.Updated))
	m.articles.WithLabelValues(id, "unchanged").Add(float64(r.Unchanged))
	if r.Err == nil {
		m.lastSuccess.WithLabelValues(id).Set(float64(now.UnixMilli()) / 1e3)
	}
}

// ForgetSource drops every series of a source, for one removed from the
// configuration on reload.
func (m *Metrics) ForgetSource(id string) {
	l := prometheus.Labels{"source": id}
	m.fetches.DeletePartialMatch(l)
	m.errors.DeletePartialMatch(l)
	m.skipped.DeletePartialMatch(l)
	m.duration.DeletePartialMatch(l)
	m.articles.DeletePartialMatch(l)
	m.lastSuccess.DeletePartialMatch(l)
	m.refused.DeletePartialMatch(l)
}
