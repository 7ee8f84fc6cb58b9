package neo4jdb_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

func TestChangeLog(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	ctx := context.Background()
	b := chainmap.Bottleneck{ID: "cl-test-b", NameEn: "Change log test", Kind: "GAP", Category: "MATERIAL", Severity: 2,
		SegmentIDs: []string{"h2-fc-stack"}, Provenance: chainmap.Provenance{Confidence: "ILLUSTRATIVE", SourceIDs: []string{"s13"}}}
	if _, err := db.UpsertBottleneck(ctx, b, "ann"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetBottleneckStatus(ctx, b.ID, chainmap.InProgress, "", "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetBottleneckStatus(ctx, b.ID, chainmap.InProgress, "", "bob"); err != nil { // no change: no entry
		t.Fatal(err)
	}
	if _, err := db.SetBottleneckStatus(ctx, b.ID, chainmap.Resolved, "", "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetBottleneckStatus(ctx, b.ID, chainmap.InProgress, "", "bob"); err == nil { // refused: nothing logged
		t.Fatal("RESOLVED → IN_PROGRESS was allowed")
	}
	got, err := db.Changes(ctx, chainmap.ChangeQuery{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []chainmap.ChangeKind
	for i, c := range got {
		kinds = append(kinds, c.Kind)
		if c.Seq != int64(i+1) {
			t.Errorf("change %d has seq %d: want 1, 2, 3… without gaps", i, c.Seq)
		}
		if time.Since(c.At) > time.Minute {
			t.Errorf("change %d at %v", c.Seq, c.At)
		}
	}
	want := []chainmap.ChangeKind{chainmap.ChangeLoad, chainmap.ChangeBottleneck, chainmap.ChangeBottleneckStatus, chainmap.ChangeBottleneckStatus}
	if len(kinds) != len(want) {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("kinds %v, want %v", kinds, want)
		}
	}
	created, status := got[1], got[2]
	if created.Before != "" || created.Author != "ann" || created.RecordID != b.ID || len(created.ChainMapIDs) == 0 {
		t.Errorf("creation = %+v", created)
	}
	var before, after map[string]any
	if err := json.Unmarshal([]byte(status.Before), &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(status.After), &after); err != nil {
		t.Fatal(err)
	}
	if before["status"] != "OPEN" || after["status"] != "IN_PROGRESS" || status.Author != "bob" {
		t.Errorf("status change: before %v, after %v, by %s", before["status"], after["status"], status.Author)
	}

	// Filters, and a cursor.
	only, err := db.Changes(ctx, chainmap.ChangeQuery{After: 2, First: 10, Kinds: []chainmap.ChangeKind{chainmap.ChangeBottleneckStatus},
		ChainMapID: created.ChainMapIDs[0]})
	if err != nil || len(only) != 2 || only[0].Seq != 3 {
		t.Fatalf("filtered changes = %+v, %v", only, err)
	}

	// Retention by count keeps the newest.
	n, err := db.PruneChanges(ctx, chainmap.ChangeRetention{MaxCount: 2})
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2", n, err)
	}
	last, first, err := db.ChangeBounds(ctx)
	if err != nil || last != 4 || first != 3 {
		t.Fatalf("bounds last %d first %d (%v), want 4 and 3", last, first, err)
	}
}
