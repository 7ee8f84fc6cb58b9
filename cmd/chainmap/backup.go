package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/backup"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/neo4jdb"
)

// backupFlags are serve's settings for the scheduled dump and the change archive.
type backupFlags struct {
	dumpEvery   time.Duration
	dumpDir     string
	dumpKeep    int
	archiveDir  string
	archivePoll time.Duration
	archiveSync bool
	archiveWait time.Duration
}

func (f *backupFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&f.dumpEvery, "dump-every", 0, "take a dump this often into -dump-dir (0: never); replicas take turns under a lease in Neo4j [DUMP_EVERY]")
	fs.StringVar(&f.dumpDir, "dump-dir", "dumps", "directory of the scheduled dumps (dump-<time>-seq<n>/, written atomically) [DUMP_DIR]")
	fs.IntVar(&f.dumpKeep, "dump-keep", 7, "scheduled dumps to keep; older ones are removed [DUMP_KEEP]")
	fs.StringVar(&f.archiveDir, "archive", "", "copy the change log into append-only files in this directory, one per replica (\"\": no archive) [ARCHIVE_DIR]")
	fs.DurationVar(&f.archivePoll, "archive-poll", 200*time.Millisecond, "how often the archive reads new changes (mutations of this process wake it at once) [ARCHIVE_POLL]")
	fs.BoolVar(&f.archiveSync, "archive-sync", true, "with -archive: acknowledge a mutation only once the archive holds it [ARCHIVE_SYNC]")
	fs.DurationVar(&f.archiveWait, "archive-wait", 2*time.Second, "with -archive-sync: longest a mutation waits for the archive; past it the client gets UNAVAILABLE (the change may be in the graph: read it back) [ARCHIVE_WAIT]")
}

// startArchive opens the archive and copies the change log into it until ctx is done; nil when there is none.
func (f *backupFlags) startArchive(ctx context.Context, store *neo4jdb.DB, log *slog.Logger) (*backup.Archiver, error) {
	if f.archiveDir == "" {
		return nil, nil
	}
	a, err := backup.OpenArchive(f.archiveDir, store, f.archivePoll, log)
	if err != nil {
		return nil, err
	}
	log.Info("archiving the change log", "dir", f.archiveDir, "last", a.Last(), "poll", f.archivePoll, "sync", f.archiveSync)
	a.Start(ctx)
	return a, nil
}

// startSchedule takes dumps every -dump-every until ctx is done.
func (f *backupFlags) startSchedule(ctx context.Context, store *neo4jdb.DB, log *slog.Logger) {
	if f.dumpEvery <= 0 {
		return
	}
	s := &backup.Schedule{Store: store, Dir: f.dumpDir, Every: f.dumpEvery, Keep: f.dumpKeep, Holder: holderID(), Log: log}
	log.Info("scheduled dumps", "dir", f.dumpDir, "every", f.dumpEvery, "keep", f.dumpKeep, "holder", s.Holder)
	go s.Run(ctx)
}

// holderID names this process in leases: host, pid and a random part (a restarted process is another holder).
func holderID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

// archivedStore acknowledges a mutation only once the archive holds it: after the mutation commits, it reads the
// change log's position (which is at least the mutation's own change) and waits until the archive has copied
// the log that far, at most wait. So a change a client was told succeeded survives the loss of the database.
// When the archive cannot confirm the change in time (it is behind, or the database went away right after the
// commit), the client is not told it succeeded: it gets errNotArchived, and reads the record back before it
// retries, since the change may well be in the graph.
type archivedStore struct {
	*neo4jdb.DB
	archive *backup.Archiver
	wait    time.Duration
	log     *slog.Logger
}

var _ graph.Store = archivedStore{}

var errNotArchived = &chainmap.Error{Code: chainmap.CodeUnavailable,
	Message: "the change was made, but the archive did not confirm it in time, so it could be lost with the database: read the record back before retrying"}

func (s archivedStore) archived(ctx context.Context, method string) error {
	last, _, err := s.DB.ChangeBounds(ctx)
	if err == nil {
		wctx, cancel := context.WithTimeout(ctx, s.wait)
		err = s.archive.WaitFor(wctx, last)
		cancel()
	}
	if err != nil {
		s.log.Warn("a mutation is not acknowledged: the archive did not confirm it", "method", method, "err", err)
		return errNotArchived
	}
	return nil
}

func (s archivedStore) UpsertEnterprise(ctx context.Context, e chainmap.Enterprise, sites []chainmap.Site, replaceSites bool, author string) (chainmap.Enterprise, error) {
	out, err := s.DB.UpsertEnterprise(ctx, e, sites, replaceSites, author)
	if err == nil {
		err = s.archived(ctx, "UpsertEnterprise")
	}
	return out, err
}

func (s archivedStore) UpsertBottleneck(ctx context.Context, b chainmap.Bottleneck, author string) (chainmap.Bottleneck, error) {
	out, err := s.DB.UpsertBottleneck(ctx, b, author)
	if err == nil {
		err = s.archived(ctx, "UpsertBottleneck")
	}
	return out, err
}

func (s archivedStore) SetBottleneckStatus(ctx context.Context, id string, status chainmap.BottleneckStatus, note, author string) (chainmap.Bottleneck, error) {
	out, err := s.DB.SetBottleneckStatus(ctx, id, status, note, author)
	if err == nil {
		err = s.archived(ctx, "SetBottleneckStatus")
	}
	return out, err
}

func (s archivedStore) LinkSupplier(ctx context.Context, sup chainmap.Supply, author string) (chainmap.Supply, error) {
	out, err := s.DB.LinkSupplier(ctx, sup, author)
	if err == nil {
		err = s.archived(ctx, "LinkSupplier")
	}
	return out, err
}

func (s archivedStore) UnlinkSupplier(ctx context.Context, from, to, product, author string) (chainmap.Enterprise, error) {
	out, err := s.DB.UnlinkSupplier(ctx, from, to, product, author)
	if err == nil {
		err = s.archived(ctx, "UnlinkSupplier")
	}
	return out, err
}

func (s archivedStore) RecordTechTransfer(ctx context.Context, t chainmap.TechTransfer, author string) (chainmap.RDLink, error) {
	out, err := s.DB.RecordTechTransfer(ctx, t, author)
	if err == nil {
		err = s.archived(ctx, "RecordTechTransfer")
	}
	return out, err
}
