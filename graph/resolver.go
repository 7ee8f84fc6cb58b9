// Package graph is chainmap's GraphQL layer, built with gqlgen: the generated executor (generated.go, never
// edited), thin resolvers that translate arguments and call the Store, and the HTTP handler with its limits
// and error presenter. It holds no Cypher.
package graph

//go:generate go tool gqlgen generate

import (
	"context"

	"github.com/chainmap/chainmap"
)

// Store is what the resolvers need from the database. neo4jdb.DB implements it.
type Store interface {
	ChainMaps(ctx context.Context) ([]chainmap.ChainMap, error)
}

// Resolver is the root resolver; gqlgen calls it for every field that needs code.
type Resolver struct {
	Store Store
}
