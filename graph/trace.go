package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// Tracing (Options.Tracer). Each query or mutation is a span named after its kind and name, with the Neo4j round
// trips it cost and the number of errors it answered; each root field below it is a plan span — the field's
// selection planned, its one statement run, its answer written — and the store's statement spans hang below
// that. Subscriptions make no span: a stream lives for hours, and a span that long explains nothing. No span
// carries the operation's text, its variables or its arguments.

// Span attributes of this package, beside the semantic conventions' graphql.operation.name and .type.
const (
	RoundTripsKey = attribute.Key("chainmap.neo4j.round_trips")  // on the request span: the Neo4j round trips it cost
	RootFieldKey  = attribute.Key("chainmap.graphql.root_field") // on a plan span: the root field, as the schema names it
	ErrorsKey     = attribute.Key("chainmap.graphql.errors")     // on the request span: how many errors it answered
)

const tracerName = "github.com/chainmap/chainmap/graph"

// tracing is the gqlgen extension that makes the request and plan spans.
type tracing struct{ tracer trace.Tracer }

var (
	_ graphql.HandlerExtension     = tracing{}
	_ graphql.OperationInterceptor = tracing{}
	_ graphql.RootFieldInterceptor = tracing{}
)

func (tracing) ExtensionName() string                   { return "Tracing" }
func (tracing) Validate(graphql.ExecutableSchema) error { return nil }

func (t tracing) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	kind := "query"
	if oc.Operation != nil {
		kind = string(oc.Operation.Operation)
	}
	if kind == "subscription" {
		return next(ctx)
	}
	name := oc.OperationName
	if name == "" && oc.Operation != nil {
		name = oc.Operation.Name
	}
	spanName := kind
	attrs := []attribute.KeyValue{semconv.GraphQLOperationTypeKey.String(kind)}
	if name != "" {
		spanName += " " + name
		attrs = append(attrs, semconv.GraphQLOperationName(name))
	}
	ctx, span := t.tracer.Start(ctx, spanName, trace.WithAttributes(attrs...))
	respond := next(ctx)
	ended := false
	return func(ctx context.Context) *graphql.Response {
		resp := respond(ctx)
		if ended { // deferred parts of an incremental response: the span ended with the first
			return resp
		}
		ended = true
		if resp != nil && len(resp.Errors) > 0 {
			span.SetAttributes(ErrorsKey.Int(len(resp.Errors)))
			code, _ := resp.Errors[0].Extensions["code"].(string)
			if code != "" {
				span.SetAttributes(semconv.ErrorTypeKey.String(code))
			}
			span.SetStatus(codes.Error, code)
		}
		span.End()
		return resp
	}
}

func (t tracing) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	if fc == nil {
		return next(ctx)
	}
	parent := "Query"
	if fc.Field.ObjectDefinition != nil {
		parent = fc.Field.ObjectDefinition.Name // not fc.Object: gqlgen's generated code puts the field's name there
	}
	ctx, span := t.tracer.Start(ctx, "plan "+parent+"."+fc.Field.Name,
		trace.WithAttributes(RootFieldKey.String(fc.Field.Name)))
	defer span.End()
	return next(ctx)
}

// setRoundTrips records an operation's round trips on its request span, if it has one.
func setRoundTrips(ctx context.Context, trips int64) {
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.SetAttributes(RoundTripsKey.Int64(trips))
	}
}
