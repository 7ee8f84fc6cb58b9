package graph_test

import (
	"sort"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// The analyses as planners and the explorer call them.
var analysisQueries = []struct{ name, query string }{
	{"bottleneckImpact", `{ bottleneckImpact(id: "h2-bn-carbon-fibre-tanks", maxDepth: 3) { truncated segments { distance } enterprises { distance enterprise { id } } regions { enterprises } } }`},
	{"supplyPaths", `{ supplyPaths(fromId: "h2-fc-materials", toId: "nev-services", maxHops: 6) { length nodes { id } } }`},
	{"upstreamTiers", `{ enterprise(id: "beijing-hyundai") { upstream(tiers: 3) { tier enterprise { id } } } }`},
	{"coverageGaps", `{ coverageGaps(chainMapId: "nev-icv") { kind segment { id } } }`},
	{"singleSourceRisks", `{ singleSourceRisks(chainMapId: "nev-icv") { kind segment { id } } }`},
	{"alternativeSuppliers", `{ alternativeSuppliers(enterpriseId: "catl", first: 20) { regionDistance enterprise { id } } }`},
	{"criticality", `{ criticality(chainMapId: "nev-icv", first: 20) { rank score enterprise { id } } }`},
	{"chainGraph", `{ chainGraph(chainMapId: "nev-icv", maxNodes: 2000) { nodeCount edgeCount payload } }`},
	{"graphSlice", `{ graphSlice(rootIds: ["catl"], maxHops: 2, maxNodes: 1000) { nodeCount payload } }`},
}

// BenchmarkAnalyses runs each analysis one request at a time and reports its median and 99th-percentile
// latency. Against the seeds by default; with CHAINMAP_BENCH_SYNTHETIC=100000 the test graph also gets that
// many synthetic enterprises first (make bench-synthetic).
func BenchmarkAnalyses(b *testing.B) {
	srv := newServer(b, graph.Options{Limits: graph.Limits{MaxComplexity: 1 << 30}})
	for _, q := range analysisQueries {
		b.Run(q.name, func(b *testing.B) {
			mustData(b, srv, "", q.query, nil, nil) // warm the plan cache
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				mustData(b, srv, "", q.query, nil, nil)
				lat = append(lat, time.Since(start))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[(len(lat)-1)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
