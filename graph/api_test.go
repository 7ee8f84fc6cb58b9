package graph_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/chainmap/chainmap/graph"
)

type page struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   *string
	}
	Edges []struct {
		Cursor string
		Node   map[string]any
	}
}

// walk pages through a connection field to the end, returning the nodes in order and the totalCount.
func walk(t *testing.T, srv *httptest.Server, query, field string, size int) ([]map[string]any, int) {
	t.Helper()
	var nodes []map[string]any
	var after any
	total := -1
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("more than 100 pages: the cursor does not advance")
		}
		var data map[string]page
		mustData(t, srv, "", query, map[string]any{"first": size, "after": after}, &data)
		p := data[field]
		if total == -1 {
			total = p.TotalCount
		} else if p.TotalCount != total {
			t.Fatalf("totalCount changed from %d to %d between pages", total, p.TotalCount)
		}
		if len(p.Edges) > size {
			t.Fatalf("page of %d items, asked for %d", len(p.Edges), size)
		}
		for _, e := range p.Edges {
			nodes = append(nodes, e.Node)
		}
		if !p.PageInfo.HasNextPage {
			return nodes, total
		}
		if len(p.Edges) != size || p.PageInfo.EndCursor == nil {
			t.Fatalf("a page with a next page must be full and have an end cursor: %d items", len(p.Edges))
		}
		after = *p.PageInfo.EndCursor
	}
}

func TestPaginationWalksToTheEnd(t *testing.T) {
	srv := newServer(t, graph.Options{})
	count := func(field string) func(map[string]any) any {
		return func(n map[string]any) any { l, _ := n[field].([]any); return float64(len(l)) }
	}
	// openBottlenecks counts the distinct bottlenecks not RESOLVED on an enterprise's segments.
	openBottlenecks := func(n map[string]any) any {
		open := map[any]bool{}
		for _, s := range n["segments"].([]any) {
			for _, b := range s.(map[string]any)["bottlenecks"].([]any) {
				if b := b.(map[string]any); b["status"] != "RESOLVED" {
					open[b["id"]] = true
				}
			}
		}
		return float64(len(open))
	}
	field := func(name string) func(map[string]any) any { return func(n map[string]any) any { return n[name] } }
	for _, tc := range []struct {
		name, query, field string
		desc               bool
		key                func(node map[string]any) any // the sort key, read back from the node
	}{
		{"enterprises by name", `query($first: Int, $after: String) { enterprises(first: $first, after: $after) {
			totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } } }`, "enterprises", false, field("name")},
		{"enterprises by segment count, descending", `query($first: Int, $after: String) { enterprises(first: $first, after: $after,
			orderBy: {field: SEGMENT_COUNT, direction: DESC}) { totalCount pageInfo { hasNextPage endCursor } edges { node { id segments { id } } } } }`,
			"enterprises", true, count("segments")},
		{"Hebei enterprises by open bottlenecks", `query($first: Int, $after: String) { enterprises(first: $first, after: $after,
			filter: {regionCode: "130000"}, orderBy: {field: OPEN_BOTTLENECKS, direction: DESC}) { totalCount pageInfo { hasNextPage endCursor }
			edges { node { id segments { bottlenecks { id status } } } } } }`, "enterprises", true, openBottlenecks},
		{"bottlenecks by severity", `query($first: Int, $after: String) { bottlenecks(first: $first, after: $after) {
			totalCount pageInfo { hasNextPage endCursor } edges { node { id severity } } } }`, "bottlenecks", true, field("severity")},
		{"R&D links", `query($first: Int, $after: String) { rdManufacturingLinks(first: $first, after: $after) {
			totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`, "rdManufacturingLinks", false, field("id")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nodes, total := walk(t, srv, tc.query, tc.field, 7)
			if total < 20 {
				t.Fatalf("totalCount %d: too few items for a meaningful walk", total)
			}
			if len(nodes) != total {
				t.Errorf("walked %d items, totalCount says %d", len(nodes), total)
			}
			ids := make([]string, len(nodes))
			seen := map[string]bool{}
			for i, n := range nodes {
				ids[i] = fmt.Sprint(n["id"])
				if seen[ids[i]] {
					t.Errorf("item %s appears twice", ids[i])
				}
				seen[ids[i]] = true
			}
			// Walking with another page size visits the same items in the same order.
			again, _ := walk(t, srv, tc.query, tc.field, 13)
			for i := range again {
				if i >= len(ids) || fmt.Sprint(again[i]["id"]) != ids[i] {
					t.Fatalf("pages of 7 and of 13 list different sequences (at item %d)", i)
				}
			}
			// Every item follows the one before in the stated order: by key, then by id ascending.
			for i := 1; i < len(nodes); i++ {
				a, b := tc.key(nodes[i-1]), tc.key(nodes[i])
				c := compareKeys(a, b)
				if tc.desc {
					c = -c
				}
				if c > 0 || (c == 0 && ids[i-1] > ids[i]) {
					t.Fatalf("items %d and %d are out of order: %v (%s) then %v (%s)", i-1, i, a, ids[i-1], b, ids[i])
				}
			}
		})
	}
}

// compareKeys compares two sort keys read from JSON: numbers as numbers, text by code point (as Neo4j does).
func compareKeys(a, b any) int {
	if x, ok := a.(float64); ok {
		y := b.(float64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func TestMissingObjectIsNull(t *testing.T) {
	srv := newServer(t, graph.Options{})
	r := do(t, srv, "", `{ enterprise(id: "x") { id } chainMap(id: "nope") { id } region(code: "999999") { code } }`, nil)
	if len(r.Errors) > 0 || string(r.Data) != `{"enterprise":null,"chainMap":null,"region":null}` {
		t.Errorf("data %s errors %+v, want three nulls and no error", r.Data, r.Errors)
	}
}

// A request's round trips to Neo4j follow from its text alone: the same for 10 items as for 100, and the same
// for every one of many concurrent requests. Each root field costs one statement (analyses one more, for the
// records they refer to; graphSlice one per hop).
func TestRoundTripsFollowTheText(t *testing.T) {
	srv := newServer(t, graph.Options{Limits: graph.Limits{MaxComplexity: 1 << 20}})
	const nested = `query($n: Int) { enterprises(first: $n) { totalCount nodes {
		id sites { kind region { name province { name } } park { name } }
		segments { id chainMap { name stats { enterprises openBottlenecks } } bottlenecks { id tacklers { actor { ... on Enterprise { id } ... on Institution { id } } } } }
		suppliers { supplier { name } } customers { customer { name } } sources { title } upstream(tiers: 3) { tier enterprise { id } }
	} } }`
	for _, tc := range []struct {
		name  string
		query string
		trips int
	}{
		{"nested list", nested, 1},
		{"two root fields", `query($n: Int) { a: enterprises(first: $n) { nodes { id } } b: bottlenecks(first: $n) { nodes { id segments { id } } } }`, 2},
		{"chain map", `query($n: Int) { chainMap(id: "hydrogen") { segments { enterprises(first: $n) { sites { region { name } } } } } }`, 1},
		{"chain maps with progress", `query($n: Int) { chainMaps { progress { year open inProgress resolvedSoFar } stats { openBottlenecks }
			segments { enterprises(first: $n) { id } } } }`, 1},
		{"analysis", `query($n: Int) { criticality(chainMapId: "nev-icv", first: $n) { rank enterprise { id sites { id } } } }`, 2},
		{"graph slice", `query($n: Int) { graphSlice(rootIds: ["sinohytec"], maxHops: 3, maxNodes: $n) { nodeCount } }`, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, n := range []int{10, 100} {
				r := mustData(t, srv, "", tc.query, map[string]any{"n": n}, nil)
				if r.Extensions.Cost.RoundTrips != tc.trips {
					t.Errorf("%d round trips for %d items, want %d", r.Extensions.Cost.RoundTrips, n, tc.trips)
				}
			}
		})
	}
	t.Run("100 concurrent requests", func(t *testing.T) {
		trips := make(chan int, 100)
		var wg sync.WaitGroup
		for range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := do(t, srv, "", nested, map[string]any{"n": 20})
				if len(r.Errors) > 0 {
					t.Errorf("errors: %+v", r.Errors)
				}
				trips <- r.Extensions.Cost.RoundTrips
			}()
		}
		wg.Wait()
		close(trips)
		for n := range trips {
			if n != 1 {
				t.Fatalf("a concurrent request cost %d round trips, want 1", n)
			}
		}
	})
}

// ChainMap.progress reads the same wherever the chain map sits in the request: at the root, or nested below a
// region's enterprises and their segments, whose variables its subqueries must not capture.
func TestChainMapProgressNested(t *testing.T) {
	srv := newServer(t, graph.Options{Limits: graph.Limits{MaxComplexity: 1 << 20}})
	type chain struct {
		ID       string
		Progress []map[string]int
	}
	var data struct {
		ChainMaps []chain
		Regions   []struct {
			Enterprises []struct{ Segments []struct{ ChainMap chain } }
		}
	}
	const years = `progress { year started resolvedInYear open inProgress resolvedSoFar }`
	r := mustData(t, srv, "", `{ chainMaps { id `+years+` }
		regions(level: PROVINCE) { enterprises(first: 20) { segments { chainMap { id `+years+` } } } } }`, nil, &data)
	if r.Extensions.Cost.RoundTrips != 2 {
		t.Errorf("%d round trips, want 2 (one per root field)", r.Extensions.Cost.RoundTrips)
	}
	root := map[string]string{}
	for _, c := range data.ChainMaps {
		root[c.ID] = fmt.Sprint(c.Progress)
	}
	if len(root) != 6 || root["hydrogen"] == "[]" {
		t.Fatalf("chain maps at the root: %v", root)
	}
	nested := 0
	for _, g := range data.Regions {
		for _, e := range g.Enterprises {
			for _, s := range e.Segments {
				nested++
				if got := fmt.Sprint(s.ChainMap.Progress); got != root[s.ChainMap.ID] {
					t.Fatalf("%s nested: %s, at the root: %s", s.ChainMap.ID, got, root[s.ChainMap.ID])
				}
			}
		}
	}
	if nested == 0 {
		t.Fatal("no chain map read below the regions")
	}
}

// The role matrix: who may read, change, and introspect, with reads open and with reads closed.
func TestRoles(t *testing.T) {
	secret := []byte("a-secret-of-at-least-32-bytes-long!!")
	jwtFor := func(role string, exp time.Duration, key []byte, method jwt.SigningMethod) string {
		tok := jwt.NewWithClaims(method, jwt.MapClaims{"sub": "jo", "role": role, "exp": time.Now().Add(exp).Unix()})
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	const (
		read       = `{ chainMaps { id } }`
		change     = `mutation { setBottleneckStatus(id: "no-such-bottleneck", status: OPEN) { id } }`
		introspect = `{ __schema { queryType { name } } }`
	)
	tokens := map[string]string{
		"anonymous":    "",
		"viewer":       "viewer-key-000000000000",
		"editor":       "editor-key-000000000000",
		"admin":        "admin-key-0000000000000",
		"editor JWT":   jwtFor("editor", time.Hour, secret, jwt.SigningMethodHS256),
		"expired JWT":  jwtFor("editor", -time.Hour, secret, jwt.SigningMethodHS256),
		"forged JWT":   jwtFor("admin", time.Hour, []byte("another-secret-of-32-bytes-or-more!!"), jwt.SigningMethodHS256),
		"unknown role": jwtFor("owner", time.Hour, secret, jwt.SigningMethodHS256),
		"garbage":      "garbage",
	}
	// Mutation outcomes: NOT_FOUND means the caller got through to the store (the bottleneck does not exist).
	for _, tc := range []struct {
		reads                   string
		who                     string
		read, change, introspec string
	}{
		{"open", "anonymous", "", "UNAUTHENTICATED", "FORBIDDEN"},
		{"open", "viewer", "", "FORBIDDEN", "FORBIDDEN"},
		{"open", "editor", "", "NOT_FOUND", "FORBIDDEN"},
		{"open", "editor JWT", "", "NOT_FOUND", "FORBIDDEN"},
		{"open", "admin", "", "NOT_FOUND", ""},
		{"open", "expired JWT", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"},
		{"open", "forged JWT", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"},
		{"open", "unknown role", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"},
		{"open", "garbage", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"},
		{"viewer", "anonymous", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"},
		{"viewer", "viewer", "", "FORBIDDEN", "FORBIDDEN"},
		{"viewer", "editor", "", "NOT_FOUND", "FORBIDDEN"},
	} {
		t.Run(tc.reads+"/"+tc.who, func(t *testing.T) {
			srv := newServer(t, graph.Options{Auth: graph.Auth{JWTSecret: secret, APIKeys: testKeys, ReadsNeedViewer: tc.reads == "viewer"}})
			tok := tokens[tc.who]
			for _, op := range []struct{ query, want string }{{read, tc.read}, {change, tc.change}, {introspect, tc.introspec}} {
				if got := do(t, srv, tok, op.query, nil).code(); got != op.want {
					t.Errorf("%s: code %q, want %q", strings.Fields(op.query)[0]+"…", got, op.want)
				}
			}
		})
	}
	// With introspection open, anyone may introspect.
	srv := newServer(t, graph.Options{Introspection: true})
	if r := do(t, srv, "", introspect, nil); len(r.Errors) > 0 {
		t.Errorf("open introspection: %+v", r.Errors)
	}
}

func TestLimits(t *testing.T) {
	srv := newServer(t, graph.Options{Limits: graph.Limits{MaxDepth: 6, MaxComplexity: 5000, ParserTokenLimit: 2000}})
	deep := `{ chainMap(id: "hydrogen") { segments { downstream { downstream { downstream { downstream { downstream { id } } } } } } } }`
	costly := `{ enterprises(first: 100) { nodes { suppliers(first: 100) { supplier { id } } customers(first: 100) { customer { id } } } } }`
	huge := "{ " + strings.Repeat("chainMaps { id } ", 700) + "}"
	for _, tc := range []struct{ name, query, reason string }{
		{"depth", deep, "DEPTH_LIMIT"},
		{"complexity", costly, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"parser tokens", huge, "GRAPHQL_PARSE_FAILED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, "", tc.query, nil)
			if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["reason"] != tc.reason || r.Extensions.Cost.RoundTrips != 0 {
				t.Errorf("errors %+v (round trips %d), want BAD_USER_INPUT/%s before any Neo4j query", r.Errors, r.Extensions.Cost.RoundTrips, tc.reason)
			}
		})
	}
	// The same queries within the limits pass.
	ok := newServer(t, graph.Options{})
	if r := do(t, ok, "", `{ chainMap(id: "hydrogen") { segments { downstream { id } } } }`, nil); len(r.Errors) > 0 {
		t.Errorf("a shallow query failed: %+v", r.Errors)
	}
}

func TestErrorsNeverLeakInternals(t *testing.T) {
	srv := newServer(t, graph.Options{})
	r := do(t, srv, "", `{ enterprises(filter: {text: "\"unbalanced ( [ { AND OR ~*? \\"}) { totalCount } }`, nil)
	if len(r.Errors) > 0 {
		t.Errorf("a search text full of Lucene syntax failed: %+v", r.Errors)
	}
	body, _ := json.Marshal(r)
	for _, leak := range []string{"Neo4jError", "Neo.ClientError", "MATCH", "cypher"} {
		if strings.Contains(string(body), leak) {
			t.Errorf("response leaks %q: %s", leak, body)
		}
	}
}

// A connection makes edges and cursors only for what the request selects (page, connections.go): whatever part
// a request selects, through aliases, fragments or @include, it reads the cursors the whole connection has.
func TestConnectionPartsAsSelected(t *testing.T) {
	srv := newServer(t, graph.Options{})
	for _, c := range []struct{ list, typ string }{
		{`enterprises(first: 5)`, "EnterpriseConnection"}, {`enterprises(first: 5, after: $after)`, "EnterpriseConnection"},
		{`bottlenecks(first: 4, orderBy: {field: SEVERITY, direction: DESC})`, "BottleneckConnection"},
		{`rdManufacturingLinks(first: 3)`, "RDLinkConnection"},
	} {
		list := c.list
		t.Run(list, func(t *testing.T) {
			var after any
			if strings.Contains(list, "$after") { // a later page, after the first page's end cursor
				after = ask(t, srv, `enterprises(first: 5)`, `pageInfo { endCursor }`, nil, "")["pageInfo"].(map[string]any)["endCursor"]
			}
			full := ask(t, srv, list, `pageInfo { startCursor endCursor hasNextPage } edges { cursor } nodes { id }`, after, "")
			cursors := func(conn map[string]any, edges, cursor string) (out []string) {
				list, _ := conn[edges].([]any)
				for _, e := range list {
					c, _ := e.(map[string]any)[cursor].(string)
					out = append(out, c)
				}
				return out
			}
			want := cursors(full, "edges", "cursor")
			info := full["pageInfo"].(map[string]any)
			if len(want) < 3 || info["startCursor"] != want[0] || info["endCursor"] != want[len(want)-1] {
				t.Fatalf("the whole connection: %v", full)
			}
			if got := ask(t, srv, list, `pageInfo { startCursor endCursor hasNextPage }`, after, "")["pageInfo"]; !reflect.DeepEqual(got, info) {
				t.Errorf("pageInfo alone: %v, with edges: %v", got, info)
			}
			for _, tc := range []struct{ sel, fragments, edges, cursor string }{
				{`edges { cursor }`, "", "edges", "cursor"},
				{`x: edges { y: cursor }`, "", "x", "y"},
				{`...F`, " fragment F on " + c.typ + " { edges { cursor } }", "edges", "cursor"},
				{`... on ` + c.typ + ` { edges { cursor } }`, "", "edges", "cursor"},
				{`edges @include(if: true) { cursor }`, "", "edges", "cursor"},
			} {
				if got := cursors(ask(t, srv, list, tc.sel, after, tc.fragments), tc.edges, tc.cursor); !reflect.DeepEqual(got, want) {
					t.Errorf("%s: cursors %q, the whole connection's %q", tc.sel, got, want)
				}
			}
		})
	}
}

// ask asks for the selection sel of the connection list (with the fragments it uses) and returns the connection.
func ask(t *testing.T, srv *httptest.Server, list, sel string, after any, fragments string) map[string]any {
	t.Helper()
	var out struct{ L map[string]any }
	vars := ""
	if strings.Contains(list, "$after") {
		vars = "($after: String)"
	}
	mustData(t, srv, "", `query`+vars+` { l: `+list+` { `+sel+` } }`+fragments, map[string]any{"after": after}, &out)
	return out.L
}
