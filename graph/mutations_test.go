package graph_test

import (
	"cmp"
	"context"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

const editor = "editor-key-000000000000"

// cleanupTestRecords removes what the mutation tests create (ids starting with "mt-test").
func cleanupTestRecords(t *testing.T) {
	t.Cleanup(func() {
		neo4jtest.Query(t, `MATCH (n) WHERE (n:Enterprise OR n:Site OR n:Bottleneck) AND n.id STARTS WITH 'mt-test'
			OPTIONAL MATCH (n)-[:HAS_STATUS_CHANGE]->(c) DETACH DELETE n, c`, nil)
		neo4jtest.Query(t, `MATCH ()-[r:SUPPLIES|TRANSFERS_TECH_TO]->() WHERE r.id STARTS WITH 'mt-test' OR r.origin = 'api' DELETE r`, nil)
		reindex(t) // the deletes above went behind the store's back
	})
}

func TestUpsertEnterprise(t *testing.T) {
	cleanupTestRecords(t)
	srv := newServer(t, graph.Options{})
	const m = `mutation($in: EnterpriseInput!) { upsertEnterprise(input: $in) {
		id name nameZh chainRole segments { id } sites { id kind region { code } park { id } } sources { id } } }`
	in := map[string]any{"id": "mt-test-firm", "nameZh": "测试公司", "nameEn": "Test Firm", "chainRole": "SUPPORTING",
		"segmentIds": []string{"h2-fc-stack", "h2-fc-system"}, "confidence": "REPORTED", "sourceIds": []string{"s13"},
		"sites": []map[string]any{{"id": "mt-test-firm-bd", "kind": "MANUFACTURING", "regionCode": "130600"}}}
	var got struct {
		UpsertEnterprise struct {
			ID, Name, NameZh, ChainRole string
			Segments                    []struct{ ID string }
			Sites                       []struct {
				ID, Kind string
				Region   struct{ Code string }
			}
			Sources []struct{ ID string }
		}
	}
	mustData(t, srv, editor, m, map[string]any{"in": in}, &got)
	e := got.UpsertEnterprise
	if e.Name != "Test Firm" || e.ChainRole != "SUPPORTING" || len(e.Segments) != 2 || len(e.Sites) != 1 ||
		e.Sites[0].Region.Code != "130600" || len(e.Sources) != 1 {
		t.Fatalf("created enterprise = %+v", e)
	}

	// An update replaces the segments and sites.
	in["segmentIds"] = []string{"h2-fc-stack"}
	in["sites"] = []map[string]any{{"id": "mt-test-firm-tj", "kind": "ASSEMBLY", "regionCode": "120116"}}
	mustData(t, srv, editor, m, map[string]any{"in": in}, &got)
	if e := got.UpsertEnterprise; len(e.Segments) != 1 || len(e.Sites) != 1 || e.Sites[0].ID != "mt-test-firm-tj" {
		t.Fatalf("updated enterprise = %+v", e)
	}
	rows := neo4jtest.Query(t, `MATCH (e:Enterprise {id: 'mt-test-firm'}) RETURN e.origin AS origin, e.editedBy AS by,
		COUNT { (e)-[:OPERATES]->() } AS sites, COUNT { (:Site {id: 'mt-test-firm-bd'}) } AS oldSite`, nil)
	if r := rows[0]; r["origin"] != "api" || r["by"] != "ed" || r["sites"] != int64(1) || r["oldSite"] != int64(0) {
		t.Errorf("in the graph: %v, want origin api, editedBy ed, one site, the old site gone", r)
	}

	// Bad input: each error names its field, and nothing changes.
	before := neo4jtest.Snapshot(t)
	for _, tc := range []struct {
		name  string
		edit  func(map[string]any)
		field string
		code  string // BAD_USER_INPUT unless said; an id taken by another record is a CONFLICT
	}{
		{"bad id", func(in map[string]any) { in["id"] = "Not An Id" }, "input.id", ""},
		{"no name", func(in map[string]any) { delete(in, "nameZh"); delete(in, "nameEn") }, "input.nameZh", ""},
		{"no sources", func(in map[string]any) { in["sourceIds"] = []string{} }, "input.sourceIds", ""},
		{"unknown source", func(in map[string]any) { in["sourceIds"] = []string{"s13", "no-such-source"} }, "input.sourceIds[1]", ""},
		{"unknown segment", func(in map[string]any) { in["segmentIds"] = []string{"h2-fc-stack", "nope"} }, "input.segmentIds[1]", ""},
		{"unknown region", func(in map[string]any) {
			in["sites"] = []map[string]any{{"id": "mt-test-x", "kind": "HQ", "regionCode": "139999"}}
		}, "input.sites[0].regionCode", ""},
		{"malformed region", func(in map[string]any) {
			in["sites"] = []map[string]any{{"id": "mt-test-x", "kind": "HQ", "regionCode": "Hebei"}}
		}, "input.sites[0].regionCode", ""},
		{"site of another enterprise", func(in map[string]any) {
			in["sites"] = []map[string]any{{"id": "sinohytec-zjk-plant", "kind": "HQ", "regionCode": "130700"}}
		}, "input.sites[0].id", "CONFLICT"},
		{"id of another kind", func(in map[string]any) { in["id"] = "h2-fc-stack" }, "input.id", "CONFLICT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := map[string]any{}
			for k, v := range in {
				bad[k] = v
			}
			tc.edit(bad)
			r := do(t, srv, editor, m, map[string]any{"in": bad})
			want := cmp.Or(tc.code, "BAD_USER_INPUT")
			if r.code() != want || r.Errors[0].Extensions["field"] != tc.field {
				t.Errorf("errors %+v, want %s on %s", r.Errors, want, tc.field)
			}
		})
	}
	if after := neo4jtest.Snapshot(t); strings.Join(before, "\n") != strings.Join(after, "\n") {
		t.Error("a rejected mutation changed the graph")
	}
}

func TestBottleneckStatusHistory(t *testing.T) {
	cleanupTestRecords(t)
	srv := newServer(t, graph.Options{})
	mustData(t, srv, editor, `mutation { upsertBottleneck(input: {id: "mt-test-bn", nameEn: "Test chokepoint", kind: CHOKEPOINT,
		category: MATERIAL, severity: 4, segmentIds: ["h2-fc-materials"], tacklerIds: ["sinohytec"], confidence: ILLUSTRATIVE,
		sourceIds: ["s6"]}) { id status } }`, nil, nil)
	for _, step := range []struct{ status, note string }{{"IN_PROGRESS", "pilot line"}, {"RESOLVED", "mass production"}} {
		mustData(t, srv, editor, `mutation($s: BottleneckStatus!, $n: String) { setBottleneckStatus(id: "mt-test-bn", status: $s, note: $n) { id } }`,
			map[string]any{"s": step.status, "n": step.note}, nil)
	}
	var got struct {
		Bottleneck struct {
			Status        string
			Tacklers      []struct{ Actor struct{ ID string } }
			StatusHistory []struct{ From, To, Note, Author, At string }
		}
	}
	mustData(t, srv, "", `{ bottleneck(id: "mt-test-bn") { status tacklers { actor { ... on Enterprise { id } } }
		statusHistory { from to note author at } } }`, nil, &got)
	h := got.Bottleneck.StatusHistory
	if got.Bottleneck.Status != "RESOLVED" || len(h) != 2 || h[0].From != "OPEN" || h[0].To != "IN_PROGRESS" ||
		h[1].To != "RESOLVED" || h[1].Note != "mass production" || h[1].Author != "ed" || h[1].At == "" {
		t.Errorf("bottleneck = %+v", got.Bottleneck)
	}
	if len(got.Bottleneck.Tacklers) != 1 || got.Bottleneck.Tacklers[0].Actor.ID != "sinohytec" {
		t.Errorf("tacklers = %+v", got.Bottleneck.Tacklers)
	}
	// Changing the status through an upsert is refused: the history would miss it.
	r := do(t, srv, editor, `mutation { upsertBottleneck(input: {id: "mt-test-bn", nameEn: "x", kind: GAP, category: PROCESS,
		severity: 2, status: OPEN, segmentIds: ["h2-fc-materials"], confidence: ILLUSTRATIVE, sourceIds: ["s6"]}) { id } }`, nil)
	if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.status" {
		t.Errorf("status change by upsert: %+v", r.Errors)
	}
	if r := do(t, srv, editor, `mutation { setBottleneckStatus(id: "mt-test-nope", status: OPEN) { id } }`, nil); r.code() != "NOT_FOUND" {
		t.Errorf("status of a missing bottleneck: %+v", r.Errors)
	}
}

func TestSupplyLinksAndTechTransfers(t *testing.T) {
	cleanupTestRecords(t)
	srv := newServer(t, graph.Options{})
	var link struct {
		LinkSupplier struct {
			Supplier, Customer struct{ ID string }
			Product            string
			Since              *int
		}
	}
	mustData(t, srv, editor, `mutation { linkSupplier(input: {supplierId: "sinohytec", customerId: "foton", product: "mt-test stacks",
		since: 2024, confidence: REPORTED, sourceIds: ["s13"]}) { supplier { id } customer { id } product since } }`, nil, &link)
	if l := link.LinkSupplier; l.Supplier.ID != "sinohytec" || l.Customer.ID != "foton" || l.Since == nil || *l.Since != 2024 {
		t.Errorf("link = %+v", l)
	}
	var customer struct {
		Enterprise struct{ Suppliers []struct{ Product string } }
	}
	mustData(t, srv, "", `{ enterprise(id: "foton") { suppliers(first: 100) { product } } }`, nil, &customer)
	found := false
	for _, s := range customer.Enterprise.Suppliers {
		found = found || s.Product == "mt-test stacks"
	}
	if !found {
		t.Error("the new link is not among foton's suppliers")
	}
	mustData(t, srv, editor, `mutation { unlinkSupplier(supplierId: "sinohytec", customerId: "foton", product: "mt-test stacks") { id } }`, nil, nil)
	if r := do(t, srv, editor, `mutation { unlinkSupplier(supplierId: "sinohytec", customerId: "foton", product: "mt-test stacks") { id } }`, nil); r.code() != "NOT_FOUND" {
		t.Errorf("unlinking twice: %+v", r.Errors)
	}
	if r := do(t, srv, editor, `mutation { linkSupplier(input: {supplierId: "sinohytec", customerId: "sinohytec", product: "x",
		confidence: REPORTED, sourceIds: ["s13"]}) { product } }`, nil); r.Errors == nil || r.Errors[0].Extensions["field"] != "input.customerId" {
		t.Errorf("self-supply: %+v", r.Errors)
	}

	var tt struct {
		RecordTechTransfer struct {
			ID         string
			From       struct{ ID string }
			ToRegion   struct{ Code string }
			Enterprise struct{ ID string }
		}
	}
	mustData(t, srv, editor, `mutation { recordTechTransfer(input: {id: "mt-test-tt", fromId: "jingdiao-mentougou-rd",
		toId: "langfang-jingdiao-langfang-manufacturing", year: 2024, confidence: REPORTED, sourceIds: ["s25"]}) {
		id from { ... on Site { id } } toRegion { code } enterprise { id } } }`, nil, &tt)
	if r := tt.RecordTechTransfer; r.ID != "mt-test-tt" || r.From.ID != "jingdiao-mentougou-rd" || r.Enterprise.ID != "langfang-jingdiao" {
		t.Errorf("transfer = %+v", r)
	}
	for _, tc := range []struct{ in, field string }{
		{`fromId: "langfang-jingdiao-langfang-manufacturing", toId: "langfang-jingdiao-langfang-manufacturing"`, "input.fromId"}, // not in Beijing
		{`fromId: "jingdiao-mentougou-rd", toId: "jingdiao-mentougou-hq"`, "input.toId"},                                         // not in Tianjin or Hebei
		{`fromId: "nowhere", toId: "langfang-jingdiao-langfang-manufacturing"`, "input.fromId"},
	} {
		r := do(t, srv, editor, `mutation { recordTechTransfer(input: {id: "mt-test-tt2", `+tc.in+`, confidence: REPORTED, sourceIds: ["s25"]}) { id } }`, nil)
		if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.field {
			t.Errorf("%s: %+v, want BAD_USER_INPUT on %s", tc.in, r.Errors, tc.field)
		}
	}
}

// reindex rebuilds the maintained aggregates after a test changed the graph with Cypher of its own, which
// the store's writes would have kept them up to date with.
func reindex(t *testing.T) {
	t.Helper()
	if _, _, err := store().Reindex(context.Background()); err != nil {
		t.Errorf("reindex: %v", err)
	}
}
