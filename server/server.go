// Package server is chainmap's HTTP surface: the GraphQL endpoint (with the offline IDE for browsers), the
// explorer page, health and readiness probes, and Prometheus metrics.
package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/trace"

	"github.com/chainmap/chainmap"
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
	// Gate, if set, runs before a GraphQL request takes an admission slot (or a stream slot) and answers at
	// once what needs none (graph.Handler.Gate): malformed requests, operations on the wrong transport,
	// bookmarks the API did not give.
	Gate func(http.Handler) http.Handler
	// MayRead, if set, decides whether a request may read data (graph.Auth.MayRead): every route whose
	// Access is Reads is behind it — GraphQL, its streams, exports, reports.
	MayRead func(*http.Request) error
	// SignIn, if set, serves /signin: the page where a browser trades a token for a session cookie.
	SignIn http.Handler
	// TrustedProxies are the addresses of the reverse proxies in front of the server. Only a request from one
	// of them has its client read from X-Forwarded-For (or Forwarded); every other request's client is its
	// remote address, whatever headers it sends. Per-client caps and logs use that client.
	TrustedProxies []netip.Prefix
	// Schema, if set, is the merged GraphQL SDL served at /schema.graphql (graph.SDL); left empty when
	// introspection is closed, which the file would open.
	Schema string
	// Imports, if set, takes editors' spreadsheets at POST /import/preview and /import/apply; Editor checks the
	// request's token and returns the editor's name.
	Imports Importer
	Editor  func(*http.Request) (string, error)
	// Tracer, if set, makes a span of each request (trace.go); nil: no spans.
	Tracer trace.TracerProvider
}

// Access says who may use a route.
type Access int

const (
	// Public routes serve no data of the graph: probes, metrics, static pages and their assets, sign-in.
	Public Access = iota
	// Reads routes serve the graph's data; with reads restricted (Config.MayRead) they need a token.
	Reads
)

// Route is one entry of the server's mux.
type Route struct {
	Pattern string // a net/http ServeMux pattern
	Name    string // its label in metrics
	Access  Access
	Handler http.Handler
}

// New returns the HTTP handler with every route of Routes, each Reads route behind the read guard, and the
// client of each request resolved (TrustedProxies).
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	mux := http.NewServeMux()
	for _, rt := range Routes(cfg) {
		h := rt.Handler
		if rt.Access == Reads {
			h = cfg.guardReads(h)
		}
		mux.Handle(rt.Pattern, cfg.instrument(rt.Name, cfg.traced(rt, h)))
	}
	return realClient(cfg.TrustedProxies, mux)
}

// Routes lists every route the server serves, with who may use it; New registers these and only these, so a
// test that walks them covers the whole server.
func Routes(cfg Config) []Route {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	var routes []Route
	route := func(pattern, name string, access Access, h http.Handler) {
		routes = append(routes, Route{Pattern: pattern, Name: name, Access: access, Handler: h})
	}
	ide := assetPage(cfg.Assets, "graphiql")
	lim := chainmap.WithDefaults(cfg.Limits, DefaultLimits)
	gate := cfg.Gate
	if gate == nil {
		gate = func(h http.Handler) http.Handler { return h }
	}
	// The body is read whole, and the gate's checks made, before the request takes an in-flight slot, so that
	// slow senders hold only their connection (until the server's ReadTimeout) and requests that need no
	// work are answered without queueing.
	gql := withDeadline(lim.RequestTimeout, newAdmission(lim, cfg.Metrics).wrap(limitResponse(cfg.GraphQL, lim.MaxResponseBytes)))
	// Subscriptions (WebSocket, SSE) live long: they take no in-flight slot and no request deadline, and are
	// capped on their own (MaxStreams here; per client and per process in the GraphQL handler).
	streams := newStreamCap(lim, cfg.Metrics, cfg.Logger).wrap(cfg.GraphQL)
	api := limitBody(gate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isStream(r) {
			streams.ServeHTTP(w, r)
			return
		}
		gql.ServeHTTP(w, r)
	})), cfg.MaxBodyBytes)
	route("/graphql", "/graphql", Reads, cfg.cors(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Query().Get("query") == "" && acceptsHTML(r) {
			ide.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})))
	route("/graphiql/", "/graphiql/", Public, http.StripPrefix("/graphiql/", assetFiles(cfg.Assets, "graphiql")))
	route("GET /explore", "/explore", Public, assetPage(cfg.Assets, "explore"))
	route("/explore/", "/explore/", Public, http.StripPrefix("/explore/", assetFiles(cfg.Assets, "explore")))
	if cfg.SignIn != nil {
		route("/signin", "/signin", Public, cfg.SignIn)
	}
	route("GET /healthz", "/healthz", Public, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	}))
	route("GET /readyz", "/readyz", Public, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
		route("GET /export/{file}", "/export", Reads, exportHandler(cfg.Exports, cfg.Logger))
	}
	if cfg.Reports != nil {
		route("GET /report/{chainMapId}", "/report", Reads, reportHandler(cfg.Reports, cfg.Logger))
		route("GET /report/region/{code}", "/report/region", Reads, regionPageHandler(cfg.Reports, cfg.Logger))
		route("GET /report/scenario", "/report/scenario", Reads, scenarioPageHandler(cfg.Reports, cfg.Logger))
	}
	if cfg.Schema != "" {
		route("GET /schema.graphql", "/schema.graphql", Public, schemaFile(cfg.Schema))
	}
	if cfg.Imports != nil && cfg.Editor != nil {
		route("POST /import/preview", "/import", Public, importHandler(cfg.Imports, cfg.Editor, cfg.AllowedOrigins, cfg.Logger, false))
		route("POST /import/apply", "/import", Public, importHandler(cfg.Imports, cfg.Editor, cfg.AllowedOrigins, cfg.Logger, true))
	}
	route("GET /metrics", "/metrics", Public, promhttp.HandlerFor(cfg.Metrics.Registry, promhttp.HandlerOpts{}))
	// The front door is the explorer (planners use a browser); its header links to the IDE for developers.
	route("GET /{$}", "/", Public, assetPage(cfg.Assets, "explore"))
	return routes
}

// guardReads lets a request through h when it may read (Config.MayRead). A browser that may not (a GET that
// accepts HTML) is sent to the sign-in page, which brings it back; any other client gets 401 (no valid token)
// or 403 with a GraphQL-shaped error. WebSocket upgrades pass: a browser cannot set headers on them, so their
// token comes in the connection_init message, and the GraphQL handler checks it before any subscription.
func (cfg Config) guardReads(h http.Handler) http.Handler {
	if cfg.MayRead == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions || strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			h.ServeHTTP(w, r)
			return
		}
		err := cfg.MayRead(r)
		if err == nil {
			h.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet && acceptsHTML(r) && cfg.SignIn != nil {
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		status, code := http.StatusUnauthorized, chainmap.CodeUnauthenticated
		if errors.Is(err, chainmap.ErrForbidden) {
			status, code = http.StatusForbidden, chainmap.CodeForbidden
		} else {
			w.Header().Set("WWW-Authenticate", `Bearer realm="chainmap"`)
		}
		if cfg.Metrics != nil {
			cfg.Metrics.rejected.WithLabelValues("unauthenticated").Inc()
		}
		cfg.corsHeaders(w, r)
		writeJSONError(w, status, code, err.Error())
	})
}

func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// schemaFile serves the SDL as text, with an ETag (its hash) so that code generators can ask whether it changed.
func schemaFile(sdl string) http.Handler {
	sum := sha256.Sum256([]byte(sdl))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = io.WriteString(w, sdl)
	})
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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cfg.corsHeaders(w, r)
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// corsHeaders sets the CORS headers of a response to an allowed origin (the read guard's refusals too, so
// that a frontend on another origin can read them).
func (cfg Config) corsHeaders(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" || !slices.ContainsFunc(cfg.AllowedOrigins, func(o string) bool { return o == "*" || o == origin }) {
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Vary", "Origin")
	w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Authorization, Chainmap-Bookmark")
	w.Header().Set("Access-Control-Expose-Headers", "Chainmap-Bookmark, Retry-After")
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	w.Header().Set("Access-Control-Max-Age", "600")
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
