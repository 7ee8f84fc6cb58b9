package neo4jdb_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/synth"
)

// withSynthetic returns the seeds plus n synthetic enterprises (their sites and perFirm supply links each),
// as one curated dataset: what a load of a large spreadsheet writes.
func withSynthetic(t testing.TB, seedsDS *chainmap.Dataset, n int, perFirm float64) *chainmap.Dataset {
	t.Helper()
	if n == 0 {
		return seedsDS
	}
	syn, err := synth.Generate(synth.Config{Seed: 1, Enterprises: n, Supplies: int(perFirm * float64(n))}, seedsDS)
	if err != nil {
		t.Fatal(err)
	}
	// A spreadsheet's records are curated, not synthetic: the load maintains their aggregates.
	for i := range syn.Enterprises {
		syn.Enterprises[i].Synthetic = false
	}
	for i := range syn.Sites {
		syn.Sites[i].Synthetic = false
	}
	for i := range syn.Supplies {
		syn.Supplies[i].Synthetic = false
	}
	ds := *seedsDS
	ds.Enterprises = append(append([]chainmap.Enterprise(nil), seedsDS.Enterprises...), syn.Enterprises...)
	ds.Sites = append(append([]chainmap.Site(nil), seedsDS.Sites...), syn.Sites...)
	ds.Supplies = append(append([]chainmap.Supply(nil), seedsDS.Supplies...), syn.Supplies...)
	return &ds
}

// TestLoadFigures measures `chainmap load`'s writer (WriteDataset: a first load into an empty graph, then the
// same data again) and a dump's restore (RestoreGraph of the same graph into an empty database), then a first
// load again (its statements planned by then), on the seeds
// and on the seeds plus synthetic firms. It is a measurement, run with CHAINMAP_FIGURES=1; LOAD_FIRMS lists
// the sizes (default "0,10000"; 0 is the seeds alone), LOAD_SUPPLIES_PER_FIRM the supply links per firm
// (default 2).
func TestLoadFigures(t *testing.T) {
	if os.Getenv("CHAINMAP_FIGURES") == "" {
		t.Skip("a measurement: set CHAINMAP_FIGURES=1 to run it")
	}
	sizes := []int{0, 10000}
	if s := os.Getenv("LOAD_FIRMS"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, n)
		}
	}
	perFirm := 2.0
	if s := os.Getenv("LOAD_SUPPLIES_PER_FIRM"); s != "" {
		var err error
		if perFirm, err = strconv.ParseFloat(s, 64); err != nil {
			t.Fatal(err)
		}
	}
	var statements atomic.Int64
	cfg := neo4jtest.Config()
	cfg.OnQuery = func(string) { statements.Add(1) }
	ctx := context.Background()
	seedsDS := seedDataset(t)
	for _, n := range sizes {
		ds := withSynthetic(t, seedsDS, n, perFirm)
		db := neo4jtest.MustOpenDBWith(t, cfg)
		// The last pass moves a segment to another chain map, which changes every firm's aggregate there: the
		// load refreshes every curated firm's.
		moved := *ds
		moved.Segments = slices.Clone(ds.Segments)
		moved.Segments[0].ChainMapID = ds.ChainMaps[len(ds.ChainMaps)-1].ID
		for _, pass := range []string{"first load", "reload", "reload, a segment moved"} {
			statements.Store(0)
			rows := 0
			start := time.Now()
			load := ds
			if pass == "reload, a segment moved" {
				load = &moved
			}
			_, err := db.WriteDataset(ctx, load, chainmap.LoadOptions{Progress: func(p chainmap.Progress) error {
				rows = p.Total
				return nil
			}})
			took := time.Since(start)
			if err != nil {
				t.Fatalf("%d firms, %s: %v", n, pass, err)
			}
			t.Logf("FIGURE load firms=%d supplies=%d %s: %d rows in %s = %.0f rows/s, %d statements",
				n, len(ds.Supplies), pass, rows, took.Round(time.Millisecond), float64(rows)/took.Seconds(), statements.Load())
		}
		g, err := neo4jdb.GraphOf(ds)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteAll(ctx); err != nil {
			t.Fatal(err)
		}
		statements.Store(0)
		start := time.Now()
		if err := db.RestoreGraph(ctx, g, nil); err != nil {
			t.Fatalf("%d firms, restore: %v", n, err)
		}
		took := time.Since(start)
		rows := len(g.Nodes) + len(g.Rels)
		t.Logf("FIGURE restore firms=%d: %d rows in %s = %.0f rows/s, %d statements", n, rows,
			took.Round(time.Millisecond), float64(rows)/took.Seconds(), statements.Load())
		// A first load again, into the emptied graph: what a load costs once Neo4j has planned its statements
		// (the passes above pay for the planning after a Neo4j start).
		if err := db.DeleteAll(ctx); err != nil {
			t.Fatal(err)
		}
		statements.Store(0)
		rows = 0
		start = time.Now()
		if _, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{Progress: func(p chainmap.Progress) error {
			rows = p.Total
			return nil
		}}); err != nil {
			t.Fatalf("%d firms, first load again: %v", n, err)
		}
		took = time.Since(start)
		t.Logf("FIGURE load firms=%d first load again, statements planned: %d rows in %s = %.0f rows/s, %d statements", n, rows,
			took.Round(time.Millisecond), float64(rows)/took.Seconds(), statements.Load())
		fmt.Fprintln(os.Stderr) // keep the figures apart in -v output
	}
}
