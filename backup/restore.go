package backup

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb"
)

// Restorer writes a dumped graph into an empty database and replays archived changes on it (neo4jdb.DB).
type Restorer interface {
	RestoreGraph(ctx context.Context, g *chainmap.StoredGraph, progress func(chainmap.Progress) error) error
	ReplayChange(ctx context.Context, entry map[string]any) (applied bool, skipped []string, err error)
}

// RestoreSummary says what a restore did.
type RestoreSummary struct {
	Dump         string // the dump's directory
	DumpSeq      int64  // the change log's position the dump reflects
	SettledSeq   int64  // when set, the dump is exact only once the changes up to it are replayed
	Nodes, Rels  int
	Replayed     int     // archived changes replayed (written back into the change log)
	Applied      int     // of those, the ones whose state was set (the others are load or gen runs)
	LastSeq      int64   // the change log's position after the restore
	NotApplied   []int64 // seqs of replayed changes without a replayable state (load and gen runs)
	Skipped      []string
	ArchiveFirst int64 // the first archived change after the dump, 0 when none
	ArchiveLast  int64 // the last archived change read
}

// Restore loads the dump at dumpPath (a dump directory, or a directory of dumps: the newest) into an empty
// database, then replays the changes archived after the dump's position in the archive directories, in order,
// up to and including the change to (all of them when to is 0). It stops before a change the archives lack,
// returning what it restored with an error wrapping ErrArchiveGap. Changes without a replayable state (a
// `chainmap load` or `gen` run) are written to the change log but not applied: their seqs are in NotApplied,
// and the load or gen should be run again. A dump loaded into a database that holds data is refused
// (chainmap.ErrNotEmpty).
func Restore(ctx context.Context, store Restorer, dumpPath string, archives []string, to int64, log *slog.Logger,
	progress func(chainmap.Progress) error) (RestoreSummary, error) {
	var s RestoreSummary
	ds, dir, err := ReadDump(dumpPath)
	if err != nil {
		return s, err
	}
	s.Dump, s.DumpSeq, s.SettledSeq = dir, ds.Dump.ChangeLogSeq, ds.Dump.SettledSeq
	if to > 0 && to < s.DumpSeq {
		return s, fmt.Errorf("restore to change %d: the dump %s already reflects changes up to %d; restore from an older dump",
			to, dir, s.DumpSeq)
	}
	g, err := neo4jdb.GraphOf(ds)
	if err != nil {
		return s, fmt.Errorf("dump %s: %w", dir, err)
	}
	s.Nodes, s.Rels = len(g.Nodes), len(g.Rels)
	var entries []map[string]any
	if len(archives) > 0 {
		// Read the archive before writing anything: a broken archive should not leave a half restore.
		if entries, err = ReadArchive(archives, s.DumpSeq, to); err != nil {
			return s, err
		}
	}
	if err := store.RestoreGraph(ctx, g, progress); err != nil {
		return s, err
	}
	s.LastSeq = s.DumpSeq
	log.Info("restore: dump loaded", "dump", dir, "changeLogSeq", s.DumpSeq, "nodes", s.Nodes, "relationships", s.Rels)
	if len(entries) > 0 {
		s.ArchiveFirst, _ = entries[0]["seq"].(int64)
		s.ArchiveLast, _ = entries[len(entries)-1]["seq"].(int64)
	}
	for i, e := range entries {
		seq, _ := e["seq"].(int64)
		if seq != s.LastSeq+1 {
			return s, fmt.Errorf("%w: restored up to change %d, but the archives hold no change %d (the next they hold is %d)",
				ErrArchiveGap, s.LastSeq, s.LastSeq+1, seq)
		}
		applied, skipped, err := store.ReplayChange(ctx, e)
		if err != nil {
			return s, fmt.Errorf("restored up to change %d: %w", s.LastSeq, err)
		}
		s.Replayed++
		s.LastSeq = seq
		if applied {
			s.Applied++
		} else {
			s.NotApplied = append(s.NotApplied, seq)
			log.Warn("restore: change has no replayable state (a load or gen run): run it again after the restore",
				"seq", seq, "kind", e["kind"], "operation", e["operation"], "author", e["author"], "at", e["at"])
		}
		for _, sk := range skipped {
			s.Skipped = append(s.Skipped, fmt.Sprintf("change %d: %s", seq, sk))
		}
		if progress != nil {
			if err := progress(chainmap.Progress{Step: "replay", Done: i + 1, Total: len(entries)}); err != nil {
				return s, err
			}
		}
	}
	if s.SettledSeq > s.LastSeq {
		log.Warn("restore: the dump was read while changes committed and the archives do not reach the change that "+
			"makes it exact; records those changes touched may be partly newer", "settledSeq", s.SettledSeq, "restoredTo", s.LastSeq)
	}
	return s, nil
}
