package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// leaseMetrics are the cluster's: which instance holds which source.
type leaseMetrics struct {
	once   sync.Once
	leases *prometheus.GaugeVec
}

// SetLeases records, for an instance of a cluster (self), which instance
// holds each source's lease now: feedsmith_source_lease{source, instance}
// is 1 for the holder; feedsmith_cluster_instance{instance} names this
// one. Sources nobody holds have no series.
func (m *Metrics) SetLeases(self string, holders map[string]string) {
	m.cluster.once.Do(func() {
		m.cluster.leases = prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "feedsmith_source_lease",
			Help: "1 for the instance of a cluster that holds a source's lease (collects it) now.",
		}, []string{"source", "instance"})
		self := prometheus.NewGauge(prometheus.GaugeOpts{
			Name:        "feedsmith_cluster_instance",
			Help:        "Always 1; labelled with this instance's name in its cluster.",
			ConstLabels: prometheus.Labels{"instance": self},
		})
		self.Set(1)
		m.reg.MustRegister(m.cluster.leases, self)
	})
	m.cluster.leases.Reset()
	for source, holder := range holders {
		m.cluster.leases.WithLabelValues(source, holder).Set(1)
	}
}
