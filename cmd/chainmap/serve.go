package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/server"
	"github.com/chainmap/chainmap/web"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [flags]", stderr)
	var (
		db                  neo4jFlags
		host, port, cors    string
		logFormat, logLevel string
		introspection       bool
		planAhead           time.Duration
		fresh               = neo4jdb.Freshness{Poll: time.Second, Within: time.Hour}
		maxBody             int64
		jwtSecret, apiKeys  string
		reads               string
		maxDepth            int
		maxComplexity       int
		metricsOps          string
		lim                 = server.DefaultLimits
		feed                = graph.DefaultFeedLimits
		retention           chainmap.ChangeRetention
		bk                  backupFlags
		trustedProxies      string
		bookmarkKey         string
		otlpEndpoint        string
		pprofAddr           string
	)
	db.register(fs)
	fs.StringVar(&host, "host", "127.0.0.1", "interface to listen on; 0.0.0.0 for all [HOST]")
	fs.StringVar(&port, "port", "8080", "port to listen on [PORT]")
	fs.StringVar(&cors, "cors-origins", "", "comma-separated origins allowed to call the API from browsers, or * [CORS_ORIGINS]")
	fs.BoolVar(&introspection, "introspection", true, "allow GraphQL schema introspection (the IDE needs it) [GRAPHQL_INTROSPECTION]")
	fs.DurationVar(&planAhead, "plan-ahead", 15*time.Second, "this long after start, have Neo4j plan the planner's large statements ahead of their first use (0: never) [PLAN_AHEAD]")
	fs.Int64Var(&maxBody, "max-body-bytes", 1<<20, "largest accepted request body [MAX_BODY_BYTES]")
	fs.StringVar(&jwtSecret, "jwt-secret", "", "HS256 key that signs bearer JWTs (claims sub, role: viewer|editor|admin, exp); prefer the environment variable [CHAINMAP_JWT_SECRET]")
	fs.StringVar(&apiKeys, "api-keys", "", "comma-separated subject:role:key API keys, e.g. alice:editor:s3cret; prefer the environment variable [CHAINMAP_API_KEYS]")
	fs.StringVar(&reads, "reads", "open", "who may query: open (anyone) or viewer (a token with any role) [CHAINMAP_READS]")
	fs.IntVar(&maxDepth, "max-depth", graph.DefaultLimits.MaxDepth, "deepest nesting a query may have [GRAPHQL_MAX_DEPTH]")
	fs.IntVar(&maxComplexity, "max-complexity", graph.DefaultLimits.MaxComplexity, "highest cost a query may have (lists cost their page size times an item) [GRAPHQL_MAX_COMPLEXITY]")
	fs.IntVar(&lim.MaxInFlight, "max-in-flight", lim.MaxInFlight, "GraphQL requests served at once [MAX_IN_FLIGHT]")
	fs.IntVar(&lim.MaxQueue, "max-queue", lim.MaxQueue, "requests that may wait for a slot; past them, 503 with Retry-After at once [MAX_QUEUE]")
	fs.DurationVar(&lim.QueueWait, "queue-wait", lim.QueueWait, "longest wait for a slot before 503 [QUEUE_WAIT]")
	fs.IntVar(&db.maxAnalyses, "max-analyses", neo4jdb.DefaultMaxAnalyses, "scenarios and changes summaries run at once (GraphQL, downloads, pages); the rest wait for one to end, until their request's timeout, then TOO_MANY_REQUESTS (or 503 + Retry-After) [MAX_ANALYSES]")
	fs.IntVar(&db.maxWriters, "max-writers", neo4jdb.DefaultMaxWriters, "editors' changes written at once (mutations, uploads); the rest wait their turn, until their request's timeout, then TOO_MANY_REQUESTS [MAX_WRITERS]")
	fs.IntVar(&db.keptAnswers, "kept-answers", 64, "scenarios whose answers are kept for reuse while the graph is unchanged: asked again, one cheap check that nothing changed answers them (0: none kept) [KEPT_ANSWERS]")
	fs.IntVar(&fresh.Max, "refresh-answers", 8, "after a change, once the graph has been quiet for -refresh-quiet, ask again in the background this many of the kept questions asked in the last hour, most recent first, so that the next ask finds its answer kept (0: never) [REFRESH_ANSWERS]")
	fs.DurationVar(&fresh.Quiet, "refresh-quiet", 2*time.Second, "how long the graph must go unchanged before kept questions are asked again [REFRESH_QUIET]")
	fs.DurationVar(&lim.RequestTimeout, "request-timeout", lim.RequestTimeout, "a GraphQL request is cancelled after this long [REQUEST_TIMEOUT]")
	fs.Int64Var(&lim.MaxResponseBytes, "max-response-bytes", lim.MaxResponseBytes, "largest GraphQL response; a larger one becomes an error [MAX_RESPONSE_BYTES]")
	fs.DurationVar(&lim.ReadTimeout, "read-timeout", lim.ReadTimeout, "time to read a whole request, body included [READ_TIMEOUT]")
	fs.DurationVar(&lim.WriteTimeout, "write-timeout", lim.WriteTimeout, "time to write a response (keep it above -request-timeout) [WRITE_TIMEOUT]")
	fs.DurationVar(&lim.IdleTimeout, "idle-timeout", lim.IdleTimeout, "how long an idle keep-alive connection stays open [IDLE_TIMEOUT]")
	fs.IntVar(&lim.MaxStreams, "max-streams", lim.MaxStreams, "subscription connections (WebSocket, SSE) open at once [MAX_STREAMS]")
	fs.IntVar(&feed.MaxSubscriptions, "max-subscriptions", feed.MaxSubscriptions, "subscriptions open at once in this process [MAX_SUBSCRIPTIONS]")
	fs.IntVar(&feed.MaxPerClient, "max-subscriptions-per-client", feed.MaxPerClient, "subscriptions one client (token subject, else address) may hold [MAX_SUBSCRIPTIONS_PER_CLIENT]")
	fs.DurationVar(&feed.PollInterval, "changes-poll", feed.PollInterval, "how often this process reads the change log for its subscribers [CHANGES_POLL]")
	fs.DurationVar(&retention.MaxAge, "changes-max-age", 90*24*time.Hour, "the change log keeps no change older than this (0: no bound) [CHANGES_MAX_AGE]")
	fs.Int64Var(&retention.MaxCount, "changes-max-count", 1_000_000, "the change log keeps at most this many changes (0: no bound) [CHANGES_MAX_COUNT]")
	bk.register(fs)
	fs.StringVar(&trustedProxies, "trusted-proxies", "", "comma-separated addresses or CIDRs of the reverse proxies in front of this server; only their X-Forwarded-For/Forwarded name the client (per-client caps, logs) [TRUSTED_PROXIES]")
	fs.DurationVar(&db.bookmarkWait, "bookmark-wait", neo4jdb.DefaultBookmarkWait, "longest a read waits for the database to apply the writes a client's bookmark names; then REPLICA_BEHIND [BOOKMARK_WAIT]")
	fs.StringVar(&bookmarkKey, "bookmark-key", "", "key that signs the bookmarks the API gives (the same on every replica); default: derived from the Neo4j credentials, which replicas share; prefer the environment variable [CHAINMAP_BOOKMARK_KEY]")
	fs.StringVar(&metricsOps, "metrics-operations", "", "comma-separated operation names that label metrics (besides the explorer's); others count as \"other\" [METRICS_OPERATIONS]")
	fs.StringVar(&otlpEndpoint, "otlp-endpoint", "", "base URL of an OpenTelemetry collector's OTLP receiver, e.g. http://127.0.0.1:4318 (OTLP/HTTP: spans go to its /v1/traces; with OTEL_EXPORTER_OTLP_PROTOCOL=grpc, port 4317): spans of requests, plans and Neo4j statements (empty: no tracing) [OTEL_EXPORTER_OTLP_ENDPOINT]")
	fs.StringVar(&pprofAddr, "pprof-addr", "", "address of a second listener that serves Go's profiles (net/http/pprof), e.g. 127.0.0.1:6060; loopback only (empty: none) [PPROF_ADDR]")
	fs.StringVar(&logFormat, "log-format", "text", "log format: text or json [LOG_FORMAT]")
	fs.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error [LOG_LEVEL]")
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := newLogger(stderr, logFormat, logLevel)
	if err != nil {
		return err
	}
	auth, err := authConfig(jwtSecret, apiKeys, reads)
	if err != nil {
		return err
	}
	proxies, err := server.ParseTrustedProxies(trustedProxies)
	if err != nil {
		return fmt.Errorf("trusted proxies %q: %v (want addresses or CIDRs, e.g. 10.0.0.0/8,192.168.1.5)", trustedProxies, err)
	}
	if db.bookmarkWait <= 0 {
		return fmt.Errorf("bookmark wait %s: want a positive duration, e.g. 2s", db.bookmarkWait)
	}

	// Listen first: a port in use is reported at once, before waiting for Neo4j.
	addr := net.JoinHostPort(host, port)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("cannot listen on %s: the port is in use by another program (set PORT or -port)", addr)
		}
		return fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	defer ln.Close()

	if pprofAddr != "" {
		stop, err := servePprof(pprofAddr, log)
		if err != nil {
			return err
		}
		defer stop()
	}

	metrics := server.NewMetrics(splitList(metricsOps)...)
	bi := readBuildInfo()
	metrics.SetBuildInfo(bi.Version, bi.Commit, bi.GoVersion, bi.SchemaHash)
	tracer, stopTracing, err := newTracing(ctx, otlpEndpoint, bi.Version, log)
	if err != nil {
		return err
	}
	defer func() {
		flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := stopTracing(flushCtx); err != nil {
			log.Warn("tracing: could not send the last spans", "err", err)
		}
	}()
	db.tracer = tracer
	log.Info("connecting to neo4j", "uri", db.uri, "database", db.database, "timeout", db.connectTimeout)
	db.onBreaker = func(open bool, cause error) {
		if open {
			log.Warn("neo4j unreachable: failing queries at once until a probe reaches it", "uri", db.uri, "err", cause)
		} else {
			log.Info("neo4j reachable again", "uri", db.uri)
		}
	}
	db.onAnswer = metrics.CountAnswer
	store, err := db.open(ctx, metrics.CountQuery)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())

	// The archive and the scheduled dump (backup.go): a mutation is acknowledged once archived, if asked.
	var api graph.Store = store
	archive, err := bk.startArchive(ctx, store, log)
	if err != nil {
		return err
	}
	if archive != nil {
		defer archive.Close()
		if bk.archiveSync {
			api = archivedStore{DB: store, archive: archive, wait: bk.archiveWait, log: log}
		}
	}
	bk.startSchedule(ctx, store, log)

	assets, _ := fsSub(web.Dist, "dist")
	gql := graph.NewHandler(api, graph.Options{
		Logger: log, Introspection: introspection, Auth: auth, OnOperation: metrics.ObserveOperation,
		Limits: graph.Limits{MaxDepth: maxDepth, MaxComplexity: maxComplexity}, Feed: feed,
		AllowedOrigins: splitList(cors), BookmarkKey: bookmarkSigningKey(bookmarkKey, db), Tracer: tracer,
	})
	cfg := server.Config{
		GraphQL:        gql,
		Gate:           gql.Gate,
		MayRead:        auth.MayRead,
		SignIn:         auth.SignIn(log),
		TrustedProxies: proxies,
		Ready:          store.Ping,
		Metrics:        metrics,
		Assets:         assets,
		Logger:         log,
		MaxBodyBytes:   maxBody,
		AllowedOrigins: splitList(cors),
		Limits:         lim,
		Exports:        store,
		Reports:        store,
		Imports:        store,
		Editor:         auth.Editor,
		Tracer:         tracer,
	}
	if introspection {
		cfg.Schema = graph.SDL()
	}
	srv := server.NewHTTPServer(server.New(cfg), cfg)
	go pruneChanges(ctx, store, retention, log)
	go store.KeepAnswersFresh(ctx, fresh, log)
	go warnIfStale(ctx, store, log)
	go tuneGC(ctx, log)
	if planAhead > 0 {
		// The planner's statements take seconds to plan. Planning them a while after start keeps the work away
		// from a starting server's first requests, and costs nothing when those have planned them already.
		go func() {
			select {
			case <-time.After(planAhead):
			case <-ctx.Done():
				return
			}
			start := time.Now()
			if err := store.WarmPlans(ctx); err != nil {
				log.Warn("could not plan the planner's statements ahead", "err", err)
				return
			}
			log.Info("planned the planner's statements ahead", "took", time.Since(start).Round(time.Millisecond))
		}()
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	log.Info("serving", "graphql", "http://"+ln.Addr().String()+"/graphql", "neo4j", db.uri, "version", bi.Version, "commit", bi.Commit)
	fmt.Fprintf(stdout, "chainmap: GraphQL at http://%s/graphql\n", ln.Addr())

	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// bookmarkSigningKey is the key that signs bookmarks: the one given, else one derived from the Neo4j
// credentials and database, which every replica of one deployment shares (and an outsider does not know).
func bookmarkSigningKey(given string, db neo4jFlags) []byte {
	if given != "" {
		return []byte(given)
	}
	sum := sha256.Sum256([]byte("chainmap bookmarks\x00" + db.user + "\x00" + db.password + "\x00" + db.database))
	return sum[:]
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func fsSub(fsys fs.FS, dir string) (fs.FS, error) { return fs.Sub(fsys, dir) }

// authConfig reads the token settings. A key or secret that is too short is refused: it would be guessable.
func authConfig(jwtSecret, apiKeys, reads string) (graph.Auth, error) {
	a := graph.Auth{APIKeys: map[string]graph.Principal{}}
	if jwtSecret != "" {
		if len(jwtSecret) < 32 {
			return a, fmt.Errorf("the JWT secret must be at least 32 bytes")
		}
		a.JWTSecret = []byte(jwtSecret)
	}
	for _, entry := range splitList(apiKeys) {
		subject, rest, ok1 := strings.Cut(entry, ":")
		roleName, key, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 || subject == "" {
			return a, fmt.Errorf("API key entry %q: want subject:role:key", strings.SplitN(entry, ":", 2)[0]+":…")
		}
		role, err := graph.ParseRole(roleName)
		if err != nil {
			return a, fmt.Errorf("API key of %s: %v", subject, err)
		}
		if len(key) < 16 {
			return a, fmt.Errorf("API key of %s: the key must be at least 16 characters", subject)
		}
		a.APIKeys[key] = graph.Principal{Subject: subject, Role: role}
	}
	switch reads {
	case "open":
	case "viewer":
		a.ReadsNeedViewer = true
	default:
		return a, fmt.Errorf("reads %q: want open or viewer", reads)
	}
	return a, nil
}

var (
	_ graph.Store     = (*neo4jdb.DB)(nil)
	_ server.Exporter = (*neo4jdb.DB)(nil)
	_ server.Reporter = (*neo4jdb.DB)(nil)
	_ server.Importer = (*neo4jdb.DB)(nil)
)

// pruneChanges applies the change log's retention now and every ten minutes. Every replica may run it: the
// deletes are idempotent.
func pruneChanges(ctx context.Context, store *neo4jdb.DB, r chainmap.ChangeRetention, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		n, err := store.PruneChanges(ctx, r)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("change log retention", "err", err)
		case n > 0:
			log.Info("change log retention", "removed", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// warnIfStale tells the operator, once at start, that the database's maintained aggregates are older than this
// build (a binary upgraded without `chainmap migrate`, which rebuilds them): the analyses read them.
func warnIfStale(ctx context.Context, store *neo4jdb.DB, log *slog.Logger) {
	stale, err := store.AggregatesStale(ctx)
	switch {
	case err != nil:
		log.Debug("could not check the maintained aggregates", "err", err)
	case stale:
		log.Warn("the maintained aggregates are older than this build: scenarios, gaps and region counts may be wrong until `chainmap migrate` rebuilds them")
	default:
		log.Debug("the maintained aggregates are current")
	}
}
