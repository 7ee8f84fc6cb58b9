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
	return nil
}
