package main

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/backup"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// With -archive-sync, a mutation the archive has not confirmed within -archive-wait is not acknowledged: the
// client gets UNAVAILABLE (the change is in the graph, to be read back), never a success the archive cannot
// back. Once the archive runs, the same kind of mutation succeeds.
func TestArchiveSyncDoesNotAcknowledgeWhatTheArchiveLacks(t *testing.T) {
	ctx := context.Background()
	db := neo4jtest.MustOpenDB(t)
	ds := neo4jtest.MustLoadSeeds(t, db)
	quiet := slog.New(slog.DiscardHandler)
	archive, err := backup.OpenArchive(t.TempDir(), db, 20*time.Millisecond, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer archive.Close()
	supply := func(product string) chainmap.Supply {
		return chainmap.Supply{FromID: ds.Enterprises[0].ID, ToID: ds.Enterprises[1].ID, Product: product,
			Provenance: chainmap.Provenance{Confidence: chainmap.Reported, SourceIDs: []string{ds.Sources[0].ID}}}
	}

	stalled := archivedStore{DB: db, archive: archive, wait: 100 * time.Millisecond, log: quiet} // not started: never copies
	_, err = stalled.LinkSupplier(ctx, supply("archive-test-1"), "tester")
	if !errors.Is(err, errNotArchived) || chainmap.ErrorCode(err) != chainmap.CodeUnavailable {
		t.Fatalf("a mutation the archive does not hold: got %v, want UNAVAILABLE (%v)", err, errNotArchived)
	}
	rows := neo4jtest.Query(t, `RETURN EXISTS { ()-[:SUPPLIES {product: 'archive-test-1'}]->() } AS made`, nil)
	if len(rows) != 1 || rows[0]["made"] != true {
		t.Fatalf("the refused acknowledgement should leave the committed change in the graph: %v", rows)
	}

	archive.Start(ctx)
	running := archivedStore{DB: db, archive: archive, wait: 10 * time.Second, log: quiet} // a busy machine: generous
	if _, err := running.LinkSupplier(ctx, supply("archive-test-2"), "tester"); err != nil {
		t.Fatalf("with the archive running: %v", err)
	}
	if archive.Last() < 2 {
		t.Fatalf("the archive ends at change %d after two acknowledged-or-refused changes", archive.Last())
	}
}
