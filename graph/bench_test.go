package graph_test

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// Three nested planners' queries, as the API benchmark runs them.
var benchQueries = map[string]string{
	"chain-with-hebei-firms-and-bottlenecks": `{ chainMap(id: "hydrogen") { name segments { id stage
		enterprises(regionCode: "130000", first: 10) { name sites { kind region { name } } }
		bottlenecks { name severity status tacklers { actor { ... on Enterprise { name } ... on Institution { name } } } } } } }`,
	"hebei-firms-by-exposure": `{ enterprises(filter: {regionCode: "130000"}, orderBy: {field: OPEN_BOTTLENECKS, direction: DESC}, first: 50) {
		totalCount nodes { name sites { kind region { name province { name } } } segments { name chainMap { name } }
		suppliers { supplier { name } product } } } }`,
	"open-chokepoints-with-affected-firms": `{ bottlenecks(filter: {kind: CHOKEPOINT, status: OPEN}, first: 30) {
		totalCount nodes { name severity segments { name enterprises(first: 10) { name sites { region { name } } } } } } }`,
}

// BenchmarkPlannerQueries runs each query from one client, then from 20 concurrent clients, against the real Neo4j loaded with the
// seeds, through HTTP, and reports the median and 99th-percentile latency and the round trips per request.
// Run it with `make bench` (or go test ./graph -run '^$' -bench PlannerQueries -benchtime 400x).
func BenchmarkPlannerQueries(b *testing.B) {
	srv := newServer(b, graph.Options{})
	names := make([]string, 0, len(benchQueries))
	for name := range benchQueries {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		query := benchQueries[name]
		for _, clients := range []int{1, 20} {
			b.Run(fmt.Sprintf("%s/clients=%d", name, clients), func(b *testing.B) {
				warm := mustData(b, srv, "", query, nil, nil)
				var mu sync.Mutex
				var lat []time.Duration
				run := func() bool {
					start := time.Now()
					r := do(b, srv, "", query, nil)
					d := time.Since(start)
					if len(r.Errors) > 0 {
						b.Errorf("query failed: %+v", r.Errors)
						return false
					}
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
					return true
				}
				b.ResetTimer()
				if clients == 1 {
					for b.Loop() {
						if !run() {
							return
						}
					}
				} else {
					b.SetParallelism((clients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if !run() {
								return
							}
						}
					})
				}
				b.StopTimer()
				if len(lat) == 0 {
					b.Fatal("no request succeeded")
				}
				sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
				pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
				b.ReportMetric(pct(0.50), "p50-ms")
				b.ReportMetric(pct(0.99), "p99-ms")
				b.ReportMetric(float64(warm.Extensions.Cost.RoundTrips), "neo4j-trips/op")
				b.ReportMetric(0, "ns/op") // under parallelism wall time per op is not a latency; p50/p99 are
			})
		}
	}
}
