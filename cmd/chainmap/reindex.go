package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// reindex rebuilds the maintained aggregates (a firm's exposure, a region's counts per chain map) from the
// graph: after an upgrade that adds one, or to check the maintained values against a fresh computation. It
// applies the schema first, as load and gen do: the rebuild's writes find the aggregates by the indexes it
// declares, and its migrations bring aggregates of an older shape to the current one.
func reindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("reindex", "reindex [flags]", stderr)
	var db neo4jFlags
	db.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	store, err := db.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	start := time.Now()
	firms, regions, err := store.Reindex(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "chainmap: rebuilt the aggregates of %d enterprises and %d region counts in %s\n", firms, regions,
		time.Since(start).Round(time.Millisecond))
	return nil
}
