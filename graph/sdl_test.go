package graph_test

import (
	"os"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/chainmap/chainmap/graph"
)

// TestSchemaFile: the checked-in merged SDL is the schema the code serves. Run with -update after changing
// schema/*.graphqls (and regenerating) to rewrite it.
func TestSchemaFile(t *testing.T) {
	const path = "../schema/schema.graphql"
	if *update {
		if err := os.WriteFile(path, []byte(graph.SDL()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./graph -run TestSchemaFile -update`)", err)
	}
	if string(got) != graph.SDL() {
		t.Fatalf("%s differs from the schema in schema/*.graphqls: run `go test ./graph -run TestSchemaFile -update` and commit it", path)
	}
}

// TestSDLLoads: the merged document is a schema on its own (what a code generator reading the file gets), with
// the same types and fields as the executable schema.
func TestSDLLoads(t *testing.T) {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: graph.SDL()})
	if err != nil {
		t.Fatalf("the merged SDL does not load: %v", err)
	}
	want := graph.NewExecutableSchema(graph.Config{}).Schema()
	for name, def := range want.Types {
		if def.BuiltIn {
			continue
		}
		got := s.Types[name]
		if got == nil {
			t.Errorf("type %s missing from the merged SDL", name)
			continue
		}
		if len(got.Fields) != len(def.Fields) || len(got.EnumValues) != len(def.EnumValues) {
			t.Errorf("type %s: %d fields and %d enum values in the merged SDL, want %d and %d", name,
				len(got.Fields), len(got.EnumValues), len(def.Fields), len(def.EnumValues))
		}
		if def.Description != "" && got.Description != def.Description {
			t.Errorf("type %s lost its description", name)
		}
	}
	if h := graph.SchemaHash(); len(h) != 12 || strings.Trim(h, "0123456789abcdef") != "" {
		t.Errorf("graph.SchemaHash() = %q, want 12 hex digits", h)
	}
}
