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
	// A database written by a version without the maintained aggregates gets them once, here.
	missing, err := store.AggregatesMissing(ctx)
	if err != nil || !missing {
		return err
	}
	firms, regions, err := store.Reindex(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "chainmap: built the maintained aggregates of %d enterprises and %d region counts\n", firms, regions)
	return nil
}
