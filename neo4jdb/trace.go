package neo4jdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/chainmap/chainmap"
)

// Tracing. With Config.Tracer set, each round trip made inside a traced request is a client span named after
// the store method that made it. A span tells the statement's shape and never its values: the method
// (db.query.summary), a hash of the Cypher text (the same text, the same hash: compiled statements are
// parameterised, so the hash names the shape of a selection), whether it writes, the rows it returned and,
// when it failed, the Neo4j error code. Parameters, the Cypher text and error messages (which may quote
// property values) are left out. Statements outside a traced request — the change feed's polls, retention,
// the planner's warm-up — make no span: they would be roots with nothing to explain.

// StatementHashKey is the attribute that holds the first 16 hex digits of the SHA-256 of a statement's Cypher.
const StatementHashKey = attribute.Key("chainmap.statement.hash")

// StatementWriteKey is the attribute that tells a statement that writes.
const StatementWriteKey = attribute.Key("chainmap.statement.write")

const tracerName = "github.com/chainmap/chainmap/neo4jdb"

// startStatement starts the span of one round trip; the span is nil when there is none to make.
func (db *DB) startStatement(ctx context.Context, method, cypher string, write bool) (context.Context, trace.Span) {
	if db.tracer == nil || !trace.SpanContextFromContext(ctx).IsValid() {
		return ctx, nil
	}
	ctx, span := db.tracer.Start(ctx, method, trace.WithSpanKind(trace.SpanKindClient))
	if !span.IsRecording() {
		span.End()
		return ctx, nil
	}
	sum := sha256.Sum256([]byte(cypher))
	attrs := []attribute.KeyValue{
		semconv.DBSystemNameNeo4j,
		semconv.DBQuerySummary(method),
		StatementHashKey.String(hex.EncodeToString(sum[:8])),
		StatementWriteKey.Bool(write),
	}
	if db.cfg.Database != "" {
		attrs = append(attrs, semconv.DBNamespace(db.cfg.Database))
	}
	span.SetAttributes(attrs...)
	return ctx, span
}

// endStatement ends a round trip's span with the rows it returned, or its error's code.
func endStatement(span trace.Span, rows int, err error) {
	if span == nil {
		return
	}
	if err != nil {
		span.SetAttributes(semconv.ErrorTypeKey.String(errorType(err)))
		span.SetStatus(codes.Error, "")
	} else {
		span.SetAttributes(semconv.DBResponseReturnedRows(rows))
	}
	span.End()
}

// errorType names an error without its message: the Neo4j code, or the kind of failure.
func errorType(err error) string {
	var neoErr *neo4j.Neo4jError
	var connErr *neo4j.ConnectivityError
	switch {
	case errors.As(err, &neoErr):
		return neoErr.Code
	case errors.Is(err, chainmap.ErrTimeout):
		return "timeout"
	case errors.Is(err, chainmap.ErrReplicaBehind):
		return "replica_behind"
	case errors.Is(err, chainmap.ErrUnavailable):
		return "unavailable"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline_exceeded"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &connErr), isUnavailable(err):
		return "unavailable"
	}
	return "_OTHER"
}
