package graph_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/neo4jdb"
)

// The request engine from GraphQL text to Cypher, without a database: each case is a request (text and
// variables) and its golden file under testdata/cypher holds the statements the store would run for it — the
// Cypher, nested subqueries indented, and the parameters — or, for a request refused while it is planned, the
// errors and no statement. The store runs on a neo4jdb.Recorder, which records each statement and answers it as
// an empty database would. A change to the planner (plan.go), the compiler (neo4jdb/project.go, kinds.go) or a
// store method's Cypher changes a golden file: run `go test ./graph -run CypherFromGraphQL -update` after a
// deliberate change and read the diff. The statements themselves run against Neo4j in the golden answers
// (golden_test.go) and the other tests of this package.

// cursor is a cursor of the API (graph/cursor.go): base64url of the ordering, the item's sort key and its id.
func cursor(order string, key any, id string) string {
	c := map[string]any{"o": order, "i": id}
	switch k := key.(type) {
	case int:
		c["n"] = k
	default:
		c["s"] = k
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

type cypherCase struct {
	name  string
	query string
	vars  map[string]any
}

var cypherCases = []cypherCase{
	// Root fields that read records by id.
	{"chain-map-segments-firms-sites-regions", `{
  chainMap(id: "hydrogen") {
    name leadRegion { name }
    segments { id order firms: enterprises(regionCode: "130000", role: LEAD, first: 20) { id name sites { kind region { name } park { id } } } }
  }
}`, nil},
	{"chain-map-stats-progress-lists", `{
  chainMap(id: "nev-icv") {
    id stats { enterprises openBottlenecks segmentsByStage { key count } }
    progress { year open inProgress resolvedSoFar }
    lists { id kind coverage { items held missing } }
    sourcesAsOf sources { title }
  }
}`, nil},
	{"segment-upstream-downstream-bottlenecks", `{
  segment(id: "nev-vehicles") {
    name stage chainMap { id }
    upstream { id chainMap { id } } downstream { id }
    bottlenecks { id severity tacklers { since status actor { ... on Enterprise { id } ... on Institution { id kind } } } }
    flags { open total }
  }
}`, nil},
	{"enterprise-suppliers-customers-tiers", `{
  enterprise(id: "beijing-hyundai") {
    id synthetic formerNames parent { id } chainRoleIn { id }
    suppliers(first: 5) { product since supplier { id } sources { id } }
    customers { product customer { id name } }
    up: upstream(tiers: 3) { tier enterprise { id } }
    downstream { tier enterprise { name } }
    tackles { id }
  }
}`, nil},
	{"bottleneck-tacklers-history-sources", `{
  bottleneck(id: "h2-bn-carbon-fibre-tanks") {
    id status segments { id }
    tacklers { since actor { __typename ... on Enterprise { id name } ... on Institution { id } } }
    statusHistory { from to at author note }
    sources { title url }
  }
}`, nil},
	{"region-children-firms-stats-in-one-chain", `{
  region(code: "130600") {
    name level province { code } parent { code } children { code }
    enterprises(first: 5) { id }
    stats(chainMapId: "robots") { enterprises sites openBottlenecks rdLinksIn rdLinksOut }
  }
}`, nil},
	{"region-province-stats-of-every-chain", `{ region(code: "130000") { name stats { enterprises sitesByKind { key count } enterprisesByChainMap { key count } } } }`, nil},
	{"enterprise-with-flag-counts", `{ enterprise(id: "sinohytec") { id flags { open total } sites { id flags { open } } } }`, nil},
	{"source-by-id", `{ source(id: "s13") { id title publisher url date reliability language note } }`, nil},

	// Root fields that read every record, or a list with arguments.
	{"chain-maps", `{ chainMaps { id name nameZh segments { id } } }`, nil},
	{"regions-of-a-level", `{ regions(level: CITY) { code name stats(chainMapId: "nev-icv") { enterprises openBottlenecks } } }`, nil},
	{"regions-all", `{ regions { code } }`, nil},
	{"indicators-filtered-years", `{
  indicators(filter: {ids: ["bj-tech-contracts-value"], fromYear: 2013, toYear: 2020}) { id unit values { year period value sources { id } } }
}`, nil},
	{"indicators-by-text-no-years", `{ indicators(filter: {text: "技术合同"}) { id values { year value } } }`, nil},
	{"official-lists-of-a-kind", `{
  officialLists(chainMapId: "nev-icv", kind: CHOKEPOINT_LIST) {
    id issuer chainMap { id } issuedBy { id }
    items { rank label record { __typename ... on Enterprise { id } ... on Bottleneck { id } ... on Segment { id } } }
  }
}`, nil},
	{"search-typed", `{ search(query: "亿华通", types: [ENTERPRISE, SEGMENT], first: 5) { type id name score node { ... on Enterprise { id chainRole } ... on Segment { stage } } } }`, nil},
	{"search-default", `{ search(query: "hydrogen") { id } }`, nil},
	{"rd-link-flows", `{ rdLinkFlows(filter: {chainMapId: "nev-icv"}) { fromRegion { name } toRegion { name } kind links } }`, nil},

	// Connections: filters, first/after, orderBy, totalCount, edges and nodes.
	{"enterprises-filtered-ordered-after-cursor", `query($after: String) {
  enterprises(filter: {chainMapId: "hydrogen", regionCode: "130000", siteKind: MANUFACTURING, chainRole: LEAD},
              orderBy: {field: OPEN_BOTTLENECKS, direction: DESC}, first: 50, after: $after) {
    totalCount
    edges { cursor node { id segments { id } } }
    nodes { id name }
    pageInfo { hasNextPage endCursor }
  }
}`, map[string]any{"after": cursor("OPEN_BOTTLENECKS DESC", 3, "sinohytec")}},
	{"enterprises-default-page-nodes-only", `{ enterprises { nodes { id } } }`, nil},
	// A province by exposure: the maintained exposures in index order, the total from the region's count.
	{"enterprises-of-a-province-by-exposure-with-total", `{ enterprises(filter: {regionCode: "130000"},
  orderBy: {field: OPEN_BOTTLENECKS, direction: DESC}, first: 50) { totalCount nodes { id } } }`, nil},
	{"enterprises-by-text-stage-segment", `{ enterprises(filter: {segmentId: "h2-fc-stack", stage: MIDSTREAM, text: "氢", synthetic: false}, orderBy: {field: SEGMENT_COUNT}) { totalCount } }`, nil},
	{"enterprise-groups-by-province", `{ enterpriseGroups(filter: {chainMapId: "robots"}, by: PROVINCE) { key name count } }`, nil},
	{"bottlenecks-every-filter", `{
  bottlenecks(filter: {chainMapId: "hydrogen", segmentId: "h2-fc-stack", stage: MIDSTREAM, regionCode: "110000",
                       noTacklerInRegionCode: "130000", affectsRegionCode: "120000", kind: CHOKEPOINT, category: MATERIAL,
                       minSeverity: 3, status: OPEN, hasTackler: true, text: "膜电极 \"MEA\" OR *"},
              orderBy: {field: SEVERITY, direction: DESC}, first: 10) {
    totalCount nodes { id severity }
  }
}`, nil},
	{"bottlenecks-by-name-after-cursor", `{ bottlenecks(orderBy: {field: NAME}, after: "` + cursor("NAME DESC", "Carbon", "h2-bn-carbon-fibre-tanks") + `") { edges { node { id name } } } }`, nil},
	{"bottleneck-groups-by-chain", `{ bottleneckGroups(filter: {status: OPEN}, by: CHAIN_MAP) { key name count } }`, nil},
	{"rd-links-filtered-with-ends", `{
  rdManufacturingLinks(filter: {chainMapId: "nev-icv", segmentId: "nev-vehicles", toRegionCode: "130900", includeDerived: false,
                                kinds: [RD_TO_PRODUCTION], synthetic: false}, first: 50) {
    totalCount
    nodes { id derived year from { ... on Site { id } ... on Institution { id } } to { ... on Site { id } ... on Enterprise { id } } toRegion { name } sources { id } }
  }
}`, nil},
	{"rd-links-count-only-after-cursor", `{ rdManufacturingLinks(first: 10, after: "` + cursor("ID ASC", "x", "x") + `") { totalCount } }`, nil},
	{"sources-by-text-reliability-after-cursor", `{
  sources(filter: {text: "Xinhua' OR 1=1", reliability: [OFFICIAL, MEDIA], language: "zh"}, orderBy: {field: DATE, direction: DESC},
          first: 20, after: "` + cursor("DATE DESC", "2023-05", "s13") + `") {
    totalCount nodes { id title url }
  }
}`, nil},
	{"flags-open-in-a-chain-with-records", `{
  flags(filter: {status: OPEN, chainMapId: "hydrogen"}, first: 10) {
    totalCount nodes { id note status record { __typename ... on Enterprise { id flags { open } } ... on Site { id flags { open } } ... on Source { title } } }
  }
}`, nil},
	{"flags-of-one-record-after-cursor", `{ flags(filter: {recordId: "sinohytec"}, after: "` + cursor("SEQ DESC", 7, "f7") + `") { edges { node { id status } } } }`, nil},
	{"flag-stats", `{ flagStats(chainMapId: "hydrogen") { open resolved rejected oldestOpenAt openByKind { key count } } }`, nil},
	{"changes-log", `{ changes(after: "10", first: 5, kinds: [BOTTLENECK], chainMapId: "hydrogen") { edges { cursor node { seq kind recordId } } pageInfo { hasNextPage } } }`, nil},

	// The analyses: their statement, then the records they name, with what the request selects of them.
	{"bottleneck-impact", `{
  bottleneckImpact(id: "h2-bn-carbon-fibre-tanks", maxDepth: 3, maxNodes: 100) {
    maxDepth truncated bottleneck { name } segments { segment { id } distance } enterprises { enterprise { id } distance }
    regions { region { code } enterprises distance }
  }
}`, nil},
	{"supply-paths", `{ supplyPaths(fromId: "h2-fc-materials", toId: "nev-services", maxHops: 6, first: 3) { length nodes { id type } } }`, nil},
	{"coverage-gaps", `{ coverageGaps(chainMapId: "biomedicine") { segment { id name } kind rdFirmsInBeijing manufacturingFirmsInTianjinHebei openBottlenecks } }`, nil},
	{"single-source-risks", `{ singleSourceRisks(chainMapId: "machine-tools") { segment { id } kind enterprises { id } region { code } feeds { id } } }`, nil},
	{"alternative-suppliers", `{ alternativeSuppliers(enterpriseId: "sinohytec", segmentId: "h2-fc-stack", first: 8) { enterprise { id } segment { id } regionDistance sharedRegion { code } } }`, nil},
	{"criticality", `{ criticality(chainMapId: "nev-icv", first: 8) { rank enterprise { id name } score degree betweenness openBottlenecks } }`, nil},
	{"chain-graph", `{ chainGraph(chainMapId: "hydrogen", layers: [SEGMENTS, BOTTLENECKS], maxNodes: 500) { nodeCount edgeCount truncated nodes { id type } edges { type source target } } }`, nil},
	{"graph-slice", `{ graphSlice(rootIds: ["sinohytec", "h2-fc-stack"], direction: UPSTREAM, maxHops: 3, maxNodes: 200) { nodeCount nodes { id } } }`, nil},
	{"region-chain-gaps", `{ regionChainGaps(regionCode: "130600", chainMapId: "hydrogen", thinAtMost: 2, first: 3) { region { name } chainMap { id } } }`, nil},
	{"scenario", `{ scenario(remove: {regionCodes: ["130600"], enterpriseIds: ["sinohytec"]}, chainMapId: "hydrogen", first: 5, alternatives: 2) { stoppedSites stoppedEnterprises } }`, nil},
	{"scenario-regions", `{ scenario(remove: {regionCodes: ["130600"]}, chainMapId: "hydrogen", first: 5, alternatives: 2) { stoppedSites stoppedEnterprises } }`, nil},
	{"changes-summary", `{ changesSummary(chainMapId: "hydrogen", regionCode: "130000", from: "2023", to: "2024-06", first: 10) { from to } }`, nil},

	// Fragments, directives, aliases, several root fields.
	{"named-and-inline-fragments", `query {
  enterprise(id: "sinohytec") { ...firm ... on Enterprise { sites { ...site } } }
}
fragment firm on Enterprise { id name segments { id } }
fragment site on Site { id kind region { code } }`, nil},
	{"skip-and-include-from-variables", `query($withSites: Boolean!, $noSegments: Boolean!) {
  enterprise(id: "sinohytec") {
    id
    sites @include(if: $withSites) { id }
    segments @skip(if: $noSegments) { id }
    ... on Enterprise @include(if: $withSites) { tackles { id } }
  }
}`, map[string]any{"withSites": true, "noSegments": true}},
	{"skip-and-include-literal-false", `{ enterprise(id: "sinohytec") { id sites @include(if: false) { id } segments @skip(if: false) { id } } }`, nil},
	{"aliases-same-field-different-arguments", `{
  segment(id: "h2-fc-stack") {
    hebei: enterprises(regionCode: "130000") { id }
    leads: enterprises(role: LEAD, first: 3) { id }
    id
    key: id
  }
}`, nil},
	{"aliases-in-edges-and-nodes-merged", `{
  enterprises(first: 3) { nodes { id s: sites { id } } edges { node { name s: sites { kind } } } }
}`, nil},
	{"variables-for-arguments-and-filters", `query($id: ID!, $first: Int, $region: String, $tiers: Int) {
  enterprise(id: $id) { suppliers(first: $first) { product } upstream(tiers: $tiers) { tier } }
  segment(id: "h2-fc-stack") { enterprises(regionCode: $region, first: $first) { id } }
}`, map[string]any{"id": "sinohytec", "first": 7, "region": "110108", "tiers": 4}},
	{"two-root-fields-aliased", `{ a: chainMap(id: "hydrogen") { id } b: chainMap(id: "robots") { name } }`, nil},
	{"typename-only", `{ chainMap(id: "hydrogen") { __typename } }`, nil},
	{"union-member-selections-of-search", `{ search(query: "北京") { node { __typename ... on Region { code level } ... on Park { id region { code } } ... on Indicator { unit } ... on ChainMap { id } ... on Institution { kind } ... on Bottleneck { status } } } }`, nil},

	// Refused while planned: BAD_USER_INPUT, and no statement.
	{"refused-first-too-large", `{ enterprises(first: 500) { nodes { id } } }`, nil},
	{"refused-nested-first-negative", `{ segment(id: "h2-fc-stack") { enterprises(first: -1) { id } } }`, nil},
	{"refused-nested-region-code", `{ segment(id: "h2-fc-stack") { enterprises(regionCode: "Hebei") { id } } }`, nil},
	{"refused-nested-chain-map-id", `{ region(code: "130000") { stats(chainMapId: "Not An Id") { enterprises } } }`, nil},
	{"refused-tiers-out-of-range", `{ enterprise(id: "sinohytec") { upstream(tiers: 9) { tier } } }`, nil},
	{"refused-conflicting-aliases-in-a-list", `{ enterprises { nodes { x: sites { id } } edges { node { x: segments { id } } } } }`, nil},
	{"refused-bad-cursor", `{ enterprises(after: "not-a-cursor") { nodes { id } } }`, nil},
	{"refused-cursor-of-another-order", `{ enterprises(orderBy: {field: NAME}, after: "` + cursor("ID ASC", "x", "x") + `") { nodes { id } } }`, nil},
	{"refused-filter-region-code", `{ bottlenecks(filter: {regionCode: "1300"}) { totalCount } }`, nil},
	{"refused-filter-severity", `{ bottlenecks(filter: {minSeverity: 9}) { totalCount } }`, nil},
	{"refused-blank-text", `{ enterprises(filter: {text: "  "}) { totalCount } }`, nil},
	{"refused-impact-depth", `{ bottleneckImpact(id: "h2-bn-carbon-fibre-tanks", maxDepth: 7) { maxDepth } }`, nil},
	{"refused-nested-first-from-variable", `query($n: Int) { region(code: "130000") { enterprises(first: $n) { id } } }`, map[string]any{"n": 1000}},
}

// admin reads everything, flags included.
const adminKey = "admin-key-0000000000000"

func TestCypherFromGraphQL(t *testing.T) {
	db, rec := neo4jdb.Recording()
	srv := newServerOver(t, db, graph.Options{})
	seen := map[string]bool{}
	for _, tc := range cypherCases {
		if seen[tc.name] {
			t.Fatalf("two cases named %s", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, adminKey, tc.query, tc.vars)
			got := cypherGolden(tc, rec.Take(), r)
			refused := strings.HasPrefix(tc.name, "refused-")
			if refused && (r.code() != "BAD_USER_INPUT" || strings.Contains(got, "\n// statement ")) {
				t.Errorf("want BAD_USER_INPUT before any statement:\n%s", got)
			}
			// Past planning, an error can only come from decoding the Recorder's empty answer: it is written in the
			// golden file, after the statements the request ran.
			if !refused && !strings.Contains(got, "\n// statement ") {
				t.Errorf("no statement ran:\n%s", got)
			}
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
				t.Errorf("statements differ from %s (run with -update and read the diff):\n%s", path, got)
			}
		})
	}
	if *update {
		files, _ := filepath.Glob(filepath.Join("testdata", "cypher", "*.cypher"))
		for _, f := range files {
			if !seen[strings.TrimSuffix(filepath.Base(f), ".cypher")] {
				t.Errorf("%s belongs to no case: remove it", f)
			}
		}
	}
}

// cypherGolden writes a case and what it ran: the request, then each statement with its parameters, then the
// errors. Root fields resolve concurrently, so the statements of a request with several are sorted by their
// text; those of one root field keep the order they ran in.
func cypherGolden(tc cypherCase, sts []neo4jdb.Statement, r response) string {
	var b strings.Builder
	b.WriteString("// request\n")
	for _, l := range strings.Split(tc.query, "\n") {
		b.WriteString("//   " + l + "\n")
	}
	if tc.vars != nil {
		v, _ := json.Marshal(tc.vars)
		fmt.Fprintf(&b, "// variables %s\n", v)
	}
	if doc, err := parser.ParseQuery(&ast.Source{Input: tc.query}); err == nil && len(doc.Operations[0].SelectionSet) > 1 {
		sort.SliceStable(sts, func(i, j int) bool { return sts[i].Cypher < sts[j].Cypher })
	}
	if len(sts) == 0 {
		b.WriteString("\n// no statement\n")
	}
	for i, st := range sts {
		mode := "read"
		if st.Write {
			mode = "write"
		}
		fmt.Fprintf(&b, "\n// statement %d: %s (%s)\n%s\n", i+1, st.Method, mode, indentCypher(st.Cypher))
		if len(st.Params) > 0 {
			p, _ := json.MarshalIndent(st.Params, "// ", "  ")
			fmt.Fprintf(&b, "// parameters %s\n", p)
		}
	}
	// Fields below a root field resolve concurrently too: their errors come in any order.
	sort.SliceStable(r.Errors, func(i, j int) bool { return fmt.Sprint(r.Errors[i].Path) < fmt.Sprint(r.Errors[j].Path) })
	for _, e := range r.Errors {
		after := ""
		if len(sts) > 0 {
			after = " (decoding the Recorder's empty answer)"
		}
		fmt.Fprintf(&b, "\n// error%s %v %v: %s\n", after, e.Extensions["code"], e.Path, e.Message)
	}
	return b.String()
}

// indentCypher lays a statement out by its braces — COLLECT, CALL and EXISTS subqueries, map projections: the
// lines inside a brace two spaces deeper than the line that opened it, a line that starts by closing one level
// with the line that opened it. Only the leading spaces are the layout's; the rest of each line is the
// statement's text as it was sent.
func indentCypher(cypher string) string {
	lines := strings.Split(strings.TrimSpace(cypher), "\n")
	level := make([]int, len(lines)) // the level of each line
	var open []int                   // the line that opened each brace still open
	for i, l := range lines {
		l = strings.TrimLeft(l, " \t")
		switch {
		case strings.HasPrefix(l, "}") && len(open) > 0:
			level[i] = level[open[len(open)-1]]
		case len(open) > 0:
			level[i] = level[open[len(open)-1]] + 1
		}
		lines[i] = strings.Repeat("  ", level[i]) + l
		for _, c := range braces(l) {
			if c == '{' {
				open = append(open, i)
			} else if len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
	}
	return strings.Join(lines, "\n")
}

// braces returns the braces of a line in order, outside strings, names in backticks and comments.
func braces(line string) []rune {
	var out []rune
	var quote, prev rune
	for _, c := range line {
		switch {
		case quote != 0:
			if c == quote && prev != '\\' {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '/' && prev == '/':
			return out
		case c == '{' || c == '}':
			out = append(out, c)
		}
		prev = c
	}
	return out
}

// Every root field of the schema's Query has a case: a new root field fails here until its statements are in
// the suite.
func TestEveryRootFieldHasACypherCase(t *testing.T) {
	asked := map[string]bool{}
	for _, tc := range cypherCases {
		doc, err := parser.ParseQuery(&ast.Source{Input: tc.query})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, op := range doc.Operations {
			for _, f := range rootFields(op.SelectionSet, doc.Fragments) {
				if !strings.HasPrefix(tc.name, "refused-") {
					asked[f] = true
				}
			}
		}
	}
	query := graph.NewExecutableSchema(graph.Config{}).Schema().Query
	for _, f := range query.Fields {
		if !strings.HasPrefix(f.Name, "__") && !asked[f.Name] {
			t.Errorf("root field Query.%s has no case in cypherCases (one that is not refused)", f.Name)
		}
	}
	if len(asked) == 0 {
		t.Fatal("no root field found in the cases")
	}
}

// rootFields returns the names of the fields of a selection set, through fragments.
func rootFields(set ast.SelectionSet, frags ast.FragmentDefinitionList) []string {
	var out []string
	for _, s := range set {
		switch x := s.(type) {
		case *ast.Field:
			out = append(out, x.Name)
		case *ast.InlineFragment:
			out = append(out, rootFields(x.SelectionSet, frags)...)
		case *ast.FragmentSpread:
			if fd := frags.ForName(x.Name); fd != nil {
				out = append(out, rootFields(fd.SelectionSet, frags)...)
			}
		}
	}
	return out
}

// Every field of every object type the Query reaches can be asked for — planned with its arguments (their
// schema defaults, or placeholders where they are required) and compiled by the store's kind table — without a
// database. For each field, one request reaches its type by the shortest path from a root field and asks for
// it; the same request asking only for __typename there is the baseline, which must run a statement. Asking
// for the field must run no fewer statements (a record below an analysis adds the one that reads it) and add
// no error at the root field, where planning and compiling fail. (Errors below the root field come from resolving the Recorder's empty answer, the same with
// or without the field.)
func TestEverySchemaFieldCompiles(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	db, rec := neo4jdb.Recording()
	srv := newServerOver(t, db, graph.Options{})
	paths := schemaPaths(schema)

	ask := func(path []string, sel string) (response, []neo4jdb.Statement) {
		q := "{ " + strings.Join(path, " { ") + " { " + sel + strings.Repeat(" }", len(path)) + " }"
		r := do(t, srv, adminKey, q, nil)
		return r, rec.Take()
	}
	rootErrors := func(r response) map[string]bool {
		out := map[string]bool{}
		for _, e := range r.Errors {
			if len(e.Path) <= 1 {
				out[fmt.Sprint(e.Path, " ", e.Extensions["code"], " ", e.Message)] = true
			}
		}
		return out
	}
	types := slices.Sorted(maps.Keys(paths))
	fields := 0
	for _, typ := range types {
		path := paths[typ]
		base, baseSts := ask(path, "__typename")
		if len(baseSts) == 0 {
			t.Errorf("%s: the way to it, %s, runs no statement or fails: %+v", typ, strings.Join(path, " > "), base.Errors)
			continue
		}
		for _, f := range schema.Types[typ].Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			fields++
			sel := call(schema, f)
			if rt := schema.Types[f.Type.Name()]; rt.Kind == ast.Object || rt.Kind == ast.Union {
				sel += " { __typename }"
			}
			r, sts := ask(path, sel)
			for e := range rootErrors(r) {
				if !rootErrors(base)[e] {
					t.Errorf("%s.%s (via %s): %s", typ, f.Name, strings.Join(path, " > "), e)
				}
			}
			if len(sts) < len(baseSts) {
				t.Errorf("%s.%s (via %s): %d statements, %d without it", typ, f.Name, strings.Join(path, " > "), len(sts), len(baseSts))
			}
		}
	}
	t.Logf("%d fields of %d object types asked for", fields, len(types))
}

// TestNullTakesTheDefault: for every nullable argument the schema gives a default, sending null asks the same
// question as leaving the argument out: the same statements with the same parameters, the same answer. The
// resolvers fall back on a default when they get null; where that default is written apart from the schema's,
// this is the test that sees the two disagree.
func TestNullTakesTheDefault(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	db, rec := neo4jdb.Recording()
	srv := newServerOver(t, db, graph.Options{})
	paths := schemaPaths(schema)
	ask := func(path []string, sel string) string {
		q := "{ " + strings.Join(path, " { ") + " { " + sel + strings.Repeat(" }", len(path)) + " }"
		if len(path) == 0 {
			q = "{ " + sel + " }"
		}
		r := do(t, srv, adminKey, q, nil)
		return fmt.Sprintf("%s\n%+v\n%#v", r.Data, r.Errors, rec.Take())
	}
	// Where null means something of its own (none now: chainGraph(layers: null) drew the segments alone, as
	// [] does, until the resolver took the schema's default for it).
	own := map[string]bool{}
	checked := 0
	for _, typ := range append([]string{"Query"}, slices.Sorted(maps.Keys(paths))...) {
		for _, f := range schema.Types[typ].Fields {
			sub := ""
			if rt := schema.Types[f.Type.Name()]; rt.Kind == ast.Object || rt.Kind == ast.Union {
				sub = " { __typename }"
			}
			for _, a := range f.Arguments {
				if a.DefaultValue == nil || a.Type.NonNull || own[typ+"."+f.Name+"("+a.Name+")"] {
					continue
				}
				checked++
				plain := call(schema, f)
				null := plain + "(" + a.Name + ": null)"
				if strings.HasSuffix(plain, ")") {
					null = strings.TrimSuffix(plain, ")") + ", " + a.Name + ": null)"
				}
				left, sent := ask(paths[typ], plain+sub), ask(paths[typ], null+sub)
				if left != sent {
					t.Errorf("%s.%s(%s: null) asks another question than leaving it out (the default, %s):\nleft out: %s\nnull:     %s",
						typ, f.Name, a.Name, a.DefaultValue.String(), left, sent)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d arguments with defaults found: the schema walk is broken", checked)
	}
	t.Logf("%d arguments with defaults: null takes the default", checked)
}

// schemaPaths is the shortest path from a root field to each object type of the schema: the fields (and union
// members) to open on the way, as call writes them.
func schemaPaths(schema *ast.Schema) map[string][]string {
	paths := map[string][]string{}
	var queue []string
	reach := func(from []string, f *ast.FieldDefinition) {
		rt := schema.Types[f.Type.Name()]
		step := append(slices.Clone(from), call(schema, f))
		switch rt.Kind {
		case ast.Object:
			if _, ok := paths[rt.Name]; !ok {
				paths[rt.Name] = step
				queue = append(queue, rt.Name)
			}
		case ast.Union:
			for _, m := range rt.Types {
				if _, ok := paths[m]; !ok {
					paths[m] = append(slices.Clone(step), "... on "+m)
					queue = append(queue, m)
				}
			}
		}
	}
	for _, f := range schema.Query.Fields {
		if !strings.HasPrefix(f.Name, "__") {
			reach(nil, f)
		}
	}
	for len(queue) > 0 {
		typ := queue[0]
		queue = queue[1:]
		for _, f := range schema.Types[typ].Fields {
			reach(paths[typ], f)
		}
	}
	return paths
}

// call is a field as a request asks for it: its required arguments with placeholder values (those with
// defaults take them).
func call(schema *ast.Schema, f *ast.FieldDefinition) string {
	var args []string
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			args = append(args, a.Name+": "+placeholder(schema, a.Name, a.Type))
		}
	}
	if len(args) == 0 {
		return f.Name
	}
	return f.Name + "(" + strings.Join(args, ", ") + ")"
}

// placeholder is a valid value of an argument's type: a region code where the name says code, else "x", 1,
// true, the first value of an enum, an input object with one field (of ids, if it has one).
func placeholder(schema *ast.Schema, name string, t *ast.Type) string {
	if t.Elem != nil {
		return "[" + placeholder(schema, name, t.Elem) + "]"
	}
	def := schema.Types[t.NamedType]
	switch {
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		f := def.Fields[0]
		for _, g := range def.Fields {
			if g.Type.Name() == "ID" && f.Type.Name() != "ID" {
				f = g // ids the graph lacks are answered, where codes it lacks are refused
			}
		}
		return "{" + f.Name + ": " + placeholder(schema, f.Name, f.Type) + "}"
	case t.NamedType == "Int", t.NamedType == "Float":
		return "1"
	case t.NamedType == "Boolean":
		return "true"
	case strings.Contains(strings.ToLower(name), "code"):
		return `"130000"`
	}
	return `"x"`
}
