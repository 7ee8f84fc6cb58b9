package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/server"
)

// Values that the traced request sends — one as a variable, one inline in the text — and that no span may
// carry: spans tell the shape of the work, never its input.
const (
	secretVariable = "zq-distinctive-9931"
	secretInline   = "130600" // Baoding's region code
)

const tracedQuery = `query TraceProbe($q: String!) {
  search(query: $q, types: [ENTERPRISE]) { id name }
  enterprises(filter: {chainMapId: "nev-icv", regionCode: "` + secretInline + `"}, first: 5) {
    totalCount nodes { id name sites { kind region { code } } }
  }
}`

// tracedStack serves the GraphQL handler over a store on the shared test database, behind the server's mux,
// with every part given tp (nil: tracing off).
func tracedStack(t testing.TB, tp trace.TracerProvider) *httptest.Server {
	t.Helper()
	store() // the shared database, loaded with the seeds
	cfg := neo4jtest.Config()
	cfg.Tracer = tp
	db, err := neo4jdb.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	srv := httptest.NewServer(server.New(server.Config{
		GraphQL:      graph.NewHandler(db, graph.Options{Tracer: tp, Auth: graph.Auth{APIKeys: testKeys}}),
		Ready:        db.Ping,
		Metrics:      server.NewMetrics(),
		Assets:       fstest.MapFS{},
		MaxBodyBytes: 1 << 20,
		Tracer:       tp,
	}))
	t.Cleanup(srv.Close)
	return srv
}

// postTraced sends a GraphQL request to the server's /graphql with the given headers.
func postTraced(t testing.TB, srv *httptest.Server, query string, vars map[string]any, header http.Header) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", srv.URL+"/graphql", bytes.NewReader(body))
	req.Header = header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out response
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response %d is not JSON: %.300s", resp.StatusCode, raw)
	}
	if len(out.Errors) > 0 {
		t.Fatalf("query failed: %+v", out.Errors)
	}
	out.status = resp.StatusCode
	return out
}

func attr(s sdktrace.ReadOnlySpan, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range s.Attributes() {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

// TestTracing: one GraphQL request against the real Neo4j is an HTTP span, a request span below it, a plan
// span per root field below that, and a statement span per Neo4j round trip below the plans; none of them
// carries the request's arguments.
func TestTracing(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	srv := tracedStack(t, tp)

	// A proxy's traceparent makes the request part of its trace.
	const parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	exp.Reset()
	resp := postTraced(t, srv, tracedQuery, map[string]any{"q": secretVariable}, http.Header{"Traceparent": {parent}})
	trips := resp.Extensions.Cost.RoundTrips
	if trips < 2 {
		t.Fatalf("the request cost %d round trips; want one or more per root field", trips)
	}
	spans := exp.GetSpans().Snapshots()

	var httpSpans, requests, plans, statements []sdktrace.ReadOnlySpan
	for _, s := range spans {
		switch {
		case s.SpanKind() == trace.SpanKindServer:
			httpSpans = append(httpSpans, s)
		case strings.HasPrefix(s.Name(), "query "):
			requests = append(requests, s)
		case strings.HasPrefix(s.Name(), "plan "):
			plans = append(plans, s)
		case s.SpanKind() == trace.SpanKindClient:
			statements = append(statements, s)
		default:
			t.Errorf("unexpected span %q", s.Name())
		}
	}
	if len(httpSpans) != 1 || len(requests) != 1 || len(plans) != 2 || len(statements) != trips {
		t.Fatalf("spans: %d HTTP, %d request, %d plan, %d statement; want 1, 1, 2 and %d (the round trips)",
			len(httpSpans), len(requests), len(plans), len(statements), trips)
	}

	h := httpSpans[0]
	if h.Name() != "POST /graphql" || h.Parent().SpanID().String() != "00f067aa0ba902b7" ||
		h.SpanContext().TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("HTTP span %q, parent %s in trace %s; want POST /graphql below the traceparent", h.Name(), h.Parent().SpanID(), h.SpanContext().TraceID())
	}
	if v, _ := attr(h, "http.route"); v.AsString() != "/graphql" {
		t.Errorf("http.route = %q", v.AsString())
	}
	if v, _ := attr(h, "http.response.status_code"); v.AsInt64() != 200 {
		t.Errorf("http.response.status_code = %d", v.AsInt64())
	}

	req := requests[0]
	if req.Name() != "query TraceProbe" || req.Parent().SpanID() != h.SpanContext().SpanID() {
		t.Errorf("request span %q is not the HTTP span's child", req.Name())
	}
	if v, _ := attr(req, "graphql.operation.name"); v.AsString() != "TraceProbe" {
		t.Errorf("graphql.operation.name = %q", v.AsString())
	}
	if v, ok := attr(req, graph.RoundTripsKey); !ok || v.AsInt64() != int64(trips) {
		t.Errorf("%s = %v; the response says %d", graph.RoundTripsKey, v.Emit(), trips)
	}

	children := map[trace.SpanID]int{}
	var roots []string
	for _, p := range plans {
		if p.Parent().SpanID() != req.SpanContext().SpanID() {
			t.Errorf("plan span %q is not the request span's child", p.Name())
		}
		v, _ := attr(p, graph.RootFieldKey)
		roots = append(roots, v.AsString())
		if p.Name() != "plan Query."+v.AsString() {
			t.Errorf("plan span %q for root field %q; want plan Query.%[2]s", p.Name(), v.AsString())
		}
		children[p.SpanContext().SpanID()] = 0
	}
	if strings.Join(roots, ",") != "search,enterprises" && strings.Join(roots, ",") != "enterprises,search" {
		t.Errorf("plan spans for root fields %v; want search and enterprises", roots)
	}
	hash := regexp.MustCompile(`^[0-9a-f]{16}$`)
	for _, s := range statements {
		if _, ok := children[s.Parent().SpanID()]; !ok {
			t.Errorf("statement span %q is not a plan span's child", s.Name())
		}
		children[s.Parent().SpanID()]++
		if v, _ := attr(s, "db.system.name"); v.AsString() != "neo4j" {
			t.Errorf("%s: db.system.name = %q", s.Name(), v.AsString())
		}
		if v, _ := attr(s, "db.query.summary"); v.AsString() != s.Name() || s.Name() == "" {
			t.Errorf("db.query.summary = %q for span %q; want the store method", v.AsString(), s.Name())
		}
		if v, _ := attr(s, neo4jdb.StatementHashKey); !hash.MatchString(v.AsString()) {
			t.Errorf("%s: %s = %q; want 16 hex digits", s.Name(), neo4jdb.StatementHashKey, v.AsString())
		}
		if _, ok := attr(s, "db.response.returned_rows"); !ok {
			t.Errorf("%s: no db.response.returned_rows", s.Name())
		}
	}
	for id, n := range children {
		if n == 0 {
			t.Errorf("plan span %s has no statement below it", id)
		}
	}

	for _, s := range spans {
		if s.SpanContext().TraceID() != h.SpanContext().TraceID() {
			t.Errorf("span %q is in another trace", s.Name())
		}
		texts := []string{s.Name(), s.Status().Description}
		for _, kv := range s.Attributes() {
			texts = append(texts, kv.Value.Emit())
		}
		for _, e := range s.Events() {
			texts = append(texts, e.Name)
			for _, kv := range e.Attributes {
				texts = append(texts, kv.Value.Emit())
			}
		}
		for _, text := range texts {
			for _, secret := range []string{secretVariable, secretInline} {
				if strings.Contains(text, secret) {
					t.Errorf("span %q carries the request's argument %q: %q", s.Name(), secret, text)
				}
			}
		}
	}
}

// TestTracingMutation: a mutation's statements, run in its write transaction, are spans below its plan too.
func TestTracingMutation(t *testing.T) {
	cleanupTestRecords(t)
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	srv := tracedStack(t, tp)
	const secret = "zq-mutation-5521"
	exp.Reset()
	resp := postTraced(t, srv, `mutation M($name: String!) { upsertBottleneck(input: {id: "mt-test-trace-bn", nameEn: $name,
		kind: GAP, category: PROCESS, severity: 2, segmentIds: ["h2-fc-materials"], confidence: ILLUSTRATIVE, sourceIds: ["s6"]}) { id name } }`,
		map[string]any{"name": secret}, http.Header{"Authorization": {"Bearer " + editor}})
	var plan trace.SpanID
	var statements, writes int
	spans := exp.GetSpans().Snapshots()
	for _, s := range spans {
		if s.Name() == "plan Mutation.upsertBottleneck" {
			plan = s.SpanContext().SpanID()
		}
	}
	for _, s := range spans {
		if s.SpanKind() == trace.SpanKindClient {
			statements++
			if s.Parent().SpanID() != plan {
				t.Errorf("statement span %q is not below the mutation's plan", s.Name())
			}
			if v, _ := attr(s, neo4jdb.StatementWriteKey); v.AsBool() {
				writes++
			}
		}
		for _, kv := range s.Attributes() {
			if strings.Contains(kv.Value.Emit(), secret) {
				t.Errorf("span %q carries the mutation's input in %s", s.Name(), kv.Key)
			}
		}
	}
	if trips := resp.Extensions.Cost.RoundTrips; statements != trips || writes == 0 || !plan.IsValid() {
		t.Errorf("%d statement spans (%d writing) for %d round trips, plan span found: %v", statements, writes, trips, plan.IsValid())
	}
}

// TestTracingOff: with no tracer given (no endpoint configured), a request makes no span — not even through
// the process's global provider, which the parts must not fall back to.
func TestTracingOff(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	global := otel.GetTracerProvider()
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { otel.SetTracerProvider(global) })

	srv := tracedStack(t, nil)
	resp := postTraced(t, srv, tracedQuery, map[string]any{"q": secretVariable}, nil)
	if resp.Extensions.Cost.RoundTrips < 2 {
		t.Fatalf("the request cost %d round trips; it did not run", resp.Extensions.Cost.RoundTrips)
	}
	if n := len(exp.GetSpans()); n != 0 {
		t.Errorf("tracing off recorded %d spans", n)
	}
}

// TestTracingNeedsARequest: a traced store makes no span for statements outside a traced request (background
// work: the change feed's polls, retention, the planner's warm-up).
func TestTracingNeedsARequest(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	store()
	cfg := neo4jtest.Config()
	cfg.Tracer = tp
	db, err := neo4jdb.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	exp.Reset() // Open pings
	if err := db.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(exp.GetSpans()); n != 0 {
		t.Errorf("a statement outside a request made %d spans", n)
	}
	ctx, span := tp.Tracer("test").Start(context.Background(), "job")
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	span.End()
	if n := len(exp.GetSpans()); n != 2 {
		t.Errorf("a statement inside a traced job made %d spans with the job's; want 2", n)
	}
}

// BenchmarkTracingOverhead serves seeds queries with tracing off and on (the SDK with a batching in-memory
// exporter, as serve batches to a collector), interleaved so that both see the same machine, and reports
// the median latency of each and their ratio. Bounded: go test ./graph -run '^$' -bench TracingOverhead -benchtime 200x
func BenchmarkTracingOverhead(b *testing.B) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
	b.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	off, on := tracedStack(b, nil), tracedStack(b, tp)
	for _, name := range []string{"small", "chain-with-hebei-firms-and-bottlenecks"} {
		query := `{ chainMaps { id name } }`
		if name != "small" {
			query = benchQueries[name]
		}
		b.Run(name, func(b *testing.B) {
			postTraced(b, off, query, nil, nil) // warm both: plans cached in Neo4j, connections open
			postTraced(b, on, query, nil, nil)
			var latOff, latOn []time.Duration
			i := 0
			for b.Loop() {
				first, second := off, on
				if i%2 == 1 {
					first, second = on, off
				}
				for _, srv := range []*httptest.Server{first, second} {
					start := time.Now()
					postTraced(b, srv, query, nil, nil)
					if srv == off {
						latOff = append(latOff, time.Since(start))
					} else {
						latOn = append(latOn, time.Since(start))
					}
				}
				if i++; i%50 == 0 {
					exp.Reset()
				}
			}
			p50 := func(l []time.Duration) float64 {
				slices.Sort(l)
				return float64(l[len(l)/2].Microseconds()) / 1000
			}
			offMs, onMs := p50(latOff), p50(latOn)
			b.ReportMetric(offMs, "off-p50-ms")
			b.ReportMetric(onMs, "on-p50-ms")
			b.ReportMetric(onMs/offMs, "on/off-p50")
		})
	}
}
