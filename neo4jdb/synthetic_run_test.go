package neo4jdb_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/synth"
)

// A synthetic run is all-or-nothing as the API sees it (issue 9, item 7): while it is written, and after it
// fails, readers see no synthetic enterprise or site; the failed run's nodes are gone.
func TestSyntheticRunIsAllOrNothing(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	seeds := seedDataset(t)
	if _, err := db.WriteDataset(ctx, seeds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	curated := neo4jtest.Snapshot(t)
	visible := func() int {
		return count(t, `MATCH (n) WHERE n:Enterprise OR n:Site RETURN count(n) AS n`)
	}
	before := visible()
	ds, err := synth.Generate(synth.Config{Seed: 5, Enterprises: 200, Supplies: 1000}, seeds)
	if err != nil {
		t.Fatal(err)
	}

	// Fail in the middle of the supplies, as a kill or a lost connection would: readers never saw the run.
	stop := errors.New("stop here")
	var seenDuring int
	err = db.WriteSynthetic(ctx, ds, 0, func(p chainmap.Progress) error {
		if p.Step == "supplies" {
			seenDuring = visible()
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("WriteSynthetic: %v, want the progress error", err)
	}
	if seenDuring != before {
		t.Errorf("while the run was written, readers saw %d enterprises and sites, want the %d curated ones", seenDuring, before)
	}
	if after := neo4jtest.Snapshot(t); len(after) != len(curated) {
		t.Errorf("a failed run left %d nodes and relationships, want the %d curated ones", len(after), len(curated))
	}

	// What a killed run leaves (pending nodes, no cleanup) is invisible, and DeleteSynthetic removes it.
	neo4jtest.Query(t, `MATCH (s:Segment) WITH s LIMIT 1
		CREATE (:SyntheticPending {id: 'syn-e999999', run: 'killed', pendingAs: 'Enterprise', synthetic: true, origin: 'gen'})
		  -[:ACTIVE_IN {origin: 'gen', synthetic: true}]->(s)`, nil)
	if visible() != before {
		t.Error("a pending node is visible as an enterprise")
	}
	if n, err := db.DeleteSynthetic(ctx, nil); err != nil || n != 1 {
		t.Errorf("DeleteSynthetic = %d, %v, want 1 pending node removed", n, err)
	}

	// A run that completes is published whole.
	if err := db.WriteSynthetic(ctx, ds, 0, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := visible(), before+len(ds.Enterprises)+len(ds.Sites); got != want {
		t.Errorf("after the run, %d enterprises and sites, want %d", got, want)
	}
	if n := count(t, `MATCH (n:SyntheticPending) RETURN count(n) AS n`); n != 0 {
		t.Errorf("%d pending nodes after a published run", n)
	}
	if n := count(t, `MATCH (n:Synthetic) WHERE NOT n:Record OR NOT (n:Enterprise OR n:Site) RETURN count(n) AS n`); n != 0 {
		t.Errorf("%d published synthetic nodes without :Record or a domain label", n)
	}
	if n := count(t, `MATCH (e:Enterprise:Synthetic) WHERE NOT EXISTS { (e)-[:OPERATES]->(:Site) } RETURN count(e) AS n`); n != 0 {
		t.Errorf("%d published synthetic enterprises without a site", n)
	}
}

// A run published in batches (gen -publish-batch) is published whole in the end, with its aggregates: each batch
// maintains its firms', and a customer published before its supplier is refreshed when the supplier is. Readers
// see the run grow one batch at a time, and the change log holds one entry for the run.
func TestSyntheticRunPublishedInBatches(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	seeds := seedDataset(t)
	if _, err := db.WriteDataset(ctx, seeds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	firms := func() int { return count(t, `MATCH (e:Enterprise:Synthetic) RETURN count(e) AS n`) }
	ds, err := synth.Generate(synth.Config{Seed: 9, Enterprises: 230, Supplies: 1200, Exponent: 1.2}, seeds)
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	if err := db.WriteSynthetic(ctx, ds, 50, func(p chainmap.Progress) error {
		if p.Step == "publish" {
			seen = append(seen, firms())
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 50, 100, 150, 200, 230}; !slices.Equal(seen, want) { // as it starts, then after each batch
		t.Errorf("synthetic firms seen after each batch %v, want %v", seen, want)
	}
	if n := count(t, `MATCH (n:SyntheticPending) RETURN count(n) AS n`); n != 0 {
		t.Errorf("%d pending nodes after a published run", n)
	}
	if got, want := count(t, `MATCH (n:Synthetic) WHERE n:Enterprise OR n:Site RETURN count(n) AS n`), len(ds.Enterprises)+len(ds.Sites); got != want {
		t.Errorf("%d synthetic enterprises and sites published, want %d", got, want)
	}
	if got := count(t, `MATCH (c:Change {operation: 'gen'}) RETURN count(c) AS n`); got != 1 {
		t.Errorf("%d change log entries for the run, want 1", got)
	}
	checkAggregates(t, "after a run published in batches")
}
