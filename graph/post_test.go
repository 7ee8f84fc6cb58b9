package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chainmap/chainmap/graph"
)

// The POST transport (post.go) must answer as gqlgen's own: the same status, Content-Type and bytes. Each body
// below goes to two servers over the same seeded Neo4j, one with post and one with gqlgen's transport.POST:
// the planners' golden questions, every case of the Cypher suite, and the requests whose answers depend on the
// transport — each Accept gqlgen reads, errors before the operation starts (parse, validation, variables,
// persisted queries, a refused mutation), characters encoding/json escapes, and bodies post leaves to gqlgen.
func TestPostAnswersAsGqlgenDoes(t *testing.T) {
	ours := newServer(t, graph.Options{})
	gqlgen := newServer(t, graph.WithGqlgenPost(graph.Options{}))
	type req struct{ name, body, accept string }
	var reqs []req
	for _, q := range plannerQuestions {
		reqs = append(reqs, req{"golden/" + q.name, jsonBody(q.query, nil), ""})
	}
	for _, c := range cypherCases {
		reqs = append(reqs, req{"cypher/" + c.name, jsonBody(c.query, c.vars), ""})
	}
	const maps = `{"query":"{ chainMaps { id name nameEn } }"}`
	const parseError = `{"query":"{ chainMaps { id "}`
	for _, accept := range []string{"", "application/json", "application/graphql-response+json", "*/*", "application/*",
		"text/html", "text/html, application/graphql-response+json;q=0.9, application/json", "not a media type"} {
		reqs = append(reqs, req{"accept " + accept, maps, accept}, req{"parse error, accept " + accept, parseError, accept})
	}
	reqs = append(reqs,
		req{"escaped characters in data", `{"query":"{ enterprises(first: 100) { nodes { id nameEn sites { nameEn } } } }"}`, ""},
		req{"escaped characters in an error", `{"query":"query($k: BottleneckKind) { bottlenecks(filter: {kind: $k}) { nodes { id } } }","variables":{"k":"<b>&\u2028\u2029"}}`, ""},
		req{"validation error", `{"query":"{ chainMaps { nope } }"}`, ""},
		req{"variables", `{"query":"query($n: Int!, $id: ID!) { enterprises(first: $n) { nodes { id } } enterprise(id: $id) { id } }","variables":{"n":3,"id":"catl"}}`, ""},
		req{"a number too large", `{"query":"query($n: Int!) { enterprises(first: $n) { nodes { id } } }","variables":{"n":1e400}}`, ""},
		req{"a variable of the wrong type", `{"query":"query($n: Int!) { enterprises(first: $n) { nodes { id } } }","variables":{"n":"three"}}`, ""},
		req{"operation by name", `{"query":"query A { chainMaps { id } } query B { segment(id: \"nev-vehicles\") { id } }","operationName":"B"}`, ""},
		req{"unknown operation name", `{"query":"query A { chainMaps { id } }","operationName":"Z"}`, ""},
		req{"no operation name among two", `{"query":"query A { chainMaps { id } } query B { chainMaps { name } }"}`, ""},
		req{"persisted query not found", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"0000000000000000000000000000000000000000000000000000000000000000"}}}`, ""},
		req{"refused mutation", `{"query":"mutation { setBottleneckStatus(id: \"h2-bn-carbon-fibre-tanks\", status: RESOLVED) { id } }"}`, ""},
		req{"null fields", `{"query":"{ chainMaps { id } }","operationName":null,"variables":null,"extensions":null}`, ""},
		req{"whitespace around the body", " \n" + maps + "\n ", ""},
		req{"keys gqlgen matches without case", `{"Query":"{ chainMaps { id } }"}`, ""},
		req{"a key of the wrong type gqlgen rejects", `{"Query":5}`, ""},
	)
	escaped := false
	for _, r := range reqs {
		t.Run(r.name, func(t *testing.T) {
			status, ctype, body := postRaw(t, ours, r.body, r.accept)
			wantStatus, wantCtype, want := postRaw(t, gqlgen, r.body, r.accept)
			if status != wantStatus || ctype != wantCtype || !bytes.Equal(body, want) {
				t.Errorf("post answers %d %s\n%.3000s\ngqlgen answers %d %s\n%.3000s", status, ctype, body, wantStatus, wantCtype, want)
			}
			if len(body) < 20 {
				t.Errorf("answer %s is suspiciously empty", body)
			}
			escaped = escaped || bytes.Contains(body, []byte(`\u0026`)) || bytes.Contains(body, []byte(`\u003c`))
		})
	}
	if !escaped {
		t.Error("no answer had a character encoding/json escapes: the comparison did not cover them")
	}
}

// jsonBody is the POST body of a query with its variables.
func jsonBody(query string, vars map[string]any) string {
	req := map[string]any{"query": query}
	if vars != nil {
		req["variables"] = vars
	}
	b, _ := json.Marshal(req)
	return string(b)
}

func postRaw(t *testing.T, srv *httptest.Server, body, accept string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}
