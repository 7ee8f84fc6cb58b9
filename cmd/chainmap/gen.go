package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/seeds"
	"github.com/chainmap/chainmap/synth"
)

func gen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gen", "gen [flags]\n\n"+
		"Generates synthetic enterprises, sites and supply links on the real chain segments and regions, marked\n"+
		"synthetic (label :Synthetic, synthetic: true), deterministic for a seed. It first removes the synthetic data\n"+
		"of earlier runs (and what a failed or killed run left unpublished); curated data is never touched. The new\n"+
		"data is written under a run id and published in one transaction at the end: the API sees all of it or none.\n"+
		"A run too large for one transaction's memory (300,000 firms did not fit a 12 GiB heap) is published\n"+
		"-publish-batch firms at a time instead, each batch whole: the API then sees it grow batch by batch.\n"+
		"Load the curated seeds first (chainmap load).", stderr)
	var (
		// A batch of 10,000 sites ran past 10 s after the removal of an earlier 100,000-firm run (2026-12-02).
		db       = neo4jFlags{batchTimeout: 5 * time.Minute}
		cfg      synth.Config
		seed     uint64
		deleteIt bool
		batch    int
	)
	db.register(fs)
	fs.Uint64Var(&seed, "seed", 1, "random seed; the same seed gives the same graph [GEN_SEED]")
	fs.IntVar(&cfg.Enterprises, "enterprises", 100000, "synthetic enterprises to create [GEN_ENTERPRISES]")
	fs.IntVar(&cfg.Supplies, "supplies", 1000000, "synthetic SUPPLIES relationships to create [GEN_SUPPLIES]")
	fs.Float64Var(&cfg.Exponent, "exponent", 1.2, "power-law exponent of supplier popularity (>1) [GEN_EXPONENT]")
	fs.BoolVar(&deleteIt, "delete", false, "only delete the synthetic data")
	fs.IntVar(&batch, "publish-batch", 0, "publish the run this many firms at a time, each batch in its own transaction (0: the whole run in one) [GEN_PUBLISH_BATCH]")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg.Seed = seed
	if cfg.Exponent <= 1 {
		return fmt.Errorf("-exponent must be greater than 1, got %g", cfg.Exponent)
	}
	if batch < 0 {
		return fmt.Errorf("-publish-batch must be 0 or more, got %d", batch)
	}

	store, err := db.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	start := time.Now()
	bar := newProgress(stderr, "delete synthetic")
	n, err := store.DeleteSynthetic(ctx, bar.update)
	bar.finish(err)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "chainmap: deleted %d synthetic nodes\n", n)
	if deleteIt {
		return nil
	}

	skeleton, err := loader.ParseFS(seeds.FS, ".")
	if err != nil {
		return err
	}
	genStart := time.Now()
	ds, err := synth.Generate(cfg, skeleton)
	if err != nil {
		return err
	}
	genTook := time.Since(genStart)
	writeStart := time.Now()
	bar = newProgress(stderr, "gen")
	err = store.WriteSynthetic(ctx, ds, batch, bar.update)
	bar.finish(err)
	if err != nil && batch == 0 {
		return fmt.Errorf("%w (nothing was published)", err)
	}
	if err != nil {
		return err // it says what batches published
	}
	rels := len(ds.Supplies) + 2*len(ds.Sites)
	for _, e := range ds.Enterprises {
		rels += len(e.SegmentIDs)
	}
	fmt.Fprintf(stdout, "chainmap: generated %d enterprises, %d sites, %d supply links (%d relationships in all) "+
		"with seed %d: generate %s, write %s, total %s\n", len(ds.Enterprises), len(ds.Sites), len(ds.Supplies), rels,
		cfg.Seed, genTook.Round(time.Millisecond), time.Since(writeStart).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	return nil
}
