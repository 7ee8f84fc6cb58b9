package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"

	"github.com/chainmap/chainmap/graph"
)

// The walk of planned subtrees (fast.go) must answer every request exactly as gqlgen's own execution does: the
// same bytes, errors, nulls and extensions included. Each request below is sent to two servers over the same
// seeded Neo4j, one with the walk and one without, and the bodies are compared byte for byte: the planners'
// golden questions, every case of the Cypher suite (which covers every root field), the benchmark questions,
// and shapes the walk must get right — aliases, fragments on unions, __typename, a key merged from two places,
// @skip/@include, a root field that finds nothing, and errors below a walked field.
func TestWalkAnswersAsGqlgenDoes(t *testing.T) {
	walk := newServer(t, graph.Options{})
	plain := newServer(t, graph.WithoutWalk(graph.Options{}))
	type req struct {
		name, query string
		vars        map[string]any
	}
	var reqs []req
	for _, q := range plannerQuestions {
		reqs = append(reqs, req{"golden/" + q.name, q.query, nil})
	}
	for _, c := range cypherCases {
		reqs = append(reqs, req{"cypher/" + c.name, c.query, c.vars})
	}
	reqs = append(reqs,
		req{"bench/a", `{ chainMap(id: "hydrogen") { id name segments { id name order enterprises(first: 20) { id name sites { id kind region { code name } } } } } }`, nil},
		req{"bench/b", `{ enterprises(filter: {regionCode: "130000"}, first: 50) { nodes { id name segments { id name bottlenecks { id name severity status } } } } }`, nil},
		req{"bench/c", `{ bottlenecks(filter: {kind: CHOKEPOINT, status: OPEN}, first: 50) { nodes { id name severity segments { id name chainMap { id name } } tacklers { since status actor { __typename ... on Enterprise { id name } ... on Institution { id name } } } } } }`, nil},
		req{"bench/d", `{ chainMaps { id name } }`, nil},
		req{"aliases-typename-fragments", `query Q($skip: Boolean!) {
  __typename
  h: chainMap(id: "hydrogen") { __typename ...C segs: segments { __typename id ...S } segments @include(if: $skip) { id } }
  n: chainMap(id: "no-such-map") { id }
  chainMaps { id leadRegion { code } l2: leadRegion { name } }
}
fragment C on ChainMap { id name stats { enterprises } }
fragment S on Segment { first: enterprises(first: 2) { id } first: enterprises(first: 2) { name sites { id } } chainMap { id } }`, map[string]any{"skip": false}},
		req{"connections-edges-and-nodes", `{
  enterprises(filter: {chainMapId: "robots"}, first: 7) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id sites { region { name } } } } nodes { id name } }
  bottlenecks(first: 3) { edges { cursor node { id tacklers { actor { __typename ... on Enterprise { id } } } } } nodes { id } }
}`, nil},
		req{"one-record-by-id", `{ enterprise(id: "sinohytec") { id name segments { id chainMap { id } } sites { id region { code parent { code } } park { id } } } segment(id: "nev-vehicles") { id upstream { id } } bottleneck(id: "h2-bn-carbon-fibre-tanks") { id tacklers { since status actor { ... on Institution { id kind } } } } }`, nil},
		req{"error-below-a-walked-field", `{ chainMap(id: "hydrogen") { segments { enterprises(first: 0) { id } } } }`, nil},
		req{"error-in-an-argument", `{ enterprises(first: -1) { nodes { id } } }`, nil},
	)
	for _, r := range reqs {
		t.Run(r.name, func(t *testing.T) {
			a, b := raw(t, walk, r.query, r.vars), raw(t, plain, r.query, r.vars)
			if !bytes.Equal(a, b) {
				t.Errorf("the walk answers\n%.3000s\ngqlgen answers\n%.3000s", a, b)
			}
			if len(a) < 20 {
				t.Errorf("answer %s is suspiciously empty", a)
			}
		})
	}
}

func raw(t *testing.T, srv *httptest.Server, query string, vars map[string]any) []byte {
	t.Helper()
	b, err := fetchBody(srv, query, vars)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fetchBody sends a GraphQL request and returns the response's body.
func fetchBody(srv *httptest.Server, query string, vars map[string]any) ([]byte, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(context.Background(), "POST", srv.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// The walk hands gqlgen's marshallers selection sets of its own making, and gqlgen keeps what it collected from
// a selection set by the set's address for the whole operation. Under garbage collection a set the walk dropped
// could leave its address to another of the same length, which gqlgen then answered with the dropped set's
// fields: a firm's nameZh came back as another firm's synthetic flag, in 1 or 2 of 50 requests, one round in
// two (the flake of TestRoundTripsFollowTheText in s15). Here the collector runs all the time while requests whose
// records leave one field each to the marshaller — a different one at each level — are answered concurrently,
// and every answer must be gqlgen's own.
func TestWalkUnderGarbageCollection(t *testing.T) {
	walk := newServer(t, graph.Options{})
	const q = `{ enterprises(first: 100) { nodes { nameZh suppliers { supplier { synthetic } } customers { customer { description } } } } }`
	want := raw(t, newServer(t, graph.WithoutWalk(graph.Options{})), q, nil)
	if !bytes.Contains(want, []byte(`"nameZh":"`)) {
		t.Fatalf("answer %.300s names no firm in Chinese", want)
	}

	defer debug.SetGCPercent(debug.SetGCPercent(1))
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	}()
	for round := range 8 {
		var wg sync.WaitGroup
		for range 25 {
			wg.Go(func() { // t.Fatal belongs to the test's goroutine: fetchBody, not raw
				got, err := fetchBody(walk, q, nil)
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(got, want) {
					i := 0
					for i < min(len(got), len(want)) && got[i] == want[i] {
						i++
					}
					t.Errorf("round %d: the walk answers …%.200s\ngqlgen answers …%.200s", round, got[max(0, i-80):], want[max(0, i-80):])
				}
			})
		}
		wg.Wait()
		if t.Failed() {
			return
		}
	}
}
