package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/chainmap/chainmap/server"
)

// No Docker engine runs where the tests run, so docker-compose.yml is checked by reading it: the services,
// Neo4j's health check, the start order and the published ports.
func TestDockerCompose(t *testing.T) {
	data, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string
			Build       any
			Command     []string
			Environment map[string]string
			Ports       []string
			Profiles    []string
			DependsOn   map[string]struct{ Condition string } `yaml:"depends_on"`
			Healthcheck struct {
				Test    []string
				Retries int
			}
		}
		Volumes map[string]any
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(false)
	if err := dec.Decode(&compose); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}
	neo, loader, api := compose.Services["neo4j"], compose.Services["loader"], compose.Services["api"]

	if neo.Image != "neo4j:5.26-community" {
		t.Errorf("neo4j image = %q, want neo4j:5.26-community", neo.Image)
	}
	if len(neo.Healthcheck.Test) < 2 || !strings.Contains(strings.Join(neo.Healthcheck.Test, " "), "RETURN 1") || neo.Healthcheck.Retries == 0 {
		t.Errorf("neo4j healthcheck = %+v, want a cypher-shell RETURN 1 with retries", neo.Healthcheck)
	}
	for _, p := range []string{"7474:7474", "7687:7687"} {
		if !slices.ContainsFunc(neo.Ports, func(s string) bool { return strings.HasSuffix(s, p) }) {
			t.Errorf("neo4j ports %v do not publish %s", neo.Ports, p)
		}
	}
	if !strings.HasPrefix(neo.Environment["NEO4J_AUTH"], "neo4j/") {
		t.Errorf("neo4j NEO4J_AUTH = %q, want neo4j/<password>", neo.Environment["NEO4J_AUTH"])
	}

	if loader.Build == nil || !slices.Equal(loader.Command, []string{"load"}) {
		t.Errorf("loader = build %v command %v, want the image built here running `load`", loader.Build, loader.Command)
	}
	if c := loader.DependsOn["neo4j"].Condition; c != "service_healthy" {
		t.Errorf("loader waits for neo4j until %q, want service_healthy", c)
	}

	if api.Build == nil || !slices.Equal(api.Command, []string{"serve"}) {
		t.Errorf("api = build %v command %v, want the image built here running `serve`", api.Build, api.Command)
	}
	if c := api.DependsOn["loader"].Condition; c != "service_completed_successfully" {
		t.Errorf("api waits for the loader until %q, want service_completed_successfully", c)
	}
	if c := api.DependsOn["neo4j"].Condition; c != "service_healthy" {
		t.Errorf("api waits for neo4j until %q, want service_healthy", c)
	}
	if !slices.ContainsFunc(api.Ports, func(s string) bool { return strings.HasSuffix(s, "8080:8080") }) {
		t.Errorf("api ports %v do not publish 8080", api.Ports)
	}
	for _, svc := range []string{"loader", "api"} {
		env := compose.Services[svc].Environment
		if env["NEO4J_URI"] != "bolt://neo4j:7687" || env["NEO4J_PASSWORD"] == "" {
			t.Errorf("%s environment %v, want NEO4J_URI=bolt://neo4j:7687 and a password", svc, env)
		}
	}
	if api.Environment["HOST"] != "0.0.0.0" {
		t.Errorf("api HOST = %q, want 0.0.0.0 so the published port reaches it", api.Environment["HOST"])
	}
	if _, ok := compose.Volumes["neo4j-data"]; !ok {
		t.Error("no neo4j-data volume: the graph would not survive a restart")
	}

	// The replicas profile: two API processes behind a reverse proxy that reaches both.
	replicas := []string{"api-a", "api-b"}
	for _, name := range replicas {
		r, ok := compose.Services[name]
		if !ok {
			t.Fatalf("no %s service for the replicas profile", name)
		}
		if !slices.Contains(r.Profiles, "replicas") || r.Build == nil || !slices.Equal(r.Command, []string{"serve"}) {
			t.Errorf("%s = profiles %v build %v command %v, want the image built here running `serve` in the replicas profile",
				name, r.Profiles, r.Build, r.Command)
		}
		if r.Environment["NEO4J_URI"] != api.Environment["NEO4J_URI"] || r.Environment["HOST"] != "0.0.0.0" || r.Environment["PORT"] != "8080" {
			t.Errorf("%s environment %v: want the same Neo4j as api, HOST 0.0.0.0, PORT 8080", name, r.Environment)
		}
		if r.DependsOn["loader"].Condition != "service_completed_successfully" || r.DependsOn["neo4j"].Condition != "service_healthy" {
			t.Errorf("%s depends_on %v: want the loader done and neo4j healthy", name, r.DependsOn)
		}
		if len(r.Ports) != 0 {
			t.Errorf("%s publishes %v: replicas are reached through the proxy only", name, r.Ports)
		}
		// Behind the proxy, every browser would be one client (the proxy) for the per-client caps.
		if _, err := server.ParseTrustedProxies(r.Environment["TRUSTED_PROXIES"]); err != nil || r.Environment["TRUSTED_PROXIES"] == "" {
			t.Errorf("%s TRUSTED_PROXIES %q (%v): want the proxy's network, so that clients are told apart", name, r.Environment["TRUSTED_PROXIES"], err)
		}
	}
	proxy := compose.Services["proxy"]
	if !slices.Contains(proxy.Profiles, "replicas") || proxy.Image == "" {
		t.Errorf("proxy = profiles %v image %q, want an image in the replicas profile", proxy.Profiles, proxy.Image)
	}
	cmd := strings.Join(proxy.Command, " ")
	for _, name := range replicas {
		if !strings.Contains(cmd, name+":8080") {
			t.Errorf("proxy command %q does not reach %s:8080", cmd, name)
		}
		if _, ok := proxy.DependsOn[name]; !ok {
			t.Errorf("proxy does not depend on %s", name)
		}
	}
	if !slices.ContainsFunc(proxy.Ports, func(s string) bool { return strings.HasSuffix(s, "8090:8090") }) {
		t.Errorf("proxy ports %v do not publish 8090", proxy.Ports)
	}

	dockerfile, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count("\n"+string(dockerfile), "\nFROM "); n < 3 {
		t.Errorf("Dockerfile has %d stages, want a multi-stage build (web, Go, runtime)", n)
	}
}
