package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/chainmap/chainmap/backup"
)

func dumpCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("dump", "dump [-o DIR] [-force] [flags]\n\n"+
		"Writes the whole graph — curated records, records made or changed through the API with who and when,\n"+
		"status histories, synthetic data, and the change log's position — as seed files into DIR, which\n"+
		"`chainmap load DIR` reads back into an empty database as the same graph. The files are sorted and\n"+
		"formatted the same way every time, so two dumps diff cleanly. The dump is read back and compared with\n"+
		"the graph before it is written; it is written into a temporary directory and renamed, so DIR is\n"+
		"complete or absent.", stderr)
	var (
		db        neo4jFlags
		out       string
		force     bool
		logFormat string
	)
	db.register(fs)
	fs.StringVar(&out, "o", "", "directory to write (default dump-<UTC time> in the current directory); it must not exist unless -force")
	fs.BoolVar(&force, "force", false, "replace DIR if it exists")
	fs.StringVar(&logFormat, "log-format", "text", "log format: text or json [LOG_FORMAT]")
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := newLogger(stderr, logFormat, "warn")
	if err != nil {
		return err
	}
	if out == "" {
		out = "dump-" + time.Now().UTC().Format("20060102T150405Z")
	}
	store, err := db.open(ctx, nil)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	bar := newProgress(stderr, "dump")
	sum, err := backup.DumpTo(ctx, store, out, force, log, bar.update)
	bar.finish(err)
	if errors.Is(err, backup.ErrExists) {
		return fmt.Errorf("%w (pass -force to replace it, or -o another directory)", err)
	}
	if err != nil {
		return err
	}
	form := "seed records"
	if sum.Generic {
		form = "nodes and relationships (the records did not read back as seed records; see the warning above)"
	}
	fmt.Fprintf(stdout, "chainmap: dumped %d nodes and %d relationships at change %d into %s: %d files, %d bytes, as %s, in %s\n",
		sum.Nodes, sum.Rels, sum.ChangeLogSeq, out, sum.Files, sum.Bytes, form, sum.Took.Round(time.Millisecond))
	if sum.SettledSeq != 0 {
		fmt.Fprintf(stdout, "chainmap: changes committed while the graph was read; the dump is exact once the archived "+
			"changes up to %d are replayed on it (chainmap restore)\n", sum.SettledSeq)
	}
	return nil
}

func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("restore", "restore [-to SEQ] [flags] DUMP [ARCHIVE...]\n\n"+
		"Restores the graph into an empty database: loads the dump DUMP (a directory `chainmap dump` wrote, or a\n"+
		"directory of dumps, such as `serve -dump-dir`: the newest), then replays the changes archived after\n"+
		"the dump's change-log position from the archive directories (`serve -archive`; several are copies of\n"+
		"one log), in order, up to and including change SEQ when -to is given. It stops before a change the\n"+
		"archives lack. `chainmap load` and `gen` runs in the archive are logged, not replayed: run them again.", stderr)
	var (
		db        neo4jFlags
		to        int64
		logFormat string
	)
	db.register(fs)
	fs.Int64Var(&to, "to", 0, "replay the archived changes up to and including this seq (0: all)")
	fs.StringVar(&logFormat, "log-format", "text", "log format: text or json [LOG_FORMAT]")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 {
		fs.Usage()
		return errUsage
	}
	log, err := newLogger(stderr, logFormat, "info")
	if err != nil {
		return err
	}
	store, err := db.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	start := time.Now()
	bar := newProgress(stderr, "restore")
	sum, err := backup.Restore(ctx, store, fs.Arg(0), fs.Args()[1:], to, log, bar.update)
	bar.finish(err)
	if sum.Dump != "" && sum.Nodes > 0 {
		fmt.Fprintf(stdout, "chainmap: restored %s (%d nodes, %d relationships, change %d) and replayed %d archived changes "+
			"(%d applied); the change log is at %d, in %s\n", sum.Dump, sum.Nodes, sum.Rels, sum.DumpSeq, sum.Replayed, sum.Applied,
			sum.LastSeq, time.Since(start).Round(time.Millisecond))
	}
	if len(sum.NotApplied) > 0 {
		fmt.Fprintf(stdout, "chainmap: changes %s are load or gen runs, which the archive cannot replay: run them again\n",
			joinSeqs(sum.NotApplied))
	}
	if len(sum.Skipped) > 0 {
		fmt.Fprintf(stdout, "chainmap: %d relationships to nodes the restored graph lacks were left out, e.g. %s\n",
			len(sum.Skipped), sum.Skipped[0])
	}
	return err
}

func joinSeqs(seqs []int64) string {
	s := make([]string, len(seqs))
	for i, n := range seqs {
		s[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(s, ", ")
}
