package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// faultMetrics are the series of what failed outside the sources: writes
// of the outputs on disk, and requests the HTTP server could not parse.
// Their labels take a fixed set of values (an output's name, a reason):
// the error text itself is on /readyz and the index page, never a label.
type faultMetrics struct {
	writeErrors *prometheus.CounterVec
	failing     *prometheus.GaugeVec
	lastError   *prometheus.GaugeVec
	lastWrite   *prometheus.GaugeVec
	badRequests *prometheus.CounterVec
}

func newFaultMetrics(reg *prometheus.Registry) faultMetrics {
	output := []string{"output"}
	f := faultMetrics{
		writeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feedsmith_output_write_errors_total",
			Help: "Writes of an output on disk (dir: the output folder, jekyll: the posts folder) that failed.",
		}, output),
		failing: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "feedsmith_output_write_failing",
			Help: "1 while the last write of an output failed: the disk does not hold what is served; it is retried until it succeeds.",
		}, output),
		lastError: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "feedsmith_output_last_error_timestamp_seconds",
			Help: "When a write of an output last failed, in Unix seconds.",
		}, output),
		lastWrite: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "feedsmith_output_last_write_timestamp_seconds",
			Help: "When a write of an output last succeeded, in Unix seconds.",
		}, output),
		badRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feedsmith_http_bad_requests_total",
			Help: "Requests the HTTP server answered with an error before any handler ran, by reason (malformed, header_too_large, uri_too_long, body_too_large, timeout).",
		}, []string{"reason"}),
	}
	reg.MustRegister(f.writeErrors, f.failing, f.lastError, f.lastWrite, f.badRequests)
	return f
}

// ObserveOutputWrite records one write of an output ("dir", "jekyll" or
// "s3"), failed when err is not nil; now is when it ended.
func (m *Metrics) ObserveOutputWrite(output string, err error, now time.Time) {
	f := &m.faults
	// Touching the counter creates it at 0, so that increase() sees the
	// first failure.
	errs := f.writeErrors.WithLabelValues(output)
	ts := float64(now.UnixMilli()) / 1e3
	if err != nil {
		errs.Inc()
		f.failing.WithLabelValues(output).Set(1)
		f.lastError.WithLabelValues(output).Set(ts)
		return
	}
	f.failing.WithLabelValues(output).Set(0)
	f.lastWrite.WithLabelValues(output).Set(ts)
}

// BadRequest counts a request answered with an error before it reached a
// handler. reason is one of a few fixed words, which bounds the label.
func (m *Metrics) BadRequest(reason string) {
	m.faults.badRequests.WithLabelValues(reason).Inc()
}

// ForgetOutput drops the series of an output no longer configured.
func (m *Metrics) ForgetOutput(output string) {
	l := prometheus.Labels{"output": output}
	m.faults.writeErrors.DeletePartialMatch(l)
	m.faults.failing.DeletePartialMatch(l)
	m.faults.lastError.DeletePartialMatch(l)
	m.faults.lastWrite.DeletePartialMatch(l)
}
