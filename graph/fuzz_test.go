package graph_test

import (
	"testing"

	"github.com/chainmap/chainmap/graph"
)

// FuzzListArguments sends arbitrary filter and pagination arguments to the list fields. Whatever they are, the
// answer is data or BAD_USER_INPUT — never an internal error, never a Cypher error. Run it with:
// go test ./graph -run '^$' -fuzz FuzzListArguments -fuzztime 1m (the test Neo4j must be up).
func FuzzListArguments(f *testing.F) {
	f.Add(20, "", "130000", "氢能", 3, uint8(0), "hydrogen")
	f.Add(0, "eyJvIjoiTkFNRSBBU0MiLCJzIjoiQSIsImkiOiJ4In0", "", "", 1, uint8(1), "")
	f.Add(101, "%%%", "13", `" AND (`, 9, uint8(2), "nope")
	f.Add(-5, "eyJvIjoiU0VWRVJJVFkgREVTQyIsIm4iOjUsImkiOiJ4In0", "999999", "*:*", 0, uint8(3), "robots")
	f.Add(100, "e30", "110108", "\\", 5, uint8(4), "nev-icv")
	srv := newServer(f, graph.Options{})
	orders := []string{"NAME", "ID", "SEGMENT_COUNT", "OPEN_BOTTLENECKS", "SUPPLIER_COUNT"}
	bOrders := []string{"SEVERITY", "NAME", "ID", "AFFECTED_ENTERPRISES", "TACKLER_COUNT"}
	f.Fuzz(func(t *testing.T, first int, after, region, text string, severity int, order uint8, chain string) {
		vars := map[string]any{"first": first, "region": region, "text": text, "sev": severity, "chain": chain,
			"order": orders[int(order)%len(orders)], "border": bOrders[int(order)%len(bOrders)]}
		if after != "" {
			vars["after"] = after
		}
		for _, q := range []string{
			`query($first: Int, $after: String, $region: String, $text: String, $chain: ID, $order: EnterpriseOrderField!) {
			  enterprises(first: $first, after: $after, filter: {regionCode: $region, text: $text, chainMapId: $chain},
			    orderBy: {field: $order}) { totalCount edges { cursor node { id } } } }`,
			`query($first: Int, $after: String, $region: String, $sev: Int, $chain: ID, $border: BottleneckOrderField!) {
			  bottlenecks(first: $first, after: $after, filter: {noTacklerInRegionCode: $region, minSeverity: $sev, chainMapId: $chain},
			    orderBy: {field: $border}) { totalCount nodes { id } } }`,
			`query($first: Int, $after: String, $region: String, $chain: ID) {
			  rdManufacturingLinks(first: $first, after: $after, filter: {toRegionCode: $region, chainMapId: $chain}) { totalCount nodes { id } } }`,
			`query($text: String!, $first: Int) { search(query: $text, first: $first) { id } }`,
		} {
			r := do(t, srv, "", q, vars)
			for _, e := range r.Errors {
				if code := e.Extensions["code"]; code != "BAD_USER_INPUT" {
					t.Fatalf("vars %v: error %q with code %v", vars, e.Message, code)
				}
			}
		}
	})
}
