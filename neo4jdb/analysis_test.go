package neo4jdb_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// openAnalysisGraph loads the hand-made graph of testdata/analysis.yaml.
func openAnalysisGraph(t *testing.T) *neo4jdb.DB {
	t.Helper()
	db := neo4jtest.MustOpenDB(t)
	data, err := os.ReadFile("testdata/analysis.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := loader.Parse([]loader.File{{Name: "analysis.yaml", Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.WriteDataset(context.Background(), ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	return db
}

func distanced(list []chainmap.Distanced) string {
	var parts []string
	for _, d := range list {
		parts = append(parts, fmt.Sprintf("%s:%d", d.ID, d.Distance))
	}
	return strings.Join(parts, " ")
}

func TestAnalysesOnAKnownGraph(t *testing.T) {
	db := openAnalysisGraph(t)
	ctx := context.Background()

	t.Run("bottleneck impact", func(t *testing.T) {
		for _, tc := range []struct {
			depth, maxNodes               int
			segments, enterprises, region string
			truncated                     bool
		}{
			{1, 100, "s2:0 s3:1 s4:1", "e2:0 e3:0 e6:0 e4:1 e5:1", "130000:3:0 110000:2:0 120000:1:0", false},
			{2, 100, "s2:0 s3:1 s4:1 s5:2", "e2:0 e3:0 e6:0 e4:1 e5:1", "130000:3:0 110000:2:0 120000:1:0", false},
			{1, 2, "s2:0 s3:1 s4:1", "e2:0 e3:0", "130000:3:0 110000:2:0 120000:1:0", true},
		} {
			got, err := db.BottleneckImpact(ctx, "b1", tc.depth, tc.maxNodes)
			if err != nil {
				t.Fatal(err)
			}
			var regions []string
			for _, r := range got.Regions {
				regions = append(regions, fmt.Sprintf("%s:%d:%d", r.Code, r.Enterprises, r.Distance))
			}
			if distanced(got.Segments) != tc.segments || distanced(got.Enterprises) != tc.enterprises ||
				strings.Join(regions, " ") != tc.region || got.Truncated != tc.truncated {
				t.Errorf("depth %d, max %d: segments %q enterprises %q regions %q truncated %v\nwant %q %q %q %v", tc.depth, tc.maxNodes,
					distanced(got.Segments), distanced(got.Enterprises), strings.Join(regions, " "), got.Truncated,
					tc.segments, tc.enterprises, tc.region, tc.truncated)
			}
		}
		if got, err := db.BottleneckImpact(ctx, "nope", 2, 10); err != nil || got != nil {
			t.Errorf("impact of a missing bottleneck = %v, %v; want nil", got, err)
		}
	})

	t.Run("supply paths", func(t *testing.T) {
		for _, tc := range []struct {
			from, to string
			hops     int
			want     []string
		}{
			{"e1", "e4", 4, []string{"e1 e2 e4"}},
			{"e1", "e5", 4, []string{"e1 e2 e4 e5"}},
			{"e1", "e5", 2, nil}, // three hops needed
			{"s1", "s5", 6, []string{"s1 s2 s4 s5"}},
			{"e4", "e1", 6, nil}, // SUPPLIES run one way
		} {
			paths, err := db.SupplyPaths(ctx, tc.from, tc.to, tc.hops, 5)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range paths {
				var ids []string
				for _, n := range p.Nodes {
					ids = append(ids, n.ID)
				}
				got = append(got, strings.Join(ids, " "))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("paths %s→%s within %d: %q, want %q", tc.from, tc.to, tc.hops, got, tc.want)
			}
		}
	})

	t.Run("coverage gaps", func(t *testing.T) {
		got, err := db.CoverageGaps(ctx, "c")
		if err != nil {
			t.Fatal(err)
		}
		want := []chainmap.CoverageGap{
			{SegmentID: "s1", Kind: "RD_WITHOUT_MANUFACTURING", RDFirmsInBeijing: 1},
			{SegmentID: "s6", Kind: "NO_FIRM_IN_REGION"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("gaps = %+v, want %+v", got, want)
		}
	})

	t.Run("single-source risks", func(t *testing.T) {
		got, err := db.SingleSourceRisks(ctx, "c")
		if err != nil {
			t.Fatal(err)
		}
		want := []chainmap.SingleSourceRisk{
			{SegmentID: "s1", Kind: "SINGLE_SUPPLIER", EnterpriseIDs: []string{"e1"}, RegionCode: "110000", FeedIDs: []string{"s2"}},
			{SegmentID: "s3", Kind: "SINGLE_SUPPLIER", EnterpriseIDs: []string{"e4"}, RegionCode: "130000", FeedIDs: []string{}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("risks = %+v\nwant %+v", got, want)
		}
	})

	t.Run("alternative suppliers", func(t *testing.T) {
		got, err := db.AlternativeSuppliers(ctx, "e2", "", 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []chainmap.Alternative{
			{EnterpriseID: "e6", SegmentID: "s2", RegionDistance: 0, SharedRegionCode: "131000"},
			{EnterpriseID: "e3", SegmentID: "s2", RegionDistance: 2},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("alternatives = %+v, want %+v", got, want)
		}
	})

	t.Run("tiers", func(t *testing.T) {
		// Tiers are read as a field of an enterprise: nearest tier first, then by name.
		for _, tc := range []struct {
			id       string
			upstream bool
			tiers    int
			want     string
		}{{"e4", true, 2, "e2:1 e3:1 e1:2"}, {"e4", true, 1, "e2:1 e3:1"}, {"e1", false, 6, "e2:1 e4:2 e5:3"}} {
			name := "downstream"
			if tc.upstream {
				name = "upstream"
			}
			sel := &chainmap.Selection{Kind: chainmap.KindEnterprise, Fields: []chainmap.SelectedField{{Key: "t", Name: name,
				Args: chainmap.FieldArgs{Tiers: tc.tiers}, Sel: &chainmap.Selection{Kind: chainmap.KindTierLink, Fields: []chainmap.SelectedField{
					{Key: "tier", Name: "tier"}, {Key: "enterprise", Name: "enterprise", Sel: &chainmap.Selection{Kind: chainmap.KindEnterprise,
						Fields: []chainmap.SelectedField{{Key: "id", Name: "id"}}}}}}}}}
			res, err := db.Records(ctx, chainmap.RecordsRequest{Kind: chainmap.KindEnterprise, IDs: []string{tc.id}, Sel: sel})
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, x := range res[0][tc.id].(*chainmap.Enterprise).Related["t"].([]chainmap.TierLink) {
				s = append(s, fmt.Sprintf("%s:%d", x.Related["enterprise"].(*chainmap.Enterprise).ID, x.Tier))
			}
			if got := strings.Join(s, " "); got != tc.want {
				t.Errorf("%s %s %d tiers = %q, want %q", tc.id, name, tc.tiers, got, tc.want)
			}
		}
	})

	t.Run("criticality", func(t *testing.T) {
		net, err := db.SupplyNetwork(ctx, "c")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range analysis.Rank(net) {
			got = append(got, fmt.Sprintf("%d %s %.0f", c.Rank, c.EnterpriseID, c.Score))
		}
		// e2: degree 2 + betweenness 1 (on e1→e4), 1 open bottleneck → 6; e3 and e4 score 2 (tie broken by id).
		want := []string{"1 e2 6", "2 e3 2", "3 e4 2", "4 e1 1", "5 e6 0"}
		if !slices.Equal(got, want) {
			t.Errorf("ranking = %q, want %q", got, want)
		}
	})

	t.Run("chain graph", func(t *testing.T) {
		g, err := db.ChainGraph(ctx, "c", []string{"SEGMENTS", "ENTERPRISES", "BOTTLENECKS", "REGIONS"}, 100)
		if err != nil {
			t.Fatal(err)
		}
		var nodes, edges []string
		for _, n := range g.Nodes {
			nodes = append(nodes, n.ID)
		}
		for _, e := range g.Edges {
			edges = append(edges, e.ID)
		}
		wantNodes := "s1 s2 s3 s6 s4 b1 b2 e1 e2 e3 e4 e6 110000 130000 120000" // regions by name
		if strings.Join(nodes, " ") != wantNodes || len(edges) != 3+5+3+2+6 || g.Truncated {
			t.Errorf("nodes %q (want %q), %d edges %q, truncated %v", strings.Join(nodes, " "), wantNodes, len(edges), edges, g.Truncated)
		}
		small, err := db.ChainGraph(ctx, "c", []string{"SEGMENTS", "ENTERPRISES"}, 6)
		if err != nil {
			t.Fatal(err)
		}
		if len(small.Nodes) != 6 || !small.Truncated {
			t.Errorf("with a budget of 6: %d nodes, truncated %v", len(small.Nodes), small.Truncated)
		}
	})

	t.Run("graph slice", func(t *testing.T) {
		for _, tc := range []struct {
			roots     []string
			direction string
			hops, max int
			want      string
		}{
			{[]string{"b1"}, "DOWNSTREAM", 2, 100, "s2 s3 s4 b1"},
			{[]string{"e4"}, "UPSTREAM", 2, 100, "e1 e2 e3 e4"},
			{[]string{"e4"}, "BOTH", 1, 100, "e2 e3 e4 e5"},
			{[]string{"e4"}, "UPSTREAM", 6, 2, "e2 e4"},
		} {
			g, err := db.GraphSlice(ctx, tc.roots, tc.direction, tc.hops, tc.max)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, n := range g.Nodes {
				ids = append(ids, n.ID)
			}
			if strings.Join(ids, " ") != tc.want {
				t.Errorf("slice %v %s %d: %q, want %q", tc.roots, tc.direction, tc.hops, strings.Join(ids, " "), tc.want)
			}
			for _, e := range g.Edges {
				if !slices.Contains(ids, e.Source) || !slices.Contains(ids, e.Target) {
					t.Errorf("edge %s leaves the drawn nodes", e.ID)
				}
			}
		}
	})

	t.Run("derived R&D links", func(t *testing.T) {
		sel := &chainmap.Selection{Kind: chainmap.KindRDLink, Fields: []chainmap.SelectedField{{Key: "id", Name: "id"},
			{Key: "toRegion", Name: "toRegion", Sel: &chainmap.Selection{Kind: chainmap.KindRegion, Fields: []chainmap.SelectedField{{Key: "code", Name: "code"}}}}}}
		page, err := db.RDLinks(ctx, chainmap.RDLinkQuery{Page: chainmap.Page{First: 10}}, chainmap.ListRequest{Node: sel, Count: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Total != 1 {
			t.Fatalf("links = %+v (total %d), want the one derived link of e2", page.Items, page.Total)
		}
		l := page.Items[0].Item.(*chainmap.RDLink)
		if l.ID != "derived:e2-rd>e2-plant" || l.Related["toRegion"].(*chainmap.Region).Code != "131000" {
			t.Errorf("link = %+v, want the one derived link of e2, into 131000", l)
		}
	})
}
