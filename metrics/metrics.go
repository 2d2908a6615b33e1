// Package metrics owns feedsmith's Prometheus metrics: what the sources
// did (fetches, errors, durations, articles, last success), how the
// published feeds are requested, and the build. It keeps its own registry,
// so nothing is registered globally and tests can make as many as they like.
package metrics

import (
	"net/http"
	"runtime"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds feedsmith's collectors and the registry they are in. Make
// one with New; its methods are safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	fetches     *prometheus.CounterVec
	errors      *prometheus.CounterVec
	skipped     *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	articles    *prometheus.CounterVec
	lastSuccess *prometheus.GaugeVec
	refused     *prometheus.CounterVec

	requests    *prometheus.CounterVec
	notModified *prometheus.CounterVec

	faults   faultMetrics
	cluster  leaseMetrics
	database dbMetrics
}

// fetchBuckets spans a quick 304 from a nearby site to a slow page
// followed by its detail pages (a collection's deadline is ten fetch
// timeouts).
var fetchBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300}

// New returns metrics registered in a new registry, with the Go runtime
// and process collectors and feedsmith_build_info for version.
func New(version string) *Metrics {
	source := []string{"source"}
	feed := []string{"feed"}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feedsmith_source_fetches_total",
			Help: "Collections of a source, successful or not.",
		}, source),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feedsmith_source_errors_total",
			Help: "Collections of a source that failed.",
		}, source),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feedsmith_source_skipped_items_total",
			Help: "Items a source sent that could not be read; the rest were kept.",
		}, source),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "feedsmith_source_fetch_duration_seconds",
			Help:    "How long a collection of a source took, fetch to store.",
			Buckets: fetchBuckets,
		}, source),
		articles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feedsmith_source_articles_total",
			Help: "Articles a source delivered, by what saving them did (new, updated, unchanged).",
		}, []string{"source", "kind"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "feedsmith_source_last_success_timestamp_seconds",
			Help: "When a source last succeeded, in Unix seconds.",
		}, source),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feedsmith_fetch_refused_total",
			Help: "Fetches of untrusted URLs (item links, redirects to another origin, URLs built from fields) refused by the fetch policy: they would have connected to a non-public address.",
		}, source),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feedsmith_feed_requests_total",
			Help: "GET and HEAD requests answered for a file of the published tree.",
		}, feed),
		notModified: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feedsmith_feed_not_modified_total",
			Help: "Requests for a file of the published tree answered 304 Not Modified.",
		}, feed),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		buildInfo(version),
		m.fetches, m.errors, m.skipped, m.duration, m.articles, m.lastSuccess, m.refused,
		m.requests, m.notModified,
	)
	m.faults = newFaultMetrics(m.reg)
	return m
}

// buildInfo is feedsmith_build_info: always 1, the versions in labels.
func buildInfo(version string) prometheus.Collector {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "feedsmith_build_info",
		Help: "Always 1; labelled with the feedsmith version and the Go version it was built with.",
	}, []string{"version", "goversion"})
	g.WithLabelValues(version, runtime.Version()).Set(1)
	return g
}

// Handler serves the registry in the Prometheus exposition formats. It
// counts its own scrapes (promhttp_metric_handler_requests_total) and
// keeps serving what it can when one collector fails.
func (m *Metrics) Handler() http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorHandling:       promhttp.ContinueOnError,
		Registry:            m.reg,
		MaxRequestsInFlight: 4,
	})
	return promhttp.InstrumentMetricHandler(m.reg, h)
}
