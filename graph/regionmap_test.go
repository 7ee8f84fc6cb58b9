package graph_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/chainmap/chainmap/graph"
)

// The explorer's map colours each region by Region.stats(chainMapId:). Its counts must agree with the lists a
// planner would page through for the same question, which are read by other code: enterprises of the chain with
// a site in the region, bottlenecks of the chain that the region's firms meet and that are not resolved, and the
// chain's R&D→manufacturing links ending in the region. Checked for every region the map draws and every chain.
func TestRegionStatsInChainAgreeWithTheLists(t *testing.T) {
	srv := newServer(t, graph.Options{})
	var maps struct {
		ChainMaps []struct{ ID string } `json:"chainMaps"`
		Regions   []struct {
			Code  string
			Stats struct{ Enterprises, OpenBottlenecks, RdLinksIn, RdLinksOut int }
		} `json:"regions"`
	}
	mustData(t, srv, "", `{ chainMaps { id } regions { code stats { enterprises } } }`, nil, &maps)
	if len(maps.ChainMaps) != 6 || len(maps.Regions) < 44 {
		t.Fatalf("seeds give %d chain maps and %d regions, want 6 and at least 44", len(maps.ChainMaps), len(maps.Regions))
	}

	const query = `query ($chain: ID!, $code: String!) {
  region(code: $code) { stats(chainMapId: $chain) { enterprises openBottlenecks rdLinksIn } }
  firms: enterprises(filter: {chainMapId: $chain, regionCode: $code}) { totalCount }
  open: bottlenecks(filter: {chainMapId: $chain, affectsRegionCode: $code, status: OPEN}) { totalCount }
  inProgress: bottlenecks(filter: {chainMapId: $chain, affectsRegionCode: $code, status: IN_PROGRESS}) { totalCount }
  links: rdManufacturingLinks(filter: {chainMapId: $chain, toRegionCode: $code}) { totalCount }
}`
	type count struct{ TotalCount int }
	nonZero := map[string]int{}
	for _, c := range maps.ChainMaps {
		for _, r := range maps.Regions {
			var got struct {
				Region struct {
					Stats struct{ Enterprises, OpenBottlenecks, RdLinksIn int }
				}
				Firms, Open, InProgress, Links count
			}
			mustData(t, srv, "", query, map[string]any{"chain": c.ID, "code": r.Code}, &got)
			s := got.Region.Stats
			want := [3]int{got.Firms.TotalCount, got.Open.TotalCount + got.InProgress.TotalCount, got.Links.TotalCount}
			if have := [3]int{s.Enterprises, s.OpenBottlenecks, s.RdLinksIn}; have != want {
				t.Errorf("%s in %s: stats (firms, open bottlenecks, links in) = %v, lists say %v", c.ID, r.Code, have, want)
			}
			for i, n := range want {
				if n > 0 {
					nonZero[fmt.Sprint(i)]++
				}
			}
		}
	}
	// The comparison means something only if the seeds give each count somewhere.
	for i, name := range []string{"firms", "open bottlenecks", "links in"} {
		if nonZero[fmt.Sprint(i)] == 0 {
			t.Errorf("no region has any %s in any chain: the check compared only zeros", name)
		}
	}
}

// Without chainMapId a region's counts cover every chain; with one, no more than that.
func TestRegionStatsInChainNarrow(t *testing.T) {
	srv := newServer(t, graph.Options{})
	var got struct {
		Region struct {
			All      struct{ Enterprises, Sites, OpenBottlenecks, RdLinksIn int }
			Hydrogen struct{ Enterprises, Sites, OpenBottlenecks, RdLinksIn int }
			ByChain  struct {
				EnterprisesByChainMap []struct {
					Key   string
					Count int
				}
			}
		}
	}
	mustData(t, srv, "", `{ region(code: "130000") {
  all: stats { enterprises sites openBottlenecks rdLinksIn }
  hydrogen: stats(chainMapId: "hydrogen") { enterprises sites openBottlenecks rdLinksIn }
  byChain: stats { enterprisesByChainMap { key count } } } }`, nil, &got)
	all, h := got.Region.All, got.Region.Hydrogen
	if h.Enterprises == 0 || h.Enterprises >= all.Enterprises || h.Sites > all.Sites || h.OpenBottlenecks > all.OpenBottlenecks || h.RdLinksIn > all.RdLinksIn {
		t.Errorf("Hebei: hydrogen %+v, all chains %+v: want hydrogen non-empty and within all", h, all)
	}
	for _, g := range got.Region.ByChain.EnterprisesByChainMap {
		if g.Key == "hydrogen" && g.Count != h.Enterprises {
			t.Errorf("Hebei hydrogen firms: stats(chainMapId) %d, enterprisesByChainMap %d", h.Enterprises, g.Count)
		}
	}

	r := do(t, srv, "", `{ region(code: "130000") { stats(chainMapId: "Hydrogen; DROP") { enterprises } } }`, nil)
	if r.code() != "BAD_USER_INPUT" {
		t.Errorf("a malformed chainMapId: code %q (%+v), want BAD_USER_INPUT", r.code(), r.Errors)
	}
}

// rdLinkFlows counts the same links as rdManufacturingLinks, by their ends' regions and kind: for every chain
// map, the flows add up to the list's total, kind by kind and region of arrival by region of arrival.
func TestRDLinkFlowsCountTheListedLinks(t *testing.T) {
	srv := newServer(t, graph.Options{})
	var maps struct{ ChainMaps []struct{ ID string } }
	mustData(t, srv, "", `{ chainMaps { id } }`, nil, &maps)
	const query = `query ($chain: ID!, $after: String) {
  rdLinkFlows(filter: {chainMapId: $chain}) { fromRegion { code } toRegion { code province { code } } kind links derived }
  rdManufacturingLinks(filter: {chainMapId: $chain}, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { kind derived toRegion { code } } }
}`
	type key struct{ to, kind string }
	drawn := 0
	for _, c := range maps.ChainMaps {
		flows, links := map[key]int{}, map[key]int{}
		derivedFlows, derivedLinks, total, after := 0, 0, 0, any(nil)
		for {
			var got struct {
				RdLinkFlows []struct {
					FromRegion, ToRegion *struct{ Code string }
					Kind                 string
					Links, Derived       int
				}
				RdManufacturingLinks struct {
					TotalCount int
					PageInfo   struct {
						HasNextPage bool
						EndCursor   string
					}
					Nodes []struct {
						Kind     string
						Derived  bool
						ToRegion *struct{ Code string }
					}
				}
			}
			r := mustData(t, srv, "", query, map[string]any{"chain": c.ID, "after": after}, &got)
			if r.Extensions.Cost.RoundTrips != 2 {
				t.Errorf("%s: %d round trips, want 2 (one per root field)", c.ID, r.Extensions.Cost.RoundTrips)
			}
			if after == nil {
				for _, f := range got.RdLinkFlows {
					to := ""
					if f.ToRegion != nil {
						to = f.ToRegion.Code
					}
					flows[key{to, f.Kind}] += f.Links
					derivedFlows += f.Derived
					if f.Links < 1 || f.Derived > f.Links {
						t.Errorf("%s: flow %+v", c.ID, f)
					}
				}
			}
			for _, l := range got.RdManufacturingLinks.Nodes {
				to := ""
				if l.ToRegion != nil {
					to = l.ToRegion.Code
				}
				links[key{to, l.Kind}]++
				if l.Derived {
					derivedLinks++
				}
			}
			total = got.RdManufacturingLinks.TotalCount
			if !got.RdManufacturingLinks.PageInfo.HasNextPage {
				break
			}
			after = got.RdManufacturingLinks.PageInfo.EndCursor
		}
		sum := 0
		for _, n := range flows {
			sum += n
		}
		if sum != total || derivedFlows != derivedLinks || !reflect.DeepEqual(flows, links) {
			t.Errorf("%s: flows %v (%d links, %d derived), list %v (%d links, %d derived)", c.ID, flows, sum, derivedFlows, links, total, derivedLinks)
		}
		drawn += total
	}
	if drawn == 0 {
		t.Error("no chain map has a link: the comparison compared nothing")
	}
}
