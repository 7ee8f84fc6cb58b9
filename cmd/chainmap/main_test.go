package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// neo4jArgs points a command at the test Neo4j.
func neo4jArgs() []string {
	cfg := neo4jtest.Config()
	return []string{"-neo4j-uri", cfg.URI, "-neo4j-password", cfg.Password}
}

// freePort returns a port nothing listens on (a tiny race with other processes is acceptable in tests).
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// startServe runs `chainmap serve` against the test Neo4j and returns its base URL; it stops with the test.
func startServe(t *testing.T, extra ...string) string {
	t.Helper()
	return startServeOn(t, freePort(t), extra...)
}

// startServeOn runs serve on 127.0.0.1:port.
func startServeOn(t *testing.T, port string, extra ...string) string {
	t.Helper()
	base, _ := startServeLogged(t, port, extra...)
	return base
}

// startServeLogged runs serve on 127.0.0.1:port and returns its base URL and its log.
func startServeLogged(t *testing.T, port string, extra ...string) (string, *neo4jtest.SyncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	stderr := new(neo4jtest.SyncBuffer)
	go func() {
		done <- run(ctx, append(append([]string{"serve", "-port", port}, neo4jArgs()...), extra...), io.Discard, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve ended with %v", err)
		}
	})
	base := "http://127.0.0.1:" + port
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			return base, stderr
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v\n%s", err, stderr.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not answer /healthz\n%s", stderr.String())
	return "", nil
}

func TestLoadThenServeAnswersChainMaps(t *testing.T) {
	neo4jtest.MustOpenDB(t) // start from an empty graph
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, append([]string{"migrate"}, neo4jArgs()...), &out, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := run(ctx, append([]string{"load"}, neo4jArgs()...), &out, io.Discard); err != nil {
		t.Fatalf("load: %v", err)
	}
	base := startServe(t)

	body := strings.NewReader(`{"query":"{ chainMaps { id name nameZh } }"}`)
	resp, err := http.Post(base+"/graphql", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Data struct {
			ChainMaps []struct{ ID, Name, NameZh string }
		}
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Errors) > 0 || len(got.Data.ChainMaps) != 6 {
		t.Fatalf("chainMaps = %+v, errors %v; want the six maps", got.Data.ChainMaps, got.Errors)
	}
	if m := got.Data.ChainMaps[2]; m.ID != "hydrogen" || m.Name != "Hydrogen energy" || m.NameZh != "氢能" {
		t.Errorf("third map = %+v, want hydrogen / Hydrogen energy / 氢能", m)
	}

	// The same query by GET, as CDNs and browsers cache it.
	resp, err = http.Get(base + "/graphql?query=%7BchainMaps%7Bid%7D%7D")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"hydrogen"`) {
		t.Errorf("GET /graphql = %s, want the maps", b)
	}

	for _, tc := range []struct {
		path, accept string
		code         int
		contains     string
	}{
		{"/healthz", "", 200, "ok"},
		{"/readyz", "", 200, "ready"},
		{"/metrics", "", 200, `chainmap_neo4j_queries_total{method="ChainMaps"}`},
		{"/graphql", "text/html", 200, "chainmap GraphQL IDE"},
		{"/", "text/html", 200, "京津冀产业链图谱"}, // the explorer, the front door
	} {
		req, _ := http.NewRequest("GET", base+tc.path, nil)
		if tc.accept != "" {
			req.Header.Set("Accept", tc.accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.code || !strings.Contains(string(b), tc.contains) {
			t.Errorf("GET %s = %d %.200q, want %d containing %q", tc.path, resp.StatusCode, b, tc.code, tc.contains)
		}
	}
}

func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	err = run(context.Background(), append([]string{"serve", "-port", port}, neo4jArgs()...), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "in use") || !strings.Contains(err.Error(), port) {
		t.Errorf("serve on a busy port: %v, want an error saying port %s is in use", err, port)
	}
}

func TestServeBadNeo4j(t *testing.T) {
	cfg := neo4jtest.Config()
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"wrong password", []string{"-neo4j-uri", cfg.URI, "-neo4j-password", "wrong-password-123"},
			[]string{cfg.URI, "credentials"}},
		{"unreachable", []string{"-neo4j-uri", "bolt://127.0.0.1:1", "-connect-timeout", "1s"},
			[]string{"bolt://127.0.0.1:1", "cannot reach"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"serve", "-port", freePort(t)}, tc.args...)
			err := run(context.Background(), args, io.Discard, io.Discard)
			if err == nil {
				t.Fatal("serve succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "wrong-password-123") {
				t.Errorf("error %q leaks the password", err)
			}
		})
	}
}

func TestHelpListsSettings(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"serve", "migrate", "load"} {
		if !strings.Contains(out.String(), cmd) {
			t.Errorf("chainmap -h does not list %q", cmd)
		}
	}
	var errOut bytes.Buffer
	_ = run(context.Background(), []string{"serve", "-h"}, io.Discard, &errOut)
	for _, env := range []string{"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "PORT", "HOST"} {
		if !strings.Contains(errOut.String(), "["+env+"]") {
			t.Errorf("chainmap serve -h does not document %s", env)
		}
	}
}

func TestBadEnvironmentValue(t *testing.T) {
	t.Setenv("NEO4J_CONNECT_TIMEOUT", "soon")
	err := run(context.Background(), []string{"migrate"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "NEO4J_CONNECT_TIMEOUT") {
		t.Errorf("migrate with NEO4J_CONNECT_TIMEOUT=soon: %v, want an error naming the variable", err)
	}
}

// TestVersion: `chainmap version` names the build: version, commit, Go version and the schema's hash.
func TestVersion(t *testing.T) {
	version, commit = "v1.2.3", "0123abc"
	t.Cleanup(func() { version, commit = "", "" })
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"chainmap v1.2.3\n", "commit  0123abc\n", "go      go1.", "schema  " + graph.SchemaHash() + "\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("chainmap version printed %q, want it to contain %q", out.String(), want)
		}
	}
	version, commit = "", ""
	if bi := readBuildInfo(); bi.Version == "" || bi.Commit == "" {
		t.Errorf("without -ldflags: %+v, want a version and a commit (dev, unknown at worst)", bi)
	}
}

// TestServeSchemaAndBuildInfo: `chainmap serve` serves the merged SDL while introspection is open, not when it is
// closed, and /metrics says which build runs.
func TestServeSchemaAndBuildInfo(t *testing.T) {
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	base := startServe(t)
	if code, body := get(base + "/schema.graphql"); code != 200 || body != graph.SDL() {
		t.Errorf("GET /schema.graphql = %d (%d bytes), want 200 and graph.SDL()", code, len(body))
	}
	bi := readBuildInfo()
	if _, body := get(base + "/metrics"); !strings.Contains(body, `chainmap_build_info{commit="`+bi.Commit+`",goversion="`+bi.GoVersion+`",schema="`+graph.SchemaHash()+`",version="`+bi.Version+`"} 1`) {
		t.Errorf("/metrics lacks chainmap_build_info for %+v", bi)
	}
	closed := startServe(t, "-introspection=false")
	if code, _ := get(closed + "/schema.graphql"); code != http.StatusNotFound {
		t.Errorf("GET /schema.graphql with introspection closed = %d, want 404", code)
	}
}
