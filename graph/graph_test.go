package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/synth"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// sharedStore is the test Neo4j loaded with the curated seeds, shared by the tests of this package that need
// it; tests that write use ids of their own and remove what they created. It is opened by the first test that
// asks, so that the tests that need no database (transport, planning, fuzzing) run without one.
var (
	sharedStore *neo4jdb.DB
	storeOnce   sync.Once
	setup       = &setupTB{}
)

// store returns the shared store, opening and loading it on first use; it ends the run when Neo4j cannot be
// used (a test that needs Neo4j fails, never skips).
func store() *neo4jdb.DB {
	storeOnce.Do(func() {
		if os.Getenv("CHAINMAP_BENCH_KEEP") != "" {
			// The graph an earlier run wrote (the seeds and CHAINMAP_BENCH_SYNTHETIC firms), for benchmarks
			// only: the tests that write or compare with the seeds expect a fresh load.
			sharedStore = neo4jtest.MustOpenKept(setup)
			return
		}
		sharedStore = neo4jtest.MustOpenDB(setup)
		seeds := neo4jtest.MustLoadSeeds(setup, sharedStore)
		if n, _ := strconv.Atoi(os.Getenv("CHAINMAP_BENCH_SYNTHETIC")); n > 0 {
			ds, err := synth.Generate(synth.Config{Seed: 1, Enterprises: n, Supplies: 10 * n}, seeds)
			if err != nil {
				setup.Fatal(err)
			}
			start := time.Now()
			if err := sharedStore.WriteSynthetic(context.Background(), ds, 0, nil); err != nil {
				setup.Fatal(err)
			}
			fmt.Fprintf(os.Stderr, "wrote %d synthetic enterprises, %d supply links in %s\n", n, 10*n, time.Since(start).Round(time.Second))
		}
	})
	return sharedStore
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	setup.cleanup()
	os.Exit(code)
}

// setupTB is the testing.TB of TestMain's setup: a failure ends the process with a message.
type setupTB struct {
	testing.TB
	cleanups []func()
}

func (s *setupTB) Helper()                      {}
func (s *setupTB) Cleanup(f func())             { s.cleanups = append(s.cleanups, f) }
func (s *setupTB) Fatal(args ...any)            { fmt.Fprintln(os.Stderr, args...); os.Exit(1) }
func (s *setupTB) Fatalf(f string, args ...any) { fmt.Fprintf(os.Stderr, f+"\n", args...); os.Exit(1) }
func (s *setupTB) cleanup() {
	for i := len(s.cleanups) - 1; i >= 0; i-- {
		s.cleanups[i]()
	}
}

// newServer serves the GraphQL handler over the shared store.
func newServer(t testing.TB, opts graph.Options) *httptest.Server {
	t.Helper()
	return newServerOver(t, store(), opts)
}

func newServerOver(t testing.TB, s graph.Store, opts graph.Options) *httptest.Server {
	t.Helper()
	if opts.Auth.APIKeys == nil {
		opts.Auth.APIKeys = testKeys
	}
	srv := httptest.NewServer(graph.NewHandler(s, opts))
	t.Cleanup(srv.Close)
	return srv
}

var testKeys = map[string]graph.Principal{
	"viewer-key-000000000000": {Subject: "vera", Role: graph.Viewer},
	"editor-key-000000000000": {Subject: "ed", Role: graph.Editor},
	"admin-key-0000000000000": {Subject: "ada", Role: graph.Admin},
}

// response is a GraphQL response.
type response struct {
	Data       json.RawMessage `json:"data"`
	Errors     []gqlError      `json:"errors"`
	Extensions struct {
		Cost struct {
			RoundTrips int `json:"neo4jRoundTrips"`
			Complexity int `json:"complexity"`
		} `json:"cost"`
	} `json:"extensions"`
	status int
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// do posts a query with variables and an optional bearer token.
func do(t testing.TB, srv *httptest.Server, token, query string, vars map[string]any) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(context.Background(), "POST", srv.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out response
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response %d is not JSON: %.300s", resp.StatusCode, raw)
	}
	out.status = resp.StatusCode
	return out
}

// mustData posts a query that must succeed and decodes its data into v.
func mustData(t testing.TB, srv *httptest.Server, token, query string, vars map[string]any, v any) response {
	t.Helper()
	r := do(t, srv, token, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("query failed: %+v", r.Errors)
	}
	if v != nil {
		if err := json.Unmarshal(r.Data, v); err != nil {
			t.Fatalf("decode data: %v", err)
		}
	}
	return r
}
