package main

import (
	"context"
	"fmt"
	"io"

	"github.com/chainmap/chainmap/schema"
)

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", "migrate [flags]", stderr)
	var db neo4jFlags
	db.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	store, err := db.open(ctx, nil)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	n, err := store.Migrate(ctx, schema.Cypher)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "chainmap: applied %d schema statements to %s\n", n, db.uri)
	// A database written by a version without the maintained aggregates, or with some the schema's migration
	// could not rename, gets them rebuilt once, here.
	stale, err := store.AggregatesStale(ctx)
	if err != nil || !stale {
		return err
	}
	firms, regions, err := store.Reindex(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "chainmap: built the maintained aggregates of %d enterprises and %d region counts\n", firms, regions)
	return nil
}
