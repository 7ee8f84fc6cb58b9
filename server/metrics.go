package server

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the Prometheus metrics served at /metrics. No label takes a value a client chooses freely:
// operation names are kept only when they are known (an allow-list), else counted as "other", so that
// /metrics stays small however many names clients invent.
type Metrics struct {
	Registry   *prometheus.Registry
	queries    *prometheus.CounterVec
	requests   *prometheus.HistogramVec
	operation  *prometheus.HistogramVec
	rejected   *prometheus.CounterVec
	answers    *prometheus.CounterVec
	operations map[string]bool
}

// ExplorerOperations are the names of the operations the explorer page (web/src) sends.
var ExplorerOperations = []string{"ExplorerBottleneck", "ExplorerChainGraph", "ExplorerChainMaps", "ExplorerCoverageGaps",
	"ExplorerEnterprise", "ExplorerImpact", "ExplorerSegment", "IntrospectionQuery"}

// NewMetrics registers chainmap's metrics, plus the Go runtime and process collectors, in a new registry.
// Operations are labelled by name when the name is one of ExplorerOperations or of known; any other name is
// labelled "other", and an operation without a name "anonymous".
func NewMetrics(known ...string) *Metrics {
	m := &Metrics{
		Registry:   prometheus.NewRegistry(),
		operations: map[string]bool{},
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chainmap_http_rejected_total",
			Help: "Requests refused before any work, by reason (busy: past the in-flight cap and its queue).",
		}, []string{"reason"}),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chainmap_analysis_answers_total",
			Help: "Analysis answers that may be kept for reuse, by store method and whether they were kept (the graph unchanged) or computed.",
		}, []string{"method", "outcome"}),
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
	for _, name := range append(ExplorerOperations, known...) {
		m.operations[name] = true
	}
	m.Registry.MustRegister(m.queries, m.requests, m.operation, m.rejected, m.answers,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// SetBuildInfo publishes chainmap_build_info, always 1, labelled with what the build is, so that dashboards
// can tell which build each replica runs. Call it once.
func (m *Metrics) SetBuildInfo(version, commit, goVersion, schemaHash string) {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "chainmap_build_info",
		Help: "Which build this process runs: version, git commit, Go version and GraphQL schema hash; always 1.",
	}, []string{"version", "commit", "goversion", "schema"})
	g.WithLabelValues(version, commit, goVersion, schemaHash).Set(1)
	m.Registry.MustRegister(g)
}

// CountQuery counts one round trip to Neo4j; pass it to neo4jdb.Config.OnQuery.
func (m *Metrics) CountQuery(method string) { m.queries.WithLabelValues(method).Inc() }

// CountAnswer counts one analysis answer, kept or computed; pass it to neo4jdb.Config.OnAnswer.
func (m *Metrics) CountAnswer(method string, kept bool) {
	outcome := "computed"
	if kept {
		outcome = "kept"
	}
	m.answers.WithLabelValues(method, outcome).Inc()
}

// ObserveOperation records one GraphQL operation; pass it to graph.Options.OnOperation.
func (m *Metrics) ObserveOperation(name string, d time.Duration, errs int) {
	switch {
	case name == "":
		name = "anonymous"
	case !m.operations[name]:
		name = "other"
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
