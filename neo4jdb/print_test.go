package neo4jdb_test

import (
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/seeds"
)

// The fingerprint a dump and the drills compare graphs by agrees with DiffGraphs, which compares them line by
// line: the streamed print of a dataset equals the print of its graph; a changed property, a missing
// relationship and a moved change log each show in both, and the counts agree. No database.
func TestPrintAgreesWithDiffGraphs(t *testing.T) {
	ds, err := loader.ParseFS(seeds.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	g, err := neo4jdb.GraphOf(ds)
	if err != nil {
		t.Fatal(err)
	}
	streamed, err := neo4jdb.PrintOf(ds)
	if err != nil {
		t.Fatal(err)
	}
	if d := chainmap.PrintOf(g).Diff(streamed); d != "" {
		t.Fatalf("the streamed print differs from the graph's: %s", d)
	}
	if streamed.Nodes != len(g.Nodes) || streamed.Rels != len(g.Rels) || streamed.Nodes == 0 {
		t.Fatalf("streamed print counts %d nodes, %d relationships; the graph has %d, %d",
			streamed.Nodes, streamed.Rels, len(g.Nodes), len(g.Rels))
	}

	changed := &chainmap.StoredGraph{ChangeLogSeq: g.ChangeLogSeq + 1, Rels: g.Rels[1:]}
	for i, n := range g.Nodes {
		if i == 0 {
			props := map[string]any{}
			for k, v := range n.Props {
				props[k] = v
			}
			props["nameEn"] = "changed"
			n = chainmap.StoredNode{Labels: n.Labels, Props: props}
		}
		changed.Nodes = append(changed.Nodes, n)
	}
	lines := chainmap.DiffGraphs(g, changed, 0)
	minus, plus := 0, 0
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "- "):
			minus++
		case strings.HasPrefix(l, "+ "):
			plus++
		}
	}
	// The changed node (one line out, one in), the dropped relationship (one out) and the change log's line.
	if minus != 3 || plus != 2 {
		t.Fatalf("DiffGraphs: %d lines only in the first, %d only in the second, want 3 and 2:\n%s",
			minus, plus, strings.Join(lines, "\n"))
	}
	want := "2 nodes and relationships only in the first"
	d := chainmap.PrintOf(g).Diff(chainmap.PrintOf(changed))
	if !strings.Contains(d, want) || !strings.Contains(d, ", 1 only in the second") ||
		!strings.Contains(d, "change log at") {
		t.Fatalf("Diff of the prints = %q, want %q, one only in the second and the change log's move", d, want)
	}
}
