package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// When Neo4j goes away, /readyz turns 503 and queries answer UNAVAILABLE; when it comes back, the service
// recovers by itself. The test stops and restarts the test Neo4j.
func TestNeo4jGoesAwayAndComesBack(t *testing.T) {
	neo4jtest.MustLoadSeeds(t, neo4jtest.MustOpenDB(t))
	base := startServe(t, "-query-timeout", "5s")
	query := func() (int, string) {
		resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"{ chainMaps { id } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r struct {
			Data   *struct{ ChainMaps []struct{ ID string } }
			Errors []struct {
				Message    string
				Extensions struct{ Code string }
			}
		}
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("not JSON: %s", b)
		}
		if len(r.Errors) > 0 {
			return 0, r.Errors[0].Extensions.Code
		}
		return len(r.Data.ChainMaps), ""
	}
	ready := func() int {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	if n, code := query(); n != 6 || code != "" || ready() != 200 {
		t.Fatalf("before: %d maps, code %q, readyz %d", n, code, ready())
	}

	neo4jtest.Stop(t)
	if got := ready(); got != 503 {
		t.Errorf("readyz with Neo4j stopped = %d, want 503", got)
	}
	start := time.Now()
	if _, code := query(); code != "UNAVAILABLE" {
		t.Errorf("query with Neo4j stopped: code %q, want UNAVAILABLE", code)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the UNAVAILABLE answer took %s; it should come within seconds", took)
	}
	// The first query found Neo4j unreachable and opened the breaker: the next ones fail at once.
	for i := range 10 {
		start := time.Now()
		if _, code := query(); code != "UNAVAILABLE" || time.Since(start) > 100*time.Millisecond {
			t.Errorf("query %d with the breaker open: code %q in %s, want UNAVAILABLE in < 100 ms", i, code, time.Since(start))
		}
	}
	if resp, err := http.Get(base + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Errorf("healthz with Neo4j stopped: %v %v, want 200 (the process is up)", resp, err)
	}

	// Recovery is automatic, but not instant: a Neo4j that has just started may still refuse work for a moment,
	// and a connection the pool kept from before fails once. Within a minute, readiness and queries are back.
	neo4jtest.Start(t)
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, code := query()
		if n == 6 && code == "" && ready() == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery within 60 s of Neo4j coming back: %d maps, code %q, readyz %d", n, code, ready())
		}
		time.Sleep(200 * time.Millisecond)
	}
}
