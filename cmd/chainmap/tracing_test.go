package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
)

// collector is a stand-in OTLP/HTTP receiver: it keeps the requests it gets.
type collector struct {
	mu   sync.Mutex
	reqs []collected
}

type collected struct {
	path, contentType string
	body              []byte
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.reqs = append(c.reqs, collected{r.URL.Path, r.Header.Get("Content-Type"), body})
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
}

func (c *collector) got() []collected {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]collected(nil), c.reqs...)
}

// grpcCollector is a stand-in OTLP/gRPC receiver: it keeps the service and name of each span it gets.
type grpcCollector struct {
	coltracepb.UnimplementedTraceServiceServer
	mu    sync.Mutex
	spans []string
}

func (c *grpcCollector) Export(_ context.Context, req *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rs := range req.GetResourceSpans() {
		service := ""
		for _, kv := range rs.GetResource().GetAttributes() {
			if kv.GetKey() == "service.name" {
				service = kv.GetValue().GetStringValue()
			}
		}
		for _, ss := range rs.GetScopeSpans() {
			for _, sp := range ss.GetSpans() {
				c.spans = append(c.spans, service+"/"+sp.GetName())
			}
		}
	}
	return &coltracepb.ExportTraceServiceResponse{}, nil
}

func (c *grpcCollector) names() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.spans...)
}

func clearOTLPEnv(t *testing.T) {
	for _, v := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
		"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_SERVICE_NAME", "OTEL_TRACES_SAMPLER"} {
		t.Setenv(v, "")
	}
}

// TestTracingSetup: no endpoint, no provider; an endpoint, spans at its /v1/traces over OTLP/HTTP; the
// traces endpoint variable, used as it is; OTLP/gRPC when the protocol says so; settings chainmap cannot
// honour, refused at start.
func TestTracingSetup(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	t.Run("off", func(t *testing.T) {
		clearOTLPEnv(t)
		tp, stop, err := newTracing(ctx, "", "test", log)
		if tp != nil || err != nil {
			t.Fatalf("no endpoint: provider %v, err %v; want none", tp, err)
		}
		if err := stop(ctx); err != nil {
			t.Error(err)
		}
	})

	for _, tc := range []struct {
		name, endpoint, tracesEnv, wantPath string
	}{
		{"base URL", "", "", "/v1/traces"},
		{"base URL with a path", "/otlp/", "", "/otlp/v1/traces"},
		{"traces endpoint", "", "/custom/traces", "/custom/traces"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearOTLPEnv(t)
			c := &collector{}
			srv := httptest.NewServer(c)
			defer srv.Close()
			endpoint := srv.URL + tc.endpoint
			if tc.tracesEnv != "" {
				endpoint = ""
				t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", srv.URL+tc.tracesEnv)
			}
			tp, stop, err := newTracing(ctx, endpoint, "v9.9.9", log)
			if err != nil || tp == nil {
				t.Fatalf("provider %v, err %v", tp, err)
			}
			_, span := tp.Tracer("test").Start(ctx, "probe-span")
			span.End()
			if err := stop(ctx); err != nil { // flushes
				t.Fatal(err)
			}
			got := c.got()
			if len(got) != 1 {
				t.Fatalf("the collector got %d requests; want 1", len(got))
			}
			r := got[0]
			if r.path != tc.wantPath || r.contentType != "application/x-protobuf" {
				t.Errorf("POST %s (%s); want %s (application/x-protobuf)", r.path, r.contentType, tc.wantPath)
			}
			for _, want := range []string{"probe-span", "chainmap", "v9.9.9"} {
				if !bytes.Contains(r.body, []byte(want)) {
					t.Errorf("the export lacks %q", want)
				}
			}
		})
	}

	t.Run("gRPC", func(t *testing.T) {
		clearOTLPEnv(t)
		t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		c := &grpcCollector{}
		gs := grpc.NewServer()
		coltracepb.RegisterTraceServiceServer(gs, c)
		go gs.Serve(ln)
		defer gs.Stop()
		tp, stop, err := newTracing(ctx, "http://"+ln.Addr().String(), "v9.9.9", log)
		if err != nil || tp == nil {
			t.Fatalf("provider %v, err %v", tp, err)
		}
		_, span := tp.Tracer("test").Start(ctx, "probe-span")
		span.End()
		if err := stop(ctx); err != nil {
			t.Fatal(err)
		}
		if got := c.names(); len(got) != 1 || got[0] != "chainmap/probe-span" {
			t.Errorf("the gRPC collector got spans %v; want [chainmap/probe-span]", got)
		}
	})

	for _, tc := range []struct {
		name, endpoint, env, value, want string
	}{
		{"no scheme", "collector:4318", "", "", "want the collector's base URL"},
		{"JSON", "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", "http/protobuf"},
		{"JSON for traces", "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json", "http/protobuf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearOTLPEnv(t)
			if tc.env != "" {
				t.Setenv(tc.env, tc.value)
			}
			tp, _, err := newTracing(ctx, tc.endpoint, "test", log)
			if tp != nil || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("provider %v, err %v; want an error saying %q", tp, err, tc.want)
			}
		})
	}
}
