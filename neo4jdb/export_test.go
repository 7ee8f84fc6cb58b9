package neo4jdb_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// table collects an export in memory, for the tests.
type table struct {
	header []string
	rows   [][]any
}

func (t *table) Header(cols []string) error { t.header = cols; return nil }
func (t *table) Row(cells []any) error      { t.rows = append(t.rows, cells); return nil }

func (t *table) col(name string) int { return slices.Index(t.header, name) }

type graph struct {
	nodes map[string]chainmap.ExportNode
	edges []chainmap.ExportEdge
}

func (g *graph) Node(n chainmap.ExportNode) error {
	if g.nodes == nil {
		g.nodes = map[string]chainmap.ExportNode{}
	}
	g.nodes[n.ID] = n
	return nil
}
func (g *graph) Edge(e chainmap.ExportEdge) error { g.edges = append(g.edges, e); return nil }

func TestExportsMatchTheLists(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	ctx := context.Background()
	str := func(s string) *string { return &s }
	open := chainmap.Open

	for _, tc := range []struct {
		name string
		f    chainmap.EnterpriseFilter
	}{
		{"all", chainmap.EnterpriseFilter{}},
		{"hydrogen", chainmap.EnterpriseFilter{ChainMapID: str("hydrogen")}},
		{"hydrogen in Hebei", chainmap.EnterpriseFilter{ChainMapID: str("hydrogen"), RegionCode: str("130000")}},
		{"text", chainmap.EnterpriseFilter{Text: str("氢")}},
	} {
		t.Run("enterprises "+tc.name, func(t *testing.T) {
			var got table
			if err := db.ExportEnterprises(ctx, tc.f, &got); err != nil {
				t.Fatal(err)
			}
			want, err := db.Enterprises(ctx, chainmap.EnterpriseQuery{Filter: tc.f, OrderBy: chainmap.EnterpriseByID,
				Page: chainmap.Page{First: 10000}}, chainmap.ListRequest{Count: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.rows) != want.Total || len(got.rows) == 0 && tc.name != "text" {
				t.Fatalf("export has %d rows, the list %d", len(got.rows), want.Total)
			}
			for i, it := range want.Items {
				if got.rows[i][got.col("id")] != it.ID {
					t.Fatalf("row %d is %v, the list's item %s", i, got.rows[i][got.col("id")], it.ID)
				}
			}
			if got.header[0] != "id" || got.col("sources") < 0 || got.col("nameZh") < 0 {
				t.Errorf("header %v", got.header)
			}
		})
	}

	var bs table
	f := chainmap.BottleneckFilter{ChainMapID: str("hydrogen"), Status: &open}
	if err := db.ExportBottlenecks(ctx, f, &bs); err != nil {
		t.Fatal(err)
	}
	n, err := db.Bottlenecks(ctx, chainmap.BottleneckQuery{Filter: f, OrderBy: chainmap.BottleneckByID, Page: chainmap.Page{First: 1000}},
		chainmap.ListRequest{Count: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(bs.rows) == 0 || len(bs.rows) != n.Total {
		t.Fatalf("open hydrogen bottlenecks: export %d rows, list %d", len(bs.rows), n.Total)
	}
	cited := 0
	for _, r := range bs.rows {
		if r[bs.col("status")] != "OPEN" {
			t.Errorf("row %v is not OPEN", r)
		}
		if s, _ := r[bs.col("sources")].(string); strings.Contains(s, "http") {
			cited++
		}
	}
	if cited == 0 {
		t.Errorf("no bottleneck row cites a source with a URL: %v", bs.rows[0])
	}

	// No match: the header alone.
	var none table
	if err := db.ExportBottlenecks(ctx, chainmap.BottleneckFilter{ChainMapID: str("no-such-map")}, &none); err != nil {
		t.Fatal(err)
	}
	if len(none.rows) != 0 || none.col("tacklers") < 0 {
		t.Errorf("empty export: header %v, %d rows", none.header, len(none.rows))
	}
}

func TestExportGraph(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	ctx := context.Background()
	var g graph
	if err := db.ExportGraph(ctx, "hydrogen", &g); err != nil {
		t.Fatal(err)
	}
	labels := map[string]int{}
	for _, n := range g.nodes {
		labels[n.Type]++
	}
	types := map[string]int{}
	ids := map[string]bool{}
	for _, e := range g.edges {
		types[e.Type]++
		if g.nodes[e.Source].ID == "" || g.nodes[e.Target].ID == "" {
			t.Errorf("edge %v dangles", e)
		}
		if ids[e.ID] {
			t.Errorf("edge id %s twice", e.ID)
		}
		ids[e.ID] = true
	}
	t.Logf("nodes %v, edges %v", labels, types)
	for _, l := range []string{"ChainMap", "Segment", "Enterprise", "Site", "Region", "Bottleneck"} {
		if labels[l] == 0 {
			t.Errorf("no %s node", l)
		}
	}
	for _, typ := range []string{"HAS_SEGMENT", "FEEDS", "ACTIVE_IN", "OPERATES", "LOCATED_IN", "PART_OF", "CONSTRAINS", "TACKLES", "TRANSFERS_TECH_TO"} {
		if types[typ] == 0 {
			t.Errorf("no %s edge", typ)
		}
	}
	if n := g.nodes["hydrogen"]; n.Attrs["nameZh"] == nil {
		t.Errorf("the chain map node has no nameZh: %v", n)
	}

	err := db.ExportGraph(ctx, "no-such-map", &graph{})
	if !errors.Is(err, chainmap.ErrNotFound) {
		t.Errorf("ExportGraph(no-such-map) = %v, want not found", err)
	}
}
