package neo4jdb

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/graph"
)

// sel builds a selection from a compact list: a string is a plain value, a *chainmap.SelectedField a relation.
func sel(kind chainmap.Kind, fields ...any) *chainmap.Selection {
	s := &chainmap.Selection{Kind: kind}
	for _, f := range fields {
		switch x := f.(type) {
		case string:
			s.Fields = append(s.Fields, chainmap.SelectedField{Key: x, Name: x})
		case chainmap.SelectedField:
			s.Fields = append(s.Fields, x)
		}
	}
	return s
}

func rel(key, name string, args chainmap.FieldArgs, s *chainmap.Selection) chainmap.SelectedField {
	return chainmap.SelectedField{Key: key, Name: name, Args: args, Sel: s}
}

// No part of a request reaches the Cypher text: aliases and argument values go in as positions and
// parameters. Hostile aliases and values leave the text unchanged.
func TestRequestTextNeverBecomesCypher(t *testing.T) {
	build := func(alias, value string) string {
		s := sel(chainmap.KindSegment, "id", rel(alias, "enterprises", chainmap.FieldArgs{RegionCode: value, First: 3},
			sel(chainmap.KindEnterprise, "id")))
		cypher, params, err := recordsStatement([]chainmap.RecordsRequest{{Kind: chainmap.KindSegment, IDs: []string{value}, Sel: s}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(mustJSON(params)), "DETACH") && value != "130600" {
			t.Fatalf("the value is not among the parameters: %v", params)
		}
		return cypher
	}
	// A city: the value's shape may choose a fragment (a province needs no walk up PART_OF), but never enters it.
	plain := build("firms", "130600")
	hostile := build("x`}) MATCH (n) DETACH DELETE n //", "'}) MATCH (n) DETACH DELETE n //")
	if plain != hostile {
		t.Errorf("the Cypher text depends on the request's alias or values:\n%s\n---\n%s", plain, hostile)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// The kind table follows the schema: each kind is an object type of the executable schema, each of its fields a
// field of that type, and each relation reads the type the field returns (or the members of its union). The
// other way — every field of the schema compiles, with the arguments the planner gives it — is
// graph.TestEverySchemaFieldCompiles, from GraphQL text. A line the schema lacks would be a field no one can
// ask for but FlagRecord would accept (hasField): eight evidence lines were, until they were dropped.

func TestKindTableFollowsTheSchema(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	var missing []string
	for kind, spec := range kinds {
		def := schema.Types[string(kind)]
		if def == nil || def.Kind != ast.Object {
			t.Errorf("kind %s is no object type of the schema", kind)
			continue
		}
		for name, f := range spec.fields {
			fd := def.Fields.ForName(name)
			if fd == nil {
				missing = append(missing, string(kind)+"."+name)
				continue
			}
			if f.rel == nil {
				continue
			}
			var want []string
			switch rt := schema.Types[fd.Type.Name()]; rt.Kind {
			case ast.Union:
				want = rt.Types
			default:
				want = []string{rt.Name}
			}
			var got []string
			for _, k := range f.rel.kinds {
				got = append(got, string(k))
			}
			if !slices.Equal(sorted(got), sorted(want)) {
				t.Errorf("%s.%s reads %v, the schema says %v", kind, name, got, want)
			}
			if many := fd.Type.Elem != nil; many != f.rel.many && len(f.rel.kinds) == 1 {
				t.Errorf("%s.%s reads a list: %v, the schema: %v", kind, name, f.rel.many, many)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("kind table fields that are not in the schema: %v", sorted(missing))
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
