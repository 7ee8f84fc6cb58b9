// Package neo4jtest connects tests to the real Neo4j that `make test` starts (a separate instance from the one
// `make run` serves, so tests never wipe that data). A test that needs Neo4j fails — never skips — when it
// cannot reach it.
package neo4jtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

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

// MustOpenKept connects to the test Neo4j and applies the schema like MustOpenDB, but keeps the data: for a
// benchmark that reuses the large graph an earlier run wrote (CHAINMAP_BENCH_KEEP).
func MustOpenKept(tb testing.TB) *neo4jdb.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := neo4jdb.Open(ctx, Config())
	if err != nil {
		tb.Fatalf("cannot use the test Neo4j (run `make test`, which starts it, or `make test-neo4j`): %v", err)
	}
	tb.Cleanup(func() { db.Close(context.Background()) })
	if _, err := db.Migrate(ctx, schema.Cypher); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return db
}

// MustLoadSeeds writes the embedded curated seeds into db.
func MustLoadSeeds(tb testing.TB, db *neo4jdb.DB) *chainmap.Dataset {
	tb.Helper()
	ds, err := loader.ParseFS(seeds.FS, ".")
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

// Query runs a read query against the test Neo4j with a driver of its own and returns the rows as maps. Tests
// use it to look at the graph independently of the store methods under test.
func Query(tb testing.TB, cypher string, params map[string]any) []map[string]any {
	tb.Helper()
	cfg := Config()
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		tb.Fatal(err)
	}
	defer driver.Close(context.Background())
	res, err := neo4j.ExecuteQuery(context.Background(), driver, cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(cfg.Database))
	if err != nil {
		tb.Fatalf("query %q: %v", cypher, err)
	}
	rows := make([]map[string]any, len(res.Records))
	for i, rec := range res.Records {
		rows[i] = rec.AsMap()
	}
	return rows
}

// Snapshot returns every node and relationship, with its labels or type, endpoints and properties, as sorted
// strings, so that two snapshots are equal exactly when the graphs are.
func Snapshot(tb testing.TB) []string {
	tb.Helper()
	rows := Query(tb, `
MATCH (n) WHERE NOT n:Change AND NOT n:ChangeLog // the change log records attempts, not data
RETURN 'node' AS kind, labels(n) AS what, properties(n) AS props, '' AS ends
UNION ALL
MATCH (a)-[r]->(b)
RETURN 'rel' AS kind, [type(r)] AS what, properties(r) AS props,
       coalesce(a.id, a.code) + '>' + coalesce(b.id, b.code) AS ends`, nil)
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprint(r["kind"], r["what"], r["ends"], r["props"]) // fmt prints map keys sorted
	}
	sort.Strings(out)
	return out
}

// OldAggregates gives the maintained aggregates the shape versions before 008_aggregates_firm_id.cypher
// wrote: their firm's id as id, with the constraint and indexes on it instead of those on firmId. Tests of an
// upgrade start from it; the next Migrate brings the schema back.
func OldAggregates(tb testing.TB) {
	tb.Helper()
	for _, stmt := range []string{
		"DROP CONSTRAINT firm_aggregate_firm_id IF EXISTS",
		"DROP INDEX segment_member_by_name IF EXISTS",
		"DROP INDEX segment_member_firm_id IF EXISTS",
		"DROP INDEX segment_member_by_tier IF EXISTS",
		"CREATE CONSTRAINT firm_aggregate_id IF NOT EXISTS FOR (n:FirmAggregate) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX segment_member_order IF NOT EXISTS FOR (n:SegmentMember) ON (n.segment, n.name, n.id)",
		"CREATE INDEX segment_member_id IF NOT EXISTS FOR (n:SegmentMember) ON (n.id)",
		"MATCH (x:FirmAggregate|SegmentMember) SET x.id = x.firmId REMOVE x.firmId RETURN count(*) AS n",
	} {
		Query(tb, stmt, nil)
	}
}

// Stop stops the test Neo4j with dev/neo4j/neo4j.sh; Start starts it again and waits until it answers. Tests
// of how the service behaves when Neo4j goes away use them. Start is registered as a cleanup by Stop, so the
// server is back for the tests that follow even when the test fails.
func Stop(tb testing.TB) {
	tb.Helper()
	tb.Cleanup(func() { Start(tb) })
	script(tb, "stop")
}

// Start starts the test Neo4j (a no-op when it runs).
func Start(tb testing.TB) {
	tb.Helper()
	script(tb, "start")
}

// Backup makes a store-level backup of the test Neo4j into file (dev/neo4j/neo4j.sh backup: neo4j-admin
// database dump, the server stopped for it and started again); Restore loads one back over its database.
func Backup(tb testing.TB, file string) { tb.Helper(); script(tb, "backup", file) }

// Restore loads a store-level backup over the test Neo4j's database (dev/neo4j/neo4j.sh restore).
func Restore(tb testing.TB, file string) { tb.Helper(); script(tb, "restore", file) }

func script(tb testing.TB, cmd string, args ...string) {
	tb.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	c := exec.Command(filepath.Join(root, "dev", "neo4j", "neo4j.sh"), append([]string{cmd}, args...)...)
	c.Env = append(os.Environ(), "NEO4J_INSTANCE="+env("CHAINMAP_TEST_NEO4J_INSTANCE", "test"),
		"NEO4J_BOLT_PORT="+port(Config().URI), "NEO4J_HTTP_PORT="+port(env("CHAINMAP_TEST_NEO4J_HTTP", "http://127.0.0.1:7475")),
		"NEO4J_PASSWORD="+Config().Password)
	if out, err := c.CombinedOutput(); err != nil {
		tb.Fatalf("neo4j.sh %s: %v\n%s", cmd, err, out)
	}
}

func port(uri string) string {
	if i := strings.LastIndexByte(uri, ':'); i >= 0 {
		return strings.TrimRight(uri[i+1:], "/")
	}
	return uri
}

// instanceDir is the test instance's directory, as dev/neo4j/neo4j.sh lays it out: NEO4J_ROOT (else the
// repository's .neo4j) and the instance name.
func instanceDir() string {
	_, file, _, _ := runtime.Caller(0)
	root := env("NEO4J_ROOT", filepath.Join(filepath.Dir(file), "..", "..", ".neo4j"))
	return filepath.Join(root, env("CHAINMAP_TEST_NEO4J_INSTANCE", "test"))
}

// LoseStore loses the test Neo4j's store, as a dead disk would: it kills the server at once (SIGKILL, no
// clean shutdown) and deletes its data directory (databases, transaction logs, users). Start then brings up a
// new, empty instance with the same ports and password; it is registered as a cleanup, so the tests that
// follow find one. It refuses, failing the test, when the instance directory it would delete is not the one
// serving the test URI.
func LoseStore(tb testing.TB) {
	tb.Helper()
	dir := instanceDir()
	conf, err := os.ReadFile(filepath.Join(dir, "conf", "neo4j.conf"))
	if err != nil || !strings.Contains(string(conf), "server.bolt.listen_address=127.0.0.1:"+port(Config().URI)+"\n") {
		tb.Fatalf("LoseStore: %s is not the instance serving %s (set CHAINMAP_TEST_NEO4J_INSTANCE and NEO4J_ROOT): %v",
			dir, Config().URI, err)
	}
	tb.Cleanup(func() { Start(tb) })
	if b, err := os.ReadFile(filepath.Join(dir, "run", "neo4j.pid")); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			syscall.Kill(pid, syscall.SIGKILL)
			for i := 0; i < 300 && syscall.Kill(pid, 0) == nil; i++ {
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, "data")); err != nil {
		tb.Fatalf("LoseStore: %v", err)
	}
	os.Remove(filepath.Join(dir, "run", "neo4j.pid"))
}
