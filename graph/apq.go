package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/chainmap/chainmap"
)

// persistedQueries is gqlgen's automatic persisted queries (Apollo's protocol: extensions.persistedQuery with
// version 1 and the query's sha256Hash), with every refusal an error about the request: an unknown hash keeps
// gqlgen's message PersistedQueryNotFound, which clients look for, as reason PERSISTED_QUERY_NOT_FOUND; a hash
// that does not match its query, another version or a malformed extension are PERSISTED_QUERY_INVALID. Each
// process caches the last 1,000 queries it was sent: a replica that has not seen one answers not found, and the
// client sends the query again.
type persistedQueries struct {
	apq extension.AutomaticPersistedQuery
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = persistedQueries{}

// PersistedQueryCacheSize is how many persisted queries each process keeps.
const PersistedQueryCacheSize = 1000

func newPersistedQueries() persistedQueries {
	return persistedQueries{extension.AutomaticPersistedQuery{Cache: lru.New[string](PersistedQueryCacheSize)}}
}

func (p persistedQueries) ExtensionName() string                     { return p.apq.ExtensionName() }
func (p persistedQueries) Validate(s graphql.ExecutableSchema) error { return p.apq.Validate(s) }

func (p persistedQueries) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	err := p.apq.MutateOperationParameters(ctx, raw)
	if err == nil {
		return nil
	}
	if err.Extensions["code"] == nil {
		err.Extensions = map[string]any{"code": chainmap.CodeBadUserInput, "reason": "PERSISTED_QUERY_INVALID"}
	}
	return err
}
