package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/server"
)

// fakeStore answers chainMaps only: these are fast transport tests of the HTTP surface; everything that reads
// data is tested against the real Neo4j in graph and cmd/chainmap.
type fakeStore struct{ graph.Store }

func (fakeStore) ChainMaps(context.Context, *chainmap.Selection) ([]chainmap.ChainMap, error) {
	return []chainmap.ChainMap{{ID: "hydrogen", Name: "Hydrogen energy", Provenance: chainmap.Provenance{Confidence: chainmap.Reported}}}, nil
}

func newServer(t *testing.T, ready error) *httptest.Server {
	t.Helper()
	h := server.New(server.Config{
		GraphQL: graph.NewHandler(fakeStore{}, graph.Options{}),
		Ready:   func(context.Context) error { return ready },
		Metrics: server.NewMetrics(),
		Assets: fstest.MapFS{"graphiql/index.html": {Data: []byte("<title>IDE</title>")}, "graphiql/app.js": {Data: []byte("js")},
			"explore/index.html": {Data: []byte("<title>Explorer</title>")}},
		MaxBodyBytes:   1 << 10,
		AllowedOrigins: []string{"https://planner.example"},
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestRoutes(t *testing.T) {
	srv := newServer(t, nil)
	down := newServer(t, errors.New("neo4j down"))
	big := `{"query":"{ chainMaps { id } }","variables":{"pad":"` + strings.Repeat("x", 2<<10) + `"}}`
	for _, tc := range []struct {
		name, method, url, accept, origin, body string
		code                                    int
		contains                                string
	}{
		{"graphql POST", "POST", srv.URL + "/graphql", "", "", `{"query":"{ chainMaps { id } }"}`, 200, `"hydrogen"`},
		{"IDE for browsers", "GET", srv.URL + "/graphql", "text/html", "", "", 200, "<title>IDE</title>"},
		{"IDE assets", "GET", srv.URL + "/graphiql/app.js", "", "", "", 200, "js"},
		{"root is the explorer", "GET", srv.URL + "/", "text/html", "", "", 200, "<title>Explorer</title>"},
		{"explorer", "GET", srv.URL + "/explore", "text/html", "", "", 200, "<title>Explorer</title>"},
		{"healthz", "GET", srv.URL + "/healthz", "", "", "", 200, "ok"},
		{"readyz up", "GET", srv.URL + "/readyz", "", "", "", 200, "ready"},
		{"readyz down", "GET", down.URL + "/readyz", "", "", "", 503, "unavailable"},
		{"metrics", "GET", srv.URL + "/metrics", "", "", "", 200, "chainmap_http_request_duration_seconds"},
		{"body too large", "POST", srv.URL + "/graphql", "", "", big, 413, "too large"},
		{"CORS preflight", "OPTIONS", srv.URL + "/graphql", "", "https://planner.example", "", 204, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, tc.url, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.code || !strings.Contains(string(b), tc.contains) {
				t.Errorf("%s %s = %d %.200q, want %d containing %q", tc.method, tc.url, resp.StatusCode, b, tc.code, tc.contains)
			}
			if tc.origin != "" && resp.Header.Get("Access-Control-Allow-Origin") != tc.origin {
				t.Errorf("CORS: Access-Control-Allow-Origin = %q", resp.Header.Get("Access-Control-Allow-Origin"))
			}
		})
	}
	// Another origin gets no CORS grant.
	req, _ := http.NewRequest("OPTIONS", srv.URL+"/graphql", nil)
	req.Header.Set("Origin", "https://elsewhere.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("a foreign origin was granted CORS: %q", got)
	}
}
