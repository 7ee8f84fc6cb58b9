package graph_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/chainmap/chainmap/graph"
)

// Planners' questions, answered from the curated seeds. Each answer is compared with a golden file; run
// `go test ./graph -run Golden -update` after a deliberate change to the seeds or the API, and review the diff.
var plannerQuestions = []struct{ name, query string }{
	{"open-chokepoints-hydrogen-no-tackler-in-hebei", `{
  bottlenecks(filter: {chainMapId: "hydrogen", kind: CHOKEPOINT, status: OPEN, noTacklerInRegionCode: "130000"}) {
    totalCount
    nodes { id name severity category segments { id } tacklers { actor { ... on Enterprise { id } ... on Institution { id } } } }
  }
}`},
	{"hydrogen-chain-upstream-to-downstream-with-hebei-firms", `{
  chainMap(id: "hydrogen") {
    name
    segments { order stage id downstream { id } enterprises(regionCode: "130000") { id } }
  }
}`},
	{"nev-firms-in-baoding", `{
  enterprises(filter: {chainMapId: "nev-icv", regionCode: "130600"}, first: 50) {
    totalCount
    nodes { id name chainRole sites { kind region { code } } }
  }
}`},
	{"firms-most-exposed-to-open-bottlenecks", `{
  enterprises(orderBy: {field: OPEN_BOTTLENECKS, direction: DESC}, first: 5) {
    edges { node { id name segments { id } } }
  }
}`},
	{"beijing-tech-contracts-to-tianjin-hebei-since-2013", `{
  indicators(filter: {ids: ["bj-tech-contracts-value", "bj-tech-contracts-count"], fromYear: 2013}) {
    id unit values { year period value sources { id } }
  }
}`},
	{"rd-links-into-cangzhou", `{
  rdManufacturingLinks(filter: {toRegionCode: "130900"}, first: 50) {
    totalCount
    nodes { id derived confidence from { ... on Site { id } ... on Institution { id } } to { ... on Site { id } ... on Enterprise { id } } toRegion { name } }
  }
}`},
	{"open-bottlenecks-by-chain", `{ bottleneckGroups(filter: {status: OPEN}, by: CHAIN_MAP) { key name count } }`},
	{"robot-firms-by-province", `{ enterpriseGroups(filter: {chainMapId: "robots"}, by: PROVINCE) { key name count } }`},
	{"what-feeds-vehicle-manufacturing", `{
  segment(id: "nev-vehicles") { name upstream { id chainMap { id } } bottlenecks { id } }
}`},
	{"nev-official-lists-and-what-the-graph-holds", `{
  officialLists(chainMapId: "nev-icv") { id kind issuer statedCount coverage { items held statedCount missing }
    items { rank label record { __typename ... on Enterprise { id } ... on Bottleneck { id } ... on Segment { id } } } }
}`},
	{"rd-to-production-links-in-the-strict-sense", `{
  rdManufacturingLinks(filter: {kinds: [RD_TO_PRODUCTION], includeDerived: false}, first: 50) { totalCount nodes { id kind year } }
}`},
	{"search-sinohytec-in-chinese", `{ search(query: "亿华通", types: [ENTERPRISE]) { type id name } }`},
	{"hebei-at-a-glance", `{
  region(code: "130000") {
    name children { code name level }
    stats { enterprises sites openBottlenecks rdLinksIn rdLinksOut sitesByKind { key count } enterprisesByChainMap { key count } }
  }
}`},
	{"severe-machine-tool-bottlenecks-and-tacklers", `{
  bottlenecks(filter: {chainMapId: "machine-tools", minSeverity: 4}, orderBy: {field: SEVERITY, direction: DESC}) {
    nodes { id severity status tacklers { since actor { __typename ... on Enterprise { id } ... on Institution { id } } } }
  }
}`},
	{"impact-of-carbon-fibre-tank-imports", `{
  bottleneckImpact(id: "h2-bn-carbon-fibre-tanks", maxDepth: 3) {
    maxDepth truncated segments { segment { id } distance } enterprises { enterprise { id } distance }
    regions { region { code } enterprises distance }
  }
}`},
	{"biomedicine-coverage-gaps", `{ coverageGaps(chainMapId: "biomedicine") { segment { id } kind rdFirmsInBeijing manufacturingFirmsInTianjinHebei openBottlenecks } }`},
	{"machine-tool-single-source-risks", `{ singleSourceRisks(chainMapId: "machine-tools") { segment { id } kind enterprises { id } region { code } feeds { id } } }`},
	{"alternatives-to-sinohytec", `{ alternativeSuppliers(enterpriseId: "sinohytec", first: 8) { enterprise { id } segment { id } regionDistance sharedRegion { code } } }`},
	{"most-critical-vehicle-firms", `{ criticality(chainMapId: "nev-icv", first: 8) { rank enterprise { id } score degree betweenness openBottlenecks } }`},
	{"suppliers-of-beijing-hyundai-two-tiers", `{ enterprise(id: "beijing-hyundai") { upstream(tiers: 2) { tier enterprise { id } } } }`},
	{"fuel-cell-materials-to-vehicle-services", `{ supplyPaths(fromId: "h2-fc-materials", toId: "nev-services", maxHops: 6) { length nodes { id type } } }`},
	{"hydrogen-chain-graph", `{ chainGraph(chainMapId: "hydrogen", layers: [SEGMENTS, BOTTLENECKS]) { nodeCount edgeCount truncated nodes { id type stage order } edges { type source target } } }`},
	{"hydrogen-bottleneck-progress", `{ chainMap(id: "hydrogen") { progress { year started resolvedInYear open inProgress resolvedSoFar } } }`},
	{"hydrogen-chain-stats", `{
  chainMap(id: "hydrogen") {
    stats { enterprises segments openBottlenecks rdManufacturingLinks segmentsByStage { key count }
      bottlenecksByStatus { key count } bottlenecksByKind { key count } enterprisesByProvince { key count } }
  }
}`},
}

func TestGoldenPlannerQuestions(t *testing.T) {
	srv := newServer(t, graph.Options{})
	for _, q := range plannerQuestions {
		t.Run(q.name, func(t *testing.T) {
			r := mustData(t, srv, "", q.query, nil, nil)
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, r.Data, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			path := filepath.Join("testdata", "golden", q.name+".json")
			if *update {
				if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("answer differs from %s (run with -update if the change is intended)\ngot:\n%.2000s", path, pretty.String())
			}
			if len(pretty.String()) < 40 {
				t.Errorf("answer %s is suspiciously empty", pretty.String())
			}
		})
	}
}
