package graph

import (
	"github.com/99designs/gqlgen/graphql"
)

// MarshalString marshals GraphQL String values. The domain keeps absent text as "", and the API shows it as
// null: a planner or a frontend should never have to tell "" from "unknown". Required text (names, ids, urls)
// is never empty, so a bug that empties one shows up as a null-in-non-null error rather than a blank label.
func MarshalString(s string) graphql.Marshaler {
	if s == "" {
		return graphql.Null
	}
	return graphql.MarshalString(s)
}

// UnmarshalString reads GraphQL String input values.
func UnmarshalString(v any) (string, error) { return graphql.UnmarshalString(v) }
