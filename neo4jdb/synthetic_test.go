package neo4jdb_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/synth"
)

func TestSyntheticDataIsKeptApart(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	seeds := seedDataset(t)
	if _, err := db.WriteDataset(ctx, seeds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	curated := neo4jtest.Snapshot(t)

	ds, err := synth.Generate(synth.Config{Seed: 3, Enterprises: 300, Supplies: 1500}, seeds)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.WriteSynthetic(ctx, ds, 0, nil); err != nil {
		t.Fatal(err)
	}
	rows := neo4jtest.Query(t, `
MATCH (e:Enterprise:Synthetic) WITH count(e) AS enterprises
MATCH (:Enterprise:Synthetic)-[r:SUPPLIES]->(:Enterprise:Synthetic) WITH enterprises, count(r) AS supplies
MATCH (s:Site:Synthetic)-[:LOCATED_IN]->(:Region) RETURN enterprises, supplies, count(s) AS sites`, nil)
	got := [3]int64{rows[0]["enterprises"].(int64), rows[0]["supplies"].(int64), rows[0]["sites"].(int64)}
	want := [3]int64{300, 1500, int64(len(ds.Sites))}
	if got != want {
		t.Errorf("synthetic enterprises, supplies, sites = %v, want %v", got, want)
	}

	// Loading the curated seeds again with -prune leaves the synthetic data alone.
	if _, err := db.WriteDataset(ctx, seeds, chainmap.LoadOptions{Prune: true}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, `MATCH (n:Synthetic) RETURN count(n) AS n`); n != 300+len(ds.Sites) {
		t.Errorf("after a pruning load, %d synthetic nodes, want %d", n, 300+len(ds.Sites))
	}

	deleted, err := db.DeleteSynthetic(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if deleted != 300+len(ds.Sites) {
		t.Errorf("DeleteSynthetic deleted %d nodes, want %d", deleted, 300+len(ds.Sites))
	}
	if after := neo4jtest.Snapshot(t); !reflect.DeepEqual(curated, after) {
		t.Errorf("generating and deleting synthetic data changed the curated graph (%d items before, %d after)", len(curated), len(after))
	}
}

func TestWriteSyntheticNeedsTheSkeleton(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ds, err := synth.Generate(synth.Config{Seed: 1, Enterprises: 100, Supplies: 5}, seedDataset(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.WriteSynthetic(context.Background(), ds, 0, nil); err == nil {
		t.Error("WriteSynthetic on an empty graph succeeded; want an error asking to load the seeds")
	}
}
