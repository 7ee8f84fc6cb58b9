package neo4jdb

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/schema"
)

// A load that finds its supply links already in the graph (a reload) looks each one up by its id, through the
// index, at a cost per link that does not grow with the graph. Left to choose, Neo4j planned a scan of the whole
// index per link once the graph held 20,000 of them (a reload took 2–4 minutes, 400 M db hits), and here, where
// 200 firms hold them, a walk of the links between the two firms (39 db hits a link).
func TestReloadFindsLinksBySeek(t *testing.T) {
	db := openTest(t, 0)
	ctx := context.Background()
	const firms, links = 200, 20000
	cleanup := func() {
		_, _ = db.write(context.Background(), "Cleanup", `MATCH (e:Enterprise) WHERE e.id STARTS WITH 'plan-' DETACH DELETE e`, nil)
	}
	cleanup()
	t.Cleanup(cleanup)
	if _, err := db.write(ctx, "Setup", `
UNWIND range(0, $firms - 1) AS i CREATE (:Enterprise:Record {id: 'plan-' + i})
WITH count(*) AS made
UNWIND range(0, $links - 1) AS j
MATCH (a:Enterprise {id: 'plan-' + (j % $firms)}), (b:Enterprise {id: 'plan-' + ((j * 7 + 1) % $firms)})
CREATE (a)-[:SUPPLIES {id: 'plan-l' + j, product: 'p'}]->(b)`, map[string]any{"firms": firms, "links": links}); err != nil {
		t.Fatal(err)
	}
	rows := make([]row, links)
	for j := range rows {
		rows[j] = row{"from": fmt.Sprint("plan-", j%firms), "to": fmt.Sprint("plan-", (j*7+1)%firms),
			"props": map[string]any{"id": fmt.Sprint("plan-l", j), "product": "p"}}
	}
	var spec relSpec
	for _, s := range relSpecs {
		if s.typ == "SUPPLIES" {
			spec = s
		}
	}
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer session.Close(ctx)
	res, err := session.Run(ctx, "PROFILE "+relCypher(spec).classify[len(replanSkip):], map[string]any{"rows": rows})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := totalHits(sum.Profile()); n > 10*links {
		t.Errorf("classifying %d supply links the graph holds took %d db hits (%d per link): not a seek by id", links, n, n/links)
	}
}

// A first load maintains its firms' aggregates (maintainShares) in its own transaction, so Neo4j plans that
// statement while the committed graph is empty, and keeps the plan. Planned so, it reads a few hundred db hits
// a firm, however many firms the transaction holds: not every R&D site of the graph for each firm (44,000 db
// hits a firm for 1,000 firms, and 13 minutes for a first load of 10,000, while the derived links' pattern named
// the sites' and regions' labels, and the planner started from the index on their kind or province). The same
// for the refresh of their exposure, which reaches the firms from their segments (12 db hits a firm).
func TestMaintainPlannedOnAnEmptyGraph(t *testing.T) {
	ctx, tx := emptyGraphTx(t)
	const firms = 1000
	// Firms on 30 segments of 3 chain maps with 40 bottlenecks; each with an R&D site in a Beijing district and
	// a plant in a Hebei city (a derived link), and two supply links, a third of them to 20 firms.
	res, err := tx.Run(ctx, `
UNWIND range(1, 3) AS c CREATE (:ChainMap:Record {id: 'pc' + c})
WITH count(*) AS x UNWIND range(1, 30) AS s CREATE (:Segment:Record {id: 'pg' + s, chainMapId: 'pc' + (s % 3 + 1)})
WITH count(*) AS x CREATE (bj:Region {code: $beijing, province: $beijing}), (hb:Region {code: $hebei, province: $hebei})
WITH bj, hb UNWIND range(1, 10) AS i
CREATE (:Region {code: 'pb' + i, province: $beijing})-[:PART_OF]->(bj)
CREATE (:Region {code: 'ph' + i, province: $hebei})-[:PART_OF]->(hb)
WITH count(*) AS x UNWIND range(1, 40) AS b MATCH (g:Segment {id: 'pg' + (b % 30 + 1)})
CREATE (:Bottleneck:Record {id: 'pn' + b, status: 'OPEN'})-[:CONSTRAINS]->(g)
WITH count(*) AS x UNWIND range(1, $firms) AS i CREATE (e:Enterprise:Record {id: 'pe' + i, name: 'E' + i})
WITH e, i MATCH (g:Segment {id: 'pg' + (i % 30 + 1)}) CREATE (e)-[:ACTIVE_IN]->(g)
WITH e, i MATCH (rd:Region {code: 'pb' + (i % 10 + 1)}), (plant:Region {code: 'ph' + (i % 10 + 1)})
CREATE (e)-[:OPERATES]->(:Site:Record {id: 'ps' + i + 'a', kind: $rd, regionCode: rd.code})-[:LOCATED_IN]->(rd)
CREATE (e)-[:OPERATES]->(:Site:Record {id: 'ps' + i + 'b', kind: $plant, regionCode: plant.code})-[:LOCATED_IN]->(plant)
WITH count(*) AS x UNWIND range(1, 2 * $firms) AS j
MATCH (a:Enterprise {id: 'pe' + (j % $firms + 1)})
MATCH (b:Enterprise {id: 'pe' + CASE WHEN j % 3 = 0 THEN j % 20 + 1 ELSE (j * 7) % $firms + 1 END})
CREATE (a)-[:SUPPLIES {id: 'pl' + j, since: 2020 + j % 5}]->(b)`, map[string]any{"firms": firms,
		"beijing": chainmap.Beijing, "hebei": chainmap.Hebei, "rd": string(chainmap.RD), "plant": string(chainmap.Manufacturing)})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, firms)
	for i := range ids {
		ids[i] = fmt.Sprint("pe", i+1)
	}
	res, err = tx.Run(ctx, "PROFILE "+maintainShares, map[string]any{"ids": ids})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	noScans(t, "maintainShares", sum.Profile())
	n := totalHits(sum.Profile())
	t.Logf("maintaining %d firms planned on an empty graph: %d db hits (%d a firm)", firms, n, n/firms)
	if n > 1000*firms {
		t.Errorf("maintaining %d firms, planned on an empty graph, took %d db hits (%d a firm): want at most 1,000 a firm", firms, n, n/firms)
	}
	segments := make([]string, 30)
	for i := range segments {
		segments[i] = fmt.Sprint("pg", i+1)
	}
	res, err = tx.Run(ctx, "PROFILE "+refreshExposure, map[string]any{"segments": segments, "bottlenecks": []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if sum, err = res.Consume(ctx); err != nil {
		t.Fatal(err)
	}
	noScans(t, "refreshExposure", sum.Profile())
	n = totalHits(sum.Profile())
	t.Logf("refreshing the exposure of %d firms planned on an empty graph: %d db hits (%d a firm)", firms, n, n/firms)
	if n > 1000*firms {
		t.Errorf("refreshing the exposure of %d firms, planned on an empty graph, took %d db hits (%d a firm): want at most 1,000 a firm", firms, n, n/firms)
	}
}

// emptyGraphTx empties the test graph and Neo4j's query caches, and opens a write transaction, rolled back at the
// test's end: what it runs first is planned on an empty graph.
func emptyGraphTx(t *testing.T) (context.Context, neo4j.ExplicitTransaction) {
	t.Helper()
	db := openTest(t, 0)
	ctx := context.Background()
	if _, err := db.Migrate(ctx, schema.Cypher); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write(ctx, "Setup", `CALL db.clearQueryCaches()`, nil); err != nil {
		t.Fatal(err)
	}
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite})
	t.Cleanup(func() { session.Close(ctx) })
	tx, err := session.BeginTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback(ctx) })
	return ctx, tx
}

// noScans fails the test when the plan of the statement named reads nodes by a scan (of a label, of an index, or
// of all nodes) rather than by a seek or from a node it holds. A statement that refreshes firms reads each
// firm's records from the firm: a scan there runs once per firm. Neo4j chose one now and then while a firm's
// sites were matched with their label and sorted by an indexed property (the sites' region index, scanned in
// order and each site checked against the firm): a reload that refreshed 10,000 firms took 2.5 minutes instead
// of 20 s, 465 M db hits.
func noScans(t *testing.T, statement string, p neo4j.ProfiledPlan) {
	t.Helper()
	if strings.Contains(p.Operator(), "Scan") {
		t.Errorf("%s reads by %s (%v)", statement, p.Operator(), p.Arguments()["Details"])
	}
	for _, c := range p.Children() {
		noScans(t, statement, c)
	}
}

func totalHits(p neo4j.ProfiledPlan) int64 {
	n := p.DbHits()
	for _, c := range p.Children() {
		n += totalHits(c)
	}
	return n
}

// gen writes a run's sites and supply links in batches, each looking up the run's pending firms, which the
// statement's first plan may have been made before any was there (a fresh instance, or a gen after a reset).
// Planned so, each row must still cost a lookup by id, not a walk of every pending node of the run (both are
// indexed, and on an empty graph they cost the same).
func TestGenPlannedOnAnEmptyGraph(t *testing.T) {
	ctx, tx := emptyGraphTx(t)
	const firms = 2000
	run := func(cypher string, params map[string]any) int64 {
		t.Helper()
		res, err := tx.Run(ctx, "PROFILE "+cypher, params)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := res.Consume(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return totalHits(sum.Profile())
	}
	run(`UNWIND range(1, 10) AS i CREATE (:Region {code: 'gr' + i}) CREATE (:Segment:Record {id: 'gg' + i})`, nil)
	var firmRows, siteRows, supplyRows []map[string]any
	for i := range firms {
		firmRows = append(firmRows, map[string]any{"segments": []string{fmt.Sprint("gg", i%10+1)},
			"props": map[string]any{"id": fmt.Sprint("ge", i), "name": fmt.Sprint("E", i)}})
		siteRows = append(siteRows, map[string]any{"id": fmt.Sprint("gs", i), "enterpriseId": fmt.Sprint("ge", i),
			"regionCode": fmt.Sprint("gr", i%10+1), "kind": "MANUFACTURING"})
		supplyRows = append(supplyRows, map[string]any{"from": fmt.Sprint("ge", i), "to": fmt.Sprint("ge", (i*7+1)%firms),
			"props": map[string]any{"id": fmt.Sprint("gl", i)}})
	}
	const runID = "plan-run"
	run(createSyntheticEnterprises, map[string]any{"rows": firmRows, "run": runID})
	for _, s := range []struct {
		name, cypher string
		params       map[string]any
		rows         int
	}{
		{"sites", createSyntheticSites, map[string]any{"rows": siteRows, "run": runID}, firms},
		{"supply links", createSyntheticSupplies, map[string]any{"rows": supplyRows, "run": runID}, firms},
		{"firms published", publishSyntheticFirms, map[string]any{"ids": []string{"ge1", "ge2"}, "run": runID}, 2},
	} {
		n := run(s.cypher, s.params)
		t.Logf("%s: %d db hits for %d rows (%d a row)", s.name, n, s.rows, n/int64(s.rows))
		if n > 100*int64(s.rows) {
			t.Errorf("writing %d %s of a gen run, planned on an empty graph, took %d db hits (%d a row): not a lookup by id", s.rows, s.name, n, n/int64(s.rows))
		}
	}
}
