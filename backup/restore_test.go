package backup_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/backup"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// sameGraph fails the test when got is not want.
func sameGraph(t *testing.T, what string, want, got *chainmap.StoredGraph) {
	t.Helper()
	if d := chainmap.DiffGraphs(want, got, 20); len(d) > 0 {
		t.Fatalf("%s differs from the graph it should be:\n%s", what, strings.Join(d, "\n"))
	}
}

// A restore is the last dump plus a replay of the archived changes after it: it gives the graph as it was
// after the last archived change, or after a chosen one; and replaying over a dump that already reflects some
// of the changes (one read while editors wrote) gives the same graph.
func TestRestoreReplaysTheArchive(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	e := seedsAndEdits(t, db, 20)
	archive := filepath.Join(t.TempDir(), "archive")
	a, err := backup.OpenArchive(archive, db, 50*time.Millisecond, quiet)
	if err != nil {
		t.Fatal(err)
	}
	a.Start(ctx)
	defer a.Close()

	files, sum, err := backup.Dump(ctx, db, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	dumps := t.TempDir()
	first := filepath.Join(dumps, backup.DumpName(time.Now(), sum.ChangeLogSeq))
	if err := backup.WriteDir(first, files); err != nil {
		t.Fatal(err)
	}
	e.run(t, 15)
	mid := graphOf(t, db)
	e.run(t, 15)
	end := graphOf(t, db)
	if tombstones(end) <= tombstones(mid) || tombstones(mid) == 0 {
		t.Fatalf("tombstones: %d at the middle, %d at the end: the replayed changes should make some", tombstones(mid), tombstones(end))
	}
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := a.WaitFor(wait, end.ChangeLogSeq); err != nil {
		t.Fatal(err)
	}

	// A dump that reflects every change but claims the first dump's position, as a dump read while the 30
	// changes committed could.
	late := graphOf(t, db)
	late.ChangeLogSeq = sum.ChangeLogSeq
	lateFiles, _, err := backup.Encode(late, quiet)
	if err != nil {
		t.Fatal(err)
	}
	lateDir := filepath.Join(t.TempDir(), "late")
	if err := backup.WriteDir(lateDir, lateFiles); err != nil {
		t.Fatal(err)
	}

	restore := func(dump string, to int64) backup.RestoreSummary {
		t.Helper()
		if err := db.DeleteAll(ctx); err != nil {
			t.Fatal(err)
		}
		s, err := backup.Restore(ctx, db, dump, []string{archive}, to, quiet, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := restore(dumps, 0) // a directory of dumps: the newest
	sameGraph(t, "the restore of the dump and the whole archive", end, graphOf(t, db))
	if s.Replayed != 30 || s.Applied != 30 || s.LastSeq != end.ChangeLogSeq {
		t.Errorf("replayed %d (applied %d) up to %d; want 30 up to %d", s.Replayed, s.Applied, s.LastSeq, end.ChangeLogSeq)
	}
	log, err := db.Changes(ctx, chainmap.ChangeQuery{After: 0, First: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 30 || log[0].Seq != sum.ChangeLogSeq+1 || log[29].Seq != end.ChangeLogSeq {
		t.Errorf("the restored change log holds %d changes, want the 30 after the dump, in order", len(log))
	}
	e.run(t, 1) // editors carry on: the log goes on from where it was
	if last, _, _ := db.ChangeBounds(ctx); last != end.ChangeLogSeq+1 {
		t.Errorf("the next change after the restore is %d, want %d", last, end.ChangeLogSeq+1)
	}

	restore(first, mid.ChangeLogSeq)
	sameGraph(t, "the restore up to a chosen change", mid, graphOf(t, db))

	restore(lateDir, end.ChangeLogSeq)
	sameGraph(t, "the replay over a dump that already reflects the changes", end, graphOf(t, db))

	// A gap in the archive: the restore stops before it, and says so.
	segs, _ := filepath.Glob(filepath.Join(archive, "changes-*.jsonl"))
	data, _ := os.ReadFile(segs[0])
	missing := sum.ChangeLogSeq + 5
	var kept []string
	for _, l := range strings.SplitAfter(string(data), "\n") {
		if !strings.Contains(l, fmt.Sprintf(`"seq":%d,`, missing)) && !strings.Contains(l, fmt.Sprintf(`"seq":%d}`, missing)) {
			kept = append(kept, l)
		}
	}
	cut := filepath.Join(t.TempDir(), "cut")
	os.MkdirAll(cut, 0o755)
	os.WriteFile(filepath.Join(cut, filepath.Base(segs[0])), []byte(strings.Join(kept, "")), 0o644)
	db.DeleteAll(ctx)
	s, err = backup.Restore(ctx, db, first, []string{cut}, 0, quiet, nil)
	if !errors.Is(err, backup.ErrArchiveGap) || s.LastSeq != missing-1 {
		t.Errorf("restore over a gap: %v, restored to %d; want ErrArchiveGap at %d", err, s.LastSeq, missing-1)
	}
	// And a restore into a database with data is refused.
	if _, err := backup.Restore(ctx, db, first, nil, 0, quiet, nil); !errors.Is(err, chainmap.ErrNotEmpty) {
		t.Errorf("restore into a database with data: %v, want ErrNotEmpty", err)
	}
}

func tombstones(g *chainmap.StoredGraph) int {
	n := 0
	for _, node := range g.Nodes {
		if chainmap.KindLabel(node.Labels) == "Deleted" {
			n++
		}
	}
	return n
}

// slowReader makes each read of the graph last a while and records when reads overlap.
type slowReader struct {
	*neo4jdb.DB
	mu         sync.Mutex
	running    int
	overlapped bool
	reads      int
}

func (s *slowReader) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads
}

func (s *slowReader) ReadGraph(ctx context.Context, p func(chainmap.Progress) error) (*chainmap.StoredGraph, error) {
	s.mu.Lock()
	s.running++
	s.reads++
	if s.running > 1 {
		s.overlapped = true
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.running--
		s.mu.Unlock()
	}()
	time.Sleep(300 * time.Millisecond)
	return s.DB.ReadGraph(ctx, p)
}

// Replicas running the schedule over one database and directory never dump at once, take one dump per
// interval between them, write complete dumps only, and keep the newest.
func TestScheduledDumpsTakeTurns(t *testing.T) {
	db := openDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	ctx := context.Background()
	dir := t.TempDir()
	store := &slowReader{DB: db}
	replica := func(name string, every time.Duration) *backup.Schedule {
		return &backup.Schedule{Store: store, Dir: dir, Every: every, Keep: 2, Holder: name, Log: quiet, TTL: 3 * time.Second}
	}

	// Two replicas whose timers fire together: one dump.
	var wg sync.WaitGroup
	took := make([]string, 2)
	for i, name := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := replica(name, time.Hour).RunOnce(ctx)
			if err != nil {
				t.Error(err)
			}
			took[i] = d
		}()
	}
	wg.Wait()
	if (took[0] == "") == (took[1] == "") {
		t.Fatalf("replicas firing together took dumps %q and %q, want exactly one", took[0], took[1])
	}
	if d, _ := replica("c", time.Hour).RunOnce(ctx); d != "" {
		t.Errorf("a third replica dumped again within the hour: %s", d)
	}

	// Run with a short interval until four more dumps are taken: they keep coming, one at a time.
	run, stop := context.WithTimeout(ctx, 2*time.Minute)
	defer stop()
	before := store.count()
	for _, name := range []string{"a", "b", "c"} {
		s := replica(name, 300*time.Millisecond)
		s.Check = 100 * time.Millisecond
		wg.Add(1)
		go func() { defer wg.Done(); s.Run(run) }()
	}
	for store.count() < before+4 && run.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	wg.Wait()
	if store.overlapped {
		t.Error("two replicas read the graph for a dump at the same time")
	}
	if n := store.count() - before; n < 4 {
		t.Errorf("%d dumps in 2 minutes with a 0.3 s interval", n)
	}
	dumps, err := backup.Dumps(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(dumps) != 2 {
		t.Errorf("%d dumps kept, want the newest 2", len(dumps))
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "dump-") {
			t.Errorf("left behind in the dump directory: %s", e.Name())
		}
	}
	for _, d := range dumps {
		if _, _, err := backup.ReadDump(d); err != nil {
			t.Errorf("dump %s does not read back: %v", d, err)
		}
	}
}
