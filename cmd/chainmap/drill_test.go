//go:build drill

// The backup drills that are too slow or too disruptive for `make test`: run them with `make backup-drill`, which
// gives them a Neo4j instance of their own (they kill it, delete its data, stop and start it).

package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// Without -archive-sync a mutation is acknowledged when it commits, and the archive follows within its poll:
// what the loss of the store costs is at most the changes acknowledged in that lag.
func TestDrillRestoreWithoutArchiveSync(t *testing.T) {
	r := restoreDrill(t, false)
	window := 2 * time.Second // the 200 ms poll, the read and the write, on a busy machine
	if bound := r.ackedWithin(window); len(r.lost) > bound {
		t.Errorf("%d acknowledged changes lost, more than the %d acknowledged in the last %s before the loss: %v",
			len(r.lost), bound, window, r.lost)
	}
	t.Logf("without -archive-sync: %d of %d acknowledged changes lost (%d were acknowledged in the last %s)",
		len(r.lost), r.acked, r.ackedWithin(window), window)
}

// The store-level backup with Neo4j's own tools: neo4j-admin database dump of the stopped database, then load
// over it, gives back the graph, change log position included.
func TestDrillStoreBackupRestore(t *testing.T) {
	neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	if err := run(ctx, append([]string{"load"}, neo4jArgs()...), io.Discard, io.Discard); err != nil {
		t.Fatalf("load: %v", err)
	}
	neo4jtest.Query(t, `MATCH (e:Enterprise) WITH e ORDER BY e.id LIMIT 5 SET e.description = 'before the backup'`, nil)
	before := readGraph(t)
	file := filepath.Join(t.TempDir(), "neo4j.dump")
	start := time.Now()
	neo4jtest.Backup(t, file)
	backupTook := time.Since(start)
	neo4jtest.Query(t, `MATCH (e:Enterprise) WITH e ORDER BY e.id LIMIT 50 DETACH DELETE e`, nil)
	start = time.Now()
	neo4jtest.Restore(t, file)
	restoreTook := time.Since(start)
	if d := chainmap.DiffGraphs(before, readGraph(t), 10); len(d) > 0 {
		t.Fatalf("the graph after neo4j-admin load differs:\n%s", strings.Join(d, "\n"))
	}
	t.Logf("neo4j-admin: backup (stop, dump, start) %s, restore (stop, load, start) %s; %d nodes, %d relationships",
		backupTook.Round(time.Millisecond), restoreTook.Round(time.Millisecond), len(before.Nodes), len(before.Rels))
}
