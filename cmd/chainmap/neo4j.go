package main

import (
	"context"
	"flag"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/schema"
)

// neo4jFlags are the connection settings of every command that talks to Neo4j.
type neo4jFlags struct {
	uri, user, password, database string
	connectTimeout, queryTimeout  time.Duration
	onBreaker                     func(open bool, cause error)   // serve logs the breaker's changes
	bookmarkWait                  time.Duration                  // serve's bookmark budget (0: neo4jdb's default)
	tracer                        trace.TracerProvider           // serve's spans (nil: none)
	maxAnalyses                   int                            // serve's analysis slots (0: neo4jdb's default)
	maxWriters                    int                            // serve's write slots (0: neo4jdb's default)
	keptAnswers                   int                            // serve's kept analysis answers (0: none)
	onAnswer                      func(method string, kept bool) // serve counts them in /metrics
	// batchTimeout is the default of -query-timeout for a command that writes in large batches (gen): each of
	// its transactions writes thousands of rows, which can take longer than a request's 10 s on a loaded machine.
	batchTimeout time.Duration
}

func (f *neo4jFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.uri, "neo4j-uri", "bolt://127.0.0.1:7687", "Neo4j URI: bolt:// for one server, neo4j:// for a cluster or Aura [NEO4J_URI]")
	fs.StringVar(&f.user, "neo4j-user", "neo4j", "Neo4j user [NEO4J_USER]")
	fs.StringVar(&f.password, "neo4j-password", "chainmap-dev", "Neo4j password; prefer the environment variable [NEO4J_PASSWORD]")
	fs.StringVar(&f.database, "neo4j-database", "neo4j", "Neo4j database name [NEO4J_DATABASE]")
	fs.DurationVar(&f.connectTimeout, "connect-timeout", 60*time.Second, "how long to keep retrying an unreachable Neo4j at start [NEO4J_CONNECT_TIMEOUT]")
	timeout := 10 * time.Second
	if f.batchTimeout > 0 {
		timeout = f.batchTimeout
	}
	fs.DurationVar(&f.queryTimeout, "query-timeout", timeout, "server-side timeout of each Neo4j transaction (0: the server's) [NEO4J_QUERY_TIMEOUT]")
}

// openMigrated opens the store and applies the schema: what every command that writes does first, so that its
// writes find the indexes and constraints they rely on, and aggregates of an older shape are brought up to date.
func (f *neo4jFlags) openMigrated(ctx context.Context) (*neo4jdb.DB, error) {
	store, err := f.open(ctx, nil)
	if err != nil {
		return nil, err
	}
	if _, err := store.Migrate(ctx, schema.Cypher); err != nil {
		store.Close(context.Background())
		return nil, err
	}
	return store, nil
}

func (f *neo4jFlags) open(ctx context.Context, onQuery func(string)) (*neo4jdb.DB, error) {
	return neo4jdb.Open(ctx, neo4jdb.Config{
		URI: f.uri, User: f.user, Password: f.password, Database: f.database,
		ConnectTimeout: f.connectTimeout, QueryTimeout: f.queryTimeout, OnQuery: onQuery,
		OnBreaker: f.onBreaker, BookmarkWait: f.bookmarkWait, Tracer: f.tracer, MaxAnalyses: f.maxAnalyses, MaxWriters: f.maxWriters,
		KeptAnswers: f.keptAnswers, OnAnswer: f.onAnswer,
	})
}
