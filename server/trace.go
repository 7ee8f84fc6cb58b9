package server

import (
	"net/http"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// Tracing (Config.Tracer). Each request of a route is a server span named after its method and route, with the
// route (the mux pattern, never the path a client sent) and the status; a traceparent header from a proxy or a
// client makes it part of their trace. Probes and metrics make no span (they are scraped every few seconds),
// nor do subscriptions' streams (they live for hours).

const tracerName = "github.com/chainmap/chainmap/server"

// untraced are the routes that make no span.
var untraced = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

var knownMethods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

// traced wraps h, the handler of route rt, in its HTTP span; h itself when tracing is off or the route is not
// traced.
func (cfg Config) traced(rt Route, h http.Handler) http.Handler {
	if cfg.Tracer == nil || untraced[rt.Name] {
		return h
	}
	tracer := cfg.Tracer.Tracer(tracerName)
	route := rt.Pattern
	if _, path, ok := strings.Cut(route, " "); ok {
		route = path // "GET /export/{file}" → "/export/{file}"
	}
	prop := propagation.TraceContext{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isStream(r) {
			h.ServeHTTP(w, r)
			return
		}
		method := r.Method
		if !knownMethods[method] {
			method = "_OTHER" // a client's made-up method must not name spans
		}
		ctx := prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := tracer.Start(ctx, method+" "+route, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(semconv.HTTPRequestMethodKey.String(method), semconv.HTTPRoute(route)))
		defer span.End()
		rec, ok := w.(*statusRecorder)
		if !ok {
			rec = &statusRecorder{ResponseWriter: w, code: http.StatusOK}
			w = rec
		}
		h.ServeHTTP(w, r.WithContext(ctx))
		span.SetAttributes(semconv.HTTPResponseStatusCode(rec.code))
		if rec.code >= 500 {
			span.SetAttributes(semconv.ErrorTypeKey.String(strconv.Itoa(rec.code)))
			span.SetStatus(codes.Error, "")
		}
	})
}
