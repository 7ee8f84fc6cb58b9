package graph_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// fragmentBomb is `fragment Fi on Query { ...Fi-1 ...Fi-1 }` nested levels deep: under 1 KB of text that
// expands to 2^levels fields.
func fragmentBomb(levels int) string {
	var b strings.Builder
	b.WriteString("query Bomb { ...F" + fmt.Sprint(levels) + " }\nfragment F0 on Query { chainMaps { id } }\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	return b.String()
}

// nestedBomb doubles at each level through nesting instead, so that no selection set repeats a name:
// `fragment Fi on Segment { upstream { ...Fi-1 } downstream { ...Fi-1 } }`.
func nestedBomb(levels int) string {
	var b strings.Builder
	b.WriteString(`{ chainMap(id: "hydrogen") { segments { ...F` + fmt.Sprint(levels) + " } } }\nfragment F0 on Segment { id }\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "fragment F%d on Segment { upstream { ...F%d } downstream { ...F%d } }\n", i, i-1, i-1)
	}
	return b.String()
}

// The hostile queries of issue 9, each refused before validation, in milliseconds, without a round trip.
func TestHostileQueriesAreRefusedCheaply(t *testing.T) {
	srv := newServer(t, graph.Options{})
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{ ")
		for i := range n {
			fmt.Fprintf(&b, `x: chainMap(id: "m%d") { id } `, i)
		}
		return b.String() + "}"
	}
	distinctAliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{ ")
		for i := range n {
			fmt.Fprintf(&b, `a%d: chainMap(id: "m%d") { id } `, i, i)
		}
		return b.String() + "}"
	}
	for _, tc := range []struct{ name, query, reason string }{
		{"fragment bomb, 24 levels", fragmentBomb(24), "TOO_MANY_REPEATS"},
		{"fragment bomb, 64 levels", fragmentBomb(64), "TOO_MANY_REPEATS"},
		{"nested fragment bomb, 24 levels", nestedBomb(24), "TOO_MANY_FIELDS"},
		{"a field repeated 14,900 times (74 KB)", "{" + strings.Repeat(" __typename", 14900) + " }", "QUERY_TOO_LARGE"},
		{"a field repeated 2,500 times (28 KB)", "{" + strings.Repeat(" __typename", 2500) + " }", "TOO_MANY_REPEATS"},
		{"1,300 fields aliased x, different arguments (53 KB)", aliases(1300), "QUERY_TOO_LARGE"},
		{"200 fields aliased x, different arguments", aliases(200), "TOO_MANY_ALIASES"},
		{"40 fields sharing a name, different arguments", "{" + strings.Repeat(` chainMap(id: "a") { id } chainMap(id: "b") { id }`, 20) + " }", "TOO_MANY_REPEATS"},
		{"40 fields sharing a name through fragments", "{ ...A ...B } fragment A on Query {" + strings.Repeat(" chainMaps { id }", 20) + " } fragment B on Query {" + strings.Repeat(" chainMaps { name }", 20) + " }", "TOO_MANY_REPEATS"},
		{"150 distinct aliases", distinctAliases(150), "TOO_MANY_ALIASES"},
		{"300 spreads", "{ ...A } fragment A on Query { chainMaps {" + strings.Repeat(" ...B", 300) + " } } fragment B on ChainMap { id }", "TOO_MANY_FRAGMENT_SPREADS"},
		{"a fragment cycle", "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }", "FRAGMENT_CYCLE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			r := do(t, srv, "", tc.query, nil)
			took := time.Since(start)
			if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["reason"] != tc.reason || r.Extensions.Cost.RoundTrips != 0 {
				t.Fatalf("errors %.500v, want BAD_USER_INPUT/%s", r.Errors, tc.reason)
			}
			// Milliseconds on an idle machine; 1 s leaves room for a busy one (it took 12 s and more before).
			if took > time.Second {
				t.Errorf("took %s", took)
			}
		})
	}
}

// Queries a client legitimately sends stay within the limits: GraphiQL's introspection query among them.
func TestGuardLetsOrdinaryQueriesThrough(t *testing.T) {
	srv := newServer(t, graph.Options{Introspection: true})
	for _, q := range []string{
		introspectionQuery,
		`{ a: chainMap(id: "hydrogen") { id } b: chainMap(id: "robots") { id } chainMaps { id name } }`,
		`query Q($s: BottleneckStatus) { bottlenecks(filter: {status: $s}, first: 2) { nodes { id status } } }`,
		`{ ...A ...A } fragment A on Query { chainMaps { id ...B ...B } } fragment B on ChainMap { name }`,
	} {
		r := do(t, srv, "", q, map[string]any{"s": "OPEN"})
		if len(r.Errors) > 0 {
			t.Errorf("%.60s…: %+v", q, r.Errors)
		}
	}
}

// Enum values are spelled as the schema spells them, in variables and literals, in queries and mutations;
// strings and lists are bounded; control characters are refused. Nothing reaches Neo4j.
func TestStrictInput(t *testing.T) {
	srv := newServer(t, graph.Options{})
	const editor = "editor-key-000000000000"
	bottlenecks := `query Q($s: BottleneckStatus) { bottlenecks(filter: {status: $s}) { nodes { id } } }`
	setStatus := `mutation M($s: BottleneckStatus!) { setBottleneckStatus(id: "h2-bn-carbon-fibre-tanks", status: $s) { id } }`
	search := `query Q($q: String!) { search(query: $q) { id } }`
	for _, tc := range []struct {
		name, token, query string
		vars               map[string]any
		mention            string // the error names this
	}{
		{"lowercase enum variable", "", bottlenecks, map[string]any{"s": "open"}, `"open"`},
		{"mixed-case enum variable", "", bottlenecks, map[string]any{"s": "Open"}, `"Open"`},
		{"lowercase enum literal", "", `{ bottlenecks(filter: {status: open}) { nodes { id } } }`, nil, "open"},
		{"lowercase enum in a mutation", editor, setStatus, map[string]any{"s": "resolved"}, `"resolved"`},
		{"lowercase enum in an input object", editor, `mutation M($e: EnterpriseInput!) { upsertEnterprise(input: $e) { id } }`,
			map[string]any{"e": map[string]any{"id": "guard-test", "nameZh": "Guard", "segmentIds": []any{}, "confidence": "ILLUSTRATIVE", "sourceIds": []any{}, "sites": []any{map[string]any{"id": "guard-test-s", "name": "S", "kind": "hq", "regionCode": "110000"}}}}, `"hq"`},
		{"NUL in a string", "", search, map[string]any{"q": "a\x00b"}, "U+0000"},
		{"BEL in a string", "", search, map[string]any{"q": "a\x07b"}, "U+0007"},
		{"right-to-left override in a string", "", search, map[string]any{"q": "abc\u202egnp.exe"}, "U+202E"},
		{"control character in a literal", "", `{ search(query: "a\u0007b") { id } }`, nil, "U+0007"},
		{"a 20 KB string", "", search, map[string]any{"q": strings.Repeat("氢", 7000)}, "limit"},
		{"a list of 600 ids", "", `query Q($ids: [ID!]) { indicators(filter: {ids: $ids}) { id } }`, map[string]any{"ids": make([]any, 600)}, "600 items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if ids, ok := tc.vars["ids"].([]any); ok {
				for i := range ids {
					ids[i] = fmt.Sprint("id", i)
				}
			}
			r := do(t, srv, tc.token, tc.query, tc.vars)
			if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, tc.mention) || r.Extensions.Cost.RoundTrips != 0 {
				t.Errorf("errors %+v (round trips %d), want BAD_USER_INPUT naming %s", r.Errors, r.Extensions.Cost.RoundTrips, tc.mention)
			}
		})
	}
}

// Requests that are not GraphQL over HTTP get a 4xx and a code, never INTERNAL.
func TestMalformedRequests(t *testing.T) {
	srv := newServer(t, graph.Options{})
	for _, tc := range []struct {
		name, method, contentType, body, query string
		status                                 int
		code                                   string
	}{
		{"truncated JSON", "POST", "application/json", `{"query":"{ chainMaps { id }`, "", 400, "BAD_REQUEST"},
		{"query is a number", "POST", "application/json", `{"query":123}`, "", 400, "BAD_REQUEST"},
		{"variables is a string", "POST", "application/json", `{"query":"{ chainMaps { id } }","variables":"{}"}`, "", 400, "BAD_REQUEST"},
		{"a batch", "POST", "application/json", "[" + strings.TrimSuffix(strings.Repeat(`{"query":"{ chainMaps { id } }"},`, 1000), ",") + "]", "", 400, "BAD_REQUEST"},
		{"a JSON string", "POST", "application/json", `"{ chainMaps { id } }"`, "", 400, "BAD_REQUEST"},
		{"text/plain", "POST", "text/plain", `{"query":"{ chainMaps { id } }"}`, "", 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"a form", "POST", "application/x-www-form-urlencoded", `query=%7B+chainMaps+%7B+id+%7D+%7D`, "", 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"multipart", "POST", "multipart/form-data; boundary=x", "--x\r\n\r\n--x--", "", 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"no content type", "POST", "", `{"query":"{ chainMaps { id } }"}`, "", 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"PUT", "PUT", "application/json", `{"query":"{ chainMaps { id } }"}`, "", 405, "METHOD_NOT_ALLOWED"},
		{"a mutation over GET", "GET", "", "", `mutation { unlinkSupplier(supplierId: "a", customerId: "b", product: "p") { id } }`, 405, "METHOD_NOT_ALLOWED"},
		{"GET with string variables", "GET", "", "", `{ chainMaps { id } }&variables=%22x%22`, 400, "BAD_REQUEST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := srv.URL
			if tc.query != "" {
				q, extra, _ := strings.Cut(tc.query, "&")
				target += "?query=" + url.QueryEscape(q)
				if extra != "" {
					target += "&" + extra
				}
			}
			req, _ := http.NewRequestWithContext(context.Background(), tc.method, target, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || !strings.Contains(string(raw), `"code":"`+tc.code+`"`) {
				t.Errorf("got %d %.300s, want %d with code %s", resp.StatusCode, raw, tc.status, tc.code)
			}
		})
	}
}

// With introspection closed, __schema behind nested fragments is FORBIDDEN, as it is in plain sight.
func TestIntrospectionBehindFragmentsIsForbidden(t *testing.T) {
	srv := newServer(t, graph.Options{Introspection: false})
	q := `{ ...A } fragment A on Query { ...B } fragment B on Query { __schema { queryType { name } } }`
	if r := do(t, srv, "viewer-key-000000000000", q, nil); r.code() != "FORBIDDEN" {
		t.Errorf("errors %+v, want FORBIDDEN", r.Errors)
	}
	if r := do(t, srv, "admin-key-0000000000000", q, nil); len(r.Errors) > 0 {
		t.Errorf("admin: %+v", r.Errors)
	}
}

// introspectionQuery is GraphiQL's.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`
