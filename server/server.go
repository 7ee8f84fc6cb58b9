// Package server is chainmap's HTTP surface: the GraphQL endpoint (with the offline IDE for browsers), the
// explorer page, health and readiness probes, and Prometheus metrics.
package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Config wires the server's parts.
type Config struct {
	GraphQL http.Handler                // the GraphQL endpoint (graph.NewHandler)
	Ready   func(context.Context) error // nil when the graph database answers
	Metrics *Metrics
	Assets  fs.FS // built web assets: graphiql/…, explore/…
	Logger  *slog.Logger
	// MaxBodyBytes bounds request bodies (GraphQL POSTs).
	MaxBodyBytes int64
	// AllowedOrigins lists the origins allowed by CORS ("*" for any); empty means same-origin only.
	AllowedOrigins []string
	// Limits bound the work of each request and of all requests together; zero fields take DefaultLimits.
	Limits Limits
	// Exports, if set, serves the downloads under /export/ (CSV, XLSX, GraphML, GEXF).
	Exports Exporter
	// Reports, if set, serves the printable chain reports at /report/{chainMapId}, the region pages at
	// /report/region/{code} and scenarios at /report/scenario.
	Reports Reporter
}

// New returns the HTTP handler with every route.
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	mux := http.NewServeMux()
	route := func(pattern, name string, h http.Handler) {
		mux.Handle(pattern, cfg.instrument(name, h))
	}
	ide := assetPage(cfg.Assets, "graphiql")
	lim := cfg.Limits.withDefaults()
	// The body is read whole before the request takes an in-flight slot, so that slow senders hold only their
	// connection (until the server's ReadTimeout), never a slot.
	gql := limitBody(withDeadline(lim.RequestTimeout, newAdmission(lim, cfg.Metrics).wrap(
		limitResponse(cfg.GraphQL, lim.MaxResponseBytes))), cfg.MaxBodyBytes)
	// Subscriptions (WebSocket, SSE) live long: they take no in-flight slot and no request deadline, and are
	// capped on their own (MaxStreams here; per client and per process in the GraphQL handler).
	streams := limitBody(newStreamCap(lim, cfg.Metrics).wrap(cfg.GraphQL), cfg.MaxBodyBytes)
	route("/graphql", "/graphql", cfg.cors(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Query().Get("query") == "" && acceptsHTML(r) {
			ide.ServeHTTP(w, r)
			return
		}
		if isStream(r) {
			streams.ServeHTTP(w, r)
			return
		}
		gql.ServeHTTP(w, r)
	})))
	route("/graphiql/", "/graphiql/", http.StripPrefix("/graphiql/", assetFiles(cfg.Assets, "graphiql")))
	route("GET /explore", "/explore", assetPage(cfg.Assets, "explore"))
	route("/explore/", "/explore/", http.StripPrefix("/explore/", assetFiles(cfg.Assets, "explore")))
	route("GET /healthz", "/healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	}))
	route("GET /readyz", "/readyz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := cfg.Ready(ctx); err != nil {
			cfg.Logger.WarnContext(ctx, "not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("neo4j unavailable\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	}))
	if cfg.Exports != nil {
		route("GET /export/{file}", "/export", exportHandler(cfg.Exports, cfg.Logger))
	}
	if cfg.Reports != nil {
		route("GET /report/{chainMapId}", "/report", reportHandler(cfg.Reports, cfg.Logger))
		route("GET /report/region/{code}", "/report/region", regionPageHandler(cfg.Reports, cfg.Logger))
		route("GET /report/scenario", "/report/scenario", scenarioPageHandler(cfg.Reports, cfg.Logger))
	}
	route("GET /metrics", "/metrics", promhttp.HandlerFor(cfg.Metrics.Registry, promhttp.HandlerOpts{}))
	route("GET /{$}", "/", http.RedirectHandler("/graphql", http.StatusFound))
	return mux
}

// instrument records the duration of each request of a route.
func (cfg Config) instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(rec, r)
		cfg.Metrics.observeRequest(route, rec.code, time.Since(start))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer (flushing, deadlines).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush sends what was written so far (SSE events).
func (r *statusRecorder) Flush() { _ = http.NewResponseController(r.ResponseWriter).Flush() }

// cors answers preflight requests and sets the CORS headers for allowed origins, so that frontends on other
// origins can call the API.
func (cfg Config) cors(h http.Handler) http.Handler {
	allowed := map[string]bool{}
	for _, o := range cfg.AllowedOrigins {
		allowed[o] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && (allowed["*"] || allowed[origin]) {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Vary", "Origin")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Authorization, Chainmap-Bookmark")
			w.Header().Set("Access-Control-Expose-Headers", "Chainmap-Bookmark")
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			w.Header().Set("Access-Control-Max-Age", "600")
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func acceptsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// assetPage serves the index.html of a built page, or explains how to build it.
func assetPage(assets fs.FS, page string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		html, err := fs.ReadFile(assets, page+"/index.html")
		if err != nil {
			http.Error(w, "the "+page+" page is not built: run `make web` (npm) and rebuild chainmap", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(html)
	})
}

// assetFiles serves the files of a built page; its index.html is served for the folder itself.
func assetFiles(assets fs.FS, page string) http.Handler {
	sub, err := fs.Sub(assets, page)
	if err != nil {
		return assetPage(assets, page)
	}
	files := http.FileServerFS(sub)
	index := assetPage(assets, page)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || r.URL.Path == "/" {
			index.ServeHTTP(w, r)
			return
		}
		if r.URL.Query().Has("v") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable") // the URL carries a content hash
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		files.ServeHTTP(w, r)
	})
}

// limitBody refuses request bodies over max bytes with 413 and a GraphQL error, and reads the others whole
// (bodies that do not announce their length are capped as they are read).
func limitBody(h http.Handler, max int64) http.Handler {
	tooLarge := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		fmt.Fprintf(w, `{"errors":[{"message":"request body too large: the limit is %d bytes","extensions":{"code":"BAD_USER_INPUT"}}]}`, max)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			tooLarge(w)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
			var maxErr *http.MaxBytesError
			switch {
			case errors.As(err, &maxErr):
				tooLarge(w)
				return
			case err != nil:
				return // the client went, or was too slow (ReadTimeout): no one to answer
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		h.ServeHTTP(w, r)
	})
}
