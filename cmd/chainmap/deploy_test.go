package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
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

	if neo.Image != "neo4j:"+pomNeo4jVersion(t)+"-community" {
		t.Errorf("neo4j image = %q, want neo4j:%s-community, the patch release dev/neo4j/pom.xml runs", neo.Image, pomNeo4jVersion(t))
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

	if loader.Build == nil || !slices.Equal(loader.Command, []string{"load", "-if-empty"}) {
		t.Errorf("loader = build %v command %v, want the image built here running `load -if-empty`", loader.Build, loader.Command)
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

// pomNeo4jVersion is the Neo4j release the local server runs (dev/neo4j/pom.xml): the compose files pin the
// same one.
func pomNeo4jVersion(t *testing.T) string {
	t.Helper()
	pom, err := os.ReadFile("../../dev/neo4j/pom.xml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<neo4j.version>([0-9.]+)</neo4j.version>`).FindSubmatch(pom)
	if m == nil {
		t.Fatal("dev/neo4j/pom.xml has no neo4j.version")
	}
	return string(m[1])
}

type composeService struct {
	Image       string
	Build       any
	Command     []string
	Environment map[string]string
	Ports       []string
	Volumes     []string
	Profiles    []string
	DependsOn   map[string]struct{ Condition string } `yaml:"depends_on"`
	Healthcheck struct {
		Test    []string
		Retries int
	}
}

// The production overlay (docker-compose.prod.yml) and the page that tells how to run it (docs/operations.md),
// checked against each other: secrets from the env file with no defaults, TLS at the proxy, health checks for
// Neo4j, the API and the proxy, pinned images (Neo4j's patch release the one dev/neo4j/pom.xml runs), the
// scheduled dump and the archive on volumes, and a loader that loads an empty database only.
func TestProductionCompose(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.prod.yml")
	if err != nil {
		t.Fatal(err)
	}
	var prod struct {
		Name     string
		Services map[string]composeService
		Volumes  map[string]any
	}
	if err := yaml.Unmarshal(raw, &prod); err != nil {
		t.Fatalf("docker-compose.prod.yml does not parse: %v", err)
	}
	docBytes, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(docBytes)
	example, err := os.ReadFile("../../deploy/prod.env.example")
	if err != nil {
		t.Fatal(err)
	}
	neo, loader, api, tls := prod.Services["neo4j"], prod.Services["loader"], prod.Services["api"], prod.Services["tls"]

	// Images pinned to releases; Neo4j's is the local server's.
	if want := "neo4j:" + pomNeo4jVersion(t) + "-community"; neo.Image != want {
		t.Errorf("neo4j image %q, want %s (dev/neo4j/pom.xml)", neo.Image, want)
	}
	if !regexp.MustCompile(`^caddy:\d+\.\d+\.\d+(-alpine)?$`).MatchString(tls.Image) {
		t.Errorf("tls image %q: want a pinned Caddy release (caddy:X.Y.Z-alpine)", tls.Image)
	}

	// Secrets from the env file, never defaulted; every variable in the example env file and on the page.
	vars := regexp.MustCompile(`(?:^|[^$])\$\{([A-Z_][A-Z0-9_]*)(:[?-])?`).FindAllStringSubmatch(string(raw), -1) // $${X} is the container's own
	if len(vars) == 0 {
		t.Fatal("docker-compose.prod.yml reads no variables")
	}
	kind := map[string]string{}
	for _, v := range vars {
		kind[v[1]] = v[2]
	}
	for _, secret := range []string{"NEO4J_PASSWORD", "CHAINMAP_API_KEYS", "CHAINMAP_DOMAIN", "ACME_EMAIL"} {
		if kind[secret] != ":?" {
			t.Errorf("%s is %q in docker-compose.prod.yml: want ${%s:?…}, required, with no default", secret, kind[secret], secret)
		}
	}
	for v := range kind {
		if !regexp.MustCompile(`(?m)^` + v + `=`).Match(example) {
			t.Errorf("deploy/prod.env.example does not list %s", v)
		}
		if !strings.Contains(doc, "`"+v+"`") {
			t.Errorf("docs/operations.md does not explain %s", v)
		}
	}
	if regexp.MustCompile(`(?m)^(NEO4J_PASSWORD|CHAINMAP_API_KEYS|CHAINMAP_JWT_SECRET)=\S`).Match(example) {
		t.Error("deploy/prod.env.example holds a secret: leave the values empty")
	}
	if !strings.Contains(neo.Environment["NEO4J_AUTH"], "${NEO4J_PASSWORD:?") {
		t.Errorf("neo4j NEO4J_AUTH = %q: want the password from the env file", neo.Environment["NEO4J_AUTH"])
	}
	for _, svc := range []string{"loader", "api"} {
		if !strings.Contains(prod.Services[svc].Environment["NEO4J_PASSWORD"], ":?") {
			t.Errorf("%s NEO4J_PASSWORD = %q: want it from the env file, no default", svc, prod.Services[svc].Environment["NEO4J_PASSWORD"])
		}
	}

	// Health checks for Neo4j, the API and the proxy, and the start order they give.
	for name, svc := range map[string]composeService{"neo4j": neo, "api": api, "tls": tls} {
		if len(svc.Healthcheck.Test) < 2 || svc.Healthcheck.Retries == 0 {
			t.Errorf("%s healthcheck %+v: want a test with retries", name, svc.Healthcheck)
		}
	}
	if strings.Join(api.Healthcheck.Test, " ") != "CMD /chainmap health http://127.0.0.1:8080/readyz" {
		t.Errorf("api healthcheck %v: want /chainmap health on /readyz (the image has no shell)", api.Healthcheck.Test)
	}
	if tls.DependsOn["api"].Condition != "service_healthy" {
		t.Errorf("tls waits for the api until %q, want service_healthy", tls.DependsOn["api"].Condition)
	}

	// TLS at the proxy: Caddy on 443 with the Caddyfile that proxies to the API unbuffered.
	if !slices.Contains(tls.Ports, "443:443") || !slices.Contains(tls.Ports, "80:80") {
		t.Errorf("tls ports %v: want 80 (ACME) and 443", tls.Ports)
	}
	caddyfile := ""
	for _, v := range tls.Volumes {
		if strings.HasSuffix(v, ":/etc/caddy/Caddyfile:ro") {
			caddyfile = strings.TrimPrefix(strings.TrimSuffix(v, ":/etc/caddy/Caddyfile:ro"), "./")
		}
	}
	cf, err := os.ReadFile("../../" + caddyfile)
	if caddyfile == "" || err != nil {
		t.Fatalf("tls mounts no Caddyfile that exists (%q): %v", caddyfile, err)
	}
	for _, want := range []string{"{$CHAINMAP_DOMAIN}", "reverse_proxy api:8080", "flush_interval -1"} {
		if !strings.Contains(string(cf), want) {
			t.Errorf("%s lacks %q", caddyfile, want)
		}
	}

	// The scheduled dump and the archive, on volumes; the loader loads an empty database only.
	mounts := map[string]string{}
	for _, v := range api.Volumes {
		if name, path, ok := strings.Cut(v, ":"); ok {
			mounts[path] = name
			if _, declared := prod.Volumes[name]; !declared {
				t.Errorf("api mounts %s, which docker-compose.prod.yml does not declare", name)
			}
		}
	}
	for _, env := range []string{"DUMP_DIR", "ARCHIVE_DIR"} {
		if dir := api.Environment[env]; mounts[dir] == "" {
			t.Errorf("api %s = %q is not on a volume (mounts %v)", env, dir, mounts)
		}
	}
	if api.Environment["DUMP_EVERY"] == "" || api.Environment["ARCHIVE_SYNC"] != "true" {
		t.Errorf("api DUMP_EVERY %q, ARCHIVE_SYNC %q: want scheduled dumps and acknowledgements after archiving",
			api.Environment["DUMP_EVERY"], api.Environment["ARCHIVE_SYNC"])
	}
	if !slices.Equal(loader.Command, []string{"load", "-if-empty"}) {
		t.Errorf("loader command %v, want load -if-empty", loader.Command)
	}

	// The page names what the file has: services, images, volumes, the command line, the restore paths.
	for name, svc := range prod.Services {
		if !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("docs/operations.md does not describe the service %s", name)
		}
		if svc.Image != "" && !strings.Contains(doc, "`"+svc.Image+"`") {
			t.Errorf("docs/operations.md does not name the image %s", svc.Image)
		}
	}
	for name := range prod.Volumes {
		if !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("docs/operations.md does not describe the volume %s", name)
		}
	}
	if !strings.Contains(doc, "`neo4j-data`") || !strings.Contains(doc, "chainmap_neo4j-data") || prod.Name != "chainmap" {
		t.Errorf("the project name (%q) and its data volume: want chainmap and chainmap_neo4j-data on the page", prod.Name)
	}
	if !strings.Contains(doc, "docker compose -f docker-compose.yml -f docker-compose.prod.yml --env-file deploy/prod.env") {
		t.Error("docs/operations.md does not give the command line that runs the overlay")
	}
	restore := fmt.Sprintf("restore %s %s", api.Environment["DUMP_DIR"], api.Environment["ARCHIVE_DIR"])
	if !strings.Contains(doc, restore) {
		t.Errorf("docs/operations.md does not restore from the api's directories (%q)", restore)
	}
	for _, section := range []string{"## Deploy", "## Back up", "## Restore", "## Upgrade"} {
		if !strings.Contains(doc, "\n"+section+"\n") {
			t.Errorf("docs/operations.md has no %q section", section)
		}
	}
}

// `chainmap health URL`, the API's container health check (its image has no shell): 0 on 2xx, an error else.
func TestHealthCommand(t *testing.T) {
	ready := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !ready {
			http.Error(w, "neo4j unreachable", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	if err := run(ctx, []string{"health", srv.URL + "/readyz"}, io.Discard, io.Discard); err != nil {
		t.Errorf("health of a ready server: %v", err)
	}
	ready = false
	if err := run(ctx, []string{"health", srv.URL + "/readyz"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("health of a server that is not ready: %v, want an error naming the 503", err)
	}
	if err := run(ctx, []string{"health", "-timeout", "200ms", "http://127.0.0.1:1/readyz"}, io.Discard, io.Discard); err == nil {
		t.Error("health of nothing listening passed")
	}
}
