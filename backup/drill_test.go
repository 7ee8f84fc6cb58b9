//go:build drill

// Figures of dumps at scale, too slow for `make test`: run them with `make backup-drill`.

package backup_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/backup"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/synth"
)

// peakRSS returns the process's peak resident memory since the last resetPeak (VmHWM), in MB.
func peakRSS(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "VmHWM:" {
			var kb int
			fmt.Sscan(f[1], &kb)
			return kb >> 10
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// resetPeak starts measuring the peak resident memory anew (Linux: clear_refs 5), after a collection has
// returned what it can to the system.
func resetPeak(t *testing.T) {
	t.Helper()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Logf("cannot reset the peak resident memory (%v): peaks below are since the process started", err)
	}
}

// dumpFigures dumps the test graph into a directory as `chainmap dump` does, loads it back into the emptied
// database as `chainmap load DIR` does, and compares the graph before and after by fingerprint, logging the
// times, sizes and each phase's peak resident memory. Only one phase's memory is held at a time: the graph
// before is read, fingerprinted and dropped before the dump starts.
func dumpFigures(t *testing.T, db *neo4jdb.DB, what string) {
	t.Helper()
	ctx := context.Background()
	resetPeak(t)
	start := time.Now()
	before := chainmap.PrintOf(graphOf(t, db))
	readTook, readPeak := time.Since(start), peakRSS(t)

	resetPeak(t)
	dir := filepath.Join(t.TempDir(), "dump")
	start = time.Now()
	sum, err := backup.DumpTo(ctx, db, dir, false, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	dumpTook, dumpPeak := time.Since(start), peakRSS(t)
	if sum.Generic {
		t.Error("the dump fell back to nodes and relationships")
	}
	var ondisk int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			ondisk += fi.Size()
		}
		return nil
	})
	if err := db.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}

	resetPeak(t)
	start = time.Now()
	ds, _, err := backup.ReadDump(dir)
	if err != nil {
		t.Fatal(err)
	}
	g, err := neo4jdb.GraphOf(ds)
	if err != nil {
		t.Fatal(err)
	}
	ds = nil
	parseTook := time.Since(start)
	start = time.Now()
	if err := db.RestoreGraph(ctx, g, nil); err != nil {
		t.Fatal(err)
	}
	loadTook, loadPeak := time.Since(start), peakRSS(t)
	g = nil

	resetPeak(t)
	after := chainmap.PrintOf(graphOf(t, db))
	if d := before.Diff(after); d != "" {
		t.Fatalf("%s: the restored graph differs: %s", what, d)
	}
	t.Logf("%s: round trip equal (fingerprints of %d nodes and %d relationships, change log at %d). "+
		"Graph read and fingerprinted in %s, peak RSS %d MB. Dump (read, encode, prove, write): %s, %d files, %.1f MB "+
		"(%.1f MB on disk), peak RSS %d MB. Load back: parse %s, write %s, peak RSS %d MB.", what,
		before.Nodes, before.Rels, sum.ChangeLogSeq, readTook.Round(time.Millisecond), readPeak,
		dumpTook.Round(time.Millisecond), sum.Files, float64(sum.Bytes)/1e6, float64(ondisk)/1e6, dumpPeak,
		parseTook.Round(time.Millisecond), loadTook.Round(time.Millisecond), loadPeak)
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
	// Writing 100,000 firms takes minutes of one transaction per kind; on a shared machine more than openDB's 5.
	cfg := neo4jtest.Config()
	cfg.QueryTimeout = 30 * time.Minute
	db := neo4jtest.MustOpenDBWith(t, cfg)
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
	if err := db.WriteSynthetic(context.Background(), syn, 0, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("gen: %d firms, %d sites, %d supply links in %s", len(syn.Enterprises), len(syn.Sites), len(syn.Supplies),
		time.Since(start).Round(time.Millisecond))
	syn = nil
	newEditor(t, db).run(t, 100)
	dumpFigures(t, db, "seeds + synthetic firms + 100 edits")
}
