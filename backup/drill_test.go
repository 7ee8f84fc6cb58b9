//go:build drill

// Figures of dumps at scale, too slow for `make test`: run them with `make backup-drill`.

package backup_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/backup"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/synth"
)

// dumpFigures dumps the test graph, restores it into the emptied database and compares, logging the times
// and sizes.
func dumpFigures(t *testing.T, db *neo4jdb.DB, what string) {
	t.Helper()
	ctx := context.Background()
	start := time.Now()
	before := graphOf(t, db)
	readTook := time.Since(start)
	start = time.Now()
	files, sum, err := backup.Dump(ctx, db, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	dumpTook := time.Since(start)
	if sum.Generic {
		t.Error("the dump fell back to nodes and relationships")
	}
	dir := filepath.Join(t.TempDir(), "dump")
	start = time.Now()
	if err := backup.WriteDir(dir, files); err != nil {
		t.Fatal(err)
	}
	writeTook := time.Since(start)
	files = nil
	runtime.GC()
	if err := db.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	ds, _, err := backup.ReadDump(dir)
	if err != nil {
		t.Fatal(err)
	}
	g, err := neo4jdb.GraphOf(ds)
	if err != nil {
		t.Fatal(err)
	}
	parseTook := time.Since(start)
	start = time.Now()
	if err := db.RestoreGraph(ctx, g, nil); err != nil {
		t.Fatal(err)
	}
	loadTook := time.Since(start)
	if d := chainmap.DiffGraphs(before, graphOf(t, db), 20); len(d) > 0 {
		t.Fatalf("%s: the restored graph differs:\n%s", what, strings.Join(d, "\n"))
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%s: round trip equal — %d nodes, %d relationships, change log at %d. Dump: read %s (graph alone %s), "+
		"encode and prove %s, write %s: %d files, %.1f MB. Load: parse %s, write %s. Peak Go heap %d MB.", what,
		sum.Nodes, sum.Rels, sum.ChangeLogSeq, dumpTook.Round(time.Millisecond), readTook.Round(time.Millisecond),
		(dumpTook - readTook).Round(time.Millisecond), writeTook.Round(time.Millisecond), sum.Files, float64(sum.Bytes)/1e6,
		parseTook.Round(time.Millisecond), loadTook.Round(time.Millisecond), ms.Sys>>20)
}

// The seeds and 1,000 editors' changes of every kind through the store.
func TestDrillDumpWithThousandEdits(t *testing.T) {
	db := openDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	start := time.Now()
	newEditor(t, db).run(t, 1000)
	t.Logf("1,000 edits in %s", time.Since(start).Round(time.Millisecond))
	dumpFigures(t, db, "seeds + 1,000 edits")
}

// The seeds and 100,000 synthetic firms with gen's defaults (1,000,000 supply links), and 100 edits.
func TestDrillDumpHundredThousandFirms(t *testing.T) {
	db := openDB(t)
	ds := neo4jtest.MustLoadSeeds(t, db)
	n := 100000
	if s := os.Getenv("DRILL_FIRMS"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			t.Fatal(err)
		}
	}
	syn, err := synth.Generate(synth.Config{Seed: 1, Enterprises: n, Supplies: 10 * n, Exponent: 1.2}, ds)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := db.WriteSynthetic(context.Background(), syn, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("gen: %d firms, %d sites, %d supply links in %s", len(syn.Enterprises), len(syn.Sites), len(syn.Supplies),
		time.Since(start).Round(time.Millisecond))
	syn = nil
	newEditor(t, db).run(t, 100)
	dumpFigures(t, db, "seeds + synthetic firms + 100 edits")
}
