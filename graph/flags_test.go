package graph_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// Readers' flags (issue 18) through the API: a reader flags, an editor lists and settles; roles, input checks,
// the change log and round trips.

const viewer = "viewer-key-000000000000"

// A server whose readers may flag as often as the tests need (they all come from 127.0.0.1).
func flagServer(t *testing.T, auth graph.Auth) *httptest.Server {
	t.Helper()
	if auth.APIKeys == nil {
		auth.APIKeys = testKeys
	}
	return newServer(t, graph.Options{Auth: auth, FlagRate: chainmap.FlagRate{Burst: 1000, Refill: time.Millisecond}})
}

// cleanupFlags removes the flags the test raised (after the records it created, which cleanupTestRecords
// removes).
func cleanupFlags(t *testing.T) {
	cleanupTestRecords(t)
	t.Cleanup(func() { neo4jtest.Query(t, `MATCH (f:Flag) DETACH DELETE f`, nil) })
}

const flagMutation = `mutation($in: FlagInput!) { flagRecord(input: $in) {
	id recordId recordKind field note sourceUrl by client at seq status chainMapIds
	record { __typename ... on Enterprise { id flags { open total } } ... on Site { id } } } }`

type flagOut struct {
	ID, RecordID, RecordKind, Note, By, Client, At, Seq, Status string
	Field, SourceURL, Resolution, ResolutionNote, EditSeq       *string
	ResolvedBy                                                  *string
	ChainMapIDs                                                 []string `json:"chainMapIds"`
	Record                                                      *struct {
		Typename string `json:"__typename"`
		ID       string
		Flags    struct{ Open, Total int }
	}
}

func raise(t *testing.T, srv *httptest.Server, token string, in map[string]any) flagOut {
	t.Helper()
	var got struct{ FlagRecord flagOut }
	mustData(t, srv, token, flagMutation, map[string]any{"in": in}, &got)
	return got.FlagRecord
}

const resolveMutation = `mutation($id: ID!, $res: FlagResolution!, $note: String, $seq: ID) {
	resolveFlag(id: $id, resolution: $res, note: $note, editSeq: $seq) {
		id status resolution resolutionNote editSeq resolvedBy resolvedAt record { ... on Enterprise { flags { open total } } } } }`

// hydrogenBottleneck returns the id of a bottleneck of the hydrogen chain only, from the seeds.
func hydrogenBottleneck(t *testing.T) string {
	t.Helper()
	rows := neo4jtest.Query(t, `MATCH (b:Bottleneck)-[:CONSTRAINS]->(:Segment {chainMapId: 'hydrogen'})
		WHERE NOT EXISTS { (b)-[:CONSTRAINS]->(s:Segment) WHERE s.chainMapId <> 'hydrogen' }
		RETURN b.id AS id ORDER BY b.id LIMIT 1`, nil)
	if len(rows) == 0 {
		t.Fatal("the seeds have no bottleneck of the hydrogen chain alone")
	}
	return rows[0]["id"].(string)
}

// lastSeq returns the seq of the newest change in the log.
func lastSeq(t *testing.T) string {
	t.Helper()
	rows := neo4jtest.Query(t, `MATCH (l:ChangeLog) RETURN toString(l.seq) AS seq`, nil)
	return rows[0]["seq"].(string)
}

func TestFlagRaisedByAReaderAndRejectedByAnEditor(t *testing.T) {
	cleanupFlags(t)
	srv := flagServer(t, graph.Auth{})
	f := raise(t, srv, "", map[string]any{"recordId": "sinohytec", "field": "nameZh", "note": "名称应为北京亿华通科技股份有限公司",
		"sourceUrl": "https://www.sinohytec.com/"})
	if f.By != chainmap.AnonymousReader || f.Client != "addr:127.0.0.1" || f.Status != "OPEN" || f.RecordKind != "Enterprise" ||
		deref(f.Field) != "nameZh" || f.Seq == "" || f.At == "" || fmt.Sprint(f.ChainMapIDs) != "[hydrogen]" ||
		f.Record == nil || f.Record.ID != "sinohytec" || f.Record.Flags.Open != 1 {
		t.Fatalf("flag = %+v", f)
	}
	// The same flag again from the same client is the same flag.
	if again := raise(t, srv, "", map[string]any{"recordId": "sinohytec", "field": "nameZh", "note": "名称应为北京亿华通科技股份有限公司"}); again.ID != f.ID {
		t.Errorf("the same flag raised twice made %s and %s", f.ID, again.ID)
	}
	// A viewer's flag is by the token's subject.
	byVera := raise(t, srv, viewer, map[string]any{"recordId": hydrogenBottleneck(t), "note": "MEAs are made in Hebei now"})
	if byVera.By != "vera" || byVera.Client != "sub:vera" || byVera.RecordKind != "Bottleneck" {
		t.Errorf("viewer's flag = %+v", byVera)
	}

	// The editor lists the open flags, newest first, by status, record and chain map.
	const list = `query($f: FlagFilter, $first: Int, $after: String) { flags(filter: $f, first: $first, after: $after) {
		totalCount pageInfo { hasNextPage endCursor } nodes { id recordId note by status } } }`
	var got struct {
		Flags struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Nodes []flagOut
		}
	}
	for _, tc := range []struct {
		name   string
		filter map[string]any
		want   []string
	}{
		{"open", map[string]any{"status": "OPEN"}, []string{byVera.ID, f.ID}},
		{"on one record", map[string]any{"recordId": "sinohytec"}, []string{f.ID}},
		{"in a chain map", map[string]any{"chainMapId": "hydrogen", "status": "OPEN"}, []string{byVera.ID, f.ID}},
		{"in another chain map", map[string]any{"chainMapId": "robots"}, nil},
		{"rejected", map[string]any{"status": "REJECTED"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustData(t, srv, editor, list, map[string]any{"f": tc.filter}, &got)
			var ids []string
			for _, n := range got.Flags.Nodes {
				ids = append(ids, n.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.want) || got.Flags.TotalCount != len(tc.want) {
				t.Errorf("flags %v (total %d), want %v", ids, got.Flags.TotalCount, tc.want)
			}
		})
	}
	// Pages: one flag each, the cursor moving on.
	mustData(t, srv, editor, list, map[string]any{"f": map[string]any{"status": "OPEN"}, "first": 1}, &got)
	if len(got.Flags.Nodes) != 1 || !got.Flags.PageInfo.HasNextPage || got.Flags.Nodes[0].ID != byVera.ID {
		t.Fatalf("first page = %+v", got.Flags)
	}
	mustData(t, srv, editor, list, map[string]any{"f": map[string]any{"status": "OPEN"}, "first": 1, "after": got.Flags.PageInfo.EndCursor}, &got)
	if len(got.Flags.Nodes) != 1 || got.Flags.PageInfo.HasNextPage || got.Flags.Nodes[0].ID != f.ID {
		t.Fatalf("second page = %+v", got.Flags)
	}

	// A rejection says why; the record's open count drops; a second settlement is a conflict.
	var res struct{ ResolveFlag flagOut }
	mustData(t, srv, editor, resolveMutation, map[string]any{"id": f.ID, "res": "REJECTED",
		"note": "亿华通's registered name is the one shown; the page cited gives a brand name"}, &res)
	if r := res.ResolveFlag; r.Status != "REJECTED" || deref(r.Resolution) != "REJECTED" || deref(r.ResolvedBy) != "ed" ||
		r.EditSeq != nil || r.Record == nil || r.Record.Flags.Open != 0 || r.Record.Flags.Total != 1 {
		t.Errorf("rejected flag = %+v", r)
	}
	r := do(t, srv, editor, resolveMutation, map[string]any{"id": f.ID, "res": "REJECTED", "note": "again"})
	if r.code() != "CONFLICT" || !strings.Contains(r.Errors[0].Message, "REJECTED already (by ed") {
		t.Errorf("settling twice: %+v", r.Errors)
	}
	if r := do(t, srv, editor, resolveMutation, map[string]any{"id": "no-such-flag", "res": "REJECTED", "note": "x"}); r.code() != "NOT_FOUND" {
		t.Errorf("settling a missing flag: %+v", r.Errors)
	}

	// The counts the audit prints.
	var stats struct {
		FlagStats struct {
			Open, Resolved, Rejected int
			OpenByKind               []struct {
				Key   string
				Count int
			}
			OpenByChainMap []struct{ Key, Name string }
			OldestOpenAt   *string
		}
	}
	mustData(t, srv, "", `{ flagStats { open resolved rejected openByKind { key count } openByChainMap { key name } oldestOpenAt } }`, nil, &stats)
	if s := stats.FlagStats; s.Open != 1 || s.Rejected != 1 || s.Resolved != 0 || len(s.OpenByKind) != 1 ||
		s.OpenByKind[0].Key != "Bottleneck" || len(s.OpenByChainMap) != 1 || s.OpenByChainMap[0].Name == "" || s.OldestOpenAt == nil {
		t.Errorf("stats = %+v", s)
	}
}

// An EDITED resolution names an edit made after the flag to the flagged record: the record itself, the
// enterprise operating a flagged site, or a load.
func TestFlagResolvedByAnEdit(t *testing.T) {
	cleanupFlags(t)
	srv := flagServer(t, graph.Auth{})
	const upsert = `mutation($in: EnterpriseInput!) { upsertEnterprise(input: $in) { id } }`
	firm := func(id, name string) map[string]any {
		return map[string]any{"in": map[string]any{"id": id, "nameEn": name, "segmentIds": []string{"h2-fc-stack"},
			"confidence": "ILLUSTRATIVE", "sourceIds": []string{"s13"},
			"sites": []map[string]any{{"id": id + "-site", "kind": "MANUFACTURING", "regionCode": "130600"}}}}
	}
	mustData(t, srv, editor, upsert, firm("mt-test-flag-firm", "Flag Test Firm"), nil)
	mustData(t, srv, editor, upsert, firm("mt-test-flag-other", "Another Firm"), nil)
	before := lastSeq(t)

	site := raise(t, srv, "", map[string]any{"recordId": "mt-test-flag-firm-site", "field": "kind", "note": "This is an assembly plant"})
	if site.RecordKind != "Site" || fmt.Sprint(site.ChainMapIDs) != "[hydrogen]" {
		t.Fatalf("site flag = %+v", site)
	}
	mustData(t, srv, editor, upsert, firm("mt-test-flag-other", "Another Firm Ltd"), nil)
	otherEdit := lastSeq(t)
	in := firm("mt-test-flag-firm", "Flag Test Firm")
	in["in"].(map[string]any)["sites"] = []map[string]any{{"id": "mt-test-flag-firm-site", "kind": "ASSEMBLY", "regionCode": "130600"}}
	mustData(t, srv, editor, upsert, in, nil)
	edit := lastSeq(t)
	neo4jtest.Query(t, `MATCH (l:ChangeLog) SET l.seq = l.seq + 1
		CREATE (:Change {seq: l.seq, kind: 'LOAD', operation: 'load', recordId: '', chainMapIds: [], author: 'chainmap load', at: datetime()})`, nil)
	load := lastSeq(t)

	for _, tc := range []struct {
		name, seq, note string
		code            string
	}{
		{"no seq", "", "", "BAD_USER_INPUT"},
		{"not a seq", "twelve", "", "BAD_USER_INPUT"},
		{"not in the log", "999999999", "", "BAD_USER_INPUT"},
		{"made before the flag", before, "", "BAD_USER_INPUT"},
		{"of another record", otherEdit, "", "BAD_USER_INPUT"},
		{"the flag itself", site.Seq, "", "BAD_USER_INPUT"},
		{"HTML note", edit, "<img src=x onerror=alert(1)>", "BAD_USER_INPUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]any{"id": site.ID, "res": "EDITED"}
			if tc.seq != "" {
				vars["seq"] = tc.seq
			}
			if tc.note != "" {
				vars["note"] = tc.note
			}
			if r := do(t, srv, editor, resolveMutation, vars); r.code() != tc.code {
				t.Errorf("code %q, want %q: %+v", r.code(), tc.code, r.Errors)
			}
		})
	}
	var res struct{ ResolveFlag flagOut }
	mustData(t, srv, editor, resolveMutation, map[string]any{"id": site.ID, "res": "EDITED", "seq": edit, "note": "kind set to ASSEMBLY"}, &res)
	if r := res.ResolveFlag; r.Status != "RESOLVED" || deref(r.Resolution) != "EDITED" || deref(r.EditSeq) != edit {
		t.Errorf("resolved flag = %+v", r)
	}
	// A load of corrected seeds settles a flag on any record.
	other := raise(t, srv, "", map[string]any{"recordId": "h2-fc-stack", "note": "The stack segment is midstream"})
	if r := do(t, srv, editor, resolveMutation, map[string]any{"id": other.ID, "res": "EDITED", "seq": load}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("a load made before the flag: %+v", r.Errors)
	}
	neo4jtest.Query(t, `MATCH (l:ChangeLog) SET l.seq = l.seq + 1
		CREATE (:Change {seq: l.seq, kind: 'LOAD', operation: 'load', recordId: '', chainMapIds: [], author: 'chainmap load', at: datetime()})`, nil)
	mustData(t, srv, editor, resolveMutation, map[string]any{"id": other.ID, "res": "EDITED", "seq": lastSeq(t)}, &res)
	if res.ResolveFlag.Status != "RESOLVED" {
		t.Errorf("settled by a load: %+v", res.ResolveFlag)
	}
}

// Who may do what with flags: any reader flags (unless reads need a token), only editors list and settle them
// and read their changes.
func TestFlagRoles(t *testing.T) {
	cleanupFlags(t)
	const (
		flag    = `mutation { flagRecord(input: {recordId: "h2-fc-stack", note: "roles test"}) { id } }`
		mixed   = `mutation { flagRecord(input: {recordId: "h2-fc-stack", note: "roles test"}) { id } setBottleneckStatus(id: "no-such-bottleneck", status: OPEN) { id } }`
		byFrag  = `mutation { ...F } fragment F on Mutation { setBottleneckStatus(id: "no-such-bottleneck", status: OPEN) { id } }`
		list    = `{ flags { totalCount } }`
		settle  = `mutation { resolveFlag(id: "no-such-flag", resolution: REJECTED, note: "no") { id } }`
		changes = `{ changes(kinds: [FLAG]) { edges { cursor } } }`
		stats   = `{ flagStats { open } }`
	)
	for _, tc := range []struct {
		reads, who                                        string
		flag, mixed, byFrag, list, settle, changes, stats string
	}{
		{"open", "", "", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", ""},
		{"open", viewer, "", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", ""},
		{"open", editor, "", "NOT_FOUND", "NOT_FOUND", "", "NOT_FOUND", "", ""},
		{"viewer", "", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"},
		{"viewer", viewer, "", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", ""},
		{"viewer", editor, "", "NOT_FOUND", "NOT_FOUND", "", "NOT_FOUND", "", ""},
	} {
		t.Run(tc.reads+"/"+cmp.Or(tc.who, "anonymous"), func(t *testing.T) {
			srv := flagServer(t, graph.Auth{ReadsNeedViewer: tc.reads == "viewer"})
			for _, op := range []struct{ name, query, want string }{{"flagRecord", flag, tc.flag}, {"flagRecord with an editor's mutation", mixed, tc.mixed},
				{"an editor's mutation in a fragment", byFrag, tc.byFrag}, {"flags", list, tc.list}, {"resolveFlag", settle, tc.settle},
				{"changes of flags", changes, tc.changes}, {"flagStats", stats, tc.stats}} {
				if got := do(t, srv, tc.who, op.query, nil).code(); got != op.want {
					t.Errorf("%s: code %q, want %q", op.name, got, op.want)
				}
			}
		})
	}
}

// Raising and settling a flag are in the change log, as FLAG changes that editors read and others never see;
// the change leaves out the reader's client.
func TestFlagChangesAreForEditors(t *testing.T) {
	cleanupFlags(t)
	srv := newServer(t, graph.Options{FlagRate: chainmap.FlagRate{Burst: 100, Refill: time.Millisecond},
		Feed: graph.FeedLimits{KeepAlive: 200 * time.Millisecond, PollInterval: 50 * time.Millisecond}})
	start := lastSeq(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, viewerLines := sse(t, ctx, srv.URL, viewer, `subscription { changes(after: "`+start+`") { seq kind } }`)
	_, editorLines := sse(t, ctx, srv.URL, editor, `subscription { changes(after: "`+start+`") { seq kind } }`)

	bn := hydrogenBottleneck(t)
	f := raise(t, srv, "", map[string]any{"recordId": bn, "note": "Changes test", "sourceUrl": "https://example.org/a"})
	mustData(t, srv, editor, resolveMutation, map[string]any{"id": f.ID, "res": "REJECTED", "note": "The source is about another MEA"}, nil)
	mustData(t, srv, editor, `mutation { upsertBottleneck(input: {id: "mt-test-flag-bn", nameEn: "Flag feed test", kind: GAP,
		category: MATERIAL, severity: 2, segmentIds: ["h2-fc-stack"], confidence: ILLUSTRATIVE, sourceIds: ["s13"]}) { id } }`, nil, nil)

	const q = `query($after: String) { changes(after: $after) { edges { node { seq kind operation recordId author chainMapIds before after } } } }`
	type entry struct {
		Seq, Kind, Operation, RecordID, Author string
		ChainMapIDs                            []string `json:"chainMapIds"`
		Before, After                          map[string]any
	}
	var got struct {
		Changes struct{ Edges []struct{ Node entry } }
	}
	mustData(t, srv, editor, q, map[string]any{"after": start}, &got)
	var kinds []string
	for _, e := range got.Changes.Edges {
		kinds = append(kinds, e.Node.Kind)
	}
	if fmt.Sprint(kinds) != "[FLAG FLAG BOTTLENECK]" {
		t.Fatalf("an editor reads %v, want [FLAG FLAG BOTTLENECK]", kinds)
	}
	raised, settled := got.Changes.Edges[0].Node, got.Changes.Edges[1].Node
	if raised.Operation != "flagRecord" || raised.RecordID != f.ID || raised.Author != "anonymous" || raised.Before != nil ||
		raised.After["note"] != "Changes test" || raised.After["recordId"] != bn || fmt.Sprint(raised.ChainMapIDs) != "[hydrogen]" {
		t.Errorf("raised = %+v", raised)
	}
	if settled.Operation != "resolveFlag" || settled.Author != "ed" || settled.Before["status"] != "OPEN" || settled.After["status"] != "REJECTED" {
		t.Errorf("settled = %+v", settled)
	}
	for _, e := range got.Changes.Edges[:2] {
		if _, ok := e.Node.After["client"]; ok {
			t.Errorf("change %s carries the reader's client: %v", e.Node.Seq, e.Node.After)
		}
	}
	for _, token := range []string{"", viewer} {
		mustData(t, srv, token, q, map[string]any{"after": start}, &got)
		if len(got.Changes.Edges) != 1 || got.Changes.Edges[0].Node.Kind != "BOTTLENECK" {
			t.Errorf("a reader (%q) reads %+v, want the bottleneck change only", token, got.Changes.Edges)
		}
	}
	// Live: the editor's subscription gets the three changes, the viewer's only the bottleneck.
	kindOf := func(line string) string {
		var ev struct {
			Data struct{ Changes struct{ Kind string } }
		}
		if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev); err != nil {
			t.Fatal(err)
		}
		return ev.Data.Changes.Kind
	}
	var live []string
	for range 3 {
		live = append(live, kindOf(waitLine(t, editorLines, "data: ", 5*time.Second)))
	}
	if fmt.Sprint(live) != "[FLAG FLAG BOTTLENECK]" {
		t.Errorf("the editor's subscription got %v", live)
	}
	if k := kindOf(waitLine(t, viewerLines, "data: ", 5*time.Second)); k != "BOTTLENECK" {
		t.Errorf("the viewer's subscription got %s first, want BOTTLENECK", k)
	}
	cancel()
}

// Bad input is refused with the field it is about, before anything is read (hostile input costs no round
// trip), and changes nothing; text limits count characters, not bytes.
func TestFlagInputIsChecked(t *testing.T) {
	cleanupFlags(t)
	srv := flagServer(t, graph.Auth{})
	ok := map[string]any{"recordId": "sinohytec", "field": "nameZh", "note": "wrong", "sourceUrl": "https://www.sinohytec.com/"}
	before := neo4jtest.Snapshot(t)
	for _, tc := range []struct {
		name  string
		key   string
		value any
		code  string
		field string
		trips int // round trips before the refusal
	}{
		{"blank note", "note", "   ", "BAD_USER_INPUT", "input.note", 0},
		{"note of 1001 characters", "note", strings.Repeat("错", 1001), "BAD_USER_INPUT", "input.note", 0},
		{"a tag", "note", `see <script>alert(1)</script>`, "BAD_USER_INPUT", "input.note", 0},
		{"a closing tag", "note", `wrong</textarea>`, "BAD_USER_INPUT", "input.note", 0},
		{"a comment", "note", `<!-- x -->`, "BAD_USER_INPUT", "input.note", 0},
		{"a character reference", "note", `&lt;b&gt; is wrong`, "BAD_USER_INPUT", "input.note", 0},
		{"a numeric reference", "note", `&#60;b&#x3e;`, "BAD_USER_INPUT", "input.note", 0},
		{"a control character", "note", "wrong\x00", "BAD_USER_INPUT", "$in.note", 0},
		{"a bidi override", "note", "wrong\u202egnp.exe", "BAD_USER_INPUT", "$in.note", 0},
		{"20 KB", "note", strings.Repeat("x", 20<<10), "BAD_USER_INPUT", "$in.note", 0},
		{"a javascript URL", "sourceUrl", "javascript:alert(1)", "BAD_USER_INPUT", "input.sourceUrl", 0},
		{"a data URL", "sourceUrl", "data:text/html,<b>x</b>", "BAD_USER_INPUT", "input.sourceUrl", 0},
		{"a relative URL", "sourceUrl", "/explore", "BAD_USER_INPUT", "input.sourceUrl", 0},
		{"credentials in the URL", "sourceUrl", "https://user:pw@example.org/", "BAD_USER_INPUT", "input.sourceUrl", 0},
		{"markup in the URL", "sourceUrl", `https://example.org/"><script>`, "BAD_USER_INPUT", "input.sourceUrl", 0},
		{"a URL of 501 characters", "sourceUrl", "https://example.org/" + strings.Repeat("a", 481), "BAD_USER_INPUT", "input.sourceUrl", 0},
		{"Cypher in the field", "field", "name}) DETACH DELETE r //", "BAD_USER_INPUT", "input.field", 0},
		{"Cypher in the record id", "recordId", "x'}) DETACH DELETE n //", "BAD_USER_INPUT", "input.recordId", 0},
		{"no such field", "field", "colour", "BAD_USER_INPUT", "input.field", 1},
		{"no such record", "recordId", "no-such-record", "NOT_FOUND", "input.recordId", 1},
		{"a region", "recordId", "130600", "NOT_FOUND", "input.recordId", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := map[string]any{}
			for k, v := range ok {
				in[k] = v
			}
			in[tc.key] = tc.value
			r := do(t, srv, "", flagMutation, map[string]any{"in": in})
			if r.code() != tc.code || r.Errors[0].Extensions["field"] != tc.field {
				t.Fatalf("errors %+v, want %s on %s", r.Errors, tc.code, tc.field)
			}
			if r.Extensions.Cost.RoundTrips != tc.trips {
				t.Errorf("%d round trips before the refusal, want %d", r.Extensions.Cost.RoundTrips, tc.trips)
			}
		})
	}
	if after := neo4jtest.Snapshot(t); strings.Join(before, "\n") != strings.Join(after, "\n") {
		t.Error("a refused flag changed the graph")
	}
	// At the limits, and text that merely looks like markup, are fine.
	for _, in := range []map[string]any{
		{"recordId": "sinohytec", "note": strings.Repeat("错", chainmap.MaxFlagNote)},
		{"recordId": "sinohytec", "note": "capacity is < 500 t & > 100 t, not 1,000 t"},
		{"recordId": "s13", "sourceUrl": "https://example.org/" + strings.Repeat("a", chainmap.MaxFlagSourceURL-20), "note": "dead link"},
	} {
		if f := raise(t, srv, "", in); f.Status != "OPEN" {
			t.Errorf("flag %v: %+v", in, f)
		}
	}
	// An editor's resolution is checked the same way.
	for _, tc := range []struct {
		name string
		vars map[string]any
	}{
		{"rejection without a reason", map[string]any{"id": "x", "res": "REJECTED"}},
		{"rejection naming an edit", map[string]any{"id": "x", "res": "REJECTED", "note": "no", "seq": "12"}},
		{"reason in HTML", map[string]any{"id": "x", "res": "REJECTED", "note": "<b>no</b>"}},
		{"negative seq", map[string]any{"id": "x", "res": "EDITED", "seq": "-1"}},
		{"lower-case resolution", map[string]any{"id": "x", "res": "rejected", "note": "no"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := do(t, srv, editor, resolveMutation, tc.vars); r.code() != "BAD_USER_INPUT" || r.Extensions.Cost.RoundTrips != 0 {
				t.Errorf("code %q after %d round trips: %+v", r.code(), r.Extensions.Cost.RoundTrips, r.Errors)
			}
		})
	}
}

// One client may flag a few records at once, then one per Refill; another client is not held back.
func TestFlagRatePerClient(t *testing.T) {
	cleanupFlags(t)
	srv := newServer(t, graph.Options{FlagRate: chainmap.FlagRate{Burst: 2, Refill: time.Hour}})
	for i, want := range []string{"", "", "TOO_MANY_REQUESTS"} {
		r := do(t, srv, "", flagMutation, map[string]any{"in": map[string]any{"recordId": "sinohytec", "note": fmt.Sprintf("rate %d", i)}})
		if r.code() != want {
			t.Errorf("flag %d: code %q, want %q", i+1, r.code(), want)
		}
		if want != "" && (r.Extensions.Cost.RoundTrips != 0 || !strings.Contains(r.Errors[0].Message, "try again in")) {
			t.Errorf("refusal: %d round trips, %+v", r.Extensions.Cost.RoundTrips, r.Errors)
		}
	}
	if r := do(t, srv, viewer, flagMutation, map[string]any{"in": map[string]any{"recordId": "sinohytec", "note": "another client"}}); len(r.Errors) > 0 {
		t.Errorf("another client was held back: %+v", r.Errors)
	}
}

// A request's round trips follow from its text: flagging is one transaction and one read whatever the record,
// and the flags list, nested records and their counts are one statement whatever the page size.
func TestFlagRoundTrips(t *testing.T) {
	cleanupFlags(t)
	srv := flagServer(t, graph.Auth{})
	var trips []int
	for i, id := range []string{"sinohytec", "h2-fc-stack", "hydrogen", "s13", "sinohytec"} {
		r := do(t, srv, "", flagMutation, map[string]any{"in": map[string]any{"recordId": id, "note": fmt.Sprintf("trips %d", i)}})
		if len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		trips = append(trips, r.Extensions.Cost.RoundTrips)
	}
	for _, n := range trips {
		if n != trips[0] || n > 6 {
			t.Fatalf("flagRecord cost %v round trips: want the same each time, at most 6 (5 statements in one transaction, one read)", trips)
		}
	}
	const list = `query($n: Int) { flags(first: $n) { totalCount nodes { id record { __typename
		... on Enterprise { name flags { open total } sites { region { name } flags { open } } segments { flags { open } } }
		... on Segment { chainMap { flags { total } } } ... on ChainMap { id } ... on Source { title } } } } }`
	complexity := map[int]int{}
	for _, n := range []int{1, 50} {
		r := mustData(t, srv, editor, list, map[string]any{"n": n}, nil)
		if r.Extensions.Cost.RoundTrips != 1 {
			t.Errorf("flags(first: %d) cost %d round trips, want 1", n, r.Extensions.Cost.RoundTrips)
		}
		complexity[n] = r.Extensions.Cost.Complexity
	}
	if complexity[50] < 40*complexity[1]/2 {
		t.Errorf("complexity of flags(first: 50) is %d, of flags(first: 1) %d: a page's complexity follows its size", complexity[50], complexity[1])
	}
	var got struct {
		Enterprise struct{ Flags struct{ Open, Total int } }
	}
	r := mustData(t, srv, "", `{ enterprise(id: "sinohytec") { flags { open total } sites { flags { open } } } }`, nil, &got)
	if r.Extensions.Cost.RoundTrips != 1 || got.Enterprise.Flags.Open != 2 || got.Enterprise.Flags.Total != 2 {
		t.Errorf("%d round trips, flags %+v; want 1 trip, 2 open of 2", r.Extensions.Cost.RoundTrips, got.Enterprise.Flags)
	}
	// Many readers at once, each on a record of their own: each flag costs the same. (Readers flagging one record
	// queue on its lock: TestRacingReadersRespectTheCapOnOpenFlags.)
	rows := neo4jtest.Query(t, `MATCH (e:Enterprise)-[:ACTIVE_IN]->(:Segment {chainMapId: 'hydrogen'})
		RETURN DISTINCT e.id AS id ORDER BY id LIMIT 10`, nil)
	var wg sync.WaitGroup
	costs := make(chan int, len(rows))
	for i, row := range rows {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := do(t, srv, "", flagMutation, map[string]any{"in": map[string]any{"recordId": row["id"], "note": fmt.Sprintf("concurrent %d", i)}})
			if len(r.Errors) > 0 {
				t.Errorf("concurrent flag: %+v", r.Errors)
				return
			}
			costs <- r.Extensions.Cost.RoundTrips
		}()
	}
	wg.Wait()
	close(costs)
	if len(rows) < 5 {
		t.Fatalf("only %d hydrogen firms in the seeds", len(rows))
	}
	for n := range costs {
		if n != trips[0] {
			t.Errorf("a concurrent flag cost %d round trips, want %d", n, trips[0])
		}
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
