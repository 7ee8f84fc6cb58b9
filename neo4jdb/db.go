// Package neo4jdb is chainmap's store: the only package that imports the Neo4j driver. It opens one driver per
// process, applies the schema (constraints and indexes), reads and writes the graph with parameterised Cypher
// (each query a const beside the method that runs it), and translates driver errors into chainmap's sentinels.
package neo4jdb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"go.opentelemetry.io/otel/trace"

	"github.com/chainmap/chainmap"
)

// Config says where Neo4j is and how to talk to it.
type Config struct {
	URI      string // bolt://, neo4j:// (routing) or their +s/+ssc variants
	User     string
	Password string
	Database string // "" means the server's default database

	// QueryTimeout bounds every transaction on the server (0: the server's default).
	QueryTimeout time.Duration
	// ConnectTimeout bounds how long Open keeps retrying an unreachable server (0: try once).
	ConnectTimeout time.Duration
	// OnQuery, if set, is called once per round trip with the name of the store method that made it.
	OnQuery func(method string)
	// ProbeInterval is how often the breaker probes an unreachable server (0: every 500 ms).
	ProbeInterval time.Duration
	// OnBreaker, if set, is called when the breaker opens (Neo4j found unreachable) and closes (reached again).
	OnBreaker func(open bool, cause error)
	// BookmarkWait bounds how long a read waits for the database to apply the writes a client's bookmark
	// names (0: DefaultBookmarkWait); past it the read fails with chainmap.ErrReplicaBehind.
	BookmarkWait time.Duration
	// Tracer, if set, makes a span of each round trip inside a traced request (trace.go); nil: no spans.
	Tracer trace.TracerProvider
	// MaxAnalyses bounds the planner's whole-place analyses (scenarios, changes summaries) running at once
	// (0: DefaultMaxAnalyses); the rest wait for a slot (slots.go).
	MaxAnalyses int
	// MaxWriters bounds the editors' write transactions running at once (0: DefaultMaxWriters); the rest wait for
	// a slot (slots.go).
	MaxWriters int
	// KeptAnswers is how many analysis answers (scenarios) are kept for reuse while the graph's version is
	// unchanged (answers.go; 0: none kept, each computed anew).
	KeptAnswers int
	// OnAnswer, if set, is called once per analysis answer that could be kept, with whether it was (kept) or
	// computed.
	OnAnswer func(method string, kept bool)
}

// DefaultBookmarkWait is the bookmark budget: well under the API's admission queue patience, and far above
// what a healthy cluster member needs to catch up.
const DefaultBookmarkWait = 2 * time.Second

// DB is a handle on a Neo4j database. It is safe for concurrent use.
type DB struct {
	driver  neo4j.DriverWithContext
	cfg     Config
	brk     breaker
	runner  runner       // the DB itself (the driver), or a Recorder standing in for Neo4j
	tracer  trace.Tracer // nil: no spans
	slots   slots        // the analyses' slots; nil (a Recorder's DB): no bound
	writers slots        // the editors' write transactions' slots; nil: no bound
	answers *answers     // the analyses' kept answers; nil: none kept
}

// Open connects to Neo4j and checks that it answers and accepts the credentials. It retries an unreachable
// server until cfg.ConnectTimeout has passed, but not bad credentials (retrying those only locks the account).
// Errors name the URI and the cause, never the password.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.User == "" {
		cfg.User = "neo4j"
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""),
		func(c *config.Config) {
			c.SocketConnectTimeout = 3 * time.Second
			c.ConnectionAcquisitionTimeout = 10 * time.Second
			// A request must fail fast with UNAVAILABLE when Neo4j is down, not retry for the default 30 s.
			c.MaxTransactionRetryTime = 3 * time.Second
		})
	if err != nil {
		return nil, fmt.Errorf("neo4j at %s: %w", cfg.URI, err)
	}
	db := &DB{driver: driver, cfg: cfg, brk: breaker{stop: make(chan struct{})},
		slots:   make(slots, cmp.Or(cfg.MaxAnalyses, DefaultMaxAnalyses)),
		writers: make(slots, cmp.Or(cfg.MaxWriters, DefaultMaxWriters)), answers: newAnswers(cfg.KeptAnswers)}
	db.runner = db
	if cfg.Tracer != nil {
		db.tracer = cfg.Tracer.Tracer(tracerName)
	}

	deadline := time.Now().Add(cfg.ConnectTimeout)
	for {
		err = db.ping(ctx)
		if err == nil {
			db.brk.open.Store(false) // failed attempts above opened it; the probe they started ends at its next tick
			return db, nil
		}
		if !errors.Is(err, chainmap.ErrUnavailable) || time.Now().After(deadline) || ctx.Err() != nil {
			_ = driver.Close(context.Background())
			if errors.Is(err, chainmap.ErrUnavailable) {
				return nil, fmt.Errorf("cannot reach Neo4j at %s (tried for %s): %w", cfg.URI, cfg.ConnectTimeout, err)
			}
			return nil, err
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// Close stops the breaker's probe and releases the driver's connections.
func (db *DB) Close(ctx context.Context) error {
	db.brk.stopOnce.Do(func() { close(db.brk.stop) })
	if db.driver == nil {
		return nil // a Recorder's DB
	}
	return db.driver.Close(ctx)
}

// URI returns the address Open connected to.
func (db *DB) URI() string { return db.cfg.URI }

// Ping checks that the database answers a query. It wraps chainmap.ErrUnavailable when the server cannot be
// reached (at once while the breaker is open) and returns a plain error naming the cause when it refuses the
// credentials.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.admit("ping"); err != nil {
		return err
	}
	return db.ping(ctx)
}

func (db *DB) ping(ctx context.Context) error {
	if err := db.driver.VerifyConnectivity(ctx); err != nil {
		return db.wrap("ping", err)
	}
	_, err := db.read(ctx, "Ping", "RETURN 1", nil)
	return err
}

// query runs one statement in its own managed transaction: one round trip, retried by the driver on transient
// errors. Reads go to readers (so neo4j:// routing works against a cluster), writes to the leader.
func (db *DB) query(ctx context.Context, method, cypher string, params map[string]any, write bool) (*neo4j.EagerResult, error) {
	if err := db.admit(method); err != nil {
		return nil, err
	}
	db.count(ctx, method)
	ctx, span := db.startStatement(ctx, method, cypher, write)
	res, err := db.runner.run(ctx, Statement{Method: method, Cypher: cypher, Params: params, Write: write})
	if span != nil {
		rows := 0
		if res != nil {
			rows = len(res.Records)
		}
		endStatement(span, rows, err)
	}
	return res, err
}

// Statement is one statement the store runs: the method that runs it, its Cypher and its parameters.
type Statement struct {
	Method string
	Cypher string
	Params map[string]any
	Write  bool
}

// runner runs the statements of query: the DB itself, through the driver, or a Recorder.
type runner interface {
	run(ctx context.Context, st Statement) (*neo4j.EagerResult, error)
}

func (db *DB) run(ctx context.Context, st Statement) (*neo4j.EagerResult, error) {
	opts := []neo4j.ExecuteQueryConfigurationOption{
		neo4j.ExecuteQueryWithDatabase(db.cfg.Database),
		neo4j.ExecuteQueryWithTransactionConfig(db.txConfig(ctx, st.Method)...),
	}
	if !st.Write {
		opts = append(opts, neo4j.ExecuteQueryWithReadersRouting())
	}
	if sent := chainmap.BookmarksFrom(ctx).Sent(); !st.Write && len(sent) > 0 {
		return db.readAfter(ctx, st.Method, st.Cypher, st.Params, sent)
	}
	res, err := neo4j.ExecuteQuery(ctx, db.driver, st.Cypher, st.Params, neo4j.EagerResultTransformer, opts...)
	if err != nil {
		return nil, db.wrap(st.Method, err)
	}
	return res, nil
}

// readAfter runs a read for a client that sent the bookmark of its write (made through any replica): the
// database waits until it has applied the transactions the bookmark names. That wait happens when the
// transaction begins, which is bounded here by BookmarkWait, apart from the statement (bounded by the request
// and QueryTimeout): a bookmark that names a transaction the database has not got — a lagging member, or a
// bookmark from before a restore — costs its request at most the budget, answers ErrReplicaBehind, and never
// opens the breaker.
func (db *DB) readAfter(ctx context.Context, method, cypher string, params map[string]any, sent []string) (*neo4j.EagerResult, error) {
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead,
		DatabaseName: db.cfg.Database, Bookmarks: neo4j.BookmarksFromRawValues(sent...)})
	defer session.Close(context.WithoutCancel(ctx))
	wait := db.cfg.BookmarkWait
	if wait <= 0 {
		wait = DefaultBookmarkWait
	}
	begin, cancel := context.WithTimeout(ctx, wait)
	tx, err := session.BeginTransaction(begin, db.txConfig(ctx, method)...)
	waited := begin.Err() != nil
	cancel()
	if err != nil {
		var neoErr *neo4j.Neo4jError
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("%s: %w", method, ctx.Err())
		case waited, errors.As(err, &neoErr) && neoErr.Code == "Neo.TransientError.Transaction.BookmarkTimeout":
			return nil, fmt.Errorf("%s: waited %s for bookmark %v: %w", method, wait, sent, chainmap.ErrReplicaBehind)
		case errors.As(err, &neoErr) && strings.HasPrefix(neoErr.Code, "Neo.ClientError.Transaction.InvalidBookmark"):
			return nil, fmt.Errorf("%s: %v: %w", method, err, chainmap.ErrBadBookmark)
		}
		return nil, db.wrap(method, err)
	}
	defer tx.Close(context.WithoutCancel(ctx))
	result, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, db.wrap(method, err)
	}
	records, err := result.Collect(ctx)
	if err != nil {
		return nil, db.wrap(method, err)
	}
	keys, err := result.Keys()
	if err != nil {
		return nil, db.wrap(method, err)
	}
	summary, err := result.Consume(ctx)
	if err != nil {
		return nil, db.wrap(method, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, db.wrap(method, err)
	}
	return &neo4j.EagerResult{Keys: keys, Records: records, Summary: summary}, nil
}

func (db *DB) read(ctx context.Context, method, cypher string, params map[string]any) (*neo4j.EagerResult, error) {
	return db.query(ctx, method, cypher, params, false)
}

func (db *DB) write(ctx context.Context, method, cypher string, params map[string]any) (*neo4j.EagerResult, error) {
	return db.query(ctx, method, cypher, params, true)
}

// count records one round trip, for the metrics and for the request's own counter.
func (db *DB) count(ctx context.Context, method string) {
	if db.cfg.OnQuery != nil {
		db.cfg.OnQuery(method)
	}
	chainmap.CountQuery(ctx)
}

// txConfig labels every transaction so that analysts can tell API queries apart in SHOW TRANSACTIONS and the
// query log, and bounds it in time.
func (db *DB) txConfig(ctx context.Context, method string) []func(*neo4j.TransactionConfig) {
	meta := map[string]any{"app": "chainmap", "method": method}
	if op := chainmap.OperationName(ctx); op != "" {
		meta["operation"] = op
	}
	cfg := []func(*neo4j.TransactionConfig){neo4j.WithTxMetadata(meta)}
	if db.cfg.QueryTimeout > 0 {
		cfg = append(cfg, neo4j.WithTxTimeout(db.cfg.QueryTimeout))
	}
	return cfg
}

// wrap translates driver errors: unreachable servers become chainmap.ErrUnavailable (and open the breaker),
// rejected credentials a message that names the URI and user; everything else keeps its cause for the logs.
func (db *DB) wrap(op string, err error) error {
	if isUnreachable(err) {
		db.trip(err)
	}
	var neoErr *neo4j.Neo4jError
	var authErr *neo4j.InvalidAuthenticationError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", op, err)
	case errors.As(err, &authErr),
		errors.As(err, &neoErr) && strings.HasPrefix(neoErr.Code, "Neo.ClientError.Security."):
		return fmt.Errorf("neo4j at %s refused the credentials of user %q: %v", db.cfg.URI, db.cfg.User, err)
	case errors.As(err, &neoErr) && strings.HasPrefix(neoErr.Code, "Neo.ClientError.Transaction.TransactionTimedOut"):
		return fmt.Errorf("%s: %v: %w", op, err, chainmap.ErrTimeout)
	case errors.As(err, &neoErr) && neoErr.Code == "Neo.ClientError.Database.DatabaseNotFound":
		return fmt.Errorf("neo4j at %s has no database %q: %v", db.cfg.URI, db.cfg.Database, err)
	case isUnavailable(err):
		return fmt.Errorf("%s: %v: %w", op, err, chainmap.ErrUnavailable)
	}
	return fmt.Errorf("%s: %w", op, err)
}

func isUnavailable(err error) bool {
	var connErr *neo4j.ConnectivityError
	var limit *neo4j.TransactionExecutionLimit
	var neoErr *neo4j.Neo4jError
	switch {
	case errors.As(err, &connErr):
		return true
	case errors.As(err, &limit):
		return true // the driver gave up retrying a transient or connectivity error
	case errors.As(err, &neoErr):
		return strings.HasPrefix(neoErr.Code, "Neo.TransientError.") ||
			neoErr.Code == "Neo.ClientError.Cluster.NotALeader"
	}
	return false
}

// breaker fails queries at once while Neo4j is known to be unreachable, instead of letting each one wait for
// the driver's connect timeouts and retries (seconds). The first query that finds the server unreachable opens
// it; a background probe then checks connectivity every ProbeInterval and closes it as soon as the server
// answers, so recovery needs no one's action.
type breaker struct {
	open     atomic.Bool
	stop     chan struct{}
	stopOnce sync.Once
}

// admit returns chainmap.ErrUnavailable at once while the breaker is open. Every unit of work that talks to
// Neo4j calls it first (query does; sessions opened elsewhere should too).
func (db *DB) admit(method string) error {
	if db.brk.open.Load() {
		return fmt.Errorf("%s: neo4j at %s is unreachable (probing in the background): %w", method, db.cfg.URI, chainmap.ErrUnavailable)
	}
	return nil
}

// trip opens the breaker and starts the probe, once.
func (db *DB) trip(cause error) {
	if !db.brk.open.CompareAndSwap(false, true) {
		return
	}
	if db.cfg.OnBreaker != nil {
		db.cfg.OnBreaker(true, cause)
	}
	go db.probe()
}

func (db *DB) probe() {
	every := db.cfg.ProbeInterval
	if every <= 0 {
		every = 500 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-db.brk.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), max(every, 2*time.Second))
		err := db.driver.VerifyConnectivity(ctx)
		cancel()
		if err == nil {
			db.brk.open.Store(false)
			if db.cfg.OnBreaker != nil {
				db.cfg.OnBreaker(false, nil)
			}
			return
		}
	}
}

// isUnreachable tells a server that cannot be reached (the breaker's business) from one that answers with a
// transient error such as a deadlock or a lock timeout (retried, and no reason to stop sending queries).
func isUnreachable(err error) bool {
	var connErr *neo4j.ConnectivityError
	var limit *neo4j.TransactionExecutionLimit
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	case errors.As(err, &connErr):
		// The driver reports a request that ran out of time (its context ended while it waited for an answer)
		// as a connectivity error too; that is the request's deadline, not the server's absence.
		return !errors.Is(connErr.Inner, context.Canceled) && !errors.Is(connErr.Inner, context.DeadlineExceeded)
	case errors.As(err, &limit):
		// The driver stops retrying when the request's context ends and names that as the cause: the request's
		// deadline again, whatever the attempt met (a dial it cut short reads as an i/o timeout).
		if limit.Cause == context.DeadlineExceeded.Error() || limit.Cause == context.Canceled.Error() {
			return false
		}
		for _, e := range limit.Errors {
			if errors.As(e, &connErr) {
				return true
			}
		}
	}
	return false
}
