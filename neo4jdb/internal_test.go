package neo4jdb

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
)

// These tests use the unexported query runner, to run Cypher that no store method would.

func openTest(t *testing.T, timeout time.Duration) *DB {
	t.Helper()
	cfg := Config{URI: env("CHAINMAP_TEST_NEO4J_URI", "bolt://127.0.0.1:7688"), User: "neo4j",
		Password: env("CHAINMAP_TEST_NEO4J_PASSWORD", "chainmap-test"), Database: "neo4j",
		ConnectTimeout: 10 * time.Second, QueryTimeout: timeout}
	db, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("cannot use the test Neo4j (run `make test`): %v", err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	return db
}

// Every transaction carries metadata that names the application, the store method and the GraphQL operation,
// so that analysts can tell API queries apart in SHOW TRANSACTIONS and the query log.
func TestTransactionMetadata(t *testing.T) {
	db := openTest(t, 0)
	ctx := chainmap.WithOperation(context.Background(), "OpenChokepoints")
	res, err := db.read(ctx, "Probe", `SHOW TRANSACTIONS YIELD metaData, currentQuery
WHERE currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN metaData`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) == 0 {
		t.Fatal("SHOW TRANSACTIONS does not list its own transaction")
	}
	meta, _ := res.Records[0].Get("metaData")
	m, _ := meta.(map[string]any)
	if m["app"] != "chainmap" || m["method"] != "Probe" || m["operation"] != "OpenChokepoints" {
		t.Errorf("transaction metadata = %v, want app chainmap, method Probe, operation OpenChokepoints", meta)
	}
}

// A query that runs past the server-side timeout is stopped by Neo4j and reported as ErrTimeout (which the
// API shows as UNAVAILABLE), not as an internal error.
func TestQueryTimeout(t *testing.T) {
	db := openTest(t, 300*time.Millisecond)
	start := time.Now()
	_, err := db.read(context.Background(), "Slow",
		`UNWIND range(1, 400000000) AS x WITH x WHERE x % 7 = 3 RETURN count(*) AS n`, nil)
	if !errors.Is(err, chainmap.ErrTimeout) {
		t.Fatalf("slow query: %v, want ErrTimeout", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the timeout took %s to apply", took)
	}
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
