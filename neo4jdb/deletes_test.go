package neo4jdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// deletedRecords counts, in the graph, what a delete of the enterprise e (with its sites, supply links and
// technology transfers) and of the bottleneck b removes.
func deletedRecords(t *testing.T, e string, sites, links, transfers []string, b string) map[string]any {
	t.Helper()
	rows := neo4jtest.Query(t, `
RETURN COUNT { (:Enterprise {id: $e}) } AS enterprise,
  COUNT { MATCH (s:Site) WHERE s.id IN $sites } AS sites,
  COUNT { MATCH ()-[r:SUPPLIES]->() WHERE r.id IN $links } AS links,
  COUNT { MATCH ()-[r:TRANSFERS_TECH_TO]->() WHERE r.id IN $transfers } AS transfers,
  COUNT { (:Bottleneck {id: $b}) } AS bottleneck,
  COUNT { MATCH (c:StatusChange) WHERE NOT EXISTS { (c)<-[:HAS_STATUS_CHANGE]-() } } AS orphanHistory`,
		map[string]any{"e": e, "sites": sites, "links": links, "transfers": transfers, "b": b})
	return rows[0]
}

// Deletes (issue 18): an enterprise goes with its sites, supply links and technology transfers, a bottleneck
// with its status history; what they touched stays; the change log records each record that went or changed;
// a load does not bring curated records back, with or without -prune; -reset does.
func TestDeletesStayDeleted(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	ds := seedDataset(t)
	if _, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}

	// The curated enterprise with the most that goes with it: sites, supply links, transfers to its sites.
	owner := map[string]string{}
	sitesOf := map[string][]string{}
	for _, s := range ds.Sites {
		owner[s.ID] = s.EnterpriseID
		sitesOf[s.EnterpriseID] = append(sitesOf[s.EnterpriseID], s.ID)
	}
	score := map[string]int{}
	for _, s := range ds.Supplies {
		score[s.FromID] += 10
		score[s.ToID] += 10
	}
	for _, tr := range ds.TechTransfers {
		score[owner[tr.FromID]] += 100
		score[owner[tr.ToID]] += 100
		score[tr.ToID] += 100
	}
	tackles := map[string]bool{}
	for _, b := range ds.Bottlenecks {
		for _, tk := range b.Tacklers {
			score[tk.ID]++
			tackles[tk.ID] = true
		}
	}
	delete(score, "") // transfers from institutions
	var e string
	for _, x := range ds.Enterprises {
		if score[x.ID] > score[e] {
			e = x.ID
		}
	}
	if score[e] < 111 {
		t.Fatalf("no seed enterprise with supply links, transfers and sites (best: %s, %d)", e, score[e])
	}
	// A curated bottleneck with a status history of two changes.
	b := ds.Bottlenecks[len(ds.Bottlenecks)-1]
	next := map[chainmap.BottleneckStatus]chainmap.BottleneckStatus{chainmap.Open: chainmap.InProgress,
		chainmap.InProgress: chainmap.Open, chainmap.Resolved: chainmap.Open}
	s1 := next[b.Status]
	for _, s := range []chainmap.BottleneckStatus{s1, next[s1]} {
		if _, err := db.SetBottleneckStatus(ctx, b.ID, s, "before the delete", "ed"); err != nil {
			t.Fatal(err)
		}
	}
	tacklerRows := neo4jtest.Query(t, `MATCH (t)-[:TACKLES]->(:Bottleneck {id: $b}) RETURN count(t) AS n`, map[string]any{"b": b.ID})

	d, err := db.DeleteEnterprise(ctx, e, "ed")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.SiteIDs) != len(sitesOf[e]) || len(d.SupplyLinkIDs) == 0 || len(d.TechTransferIDs) == 0 || d.Seq == 0 {
		t.Fatalf("DeleteEnterprise(%s) = %+v, want its %d sites, its supply links and transfers, a seq", e, d, len(sitesOf[e]))
	}
	db2, err := db.DeleteBottleneck(ctx, b.ID, "ed")
	if err != nil || db2.ID != b.ID || db2.Seq <= d.Seq {
		t.Fatalf("DeleteBottleneck(%s) = %+v, %v, want its id and a seq after %d", b.ID, db2, err, d.Seq)
	}
	gone := map[string]any{"enterprise": int64(0), "sites": int64(0), "links": int64(0), "transfers": int64(0),
		"bottleneck": int64(0), "orphanHistory": int64(0)}
	check := func(when string, want map[string]any) {
		t.Helper()
		got := deletedRecords(t, e, d.SiteIDs, d.SupplyLinkIDs, d.TechTransferIDs, b.ID)
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %v, want %v", when, k, got[k], v)
			}
		}
	}
	check("after the deletes", gone)
	// What they touched stays: the segments, the other ends of the links, the tacklers.
	stays := neo4jtest.Query(t, `
RETURN COUNT { MATCH (s:Segment) WHERE s.id IN $segments } AS segments,
  COUNT { MATCH (x:Enterprise) WHERE x.id IN $tacklers } AS tacklers`,
		map[string]any{"segments": b.SegmentIDs, "tacklers": tacklerIDs(b)})[0]
	if stays["segments"] != int64(len(b.SegmentIDs)) || stays["tacklers"].(int64) < int64(len(tacklerIDs(b)))-boolInt(tackles[e]) {
		t.Errorf("after the deletes: %v of %d segments and %v tacklers stay", stays["segments"], len(b.SegmentIDs), tacklerRows[0]["n"])
	}

	// The change log: the enterprise with its sites before and nothing after, each link and transfer, the
	// bottleneck with its history.
	log := neo4jtest.Query(t, `MATCH (c:Change) WHERE c.operation IN ['deleteEnterprise', 'deleteBottleneck']
		RETURN c.seq AS seq, c.kind AS kind, c.recordId AS id, c.before AS before, c.after AS after ORDER BY c.seq`, nil)
	kinds := map[string]int{}
	for _, c := range log {
		kinds[c["kind"].(string)]++
		if c["id"] == e && c["kind"] == "ENTERPRISE" {
			var before struct{ Sites []any }
			if err := json.Unmarshal([]byte(c["before"].(string)), &before); err != nil || len(before.Sites) != len(sitesOf[e]) ||
				c["after"] != nil || c["seq"] != d.Seq {
				t.Errorf("the enterprise's entry: seq %v before %v after %v, want seq %d, its %d sites, no after", c["seq"],
					c["before"], c["after"], d.Seq, len(sitesOf[e]))
			}
		}
		if c["id"] == b.ID {
			var before struct{ StatusHistory []any }
			if err := json.Unmarshal([]byte(c["before"].(string)), &before); err != nil || len(before.StatusHistory) < 2 {
				t.Errorf("the bottleneck's entry keeps %d changes of its history, want 2 or more: %v", len(before.StatusHistory), c["before"])
			}
		}
	}
	if kinds["SUPPLY_LINK"] != len(d.SupplyLinkIDs) || kinds["TECH_TRANSFER"] != len(d.TechTransferIDs) || kinds["BOTTLENECK"] < 1 {
		t.Errorf("change log of the deletes: %v, want %d supply links, %d transfers, the bottleneck", kinds, len(d.SupplyLinkIDs), len(d.TechTransferIDs))
	}

	// Loading the seeds again, pruning or not, leaves them deleted.
	for _, opts := range []chainmap.LoadOptions{{}, {Prune: true}} {
		if _, err := db.WriteDataset(ctx, ds, opts); err != nil {
			t.Fatalf("load %+v: %v", opts, err)
		}
		check("after a load", gone)
	}
	// -reset brings them back, with their sites, links and transfers.
	if _, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{Reset: true}); err != nil {
		t.Fatal(err)
	}
	check("after load -reset", map[string]any{"enterprise": int64(1), "sites": int64(len(d.SiteIDs)),
		"links": int64(len(d.SupplyLinkIDs)), "transfers": int64(len(d.TechTransferIDs)), "bottleneck": int64(1)})

	// No such record: NOT_FOUND, nothing written.
	if _, err := db.DeleteEnterprise(ctx, "no-such-firm", "ed"); !errors.Is(err, chainmap.ErrNotFound) {
		t.Errorf("DeleteEnterprise(no-such-firm) = %v, want NOT_FOUND", err)
	}
	if _, err := db.DeleteBottleneck(ctx, "no-such-bottleneck", "ed"); !errors.Is(err, chainmap.ErrNotFound) {
		t.Errorf("DeleteBottleneck(no-such-bottleneck) = %v, want NOT_FOUND", err)
	}
}

// A record created through the API leaves no tombstone when deleted: no load writes it.
func TestDeleteAPIRecordLeavesNoTombstone(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := db.WriteDataset(ctx, seedDataset(t), chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	e := chainmap.Enterprise{ID: "api-firm", Name: "API firm", NameEn: "API firm", SegmentIDs: []string{"h2-fc-stack"},
		Provenance: chainmap.Provenance{Confidence: chainmap.Reported, SourceIDs: []string{"s13"}}}
	if _, err := db.UpsertEnterprise(ctx, e, []chainmap.Site{{ID: "api-firm-bd", Kind: chainmap.Manufacturing, RegionCode: "130600"}}, true, "ed"); err != nil {
		t.Fatal(err)
	}
	d, err := db.DeleteEnterprise(ctx, e.ID, "ed")
	if err != nil || len(d.SiteIDs) != 1 {
		t.Fatalf("DeleteEnterprise = %+v, %v, want its site", d, err)
	}
	if n := neo4jtest.Query(t, `RETURN COUNT { (:Deleted) } AS n, COUNT { (:Site {id: 'api-firm-bd'}) } AS sites`, nil)[0]; n["n"] != int64(0) || n["sites"] != int64(0) {
		t.Errorf("after deleting an API record: %v, want no tombstone and no site", n)
	}
}

func tacklerIDs(b chainmap.Bottleneck) []string {
	var out []string
	for _, t := range b.Tacklers {
		out = append(out, t.ID)
	}
	return out
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Deleting an enterprise while other editors link it, record a transfer to its site or upsert it: every loser hears
// NOT_FOUND, BAD_USER_INPUT or CONFLICT, never INTERNAL, and no link outlives the firm it names.
func TestDeleteRacesEditors(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	ds := seedDataset(t)
	if _, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	prov := chainmap.Provenance{Confidence: chainmap.Reported, SourceIDs: []string{"s13"}}
	beijing := ds.TechTransfers[0].FromID // every seed transfer starts in Beijing
	for round := 0; round < 6; round++ {
		id := "race-firm-" + string(rune('a'+round))
		e := chainmap.Enterprise{ID: id, Name: id, NameEn: id, SegmentIDs: []string{"h2-fc-stack"}, Provenance: prov}
		if _, err := db.UpsertEnterprise(ctx, e, []chainmap.Site{{ID: id + "-bd", Kind: chainmap.Manufacturing, RegionCode: "130600"}}, true, "ed"); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 4)
		go func() { _, err := db.DeleteEnterprise(ctx, id, "ed"); errs <- err }()
		go func() {
			_, err := db.LinkSupplier(ctx, chainmap.Supply{FromID: id, ToID: "sinohytec", Product: "race part", Provenance: prov}, "ed")
			errs <- err
		}()
		go func() {
			_, err := db.RecordTechTransfer(ctx, chainmap.TechTransfer{ID: id + "-tt", FromID: beijing, ToID: id + "-bd", Provenance: prov}, "ed")
			errs <- err
		}()
		go func() {
			e := e
			e.Description = "raced"
			_, err := db.UpsertEnterprise(ctx, e, nil, false, "ed")
			errs <- err
		}()
		for i := 0; i < 4; i++ {
			if err := <-errs; err != nil {
				if code := chainmap.ErrorCode(err); code != chainmap.CodeNotFound && code != chainmap.CodeBadUserInput && code != chainmap.CodeConflict {
					t.Errorf("round %d: %v (code %s), want success, NOT_FOUND, BAD_USER_INPUT or CONFLICT", round, err, code)
				}
			}
		}
		// The change log's last word on the firm is what the graph holds: deleted, or there.
		r := neo4jtest.Query(t, `MATCH (c:Change {kind: 'ENTERPRISE', recordId: $id}) WITH c ORDER BY c.seq DESC LIMIT 1
			RETURN c.after IS NULL AS deleted, COUNT { (:Enterprise {id: $id}) } = 0 AS absent,
			  COUNT { (:Enterprise {id: $id})-[:SUPPLIES]->() } AS links`, map[string]any{"id": id})[0]
		if r["deleted"] != r["absent"] {
			t.Errorf("round %d: the change log says deleted=%v, the graph absent=%v", round, r["deleted"], r["absent"])
		}
	}
	rows := neo4jtest.Query(t, `MATCH (a)-[r:SUPPLIES]->(b) WHERE NOT a:Enterprise OR NOT b:Enterprise RETURN count(r) AS n`, nil)
	if rows[0]["n"] != int64(0) {
		t.Errorf("%v supply links without an enterprise at an end", rows[0]["n"])
	}
}
