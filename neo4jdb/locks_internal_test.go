package neo4jdb

import (
	"context"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// Two editors who add firms to one segment, citing one source, with sites in one region, do not wait for each
// other: the first one's write, not yet committed, holds no lock that the second one's needs (upsertEnterprise
// makes those links with CREATE; a MERGE would lock the segment, the source and the region until it commits).
func TestUpsertsDoNotQueueOnSharedNodes(t *testing.T) {
	db := openTest(t, 0)
	ctx := context.Background()
	const setup = `
MERGE (g:Segment:Record {id: 'lock-seg'}) MERGE (s:Source:Record {id: 'lock-src'}) MERGE (:Region {code: 'lock-reg'})`
	if _, err := db.write(ctx, "Setup", setup, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = db.write(context.Background(), "Cleanup", `MATCH (n) WHERE n.id STARTS WITH 'lock-' OR n.code = 'lock-reg'
  OR n.firmId STARTS WITH 'lock-' OR n.key CONTAINS 'lock-' DETACH DELETE n`, nil)
	})
	firm := func(id string) (chainmap.Enterprise, []chainmap.Site) {
		return chainmap.Enterprise{ID: id, Name: id, SegmentIDs: []string{"lock-seg"},
				Provenance: chainmap.Provenance{Confidence: chainmap.Illustrative, SourceIDs: []string{"lock-src"}}},
			[]chainmap.Site{{ID: id + "-m", Kind: chainmap.Manufacturing, RegionCode: "lock-reg"}}
	}

	// The first editor's write, held open.
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.cfg.Database})
	defer session.Close(ctx)
	tx, err := session.BeginTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	e, sites := firm("lock-a")
	rows := []map[string]any{siteRow(e, sites[0])}
	if _, err := tx.Run(ctx, upsertEnterprise, upsertEnterpriseParams(e, rows, false, "a")); err != nil {
		t.Fatal(err)
	}

	// The second editor's, through the store, meanwhile.
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	start := time.Now()
	e, sites = firm("lock-b")
	if _, err := db.UpsertEnterprise(wait, e, sites, false, "b"); err != nil {
		t.Fatalf("the second editor's upsert, while the first one's is open: %v (after %v)", err, time.Since(start).Round(time.Millisecond))
	}
}
