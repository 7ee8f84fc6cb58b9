package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"go.opentelemetry.io/otel/trace"

	"github.com/chainmap/chainmap"
)

// Options configure the GraphQL handler.
type Options struct {
	Logger        *slog.Logger
	Introspection bool // allow schema introspection to everyone (admins always may)
	Auth          Auth
	Limits        Limits     // zero fields take DefaultLimits
	Feed          FeedLimits // zero fields take DefaultFeedLimits
	// AllowedOrigins may open WebSockets from browsers on other origins ("*": any), as CORS allows them requests.
	AllowedOrigins []string
	// OnOperation, if set, is called after each operation with its name, duration and number of errors.
	OnOperation func(name string, d time.Duration, errs int)
	// BookmarkKey signs the bookmarks the API gives, so that it can refuse those it did not; every replica
	// behind one Neo4j must have the same. Empty: bookmarks are checked for their shape only.
	BookmarkKey []byte
	// FlagRate bounds how often one client may flag records (zero fields: chainmap.DefaultFlagRate).
	FlagRate chainmap.FlagRate
	// Tracer, if set, makes a span of each query and mutation and a plan span of each root field (trace.go);
	// nil: no spans and no tracing middleware.
	Tracer trace.TracerProvider

	noWalk bool // tests: gqlgen executes every field of planned subtrees too (export_test.go)
	noPost bool // tests: gqlgen's own POST transport instead of post (export_test.go)
}

// Handler is the GraphQL endpoint. Gate answers at once what needs no admission slot — requests that are
// not GraphQL over HTTP, operations on the wrong transport, bookmarks the API did not give, a client with too
// many bookmark waits — so that the server can run it before a request queues for a slot; ServeHTTP runs
// the gate itself for requests that did not pass it.
type Handler struct {
	inner http.Handler
	gate  func(http.Handler) http.Handler
}

type checkedKey struct{}

// Gate returns next behind the checks that need no admission slot.
func (h *Handler) Gate(next http.Handler) http.Handler {
	return h.gate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), checkedKey{}, true)))
	}))
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if checked, _ := r.Context().Value(checkedKey{}).(bool); checked {
		h.inner.ServeHTTP(w, r)
		return
	}
	h.Gate(h.inner).ServeHTTP(w, r)
}

// NewHandler returns the GraphQL endpoint over store: POST and GET, a parsed-query cache and automatic
// persisted queries, roles, depth/complexity/token limits, panics recovered, and
// errors presented with extensions.code. Every response carries extensions.cost: the operation's complexity
// and its round trips to Neo4j.
func NewHandler(store Store, opts Options) *Handler {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	lim := chainmap.WithDefaults(opts.Limits, DefaultLimits)
	feedLim := chainmap.WithDefaults(opts.Feed, DefaultFeedLimits)
	codec := bookmarkCodec{key: opts.BookmarkKey}
	resolver := &Resolver{Store: store, feed: newFeed(store, feedLim, log), flagRate: newFlagRate(opts.FlagRate)}
	cfg := Config{Resolvers: resolver}
	complexity(&cfg.Complexity)
	es := NewExecutableSchema(cfg)
	resolver.planner = newPlanner(es.Schema())
	srv := handler.New(es)
	srv.AddTransport(transport.SSE{KeepAlivePingInterval: feedLim.KeepAlive}) // before POST, which would take its requests
	srv.AddTransport(transport.GET{})
	if opts.noPost {
		srv.AddTransport(transport.POST{})
	} else {
		srv.AddTransport(post{})
	}
	var origins []string
	for _, o := range opts.AllowedOrigins {
		if u, err := url.Parse(o); err == nil && u.Host != "" {
			o = u.Host // coder/websocket matches the Origin's host
		}
		origins = append(origins, o)
	}
	srv.AddTransport(transport.Websocket{
		Implementation:        transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{OriginPatterns: origins}},
		KeepAlivePingInterval: feedLim.KeepAlive,
		InitTimeout:           10 * time.Second,
		// Browsers cannot set headers on a WebSocket: they send the token in connection_init instead.
		InitFunc: func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			if h := payload.Authorization(); h != "" {
				p, err := opts.Auth.principal(h)
				if err != nil {
					return ctx, nil, err
				}
				ctx = context.WithValue(ctx, principalKey{}, p)
				if p.Subject != "" {
					ctx = context.WithValue(ctx, clientKey{}, "sub:"+p.Subject)
				}
			}
			return ctx, nil, nil
		},
	})
	docs := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(docs)
	srv.SetParserTokenLimit(lim.ParserTokenLimit)
	srv.Use(newPersistedQueries())
	srv.Use(newQueryGuard(lim)) // after APQ, which fills in the query text; before parsing and validation
	srv.Use(inputGuard{lim: lim, schema: es.Schema()})
	srv.Use(introspectionPolicy{open: opts.Introspection})
	srv.Use(depthLimit{max: lim.MaxDepth})
	srv.Use(extension.FixedComplexityLimit(lim.MaxComplexity))
	if opts.Tracer != nil {
		srv.Use(tracing{tracer: opts.Tracer.Tracer(tracerName)}) // outside the operation middleware below: refusals get a span too
	}
	// Innermost root field middleware (after tracing's): planned root fields marshalled without per-field work (fast.go).
	if !opts.noWalk {
		srv.Use(walk{es: es.(*executableSchema)})
	}

	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		start := time.Now()
		oc := graphql.GetOperationContext(ctx)
		kind := "query"
		if oc.Operation != nil {
			kind = string(oc.Operation.Operation)
		}
		if onStream(ctx) != (kind == "subscription") {
			// Streams take no admission slot and have no request deadline (server.New): queries and mutations
			// must come as plain requests, which do; a subscription on a plain request would hold its slot
			// for nothing. The gate refuses both before admission; this catches persisted queries, whose text
			// the gate does not see.
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{wrongTransport(kind)}})
		}
		if err := firstErr(opts.Auth.authorize(ctx, authKind(oc, kind)), checkIntrospection(oc)); err != nil {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{presentError(ctx, log, err)}})
		}
		ctx, queries := chainmap.WithQueryCount(chainmap.WithOperation(ctx, oc.OperationName))
		respond := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			resp := respond(ctx)
			if resp == nil {
				return nil
			}
			trips := queries.Load()
			if kind == "subscription" {
				trips = queries.Swap(0) // each event counts its own round trips
			}
			cost := map[string]any{"neo4jRoundTrips": trips}
			setRoundTrips(ctx, trips)
			if stats := extension.GetComplexityStats(ctx); stats != nil {
				cost["complexity"], cost["complexityLimit"] = stats.Complexity, stats.ComplexityLimit
			}
			if resp.Extensions == nil {
				resp.Extensions = map[string]any{}
			}
			resp.Extensions["cost"] = cost
			if bm := chainmap.BookmarksFrom(ctx).Produced(); len(bm) > 0 {
				resp.Extensions["bookmark"] = codec.encode(bm)
			}
			if opts.OnOperation != nil {
				name := oc.OperationName
				if name == "" && oc.Operation != nil {
					name = oc.Operation.Name // the client named the operation in the text only
				}
				opts.OnOperation(name, time.Since(start), len(resp.Errors))
			}
			return resp
		}
	})
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		return presentError(ctx, log, err)
	})
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", p, "stack", string(debug.Stack()))
		return errors.New("internal error")
	})
	waits := &clientWaits{n: map[string]int{}, max: MaxBookmarkWaitsPerClient}
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isStreamRequest(r) {
			srv.ServeHTTP(w, r) // the writer must stay a Flusher and Hijacker
			return
		}
		srv.ServeHTTP(&responseHeads{ResponseWriter: w, bm: chainmap.BookmarksFrom(r.Context()), codec: codec,
			state: stateFrom(r.Context())}, r)
	})
	gate := func(next http.Handler) http.Handler {
		return checkHTTP(log, lim, docs, opts.Auth.authenticate(withBookmarks(log, codec, waits, next)))
	}
	return &Handler{inner: inner, gate: gate}
}

// withBookmarks gives each request the bookmarks its client sent, refusing values the API did not give
// (400 BAD_REQUEST) and a client's requests with bookmarks past MaxBookmarkWaitsPerClient in flight (429).
func withBookmarks(log *slog.Logger, codec bookmarkCodec, waits *clientWaits, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent, err := codec.decode(r.Header.Values(BookmarkHeader))
		if err != nil {
			log.InfoContext(r.Context(), "malformed request", "method", r.Method, "status", http.StatusBadRequest, "reason", err.Error(),
				"client", clientFrom(r.Context()))
			writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
			return
		}
		ctx := chainmap.WithBookmarks(r.Context(), chainmap.NewBookmarks(sent))
		ctx = context.WithValue(ctx, requestStateKey{}, &requestState{})
		stream := isStreamRequest(r)
		if stream {
			ctx = context.WithValue(ctx, streamKey{}, true)
		}
		if len(sent) > 0 && !stream { // a stream reads no bookmark (the change log is its own order)
			client := clientFrom(ctx)
			if !waits.acquire(client) {
				w.Header().Set("Retry-After", "1")
				writeError(w, http.StatusTooManyRequests, chainmap.CodeTooManyRequests, fmt.Sprintf(
					"this client has %d requests with a bookmark in flight, the most allowed: retry when one is answered", waits.max))
				return
			}
			defer waits.release(client)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// apqMismatch is gqlgen's message for a persisted query whose hash is not its text's.
const apqMismatch = "provided APQ hash does not match query"

// wrongTransport is the error of an operation sent on a transport that does not carry its kind.
func wrongTransport(kind string) *gqlerror.Error {
	msg := "send queries and mutations as plain POST or GET requests; WebSocket and SSE carry subscriptions"
	if kind == "subscription" {
		msg = "a subscription needs a stream: POST with Accept: text/event-stream (graphql-sse) or a WebSocket (graphql-transport-ws)"
	}
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": CodeWrongTransport}}
}

// presentError gives every error an extensions.code. Errors the domain marks as safe (chainmap.Error) keep
// their message; errors about the request itself (parse, validation, limits) keep theirs as BAD_USER_INPUT;
// anything else — driver or Cypher errors included — becomes "internal error" plus a log line.
func presentError(ctx context.Context, log *slog.Logger, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	var domainErr *chainmap.Error
	switch {
	case errors.As(err, &domainErr):
		gqlErr.Message = domainErr.Error()
		switch domainErr.Code {
		case chainmap.CodeUnavailable:
			log.WarnContext(ctx, "graph database unavailable", "err", err)
		case chainmap.CodeTooManyStreams:
			log.InfoContext(ctx, "subscription refused: too many streams", "client", clientFrom(ctx), "reason", domainErr.Message)
		case chainmap.CodeReplicaBehind:
			log.InfoContext(ctx, "read refused: the database is behind the client's bookmark", "client", clientFrom(ctx), "err", err)
		}
		if domainErr.Code == chainmap.CodeReplicaBehind {
			if st := stateFrom(ctx); st != nil {
				st.retryAfter.Store(true)
			}
		}
		setCode(gqlErr, domainErr.Code)
		if domainErr.Field != "" {
			gqlErr.Extensions["field"] = domainErr.Field
		}
	case gqlErr.Extensions["code"] != nil:
		// Raised by gqlgen (parse, validation, complexity, persisted query) or by our limits: about the
		// request, so safe to show; gqlgen's own codes become the reason of a BAD_USER_INPUT.
		if code, _ := gqlErr.Extensions["code"].(string); !isOurCode(code) {
			gqlErr.Extensions["reason"] = code
			gqlErr.Extensions["code"] = chainmap.CodeBadUserInput
		}
	case strings.Contains(err.Error(), apqMismatch):
		// gqlgen's automatic persisted queries: a hash that is not the query's (no code of its own).
		gqlErr.Message = err.Error()
		setCode(gqlErr, chainmap.CodeBadUserInput)
		gqlErr.Extensions["reason"] = "PERSISTED_QUERY_HASH_MISMATCH"
	case strings.Contains(err.Error(), "request body too large"):
		// A body without a Content-Length that ran over the server's limit (server.limitBody).
		gqlErr.Message = "request body too large"
		setCode(gqlErr, chainmap.CodeBadUserInput)
	case isRequestError(err):
		setCode(gqlErr, chainmap.CodeBadUserInput)
	default:
		log.ErrorContext(ctx, "internal error", "err", err, "path", fmt.Sprint(gqlErr.Path))
		gqlErr.Message = "internal error"
		setCode(gqlErr, chainmap.CodeInternal)
	}
	return gqlErr
}

// isRequestError tells gqlgen's errors about the request (an argument of the wrong type, a bad variable),
// which carry no code, from errors of the resolvers.
func isRequestError(err error) bool {
	var gqlErr *gqlerror.Error
	return errors.As(err, &gqlErr) && gqlErr.Err == nil && gqlErr.Rule != ""
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

func isOurCode(code string) bool {
	switch code {
	case chainmap.CodeNotFound, chainmap.CodeBadUserInput, chainmap.CodeUnauthenticated, chainmap.CodeForbidden,
		chainmap.CodeUnavailable, chainmap.CodeInternal, chainmap.CodeConflict, chainmap.CodeBadRequest,
		chainmap.CodeReplicaBehind, chainmap.CodeTooManyStreams, chainmap.CodeTooManyRequests, CodeWrongTransport:
		return true
	}
	return false
}
