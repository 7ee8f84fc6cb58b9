package neo4jdb

import (
	"context"
	"fmt"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// A load that finds its supply links already in the graph (a reload) looks each one up by its id, through the
// index, at a cost per link that does not grow with the graph. Left to choose, Neo4j planned a scan of the whole
// index per link once the graph held 20,000 of them (a reload took 2–4 minutes, 400 M db hits), and here, where
// 50 firms hold 5,000, a walk of the links between the two firms (211 db hits a link).
func TestReloadFindsLinksBySeek(t *testing.T) {
	db := openTest(t, 0)
	ctx := context.Background()
	const firms, links = 50, 5000
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
	var hits func(p neo4j.ProfiledPlan) int64
	hits = func(p neo4j.ProfiledPlan) int64 {
		n := p.DbHits()
		for _, c := range p.Children() {
			n += hits(c)
		}
		return n
	}
	if n := hits(sum.Profile()); n > 10*links {
		t.Errorf("classifying %d supply links the graph holds took %d db hits (%d per link): not a seek by id", links, n, n/links)
	}
}
