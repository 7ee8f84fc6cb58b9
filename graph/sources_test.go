package graph_test

import (
	"strconv"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// TestSources: the sources list filters by text, reliability and language, pages by cursor without overlap, and
// counts when asked.
func TestSources(t *testing.T) {
	srv := newServer(t, graph.Options{})
	var all struct {
		Sources struct {
			TotalCount int
			Nodes      []struct{ ID, Title, URL, Reliability, Language string }
		}
	}
	mustData(t, srv, "", `{ sources(first: 100) { totalCount nodes { id title url reliability language } } }`, nil, &all)
	want := neo4jtest.Query(t, `MATCH (s:Source) RETURN count(s) AS n, count(CASE WHEN s.reliability = 'OFFICIAL' THEN 1 END) AS official,
		count(CASE WHEN s.language = 'en' THEN 1 END) AS en`, nil)[0]
	if int64(all.Sources.TotalCount) != want["n"] || len(all.Sources.Nodes) != min(100, all.Sources.TotalCount) {
		t.Fatalf("sources: totalCount %d, %d nodes; the graph holds %v", all.Sources.TotalCount, len(all.Sources.Nodes), want["n"])
	}
	for i := 1; i < len(all.Sources.Nodes); i++ {
		if all.Sources.Nodes[i-1].ID >= all.Sources.Nodes[i].ID {
			t.Fatalf("sources not ordered by id: %s before %s", all.Sources.Nodes[i-1].ID, all.Sources.Nodes[i].ID)
		}
	}

	// Pages by cursor, ordered by date: every source once.
	seen := map[string]bool{}
	after := any(nil)
	for pages := 0; ; pages++ {
		var pg struct {
			Sources struct {
				Edges    []struct{ Node struct{ ID string } }
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		mustData(t, srv, "", `query($after: String) { sources(first: 40, after: $after, orderBy: {field: DATE, direction: DESC}) {
			edges { node { id } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after}, &pg)
		for _, e := range pg.Sources.Edges {
			if seen[e.Node.ID] {
				t.Fatalf("source %s on two pages", e.Node.ID)
			}
			seen[e.Node.ID] = true
		}
		if !pg.Sources.PageInfo.HasNextPage || pages > 50 {
			break
		}
		after = pg.Sources.PageInfo.EndCursor
	}
	if int64(len(seen)) != want["n"] {
		t.Errorf("paging by date gave %d sources, want %v", len(seen), want["n"])
	}

	for _, tc := range []struct {
		name, filter string
		want         any
	}{
		{"reliability", `{reliability: [OFFICIAL]}`, want["official"]},
		{"language", `{language: "en"}`, want["en"]},
	} {
		var got struct{ Sources struct{ TotalCount int } }
		mustData(t, srv, "", `{ sources(filter: `+tc.filter+`) { totalCount } }`, nil, &got)
		if int64(got.Sources.TotalCount) != tc.want {
			t.Errorf("sources(filter: %s).totalCount = %d, want %v", tc.filter, got.Sources.TotalCount, tc.want)
		}
	}
	// Text matches the title, publisher or URL, ignoring case.
	title := all.Sources.Nodes[0].Title
	var byText struct {
		Sources struct{ Nodes []struct{ ID string } }
	}
	mustData(t, srv, "", `query($t: String) { sources(filter: {text: $t}, first: 100) { nodes { id } } }`, map[string]any{"t": title}, &byText)
	found := false
	for _, n := range byText.Sources.Nodes {
		found = found || n.ID == all.Sources.Nodes[0].ID
	}
	if !found {
		t.Errorf("sources(filter: {text: %q}) lacks %s", title, all.Sources.Nodes[0].ID)
	}
	if r := do(t, srv, "", `{ sources(first: 101) { totalCount } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Errorf("sources(first: 101): %v, want BAD_USER_INPUT", r.Errors)
	}
}

// TestCreateSourceAndDelete: an editor creates a source with the loader's rules, cites it from a new firm with a
// site and a supply link, and deletes the firm: its site and link go, the change log has each, readers cannot.
func TestCreateSourceAndDelete(t *testing.T) {
	cleanupTestRecords(t)
	t.Cleanup(func() { neo4jtest.Query(t, `MATCH (s:Source) WHERE s.id STARTS WITH 'mt-test' DETACH DELETE s`, nil) })
	srv := newServer(t, graph.Options{})
	const create = `mutation($in: SourceInput!) { createSource(input: $in) { id title url date reliability language publisher } }`
	in := map[string]any{"id": "mt-test-src", "title": "测试来源", "url": "https://example.org/a", "date": "2024-05",
		"reliability": "MEDIA", "language": "zh", "publisher": "Example"}
	var got struct {
		CreateSource struct{ ID, Title, URL, Date, Reliability, Language, Publisher string }
	}
	mustData(t, srv, editor, create, map[string]any{"in": in}, &got)
	if s := got.CreateSource; s.ID != "mt-test-src" || s.Date != "2024-05" || s.Reliability != "MEDIA" || s.Publisher != "Example" {
		t.Fatalf("createSource = %+v", s)
	}
	if r := do(t, srv, "", create, map[string]any{"in": in}); r.code() != "UNAUTHENTICATED" {
		t.Errorf("createSource without a token: %v, want UNAUTHENTICATED", r.Errors)
	}
	before := neo4jtest.Snapshot(t)
	for _, tc := range []struct{ name, field, value, code, path string }{
		{"taken id", "", "", "CONFLICT", "input.id"},
		{"id of another kind", "id", "catl", "CONFLICT", "input.id"},
		{"bad id", "id", "Not An Id", "BAD_USER_INPUT", "input.id"},
		{"blank title", "title", " ", "BAD_USER_INPUT", "input.title"},
		{"ftp url", "url", "ftp://example.org/a", "BAD_USER_INPUT", "input.url"},
		{"bad date", "date", "May 2024", "BAD_USER_INPUT", "input.date"},
		{"bad language", "language", "Chinese", "BAD_USER_INPUT", "input.language"},
	} {
		bad := map[string]any{}
		for k, v := range in {
			bad[k] = v
		}
		if tc.field != "" {
			bad[tc.field] = tc.value
		}
		r := do(t, srv, editor, create, map[string]any{"in": bad})
		if r.code() != tc.code || len(r.Errors) == 0 || r.Errors[0].Extensions["field"] != tc.path {
			t.Errorf("%s: %v, want %s on %s", tc.name, r.Errors, tc.code, tc.path)
		}
	}
	if r := do(t, srv, editor, create, map[string]any{"in": map[string]any{"id": "mt-test-src2", "title": "x",
		"url": "https://example.org", "reliability": "SOMETIMES"}}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("unknown reliability: %v, want BAD_USER_INPUT", r.Errors)
	}
	if after := neo4jtest.Snapshot(t); len(after) != len(before) {
		t.Errorf("refused creates changed the graph: %d nodes and links, then %d", len(before), len(after))
	}

	// A firm citing it, with a site and a supply link, then deleted.
	mustData(t, srv, editor, `mutation { upsertEnterprise(input: {id: "mt-test-del", nameEn: "To delete", segmentIds: ["h2-fc-stack"],
		confidence: REPORTED, sourceIds: ["mt-test-src"], sites: [{id: "mt-test-del-bd", kind: MANUFACTURING, regionCode: "130600"}]}) { id } }`, nil, nil)
	mustData(t, srv, editor, `mutation { linkSupplier(input: {supplierId: "mt-test-del", customerId: "sinohytec", product: "mt-test part",
		confidence: REPORTED, sourceIds: ["mt-test-src"]}) { product } }`, nil, nil)
	const del = `mutation { deleteEnterprise(id: "mt-test-del") { id seq siteIds supplyLinkIds techTransferIds } }`
	if r := do(t, srv, "viewer-key-000000000000", del, nil); r.code() != "FORBIDDEN" {
		t.Errorf("deleteEnterprise as a viewer: %v, want FORBIDDEN", r.Errors)
	}
	var d struct {
		DeleteEnterprise struct {
			ID, Seq                                 string
			SiteIds, SupplyLinkIds, TechTransferIds []string
		}
	}
	mustData(t, srv, editor, del, nil, &d)
	if x := d.DeleteEnterprise; x.ID != "mt-test-del" || x.Seq == "" || len(x.SiteIds) != 1 || len(x.SupplyLinkIds) != 1 || len(x.TechTransferIds) != 0 {
		t.Errorf("deleteEnterprise = %+v, want its site and its supply link", x)
	}
	var changes struct {
		Changes struct {
			Edges []struct {
				Node struct{ Kind, Operation, RecordID string }
			}
		}
	}
	mustData(t, srv, "", `query($after: String) { changes(after: $after) { edges { node { kind operation recordId } } } }`,
		map[string]any{"after": seqBefore(d.DeleteEnterprise.Seq, 2)}, &changes)
	ops := map[string]string{}
	for _, e := range changes.Changes.Edges {
		ops[e.Node.Kind] = e.Node.Operation
	}
	if ops["SUPPLY_LINK"] != "deleteEnterprise" || ops["ENTERPRISE"] != "deleteEnterprise" {
		t.Errorf("change log after the delete: %v, want the supply link and the enterprise", ops)
	}
	if r := do(t, srv, editor, del, nil); r.code() != "NOT_FOUND" {
		t.Errorf("deleting it again: %v, want NOT_FOUND", r.Errors)
	}
	if r := do(t, srv, editor, `mutation { deleteBottleneck(id: "mt-test-none") { id } }`, nil); r.code() != "NOT_FOUND" {
		t.Errorf("deleteBottleneck of no bottleneck: %v, want NOT_FOUND", r.Errors)
	}
	rows := neo4jtest.Query(t, `RETURN COUNT { (:Site {id: 'mt-test-del-bd'}) } AS sites, COUNT { (:Source {id: 'mt-test-src'}) } AS src,
		COUNT { (:Deleted) } AS tombstones`, nil)[0]
	if rows["sites"] != int64(0) || rows["src"] != int64(1) || rows["tombstones"] != int64(0) {
		t.Errorf("after the delete: %v, want the site gone, the source kept, no tombstone (an API record)", rows)
	}
}

// seqBefore returns the seq n entries before seq, as a cursor.
func seqBefore(seq string, n int) string {
	v, _ := strconv.Atoi(seq)
	return strconv.Itoa(max(v-n-1, 0))
}
