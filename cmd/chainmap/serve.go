package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/chainmap/chainmap/graph"
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
	)
	db.register(fs)
	fs.StringVar(&host, "host", "127.0.0.1", "interface to listen on; 0.0.0.0 for all [HOST]")
	fs.StringVar(&port, "port", "8080", "port to listen on [PORT]")
	fs.StringVar(&cors, "cors-origins", "", "comma-separated origins allowed to call the API from browsers, or * [CORS_ORIGINS]")
	fs.BoolVar(&introspection, "introspection", true, "allow GraphQL schema introspection (the IDE needs it) [GRAPHQL_INTROSPECTION]")
	fs.Int64Var(&maxBody, "max-body-bytes", 1<<20, "largest accepted request body [MAX_BODY_BYTES]")
	fs.StringVar(&logFormat, "log-format", "text", "log format: text or json [LOG_FORMAT]")
	fs.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error [LOG_LEVEL]")
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := newLogger(stderr, logFormat, logLevel)
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

	metrics := server.NewMetrics()
	log.Info("connecting to neo4j", "uri", db.uri, "database", db.database, "timeout", db.connectTimeout)
	store, err := db.open(ctx, metrics.CountQuery)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())

	assets, _ := fsSub(web.Dist, "dist")
	handler := server.New(server.Config{
		GraphQL: graph.NewHandler(store, graph.Options{
			Logger: log, Introspection: introspection, OnOperation: metrics.ObserveOperation,
		}),
		Ready:          store.Ping,
		Metrics:        metrics,
		Assets:         assets,
		Logger:         log,
		MaxBodyBytes:   maxBody,
		AllowedOrigins: splitList(cors),
	})
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
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
