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

// KnowSource creates every series of a source before its first run in
// this process: the counters at 0, the fetch duration with no
// observations, and the last success from the stored status (0 when the
// source never succeeded). A restart then never makes a source vanish
// from /metrics, nor a staleness alert go quiet until the source runs.
func (m *Metrics) KnowSource(id string, lastSuccess time.Time) {
	m.fetches.WithLabelValues(id)
	m.errors.WithLabelValues(id)
	m.skipped.WithLabelValues(id)
	m.refused.WithLabelValues(id)
	m.duration.WithLabelValues(id)
	for _, kind := range []string{"new", "updated", "unchanged"} {
		m.articles.WithLabelValues(id, kind)
	}
	var ts float64
	if !lastSuccess.IsZero() {
		ts = float64(lastSuccess.UnixMilli()) / 1e3
	}
	m.lastSuccess.WithLabelValues(id).Set(ts)
}
