package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/seeds"
)

func load(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("load", "load [-dry-run] [-if-empty] [-reset] [-prune [-max-prune SHARE] [-force]] [flags] [PATH...]\n\n"+
		"Validates the seed files (YAML and CSV) at each PATH (a file or a folder; the embedded seeds/ when none is\n"+
		"given) and writes them to Neo4j in one transaction. Nothing is written if any file has a problem. Files are\n"+
		"capped at 5 MB; names at 200 characters, descriptions and other texts at 4,000 (characters, as the API\n"+
		"counts them, not bytes), with no control characters: the API's rules. -prune refuses, writing\n"+
		"nothing, when the files hold no records, when it would delete more than -max-prune of the curated nodes,\n"+
		"or when records created through the API or by gen refer to a node it would delete; -force overrides.\n"+
		"A load never undoes an editor's change: fields editors set on curated records keep the editors' values and\n"+
		"records they deleted stay deleted; the load lists the edited fields whose seed value changed since the edit.\n"+
		"-reset puts the seed values back, writing each reset into the change log and the status history.\n"+
		"Spreadsheets (CSV, XLSX: the exports, edited) load with the seed files: a row whose id the seeds define\n"+
		"updates that record, a new id adds one. PATHs holding spreadsheets only are loaded over the embedded seeds.\n"+
		"Files that hold a changeLog entry are a dump (chainmap dump): they load only into an empty database, as\n"+
		"the graph they were taken from.", stderr)
	var (
		db                   neo4jFlags
		dryRun, prune, force bool
		reset, ifEmpty       bool
		maxPrune             float64
	)
	db.register(fs)
	fs.BoolVar(&dryRun, "dry-run", false, "validate only; do not connect to Neo4j")
	fs.BoolVar(&prune, "prune", false, "remove curated records the files no longer contain (never synthetic data)")
	fs.Float64Var(&maxPrune, "max-prune", chainmap.DefaultMaxPrune, "largest share of the curated nodes -prune may delete")
	fs.BoolVar(&force, "force", false, "prune even an empty data set, more than -max-prune, or nodes API records refer to")
	fs.BoolVar(&reset, "reset", false, "put the seed values back where editors changed curated records (logged as changes)")
	fs.BoolVar(&ifEmpty, "if-empty", false, "load only into a graph without curated records (the compose loader's first start)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if maxPrune <= 0 || maxPrune > 1 {
		return fmt.Errorf("-max-prune must be in (0, 1], got %g", maxPrune)
	}
	files, err := readSeeds(fs.Args())
	if err != nil {
		return err
	}
	ds, err := loader.Parse(files)
	if err != nil {
		return err
	}
	if dryRun {
		fmt.Fprintf(stdout, "chainmap: %d files are valid: %s\n", len(files), describe(ds))
		return nil
	}
	if ds.Dump != nil {
		if prune || force || reset {
			return fmt.Errorf("the files are a dump (they have a changeLog entry), which loads only into an empty database: " +
				"-prune, -force and -reset do not apply")
		}
		return loadDump(ctx, db, ds, ifEmpty, stdout, stderr)
	}

	store, err := db.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if ifEmpty {
		has, err := store.HasCurated(ctx)
		if err != nil {
			return err
		}
		if has {
			fmt.Fprintln(stdout, "chainmap: the graph already holds curated records; not loading (-if-empty)")
			return nil
		}
	}
	bar := newProgress(stderr, "load")
	summary, err := store.WriteDataset(ctx, ds, chainmap.LoadOptions{Prune: prune, MaxPrune: maxPrune,
		Force: force, Reset: reset, Progress: bar.update})
	bar.finish(err)
	if err != nil {
		return fmt.Errorf("load: %w (nothing was written)", err)
	}
	printSummary(stdout, summary)
	return nil
}

// loadDump writes a dump into an empty database: the graph it was taken from, node for node.
// With ifEmpty, a database that holds data is left as it is.
func loadDump(ctx context.Context, db neo4jFlags, ds *chainmap.Dataset, ifEmpty bool, stdout, stderr io.Writer) error {
	g, err := neo4jdb.GraphOf(ds)
	if err != nil {
		return err
	}
	store, err := db.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	bar := newProgress(stderr, "load dump")
	err = store.RestoreGraph(ctx, g, bar.update)
	bar.finish(err)
	if ifEmpty && errors.Is(err, chainmap.ErrNotEmpty) {
		fmt.Fprintln(stdout, "chainmap: the database holds data; not loading the dump (-if-empty)")
		return nil
	}
	if err != nil {
		return fmt.Errorf("load dump: %w (nothing was kept)", err)
	}
	fmt.Fprintf(stdout, "chainmap: loaded a dump: %d nodes, %d relationships; the change log is at %d\n",
		len(g.Nodes), len(g.Rels), g.ChangeLogSeq)
	return nil
}

// readSeeds reads the seed files at the paths, or the embedded seeds when there is none. When the paths hold
// spreadsheets only (an export edited in Excel), the embedded seeds come first: the rows update their records.
func readSeeds(paths []string) ([]loader.File, error) {
	if len(paths) == 0 {
		return loader.ReadFS(seeds.FS, ".")
	}
	files, err := readPaths(paths)
	if err != nil || len(files) == 0 {
		return files, err
	}
	for _, f := range files {
		if ext := strings.ToLower(filepath.Ext(f.Name)); ext != ".csv" && ext != ".xlsx" {
			return files, nil
		}
	}
	base, err := loader.ReadFS(seeds.FS, ".")
	if err != nil {
		return nil, err
	}
	return append(base, files...), nil
}

func readPaths(paths []string) ([]loader.File, error) {
	var files []loader.File
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			f, err := loader.ReadFile(p)
			if err != nil {
				return nil, err
			}
			files = append(files, f)
			continue
		}
		dir, err := loader.ReadFS(os.DirFS(p), ".")
		if err != nil {
			return nil, err
		}
		for _, f := range dir {
			f.Name = filepath.Join(p, f.Name)
			files = append(files, f)
		}
	}
	return files, nil
}

func describe(ds *chainmap.Dataset) string {
	return fmt.Sprintf("%d sources, %d regions, %d chain maps, %d segments, %d enterprises, %d sites, %d institutions, "+
		"%d parks, %d bottlenecks, %d tech transfers, %d supply links, %d indicators",
		len(ds.Sources), len(ds.Regions), len(ds.ChainMaps), len(ds.Segments), len(ds.Enterprises), len(ds.Sites),
		len(ds.Institutions), len(ds.Parks), len(ds.Bottlenecks), len(ds.TechTransfers), len(ds.Supplies), len(ds.Indicators))
}

func printSummary(w io.Writer, s chainmap.LoadSummary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kind\tcreated\tupdated\tunchanged\tremoved\t")
	for _, c := range append(s.Counts, s.Total()) {
		if c.Created+c.Updated+c.Unchanged+c.Removed == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", c.Kind, c.Created, c.Updated, c.Unchanged, c.Removed)
	}
	tw.Flush()
	if s.Reset > 0 {
		fmt.Fprintf(w, "reset %d edited records to the seed files (each in the change log)\n", s.Reset)
	}
	if s.Kept > 0 {
		fmt.Fprintf(w, "kept %d fields editors set (load -reset puts the seed values back)\n", s.Kept)
	}
	if len(s.Conflicts) > 0 {
		fmt.Fprintf(w, "%d edited fields changed in the seed files since the edit (the editor's value was kept):\n", len(s.Conflicts))
		for _, c := range s.Conflicts {
			fmt.Fprintf(w, "  %s %s.%s: seed was %s, is now %s; %s set %s on %s\n", c.Kind, c.ID, c.Field, orNone(c.SeedThen),
				orNone(c.SeedNow), c.By, orNone(c.Value), c.At)
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
