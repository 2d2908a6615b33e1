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

// dbMetrics is feedsmith_database_up, registered with the first reading.
type dbMetrics struct {
	once sync.Once
	up   prometheus.Gauge
}

// SetDatabaseUp records whether the cluster's database answered the last
// time this instance reached it: feedsmith_database_up is 1 or 0.
func (m *Metrics) SetDatabaseUp(up bool) {
	m.database.once.Do(func() {
		m.database.up = prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "feedsmith_database_up",
			Help: "1 when the cluster's PostgreSQL database answered the last time this instance reached it, else 0.",
		})
		m.reg.MustRegister(m.database.up)
	})
	if up {
		m.database.up.Set(1)
	} else {
		m.database.up.Set(0)
	}
}
