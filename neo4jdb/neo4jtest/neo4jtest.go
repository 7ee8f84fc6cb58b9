// Package neo4jtest connects tests to the real Neo4j that `make test` starts (a separate instance from the one
// `make run` serves, so tests never wipe that data). A test that needs Neo4j fails — never skips — when it
// cannot reach it.
package neo4jtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/schema"
	"github.com/chainmap/chainmap/seeds"

	"github.com/chainmap/chainmap"
)

// Config returns the connection settings of the test instance: CHAINMAP_TEST_NEO4J_URI and
// CHAINMAP_TEST_NEO4J_PASSWORD, by default the instance that `make test` starts.
func Config() neo4jdb.Config {
	return neo4jdb.Config{
		URI:            env("CHAINMAP_TEST_NEO4J_URI", "bolt://127.0.0.1:7688"),
		User:           "neo4j",
		Password:       env("CHAINMAP_TEST_NEO4J_PASSWORD", "chainmap-test"),
		Database:       "neo4j",
		ConnectTimeout: 10 * time.Second,
		QueryTimeout:   30 * time.Second,
	}
}

// MustOpenDB connects to the test Neo4j, applies the schema, deletes every node, and closes the connection
// when the test ends. Store tests share one database, so they must not run in parallel.
func MustOpenDB(tb testing.TB) *neo4jdb.DB {
	tb.Helper()
	return MustOpenDBWith(tb, Config())
}

// MustOpenDBWith is MustOpenDB with a changed configuration (e.g. an OnQuery hook).
func MustOpenDBWith(tb testing.TB, cfg neo4jdb.Config) *neo4jdb.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := neo4jdb.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("cannot use the test Neo4j (run `make test`, which starts it, or `make test-neo4j`): %v", err)
	}
	tb.Cleanup(func() { db.Close(context.Background()) })
	if _, err := db.Migrate(ctx, schema.Cypher); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	if err := db.DeleteAll(ctx); err != nil {
		tb.Fatalf("delete all: %v", err)
	}
	return db
}

// MustLoadSeeds writes the embedded curated seeds into db.
func MustLoadSeeds(tb testing.TB, db *neo4jdb.DB) *chainmap.Dataset {
	tb.Helper()
	files, err := loader.ReadFS(seeds.FS, ".")
	if err != nil {
		tb.Fatal(err)
	}
	ds, err := loader.Parse(files)
	if err != nil {
		tb.Fatalf("the embedded seeds do not validate: %v", err)
	}
	if _, err := db.WriteDataset(context.Background(), ds, chainmap.LoadOptions{}); err != nil {
		tb.Fatalf("load seeds: %v", err)
	}
	return ds
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
