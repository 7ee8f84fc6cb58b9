package neo4jdb

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
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

func rel(key, name string, args any, s *chainmap.Selection) chainmap.SelectedField {
	return chainmap.SelectedField{Key: key, Name: name, Args: args, Sel: s}
}

// No part of a request reaches the Cypher text: aliases and argument values go in as positions and
// parameters. Hostile aliases and values leave the text unchanged.
func TestRequestTextNeverBecomesCypher(t *testing.T) {
	build := func(alias, value string) string {
		s := sel(chainmap.KindSegment, "id", rel(alias, "enterprises", chainmap.SegmentEnterprisesArgs{RegionCode: value, First: 3},
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

// Every field of the kind table compiles, alone, for each kind: a schema field missing here would fail at run
// time instead.
func TestEveryFieldCompiles(t *testing.T) {
	for kind, spec := range kinds {
		for name, f := range spec.fields {
			field := chainmap.SelectedField{Key: name, Name: name}
			if f.rel != nil {
				field.Args = argsFor(kind, name)
				if len(f.rel.kinds) == 1 {
					field.Sel = sel(f.rel.kinds[0])
				} else {
					for _, k := range f.rel.kinds {
						field.Cases = append(field.Cases, sel(k))
					}
				}
			}
			s := scope{"n": "n", "r": "r", "from": "f", "to": "t", "tier": "tier", "score": "s", "label": "l",
				"id": "id", "derived": "d", "a": "a", "b": "b", "ent": "e", "t": "tx", "fromRegion": "fr", "toRegion": "tr",
				"firmInChain": "true", "siteInChain": "true", "segmentInChain": "true", "linkInChain": "true", "kind": "k", "links": "ln"}
			if _, err := newCompiler().project(&chainmap.Selection{Kind: kind, Fields: []chainmap.SelectedField{field}}, s); err != nil {
				t.Errorf("%s.%s: %v", kind, name, err)
			}
		}
	}
}

func argsFor(kind chainmap.Kind, name string) any {
	switch string(kind) + "." + name {
	case "Segment.enterprises":
		return chainmap.SegmentEnterprisesArgs{First: 1}
	case "Region.enterprises", "Enterprise.suppliers", "Enterprise.customers":
		return chainmap.FirstArgs{First: 1}
	case "Enterprise.upstream", "Enterprise.downstream":
		return chainmap.TierArgs{Tiers: 1}
	}
	return nil
}
