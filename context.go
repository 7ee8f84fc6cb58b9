package chainmap

import (
	"context"
	"sync/atomic"
)

type ctxKey int

const (
	operationKey ctxKey = iota
	queryCountKey
)

// WithOperation returns a context that carries the GraphQL operation name, which the store attaches to its
// Neo4j transactions as metadata.
func WithOperation(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, operationKey, name)
}

// OperationName returns the operation name carried by ctx, or "".
func OperationName(ctx context.Context) string {
	name, _ := ctx.Value(operationKey).(string)
	return name
}

// WithQueryCount returns a context in which the store counts its round trips to Neo4j, and the counter.
func WithQueryCount(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, queryCountKey, n), n
}

// CountQuery adds one round trip to the counter carried by ctx, if any.
func CountQuery(ctx context.Context) {
	if n, ok := ctx.Value(queryCountKey).(*atomic.Int64); ok {
		n.Add(1)
	}
}
