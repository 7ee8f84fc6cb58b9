package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// newTracing returns the tracer provider that sends spans over OTLP to the collector at endpoint, and the
// function that flushes and stops it. OTLP/HTTP (protobuf), where endpoint is the collector's base URL and spans
// go to endpoint/v1/traces, unless OTEL_EXPORTER_OTLP_PROTOCOL (or its _TRACES_ form) says grpc. With no endpoint
// and no OTEL_EXPORTER_OTLP_TRACES_ENDPOINT it returns a nil provider: no exporter, no spans, no cost. The
// exporter and the SDK read the other standard variables themselves (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT,
// _COMPRESSION, _CERTIFICATE, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER, OTEL_BSP_*).
func newTracing(ctx context.Context, endpoint, version string, log *slog.Logger) (trace.TracerProvider, func(context.Context) error, error) {
	stop := func(context.Context) error { return nil }
	tracesEndpoint := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") // the spec's override of the base URL, used as it is
	if endpoint == "" && tracesEndpoint == "" {
		return nil, stop, nil
	}
	protocol := "http/protobuf"
	for _, v := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if p := os.Getenv(v); p != "" {
			if p != "http/protobuf" && p != "grpc" {
				return nil, stop, fmt.Errorf("%s=%s: chainmap sends OTLP as http/protobuf (port 4318 by default) or grpc (4317)", v, p)
			}
			protocol = p
			break
		}
	}
	if tracesEndpoint == "" {
		u, err := url.Parse(endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, stop, fmt.Errorf("OTLP endpoint %q: want the collector's base URL, e.g. http://127.0.0.1:4318", endpoint)
		}
	}
	var exp sdktrace.SpanExporter
	var err error
	switch {
	case protocol == "grpc" && tracesEndpoint == "":
		exp, err = otlptracegrpc.New(ctx, otlptracegrpc.WithEndpointURL(endpoint)) // http:// means no TLS
	case protocol == "grpc":
		exp, err = otlptracegrpc.New(ctx)
	case tracesEndpoint == "":
		exp, err = otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(strings.TrimSuffix(endpoint, "/")+"/v1/traces"))
	default:
		exp, err = otlptracehttp.New(ctx)
	}
	if err != nil {
		return nil, stop, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	// Our name and version first: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override them.
	res, err := resource.New(ctx, resource.WithAttributes(semconv.ServiceName("chainmap"), semconv.ServiceVersion(version)),
		resource.WithTelemetrySDK(), resource.WithFromEnv())
	if err != nil {
		log.Warn("tracing: part of the resource could not be read", "err", err)
	}
	// Export failures (the collector down) are logged, never fatal: tracing must not take the API down.
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { log.Warn("tracing", "err", err) }))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	if endpoint == "" {
		endpoint = tracesEndpoint
	}
	log.Info("tracing: sending spans over OTLP", "protocol", protocol, "endpoint", endpoint)
	return tp, tp.Shutdown, nil
}
