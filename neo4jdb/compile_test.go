package neo4jdb

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/cypher")

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

// The compiler's output for each shape of request: the Cypher text and its parameters, checked against golden
// files without a database (run with -update after a deliberate change, and read the diff). The statements
// themselves run against the real Neo4j in the graph package's tests.
func TestCompiledStatements(t *testing.T) {
	region := "130000"
	chainMap := "hydrogen"
	for _, tc := range []struct {
		name  string
		build func() (string, map[string]any, error)
	}{
		{"chain-map-segments-firms-sites-regions", func() (string, map[string]any, error) {
			return recordsStatement([]chainmap.RecordsRequest{{Kind: chainmap.KindChainMap, IDs: []string{"hydrogen"},
				Sel: sel(chainmap.KindChainMap, "name", rel("segments", "segments", nil, sel(chainmap.KindSegment, "id", "order",
					rel("firms", "enterprises", chainmap.SegmentEnterprisesArgs{RegionCode: "130000", Role: chainmap.Lead, First: 20},
						sel(chainmap.KindEnterprise, "id", "name", rel("sites", "sites", nil, sel(chainmap.KindSite, "kind",
							rel("region", "region", nil, sel(chainmap.KindRegion, "name")))))))))}})
		}},
		{"chain-map-stats-and-progress", func() (string, map[string]any, error) {
			return recordsStatement([]chainmap.RecordsRequest{{Kind: chainmap.KindChainMap, IDs: []string{"hydrogen", "robots"},
				Sel: sel(chainmap.KindChainMap, "id", rel("stats", "stats", nil, sel(chainmap.KindChainMapStats, "openBottlenecks")),
					rel("progress", "progress", nil, sel(chainmap.KindYearProgress, "year", "open", "inProgress", "resolvedSoFar")))}})
		}},
		{"bottleneck-tacklers-history-sources", func() (string, map[string]any, error) {
			actor := chainmap.SelectedField{Key: "actor", Name: "actor", Cases: []*chainmap.Selection{
				sel(chainmap.KindEnterprise, "id", "name"), sel(chainmap.KindInstitution, "id")}}
			return recordsStatement([]chainmap.RecordsRequest{{Kind: chainmap.KindBottleneck, IDs: []string{"b1", "b2"},
				Sel: sel(chainmap.KindBottleneck, "id", "status", rel("tacklers", "tacklers", nil, sel(chainmap.KindTackler, "since", actor)),
					rel("statusHistory", "statusHistory", nil, sel(chainmap.KindStatusChange, "from", "to")),
					rel("sources", "sources", nil, sel(chainmap.KindSource, "title")))}})
		}},
		{"enterprise-suppliers-and-tiers", func() (string, map[string]any, error) {
			return recordsStatement([]chainmap.RecordsRequest{{Kind: chainmap.KindEnterprise, IDs: []string{"e1"},
				Sel: sel(chainmap.KindEnterprise, "id",
					rel("suppliers", "suppliers", chainmap.FirstArgs{First: 5}, sel(chainmap.KindSupplyLink, "product",
						rel("supplier", "supplier", nil, sel(chainmap.KindEnterprise, "id")))),
					rel("up", "upstream", chainmap.TierArgs{Tiers: 2}, sel(chainmap.KindTierLink, "tier",
						rel("enterprise", "enterprise", nil, sel(chainmap.KindEnterprise, "id")))))},
				{Kind: chainmap.KindRegion, IDs: []string{"130000"}, Sel: sel(chainmap.KindRegion, "name",
					rel("stats", "stats", nil, sel(chainmap.KindRegionStats, "enterprises", "openBottlenecks")))}})
		}},
		{"regions-map-counts-in-one-chain", func() (string, map[string]any, error) {
			return recordsStatement([]chainmap.RecordsRequest{{Kind: chainmap.KindRegion, IDs: []string{"130600", "110108"},
				Sel: sel(chainmap.KindRegion, "code", rel("stats", "stats", chainmap.ChainArgs{ChainMapID: chainMap},
					sel(chainmap.KindRegionStats, "enterprises", "sites", "openBottlenecks", "rdLinksIn", "rdLinksOut")))}})
		}},
		{"enterprises-page-filtered-ordered-after-cursor-with-count", func() (string, map[string]any, error) {
			kind := chainmap.Manufacturing
			return enterprises.pageStatement(enterpriseConds(chainmap.EnterpriseFilter{ChainMapID: &chainMap, RegionCode: &region, SiteKind: &kind}),
				string(chainmap.EnterpriseByOpenBottlenecks), chainmap.Desc,
				chainmap.Page{First: 50, After: true, AfterKey: int64(3), AfterID: "sinohytec"},
				chainmap.ListRequest{Node: sel(chainmap.KindEnterprise, "id", rel("segments", "segments", nil, sel(chainmap.KindSegment, "id"))), Count: true})
		}},
		{"bottlenecks-page-by-text", func() (string, map[string]any, error) {
			text := `膜电极 "MEA" OR *`
			open := chainmap.BottleneckStatus("OPEN")
			return bottlenecks.pageStatement(bottleneckConds(chainmap.BottleneckFilter{Text: &text, Status: &open, NoTacklerInRegionCode: &region}),
				string(chainmap.BottleneckBySeverity), chainmap.Desc, chainmap.Page{First: 20},
				chainmap.ListRequest{Node: sel(chainmap.KindBottleneck, "id")})
		}},
		{"sources-page-by-text-and-reliability-after-cursor", func() (string, map[string]any, error) {
			text := "Xinhua' OR 1=1"
			return sources.pageStatement(sourceConds(chainmap.SourceFilter{Text: &text, Reliability: []chainmap.Reliability{chainmap.Official, chainmap.Media}}),
				string(chainmap.SourceByDate), chainmap.Desc, chainmap.Page{First: 20, After: true, AfterKey: "2023-05", AfterID: "s13"},
				chainmap.ListRequest{Node: sel(chainmap.KindSource, "id", "title", "url"), Count: true})
		}},
		{"rd-links-page-count-only", func() (string, map[string]any, error) {
			return rdLinks.pageStatement(rdLinkConds(chainmap.RDLinkFilter{ToRegionCode: &region}), "ID", chainmap.Asc,
				chainmap.Page{First: 10}, chainmap.ListRequest{Count: true})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cypher, params, err := tc.build()
			if err != nil {
				t.Fatal(err)
			}
			p, _ := json.MarshalIndent(params, "", "  ")
			got := cypher + "\n\n// parameters\n" + string(p) + "\n"
			path := filepath.Join("testdata", "cypher", tc.name+".cypher")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("statement differs from %s (run with -update and read the diff):\n%s", path, got)
			}
		})
	}
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
