package server

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the Prometheus metrics served at /metrics.
type Metrics struct {
	Registry  *prometheus.Registry
	queries   *prometheus.CounterVec
	requests  *prometheus.HistogramVec
	operation *prometheus.HistogramVec
}

// NewMetrics registers chainmap's metrics, plus the Go runtime and process collectors, in a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		queries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chainmap_neo4j_queries_total",
			Help: "Round trips to Neo4j, by the store method that made them.",
		}, []string{"method"}),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "chainmap_http_request_duration_seconds",
			Help:    "HTTP request duration, by route and status code.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 15),
		}, []string{"route", "code"}),
		operation: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "chainmap_graphql_operation_duration_seconds",
			Help:    "GraphQL operation duration, by operation name and outcome (ok or error).",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 15),
		}, []string{"operation", "outcome"}),
	}
	m.Registry.MustRegister(m.queries, m.requests, m.operation,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// CountQuery counts one round trip to Neo4j; pass it to neo4jdb.Config.OnQuery.
func (m *Metrics) CountQuery(method string) { m.queries.WithLabelValues(method).Inc() }

// ObserveOperation records one GraphQL operation; pass it to graph.Options.OnOperation.
func (m *Metrics) ObserveOperation(name string, d time.Duration, errs int) {
	if name == "" {
		name = "anonymous"
	}
	outcome := "ok"
	if errs > 0 {
		outcome = "error"
	}
	m.operation.WithLabelValues(name, outcome).Observe(d.Seconds())
}

func (m *Metrics) observeRequest(route string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Observe(d.Seconds())
}
