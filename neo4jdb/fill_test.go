package neo4jdb

import (
	"strings"
	"testing"
)

// Fragments are filled one way: named placeholders (@n, @fromKey) replaced from a scope of compile-time
// variables, labels and keys. A placeholder the scope lacks is a bug in the fragment, caught when it is filled,
// never a "%!s(MISSING)" in a statement sent to Neo4j.
func TestScopeFill(t *testing.T) {
	s := scope{"n": "v1", "x": "v2", "fromKey": "code", "first": "$p1", "quoted": "@n", "record": ", n:Record"}
	for _, tc := range []struct{ fragment, want string }{
		{"MATCH (@n)-[:FEEDS]->(@x) WITH @x ORDER BY @x.id LIMIT @first", "MATCH (v1)-[:FEEDS]->(v2) WITH v2 ORDER BY v2.id LIMIT $p1"},
		{"MATCH (a:Region {@fromKey: row.from})", "MATCH (a:Region {code: row.from})"},
		{"$n and $first are parameters, not placeholders", "$n and $first are parameters, not placeholders"},
		{"RETURN v1 AS `@0`, v2 AS `@1`", "RETURN v1 AS `@0`, v2 AS `@1`"}, // a projection's keys (relKey)
		{"SET n = row.props@record", "SET n = row.props, n:Record"},        // a placeholder may follow a name
		{"@quoted", "@n"}, // a value is not filled again
	} {
		if got := s.fill(tc.fragment); got != tc.want {
			t.Errorf("fill(%q) = %q, want %q", tc.fragment, got, tc.want)
		}
	}

	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "@missing") {
			t.Errorf("fill of a placeholder outside the scope: recovered %v, want a panic naming @missing", r)
		}
	}()
	s.fill("MATCH (@n)-[:FEEDS]->(@missing)")
}

// The load's statements, built from the label and relationship tables, are filled completely: each names its
// label or type and keys, and no placeholder or formatting verb is left in it.
func TestLoadStatementsFilled(t *testing.T) {
	check := func(what string, stmts []string, want ...string) {
		for _, st := range stmts {
			if strings.ContainsAny(st, "@%") {
				t.Errorf("%s: a placeholder or verb is left:\n%s", what, st)
			}
			for _, w := range want {
				if !strings.Contains(st, w) {
					t.Errorf("%s: %q is not in\n%s", what, w, st)
				}
			}
		}
	}
	for _, n := range nodeLabels {
		c := nodeCypher(n.label, n.key)
		check(n.label, []string{c.classify, c.create, c.update, prunePreviewCypher(n.label, n.key), pruneNodesCypher(n.label, n.key)},
			":"+n.label, n.key)
	}
	for _, s := range relSpecs {
		c := relCypher(s)
		check(s.typ, []string{c.classify, c.create, c.update, pruneRelsCypher(s)}, ":"+s.typ, ":"+s.from, ":"+s.to)
	}
	for kind, target := range editTargets {
		check(string(kind), []string{setEditsCypher(target), marks{target: target}.fixMarks()}, ":"+target.label+target.rel)
	}
}
