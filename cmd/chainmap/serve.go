package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strings"
	"syscall"
	"time"

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
		maxBody             int64
		jwtSecret, apiKeys  string
		reads               string
		maxDepth            int
		maxComplexity       int
		metricsOps          string
		lim                 = server.DefaultLimits
	)
	db.register(fs)
	fs.StringVar(&host, "host", "127.0.0.1", "interface to listen on; 0.0.0.0 for all [HOST]")
	fs.StringVar(&port, "port", "8080", "port to listen on [PORT]")
	fs.StringVar(&cors, "cors-origins", "", "comma-separated origins allowed to call the API from browsers, or * [CORS_ORIGINS]")
	fs.BoolVar(&introspection, "introspection", true, "allow GraphQL schema introspection (the IDE needs it) [GRAPHQL_INTROSPECTION]")
	fs.Int64Var(&maxBody, "max-body-bytes", 1<<20, "largest accepted request body [MAX_BODY_BYTES]")
	fs.StringVar(&jwtSecret, "jwt-secret", "", "HS256 key that signs bearer JWTs (claims sub, role: viewer|editor|admin, exp); prefer the environment variable [CHAINMAP_JWT_SECRET]")
	fs.StringVar(&apiKeys, "api-keys", "", "comma-separated subject:role:key API keys, e.g. alice:editor:s3cret; prefer the environment variable [CHAINMAP_API_KEYS]")
	fs.StringVar(&reads, "reads", "open", "who may query: open (anyone) or viewer (a token with any role) [CHAINMAP_READS]")
	fs.IntVar(&maxDepth, "max-depth", graph.DefaultLimits.MaxDepth, "deepest nesting a query may have [GRAPHQL_MAX_DEPTH]")
	fs.IntVar(&maxComplexity, "max-complexity", graph.DefaultLimits.MaxComplexity, "highest cost a query may have (lists cost their page size times an item) [GRAPHQL_MAX_COMPLEXITY]")
	fs.IntVar(&lim.MaxInFlight, "max-in-flight", lim.MaxInFlight, "GraphQL requests served at once [MAX_IN_FLIGHT]")
	fs.IntVar(&lim.MaxQueue, "max-queue", lim.MaxQueue, "requests that may wait for a slot; past them, 503 with Retry-After at once [MAX_QUEUE]")
	fs.DurationVar(&lim.QueueWait, "queue-wait", lim.QueueWait, "longest wait for a slot before 503 [QUEUE_WAIT]")
	fs.DurationVar(&lim.RequestTimeout, "request-timeout", lim.RequestTimeout, "a GraphQL request is cancelled after this long [REQUEST_TIMEOUT]")
	fs.Int64Var(&lim.MaxResponseBytes, "max-response-bytes", lim.MaxResponseBytes, "largest GraphQL response; a larger one becomes an error [MAX_RESPONSE_BYTES]")
	fs.DurationVar(&lim.ReadTimeout, "read-timeout", lim.ReadTimeout, "time to read a whole request, body included [READ_TIMEOUT]")
	fs.DurationVar(&lim.WriteTimeout, "write-timeout", lim.WriteTimeout, "time to write a response (keep it above -request-timeout) [WRITE_TIMEOUT]")
	fs.DurationVar(&lim.IdleTimeout, "idle-timeout", lim.IdleTimeout, "how long an idle keep-alive connection stays open [IDLE_TIMEOUT]")
	fs.StringVar(&metricsOps, "metrics-operations", "", "comma-separated operation names that label metrics (besides the explorer's); others count as \"other\" [METRICS_OPERATIONS]")
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

	metrics := server.NewMetrics(splitList(metricsOps)...)
	log.Info("connecting to neo4j", "uri", db.uri, "database", db.database, "timeout", db.connectTimeout)
	db.onBreaker = func(open bool, cause error) {
		if open {
			log.Warn("neo4j unreachable: failing queries at once until a probe reaches it", "uri", db.uri, "err", cause)
		} else {
			log.Info("neo4j reachable again", "uri", db.uri)
		}
	}
	store, err := db.open(ctx, metrics.CountQuery)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())

	assets, _ := fsSub(web.Dist, "dist")
	cfg := server.Config{
		GraphQL: graph.NewHandler(store, graph.Options{
			Logger: log, Introspection: introspection, Auth: auth, OnOperation: metrics.ObserveOperation,
			Limits: graph.Limits{MaxDepth: maxDepth, MaxComplexity: maxComplexity},
		}),
		Ready:          store.Ping,
		Metrics:        metrics,
		Assets:         assets,
		Logger:         log,
		MaxBodyBytes:   maxBody,
		AllowedOrigins: splitList(cors),
		Limits:         lim,
		Exports:        store,
		Reports:        store,
	}
	srv := server.NewHTTPServer(server.New(cfg), cfg)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	log.Info("serving", "graphql", "http://"+ln.Addr().String()+"/graphql", "neo4j", db.uri)
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
)
