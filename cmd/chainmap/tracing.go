package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// newTracing returns the tracer provider that sends spans over OTLP/HTTP to the collector at endpoint (its base
// URL: spans go to endpoint/v1/traces), and the function that flushes and stops it. With no endpoint and no
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT it returns a nil provider: no exporter, no spans, no cost. The exporter and
// the SDK read the other standard variables themselves (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION,
// _CERTIFICATE, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER, OTEL_BSP_*).
func newTracing(ctx context.Context, endpoint, version string, log *slog.Logger) (trace.TracerProvider, func(context.Context) error, error) {
	stop := func(context.Context) error { return nil }
	tracesEndpoint := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") // the spec's override of the base URL, used as it is
	if endpoint == "" && tracesEndpoint == "" {
		return nil, stop, nil
	}
	for _, v := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if p := os.Getenv(v); p != "" {
			if p != "http/protobuf" {
				return nil, stop, fmt.Errorf("%s=%s: chainmap sends OTLP over HTTP only (http/protobuf); point the endpoint at the collector's HTTP port, 4318 by default", v, p)
			}
			break
		}
	}
	var opts []otlptracehttp.Option
	if tracesEndpoint == "" {
		u, err := url.Parse(endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, stop, fmt.Errorf("OTLP endpoint %q: want the collector's base URL, e.g. http://127.0.0.1:4318", endpoint)
		}
		opts = append(opts, otlptracehttp.WithEndpointURL(strings.TrimSuffix(endpoint, "/")+"/v1/traces"))
	}
	exp, err := otlptracehttp.New(ctx, opts...)
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
	return tp, tp.Shutdown, nil
}
