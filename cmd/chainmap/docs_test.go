package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/server"
)

// The README's statements about the binary, checked against it: the command list, the settings and their
// defaults, and the ports.

func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readmeTable returns the rows (cells, header left out) of the first table after the heading.
func readmeTable(t *testing.T, doc, heading string) [][]string {
	t.Helper()
	i := strings.Index(doc, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README has no %q", heading)
	}
	var rows [][]string
	started := false
	for _, line := range strings.Split(doc[i+len(heading)+2:], "\n") {
		if !strings.HasPrefix(line, "|") {
			if started {
				break
			}
			continue
		}
		started = true
		if strings.HasPrefix(line, "|---") {
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(line, "|"), " | ") {
			cells = append(cells, strings.TrimSpace(c))
		}
		rows = append(rows, cells)
	}
	if len(rows) < 2 {
		t.Fatalf("README: no table after %q", heading)
	}
	return rows[1:]
}

// helpCommands returns the commands `chainmap -h` lists.
func helpCommands(t *testing.T) []string {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(out.String(), "Commands:\n")
	if !ok {
		t.Fatalf("chainmap -h has no Commands: block:\n%s", out.String())
	}
	block, _, _ = strings.Cut(block, "\n\n")
	var cmds []string
	for _, line := range strings.Split(block, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			cmds = append(cmds, f[0])
		}
	}
	return cmds
}

// TestREADMECommands: the README's command table is `chainmap -h`'s list, and each command exists.
func TestREADMECommands(t *testing.T) {
	var doc []string
	for _, row := range readmeTable(t, readme(t), "## Commands") {
		doc = append(doc, strings.TrimPrefix(strings.Trim(row[0], "`"), "chainmap "))
	}
	help := helpCommands(t)
	sort.Strings(doc)
	sort.Strings(help)
	if strings.Join(doc, " ") != strings.Join(help, " ") {
		t.Errorf("README lists the commands %v; chainmap -h lists %v", doc, help)
	}
	for _, c := range help {
		if err := run(context.Background(), []string{c, "-h"}, io.Discard, io.Discard); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("chainmap %s -h = %v: listed, but not a command", c, err)
		}
	}
}

// settingDefaults reads, from every command's -h, each environment variable and the default of its flag ("" for
// none).
func settingDefaults(t *testing.T) map[string]string {
	t.Helper()
	line := regexp.MustCompile(`\[([A-Z][A-Z0-9_]*)\](?: \(default (.*)\))?$`)
	out := map[string]string{}
	for _, c := range helpCommands(t) {
		var help bytes.Buffer
		_ = run(context.Background(), []string{c, "-h"}, io.Discard, &help)
		for _, l := range strings.Split(help.String(), "\n") {
			if m := line.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
				out[m[1]] = strings.Trim(m[2], `"`)
			}
		}
	}
	if len(out) < 30 {
		t.Fatalf("read only %d settings from the commands' help", len(out))
	}
	return out
}

// sameDefault compares a README default with a flag's: "(none)" is no default, durations by value.
func sameDefault(doc, flagDef string) bool {
	if doc == "(none)" {
		return flagDef == ""
	}
	doc = strings.Trim(doc, "`")
	if d1, err1 := time.ParseDuration(doc); err1 == nil {
		d2, err2 := time.ParseDuration(flagDef)
		return err2 == nil && d1 == d2
	}
	return doc == flagDef
}

// TestREADMESettings: every setting of every command is in the README's table with the default its flag has;
// the table's other settings are the local Neo4j's, with the defaults of dev/neo4j/neo4j.sh.
func TestREADMESettings(t *testing.T) {
	flags := settingDefaults(t)
	script, err := os.ReadFile("../../dev/neo4j/neo4j.sh")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, row := range readmeTable(t, readme(t), "## Configuration") {
		vars := strings.Split(row[0], " / ")
		defs := strings.Split(row[1], " / ")
		if len(vars) != len(defs) {
			t.Errorf("README settings: %s has %d defaults", row[0], len(defs))
			continue
		}
		for i, v := range vars {
			v = strings.Trim(v, "`")
			documented[v] = true
			if def, ok := flags[v]; ok {
				if !sameDefault(defs[i], def) {
					t.Errorf("README: %s defaults to %s; its flag's default is %q", v, defs[i], def)
				}
				continue
			}
			m := regexp.MustCompile(`\$\{` + v + `:-([^}]*)\}`).FindSubmatch(script)
			if m == nil {
				t.Errorf("README documents %s, which no command and not dev/neo4j/neo4j.sh reads", v)
			} else if !sameDefault(defs[i], string(m[1])) {
				t.Errorf("README: %s defaults to %s; dev/neo4j/neo4j.sh says %s", v, defs[i], m[1])
			}
		}
	}
	for v := range flags {
		if !documented[v] {
			t.Errorf("README's settings lack %s", v)
		}
	}
	for _, doc := range []string{"../../README.md", "../../docs/api.md", "../../docs/reliability.md"} {
		b, _ := os.ReadFile(doc)
		if regexp.MustCompile(`(?i)rate.limit`).Match(b) && !strings.Contains(string(b), "AuthenticationRateLimit") {
			t.Errorf("%s speaks of rate limits; chainmap has none (admission control is MAX_IN_FLIGHT/MAX_QUEUE)", doc)
		}
	}
}

// TestREADMEPorts: each port the project's scripts use has one use, and the README's table says which.
func TestREADMEPorts(t *testing.T) {
	read := func(p string) string {
		b, err := os.ReadFile("../../" + p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	owner := map[string]string{}
	claim := func(port, who, where string) {
		if prev, ok := owner[port]; ok && prev != who {
			t.Errorf("port %s is used by %s and by %s (%s)", port, prev, who, where)
		}
		owner[port] = who
	}
	script := read("dev/neo4j/neo4j.sh")
	devBolt := regexp.MustCompile(`NEO4J_BOLT_PORT:-(\d+)`).FindStringSubmatch(script)[1]
	devHTTP := regexp.MustCompile(`NEO4J_HTTP_PORT:-(\d+)`).FindStringSubmatch(script)[1]
	claim(devBolt, "instance dev", "neo4j.sh")
	claim(devHTTP, "instance dev", "neo4j.sh")
	claim(settingDefaults(t)["PORT"], "serve", "chainmap serve -port")
	instance := regexp.MustCompile(`NEO4J_INSTANCE=(\w+) NEO4J_BOLT_PORT=(\d+) NEO4J_HTTP_PORT=(\d+)`)
	for _, f := range []string{"Makefile", "bench/peer/run.sh"} {
		for _, m := range instance.FindAllStringSubmatch(read(f), -1) {
			claim(m[2], "instance "+m[1], f)
			claim(m[3], "instance "+m[1], f)
		}
	}
	mk := read("Makefile")
	for _, v := range []string{"HOSTILE_BOLT_PORT", "HOSTILE_HTTP_PORT"} {
		claim(regexp.MustCompile(v + ` \?= (\d+)`).FindStringSubmatch(mk)[1], "instance hostile", "Makefile")
	}
	claim(regexp.MustCompile(`hostilePort = "(\d+)"`).FindStringSubmatch(read("cmd/chainmap/hostile_test.go"))[1], "hostile serve", "hostile_test.go")
	peer := read("bench/peer/run.sh")
	for _, v := range []string{"chainmap_port", "peer_port"} {
		claim(regexp.MustCompile(v + `=(\d+)`).FindStringSubmatch(peer)[1], "bench-peer servers", "bench/peer/run.sh")
	}
	for _, m := range regexp.MustCompile(`"127\.0\.0\.1:(\d+):\d+"`).FindAllStringSubmatch(read("docker-compose.yml"), -1) {
		switch m[1] {
		case devBolt, devHTTP, owner["8080"]:
		case settingDefaults(t)["PORT"]:
		default:
			claim(m[1], "compose proxy", "docker-compose.yml")
		}
	}
	if len(owner) < 12 {
		t.Fatalf("found only %d ports: %v", len(owner), owner)
	}
	// The README's table: every port once, each row one user's.
	inTable := map[string]bool{}
	for _, row := range readmeTable(t, readme(t), "### Ports") {
		users := map[string]bool{}
		for _, p := range regexp.MustCompile(`\d{4}`).FindAllString(row[0], -1) {
			if inTable[p] {
				t.Errorf("README ports: %s listed twice", p)
			}
			inTable[p] = true
			if owner[p] == "" {
				t.Errorf("README ports: nothing uses %s", p)
			}
			users[owner[p]] = true
		}
		if len(users) != 1 {
			t.Errorf("README ports: the row %q mixes %v", row[0], users)
		}
		if m := regexp.MustCompile("instance `(\\w+)`").FindStringSubmatch(row[1]); m != nil && !users["instance "+m[1]] {
			t.Errorf("README ports: %s are not instance %s's (%v)", row[0], m[1], users)
		}
	}
	for p, who := range owner {
		if !inTable[p] {
			t.Errorf("README ports: %s (%s) missing", p, who)
		}
	}
	// The URLs and the Browser login of `make run`, and the test instance of `make test`, as the README gives them.
	doc := readme(t)
	for _, want := range []string{"http://localhost:" + settingDefaults(t)["PORT"] + "/graphql",
		"http://127.0.0.1:" + devHTTP + "/browser/", "password `" + regexp.MustCompile(`NEO4J_PASSWORD:-([^}]+)`).FindStringSubmatch(script)[1] + "`"} {
		if !strings.Contains(doc, want) {
			t.Errorf("README lacks %q", want)
		}
	}
	test := instance.FindStringSubmatch(regexp.MustCompile(`TEST_NEO4J := (.*)`).FindStringSubmatch(mk)[1])
	if want := "bolt " + test[2] + ", http " + test[3]; !strings.Contains(doc, want) {
		t.Errorf("README: make test's Neo4j is at %s (Makefile), and the README does not say so", want)
	}
}

// TestServeDefaultsAreTheTables: serve's flags default to the tables the handlers fill zero fields from
// (server.DefaultLimits, graph.DefaultLimits, graph.DefaultFeedLimits), so that a default changed in one is
// the default everywhere; and each table is complete (chainmap.WithDefaults panics on a field it leaves at 0).
func TestServeDefaultsAreTheTables(t *testing.T) {
	if got := chainmap.WithDefaults(server.Limits{}, server.DefaultLimits); got != server.DefaultLimits {
		t.Errorf("server.Limits{} with defaults = %+v, want server.DefaultLimits", got)
	}
	if got := chainmap.WithDefaults(graph.Limits{}, graph.DefaultLimits); got != graph.DefaultLimits {
		t.Errorf("graph.Limits{} with defaults = %+v, want graph.DefaultLimits", got)
	}
	if got := chainmap.WithDefaults(graph.FeedLimits{}, graph.DefaultFeedLimits); got != graph.DefaultFeedLimits {
		t.Errorf("graph.FeedLimits{} with defaults = %+v, want graph.DefaultFeedLimits", got)
	}
	s, g, f := server.DefaultLimits, graph.DefaultLimits, graph.DefaultFeedLimits
	want := map[string]any{
		"MAX_IN_FLIGHT": s.MaxInFlight, "MAX_QUEUE": s.MaxQueue, "QUEUE_WAIT": s.QueueWait, "REQUEST_TIMEOUT": s.RequestTimeout,
		"MAX_RESPONSE_BYTES": s.MaxResponseBytes, "MAX_STREAMS": s.MaxStreams, "READ_TIMEOUT": s.ReadTimeout,
		"WRITE_TIMEOUT": s.WriteTimeout, "IDLE_TIMEOUT": s.IdleTimeout,
		"GRAPHQL_MAX_DEPTH": g.MaxDepth, "GRAPHQL_MAX_COMPLEXITY": g.MaxComplexity,
		"MAX_SUBSCRIPTIONS": f.MaxSubscriptions, "MAX_SUBSCRIPTIONS_PER_CLIENT": f.MaxPerClient, "CHANGES_POLL": f.PollInterval,
	}
	flags := settingDefaults(t)
	for env, w := range want {
		if got, ok := flags[env]; !ok {
			t.Errorf("no flag reads %s", env)
		} else if !sameDefault(fmt.Sprint(w), got) {
			t.Errorf("%s defaults to %s; its table says %v", env, got, w)
		}
	}
}
