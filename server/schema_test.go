package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/server"
)

// TestSchemaRoute: /schema.graphql serves the merged SDL with an ETag that a client can send back; a server
// without it (introspection closed) has no such route.
func TestSchemaRoute(t *testing.T) {
	open := httptest.NewServer(server.New(server.Config{GraphQL: graph.NewHandler(fakeStore{}, graph.Options{}),
		Ready: func(context.Context) error { return nil }, Metrics: server.NewMetrics(), Schema: graph.SDL()}))
	defer open.Close()
	closed := httptest.NewServer(server.New(server.Config{GraphQL: graph.NewHandler(fakeStore{}, graph.Options{}),
		Ready: func(context.Context) error { return nil }, Metrics: server.NewMetrics()}))
	defer closed.Close()

	resp, err := http.Get(open.URL + "/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || string(body) != graph.SDL() || etag == "" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /schema.graphql = %d %q (ETag %q), want 200, the SDL and an ETag", resp.StatusCode, resp.Header.Get("Content-Type"), etag)
	}
	req, _ := http.NewRequest("GET", open.URL+"/schema.graphql", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("GET with If-None-Match: the ETag = %d, want 304", resp.StatusCode)
	}
	resp, err = http.Get(closed.URL + "/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /schema.graphql without a schema = %d, want 404", resp.StatusCode)
	}
}

// TestBuildInfoMetric: chainmap_build_info carries the build's labels with the value 1.
func TestBuildInfoMetric(t *testing.T) {
	m := server.NewMetrics()
	m.SetBuildInfo("v9.8.7", "abc123", "go1.99", "0123456789ab")
	srv := httptest.NewServer(server.New(server.Config{GraphQL: graph.NewHandler(fakeStore{}, graph.Options{}),
		Ready: func(context.Context) error { return nil }, Metrics: m}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `chainmap_build_info{commit="abc123",goversion="go1.99",schema="0123456789ab",version="v9.8.7"} 1`
	if !strings.Contains(string(body), want) {
		t.Errorf("/metrics lacks %s", want)
	}
}
