// Package schema embeds the contract files: the GraphQL SDL (*.graphqls, read by gqlgen at generate time) and
// the Neo4j constraints and indexes (*.cypher, applied by neo4jdb.Migrate).
package schema

import "embed"

// Cypher holds the constraint and index statements, applied in file-name order.
//
//go:embed *.cypher
var Cypher embed.FS
