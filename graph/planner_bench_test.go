package graph_test

import (
	"sort"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// The planner's questions as the region page, the map's scenario toggle and the report ask them, and the
// heaviest shapes a planner can ask (a province, every chain, a district's thin segments up to 50 firms, where
// 100,000 synthetic firms give thousands of candidates).
var plannerQueries = []struct{ name, query string }{
	{"gaps/city", `{ regionChainGaps(regionCode: "130600", chainMapId: "hydrogen", first: 3) { held gaps { segment { id name } status
		upstream { segment { id } firmsInRegion } firmCandidates { score enterprise { id name } parts { factor points note } }
		rdCandidates { score enterprise { id } institution { id } parts { points } } parks { score park { id } } } } }`},
	{"gaps/province", `{ regionChainGaps(regionCode: "130000", chainMapId: "nev-icv", first: 5) { held gaps {
		segment { id } firmCandidates { score enterprise { id } } rdCandidates { score } firmCandidatesTotal } } }`},
	{"gaps/district-thin50", `{ regionChainGaps(regionCode: "110108", chainMapId: "nev-icv", thinAtMost: 50, first: 20) { held gaps {
		segment { id } firmCandidates { score enterprise { id } } rdCandidates { score } firmCandidatesTotal rdCandidatesTotal } } }`},
	{"scenario/city", `{ scenario(remove: {regionCodes: ["130900"]}, first: 20) { stoppedEnterprises segmentsTotal cutOffTotal
		orphanedBottlenecksTotal cutLinksTotal segments { segment { id } status } cutOff { enterprise { id sites { region { code } } }
		alternatives { enterprise { id } regionDistance } } cutLinks { id } chains { chainMap { id } cutOff } } }`},
	{"scenario/city-chain", `{ scenario(remove: {regionCodes: ["130900"]}, chainMapId: "nev-icv", first: 12) { stoppedEnterprises
		segmentsLost cutOffTotal segments { segment { id } status } cutOff { enterprise { id } alternatives { enterprise { id } } } } }`},
	{"scenario/firm", `{ scenario(remove: {enterpriseIds: ["catl"]}) { cutOffTotal cutOff { enterprise { id } } orphanedBottlenecks { bottleneck { id } } } }`},
	{"scenario/province", `{ scenario(remove: {regionCodes: ["130000"]}, first: 20) { stoppedEnterprises segmentsLost cutOffTotal
		orphanedBottlenecksTotal cutLinksTotal cutOff { enterprise { id } alternatives { enterprise { id } } } } }`},
	{"changes/chain", `{ changesSummary(chainMapId: "nev-icv", first: 30) { totals { sitesAdded linksMade } byYear { key counts { linksMade } }
		events { date kind label enterprise { id } } } }`},
	{"changes/region-chain", `{ changesSummary(chainMapId: "hydrogen", regionCode: "130600", first: 12) { eventsTotal byYear { key } events { label } } }`},
	{"changes/all", `{ changesSummary(first: 50) { totals { sitesAdded linksMade } byRegion { key } byChain { key } eventsTotal } }`},
}

// BenchmarkPlannerAnalyses runs each of the planner's questions one request at a time and reports its median
// and 99th-percentile latency and its round trips. Against the seeds by default; with
// CHAINMAP_BENCH_SYNTHETIC=100000 on 100,000 synthetic enterprises too (make bench-synthetic); a later run with
// CHAINMAP_BENCH_KEEP=1 reuses the graph the instance holds instead of wiping it and writing it again.
func BenchmarkPlannerAnalyses(b *testing.B) {
	srv := newServer(b, graph.Options{Limits: graph.Limits{MaxComplexity: 1 << 30}})
	for _, q := range plannerQueries {
		b.Run(q.name, func(b *testing.B) {
			warm := mustData(b, srv, "", q.query, nil, nil) // plans the statement
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				mustData(b, srv, "", q.query, nil, nil)
				lat = append(lat, time.Since(start))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[(len(lat)-1)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(warm.Extensions.Cost.RoundTrips), "neo4j-trips/op")
		})
	}
}
