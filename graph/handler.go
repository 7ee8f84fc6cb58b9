package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/chainmap/chainmap"
)

// Options configure the GraphQL handler.
type Options struct {
	Logger        *slog.Logger
	Introspection bool // allow schema introspection (the IDE needs it)
	// OnOperation, if set, is called after each operation with its name, duration and outcome.
	OnOperation func(name string, d time.Duration, errs int)
}

// NewHandler returns the GraphQL endpoint over store: POST and GET, a parsed-query cache, panics recovered, and
// errors presented with extensions.code.
func NewHandler(store Store, opts Options) http.Handler {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{Store: store}}))
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		start := time.Now()
		name := graphql.GetOperationContext(ctx).OperationName
		respond := next(chainmap.WithOperation(ctx, name))
		return func(ctx context.Context) *graphql.Response {
			resp := respond(ctx)
			if resp != nil && opts.OnOperation != nil {
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
	return srv
}

// presentError gives every error an extensions.code. Errors the domain marks as safe (chainmap.Error) keep
// their message; anything else (driver or Cypher errors included) becomes "internal error" plus a log line.
func presentError(ctx context.Context, log *slog.Logger, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	var domainErr *chainmap.Error
	switch {
	case errors.As(err, &domainErr):
		gqlErr.Message = domainErr.Error()
		if domainErr.Code == chainmap.CodeUnavailable {
			log.WarnContext(ctx, "graph database unavailable", "err", err)
			gqlErr.Message = chainmap.ErrUnavailable.Message
		}
		setCode(gqlErr, domainErr.Code)
	case gqlErr.Extensions["code"] != nil:
		// A validation or parse error from gqlgen: its message is about the request, safe to show.
		if code, _ := gqlErr.Extensions["code"].(string); code == "GRAPHQL_VALIDATION_FAILED" || code == "GRAPHQL_PARSE_FAILED" {
			gqlErr.Extensions["code"] = chainmap.CodeBadUserInput
			gqlErr.Extensions["reason"] = code
		}
	default:
		log.ErrorContext(ctx, "internal error", "err", err, "path", fmt.Sprint(gqlErr.Path))
		gqlErr.Message = "internal error"
		setCode(gqlErr, chainmap.CodeInternal)
	}
	return gqlErr
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}
