package neo4jdb_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// editedState reads what editors set on the records of the test: statuses, descriptions, severities, segments,
// sites and supply links, by record.
func editedState(t *testing.T) map[string]any {
	t.Helper()
	rows := neo4jtest.Query(t, `
CALL () {
  MATCH (b:Bottleneck) RETURN 'b:' + b.id AS key, [b.status, toString(b.severity),
    COLLECT { MATCH (b)-[:CONSTRAINS]->(s) RETURN s.id ORDER BY s.id },
    COLLECT { MATCH (b)<-[:TACKLES]-(t) RETURN t.id ORDER BY t.id }] AS value
  UNION ALL
  MATCH (e:Enterprise) RETURN 'e:' + e.id AS key, [e.description,
    COLLECT { MATCH (e)-[:ACTIVE_IN]->(s) RETURN s.id ORDER BY s.id },
    COLLECT { MATCH (e)-[:OPERATES]->(s)-[:LOCATED_IN]->(r) RETURN s.id + '@' + r.code ORDER BY s.id }] AS value
  UNION ALL
  MATCH ()-[r:SUPPLIES]->() RETURN 's:' + r.id AS key, [toString(r.since), r.product] AS value
}
RETURN key, value`, nil)
	out := map[string]any{}
	for _, r := range rows {
		out[r["key"].(string)] = r["value"]
	}
	return out
}

// historyDisagrees lists the bottlenecks whose status is not where their status history ends.
func historyDisagrees(t *testing.T) []any {
	t.Helper()
	rows := neo4jtest.Query(t, `
MATCH (b:Bottleneck)-[:HAS_STATUS_CHANGE]->(c:StatusChange)
WITH b, c ORDER BY c.seq DESC
WITH b, collect(c)[0] AS last, collect(c.seq) AS seqs
WHERE last.to <> b.status OR size(seqs) <> last.seq
RETURN collect(b.id) AS ids`, nil)
	return rows[0]["ids"].([]any)
}

// A load never undoes an edit (issue 17): editors change more than a hundred fields of curated records, the
// seeds are loaded again, the process restarts and loads again — every edit holds, the statuses agree with
// their histories, and the load lists the kept fields. A seed change to an edited field is a conflict, the
// editor's value kept; -reset puts the seed values back and writes each reset into the change log.
func TestLoadNeverUndoesAnEdit(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	ds := seedDataset(t)
	if _, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	seedState := editedState(t)

	// The edits: every bottleneck's status, 40 descriptions, segments, sites, a severity, tacklers, a supply
	// link changed and one removed.
	fields := 0
	next := map[chainmap.BottleneckStatus]chainmap.BottleneckStatus{chainmap.Open: chainmap.InProgress,
		chainmap.InProgress: chainmap.Open, chainmap.Resolved: chainmap.Open}
	for _, b := range ds.Bottlenecks {
		if _, err := db.SetBottleneckStatus(ctx, b.ID, next[b.Status], "edited by the test", "ed"); err != nil {
			t.Fatalf("status of %s: %v", b.ID, err)
		}
		fields++
	}
	sitesOf := map[string][]chainmap.Site{}
	for _, s := range ds.Sites {
		sitesOf[s.EnterpriseID] = append(sitesOf[s.EnterpriseID], s)
	}
	var withSites []chainmap.Enterprise
	for _, e := range ds.Enterprises {
		if len(sitesOf[e.ID]) > 0 && len(e.SegmentIDs) > 0 {
			withSites = append(withSites, e)
		}
	}
	if len(withSites) < 45 {
		t.Fatalf("only %d seed enterprises with sites and segments", len(withSites))
	}
	for i, e := range withSites[:45] {
		e.Description = fmt.Sprintf("Edited description %d.", i)
		fields++
		sites, replace := sitesOf[e.ID], false
		switch {
		case i < 3: // a segment fewer
			e.SegmentIDs = append([]string{ds.Segments[0].ID}, e.SegmentIDs...)[:len(e.SegmentIDs)]
			fields++
		case i < 6: // a site moved to another region, the others dropped
			moved := sites[0]
			moved.RegionCode = map[bool]string{true: "110105", false: "110108"}[moved.RegionCode == "110108"]
			sites, replace = []chainmap.Site{moved}, true
			fields++
		}
		if _, err := db.UpsertEnterprise(ctx, e, sites, replace, "ed"); err != nil {
			t.Fatalf("upsert %s: %v", e.ID, err)
		}
	}
	b := ds.Bottlenecks[0]
	b.Severity = map[bool]int{true: 2, false: 3}[b.Severity == 3]
	b.Status = ""
	b.Tacklers = nil
	if _, err := db.UpsertBottleneck(ctx, b, "ed"); err != nil {
		t.Fatal(err)
	}
	fields++ // severity (and the tacklers, when it had any)
	if len(ds.Supplies) < 2 {
		t.Fatal("the seeds hold fewer than two supply links")
	}
	s := ds.Supplies[0]
	s.Since = 1999
	if _, err := db.LinkSupplier(ctx, s, "ed"); err != nil {
		t.Fatal(err)
	}
	fields++
	gone := ds.Supplies[1]
	if _, err := db.UnlinkSupplier(ctx, gone.FromID, gone.ToID, gone.Product, "ed"); err != nil {
		t.Fatal(err)
	}
	if fields < 100 {
		t.Fatalf("%d edited fields, want at least 100", fields)
	}
	edited := editedState(t)
	changed := 0
	for k, v := range edited {
		if !reflect.DeepEqual(seedState[k], v) {
			changed++
		}
	}
	if changed < 100 {
		t.Fatalf("the edits changed %d records, want at least 100", changed)
	}

	// Reload, then "restart" (a new process: a new connection) and load again, as `make run` does.
	sum, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	db2, err := neo4jdb.Open(ctx, neo4jtest.Config())
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close(ctx)
	sum2, err := db2.WriteDataset(ctx, ds, chainmap.LoadOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d edited fields; the reload kept %d, the restart's load %d", fields, sum.Kept, sum2.Kept)
	for _, s := range []chainmap.LoadSummary{sum, sum2} {
		if s.Kept < fields || len(s.Conflicts) != 0 {
			t.Errorf("load kept %d fields (want ≥ %d), conflicts %+v (want none)", s.Kept, fields, s.Conflicts)
		}
	}
	if got := editedState(t); !reflect.DeepEqual(got, edited) {
		for k, v := range edited {
			if !reflect.DeepEqual(got[k], v) {
				t.Errorf("%s: %v after the reloads, edited to %v (seed %v)", k, got[k], v, seedState[k])
			}
		}
	}
	if ids := historyDisagrees(t); len(ids) > 0 {
		t.Errorf("status and history disagree for %v", ids)
	}

	// The seed files change two edited fields: conflicts, and the editors' values stay.
	ds.Bottlenecks[1].Status = chainmap.Resolved
	ds.Enterprises[indexOf(ds, withSites[10].ID)].Description = "A new seed description."
	sum3, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range sum3.Conflicts {
		got = append(got, c.ID+"."+c.Field)
	}
	sort.Strings(got)
	want := []string{ds.Bottlenecks[1].ID + ".status", withSites[10].ID + ".description"}
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("conflicts %v, want %v", got, want)
	}
	if got := editedState(t); !reflect.DeepEqual(got, edited) {
		t.Error("a seed change to an edited field overwrote the edit")
	}

	// -reset: the seed values come back, each reset record is in the change log, histories agree.
	before := neo4jtest.Query(t, `MATCH (c:Change) RETURN count(c) AS n`, nil)[0]["n"].(int64)
	sum4, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{Reset: true})
	if err != nil {
		t.Fatal(err)
	}
	after := neo4jtest.Query(t, `MATCH (c:Change {operation: 'load -reset'}) RETURN count(c) AS n,
		COUNT { MATCH (n) WHERE n.editedFields IS NOT NULL } + COUNT { MATCH ()-[r]->() WHERE r.editedFields IS NOT NULL } AS marked,
		COUNT { MATCH (d:Deleted) } AS tombstones`, nil)[0]
	if n := after["n"].(int64); int(n) != sum4.Reset || n < int64(len(ds.Bottlenecks)+45) {
		t.Errorf("%d reset entries in the change log, %d resets reported; want one per edited record (≥ %d)", n, sum4.Reset, len(ds.Bottlenecks)+45)
	}
	if after["marked"].(int64) != 0 || after["tombstones"].(int64) != 0 {
		t.Errorf("after -reset: %v records still marked edited, %v tombstones", after["marked"], after["tombstones"])
	}
	reset := editedState(t)
	seedState["b:"+ds.Bottlenecks[1].ID] = reset["b:"+ds.Bottlenecks[1].ID] // the seed changed above
	seedState["e:"+withSites[10].ID] = reset["e:"+withSites[10].ID]
	for k, v := range seedState {
		if !reflect.DeepEqual(reset[k], v) {
			t.Errorf("%s: %v after -reset, want the seed's %v", k, reset[k], v)
		}
	}
	if st := reset["b:"+ds.Bottlenecks[1].ID].([]any)[0]; st != "RESOLVED" {
		t.Errorf("reset status %v, want the seed's new RESOLVED", st)
	}
	if ids := historyDisagrees(t); len(ids) > 0 {
		t.Errorf("after -reset, status and history disagree for %v", ids)
	}
	if n := neo4jtest.Query(t, `MATCH (c:Change) RETURN count(c) AS n`, nil)[0]["n"].(int64); n <= before {
		t.Error("the reset wrote nothing to the change log")
	}
}

func indexOf(ds *chainmap.Dataset, id string) int {
	for i, e := range ds.Enterprises {
		if e.ID == id {
			return i
		}
	}
	return -1
}
