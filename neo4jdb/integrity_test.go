package neo4jdb_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// Editors racing each other cannot corrupt the graph (issue 9, item 4). Each test starts its contenders
// together, lets them run, and then checks the graph with Cypher of its own. Run them with -count to trust
// them: a race that is lost only sometimes is the point.

// race runs the functions at the same moment and returns their errors, in order.
func race(fns ...func() error) []error {
	errs := make([]error, len(fns))
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i, fn := range fns {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			errs[i] = fn()
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return errs
}

// openForRaces opens the test database with the small test dataset loaded.
func openForRaces(t *testing.T) *neo4jdb.DB {
	t.Helper()
	db := neo4jtest.MustOpenDB(t)
	if _, err := db.WriteDataset(context.Background(), testDataset(t), chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	return db
}

func testEnterprise(id string) chainmap.Enterprise {
	return chainmap.Enterprise{ID: id, Name: "Firm " + id, SegmentIDs: []string{"cnc"},
		Provenance: chainmap.Provenance{Confidence: chainmap.Illustrative, SourceIDs: []string{"src-a"}}}
}

func testBottleneck(id string) chainmap.Bottleneck {
	return chainmap.Bottleneck{ID: id, Name: "Gap " + id, Kind: chainmap.Gap, Category: chainmap.Material, Severity: 3,
		SegmentIDs: []string{"cnc"}, Provenance: chainmap.Provenance{Confidence: chainmap.Illustrative, SourceIDs: []string{"src-a"}}}
}

func isConflict(err error) bool { return chainmap.ErrorCode(err) == chainmap.CodeConflict }

// winners counts the contenders of a round that succeeded; every other one must have lost with CONFLICT.
func winners(t *testing.T, round int, errs []error) int {
	t.Helper()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !isConflict(err):
			t.Errorf("round %d: error %v (code %s), want CONFLICT", round, err, chainmap.ErrorCode(err))
		}
	}
	return wins
}

// One id, two kinds, two editors at once: one wins, the other gets CONFLICT, and the graph has one record.
func TestRacingKindsForOneID(t *testing.T) {
	db := openForRaces(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for round := range 8 {
		id := fmt.Sprintf("race-kind-%d", round)
		errs := race(
			func() error { _, err := db.UpsertEnterprise(ctx, testEnterprise(id), nil, false, "ed-a"); return err },
			func() error { _, err := db.UpsertBottleneck(ctx, testBottleneck(id), "ed-b"); return err },
		)
		wins := winners(t, round, errs)
		if wins != 1 {
			t.Errorf("round %d: %d winners (errors %v), want exactly 1", round, wins, errs)
		}
		// Every node with the id: the maintained aggregates carry their firm's as firmId, not id.
		rows := neo4jtest.Query(t, `MATCH (n {id: $id}) RETURN count(n) AS n, count(CASE WHEN n:Record THEN 1 END) AS records`,
			map[string]any{"id": id})
		if rows[0]["n"] != int64(1) || rows[0]["records"] != int64(1) {
			t.Errorf("round %d: nodes with id %q: %v, want one :Record", round, id, rows[0])
		}
	}
}

// Two firms claim the same new site at once: the site ends up with one operator, and the loser gets CONFLICT.
func TestRacingFirmsForOneSite(t *testing.T) {
	db := openForRaces(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for round := range 8 {
		site := fmt.Sprintf("race-site-%d", round)
		upsert := func(firm string) func() error {
			return func() error {
				_, err := db.UpsertEnterprise(ctx, testEnterprise(firm),
					[]chainmap.Site{{ID: site, Kind: chainmap.Manufacturing, RegionCode: "131000"}}, false, "ed-"+firm)
				return err
			}
		}
		errs := race(upsert(fmt.Sprintf("race-firm-a%d", round)), upsert(fmt.Sprintf("race-firm-b%d", round)))
		wins := winners(t, round, errs)
		if wins != 1 {
			t.Errorf("round %d: %d winners (errors %v), want exactly 1", round, wins, errs)
		}
		if n := countP(t, `MATCH (e:Enterprise)-[:OPERATES]->(:Site {id: $id}) RETURN count(e) AS n`, site); n != 1 {
			t.Errorf("round %d: site %s has %d operators, want 1", round, site, n)
		}
	}
	// Every site has one operator, however the races went.
	if n := count(t, `MATCH (s:Site) WHERE COUNT { (s)<-[:OPERATES]-() } <> 1 RETURN count(s) AS n`); n != 0 {
		t.Errorf("%d sites without exactly one operator", n)
	}
}

// Twenty editors change one bottleneck's status at once: every change lands in a history that is a chain
// (each from is the previous to, seq 1, 2, 3…, the last to is the status), every step is an allowed
// transition, and an editor either succeeds, is told CONFLICT, or changed nothing. The changes queue on the
// bottleneck's lock, one short transaction after another: about 1 s on an idle machine, but Neo4j's lock
// waiters spin, so on two cores under a load average of 30–45 the queue took up to a minute; the deadline is
// a bound for that, not the expected time.
func TestRacingStatusChangesKeepAChain(t *testing.T) {
	db := openForRaces(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if _, err := db.UpsertBottleneck(ctx, testBottleneck("race-bn"), "ed"); err != nil {
		t.Fatal(err)
	}
	statuses := []chainmap.BottleneckStatus{chainmap.Open, chainmap.InProgress, chainmap.Resolved}
	fns := make([]func() error, 20)
	for i := range fns {
		r := rand.New(rand.NewPCG(uint64(i), 9))
		fns[i] = func() error {
			for range 1 {
				_, err := db.SetBottleneckStatus(ctx, "race-bn", statuses[r.IntN(len(statuses))], "", fmt.Sprintf("ed-%d", i))
				if err != nil && !isConflict(err) {
					return err
				}
			}
			return nil
		}
	}
	for i, err := range race(fns...) {
		if err != nil {
			t.Errorf("editor %d: %v (code %s), want success or CONFLICT", i, err, chainmap.ErrorCode(err))
		}
	}
	rows := neo4jtest.Query(t, `
MATCH (b:Bottleneck {id: 'race-bn'})
OPTIONAL MATCH (b)-[:HAS_STATUS_CHANGE]->(c:StatusChange)
WITH b, c ORDER BY c.seq
WITH b, collect(c) AS cs
RETURN b.status AS status, size(cs) AS changes,
  size([i IN range(0, size(cs) - 1) WHERE cs[i].seq <> i + 1]) AS badSeq,
  size([i IN range(1, size(cs) - 1) WHERE cs[i].from <> cs[i - 1].to]) AS breaks,
  size([c IN cs WHERE c.from = c.to OR (c.from = 'RESOLVED' AND c.to = 'IN_PROGRESS')]) AS badSteps,
  CASE WHEN size(cs) = 0 THEN 'OPEN' ELSE cs[0].from END AS first,
  CASE WHEN size(cs) = 0 THEN 'OPEN' ELSE cs[-1].to END AS last`, nil)
	got := rows[0]
	if got["badSeq"] != int64(0) || got["breaks"] != int64(0) || got["badSteps"] != int64(0) ||
		got["first"] != "OPEN" || got["last"] != got["status"] {
		t.Errorf("the history is not a chain: %v", got)
	}
	if got["changes"] == int64(0) {
		t.Errorf("no change was recorded: %v", got)
	}
}

func TestStatusTransitions(t *testing.T) {
	db := openForRaces(t)
	ctx := context.Background()
	if _, err := db.UpsertBottleneck(ctx, testBottleneck("bn-rules"), "ed"); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		to      chainmap.BottleneckStatus
		code    string // "" for success
		changes int    // history length after the step
	}{
		{chainmap.Open, "", 0}, // no change
		{chainmap.InProgress, "", 1},
		{chainmap.Resolved, "", 2},
		{chainmap.Resolved, "", 2}, // RESOLVED → RESOLVED is no change
		{chainmap.InProgress, chainmap.CodeConflict, 2},
		{chainmap.Open, "", 3},
		{chainmap.Resolved, "", 4},
	} {
		b, err := db.SetBottleneckStatus(ctx, "bn-rules", step.to, "", "ed")
		switch {
		case step.code == "" && err != nil:
			t.Fatalf("→ %s: %v", step.to, err)
		case step.code != "" && chainmap.ErrorCode(err) != step.code:
			t.Fatalf("→ %s: error %v, want %s", step.to, err, step.code)
		case err == nil && b.Status != step.to:
			t.Errorf("→ %s: status %s", step.to, b.Status)
		}
		if n := countP(t, `MATCH (:Bottleneck {id: $id})-[:HAS_STATUS_CHANGE]->(c) RETURN count(c) AS n`, "bn-rules"); n != step.changes {
			t.Errorf("→ %s: %d history entries, want %d", step.to, n, step.changes)
		}
	}
	if _, err := db.SetBottleneckStatus(ctx, "no-such-bn", chainmap.Open, "", "ed"); !errors.Is(err, chainmap.ErrNotFound) {
		t.Errorf("unknown bottleneck: %v, want NOT_FOUND", err)
	}
}

// The sequential cases of the races above get the same code, with the field that collides.
func TestTakenIDsAreConflicts(t *testing.T) {
	db := openForRaces(t)
	ctx := context.Background()
	_, err := db.UpsertBottleneck(ctx, testBottleneck("maker"), "ed")
	var e *chainmap.Error
	if !errors.As(err, &e) || e.Code != chainmap.CodeConflict || e.Field != "input.id" {
		t.Errorf("bottleneck with an enterprise's id: %v, want CONFLICT on input.id", err)
	}
	_, err = db.UpsertEnterprise(ctx, testEnterprise("newcomer"),
		[]chainmap.Site{{ID: "buyer-lf", Kind: chainmap.HQ, RegionCode: "131000"}}, false, "ed")
	if !errors.As(err, &e) || e.Code != chainmap.CodeConflict || e.Field != "input.sites[0].id" {
		t.Errorf("a site of another firm: %v, want CONFLICT on input.sites[0].id", err)
	}
	_, err = db.UpsertEnterprise(ctx, testEnterprise("newcomer"),
		[]chainmap.Site{{ID: "cnc-gap", Kind: chainmap.HQ, RegionCode: "131000"}}, false, "ed")
	if !errors.As(err, &e) || e.Code != chainmap.CodeConflict || e.Field != "input.sites[0].id" {
		t.Errorf("a site with a bottleneck's id: %v, want CONFLICT on input.sites[0].id", err)
	}
	if n := count(t, `MATCH (e:Enterprise {id: 'newcomer'}) RETURN count(e) AS n`); n != 0 {
		t.Errorf("a refused upsert wrote the enterprise")
	}
	// The loader writes :Record too, so the constraint covers curated records.
	if n := count(t, `MATCH (n) WHERE (n:Enterprise OR n:Site OR n:Bottleneck OR n:Source OR n:Segment OR n:ChainMap
		OR n:Institution OR n:Park OR n:Indicator) AND NOT n:Record RETURN count(n) AS n`); n != 0 {
		t.Errorf("%d id-keyed nodes without :Record", n)
	}
}

func countP(t *testing.T, query, id string) int {
	t.Helper()
	rows := neo4jtest.Query(t, query, map[string]any{"id": id})
	n, _ := rows[0]["n"].(int64)
	return int(n)
}

// The loader keeps a site's one operator too: a seed that gives an editor's site to a curated firm is refused,
// and nothing is written.
func TestLoaderKeepsOneOperatorPerSite(t *testing.T) {
	db := openForRaces(t)
	ctx := context.Background()
	if _, err := db.UpsertEnterprise(ctx, testEnterprise("api-firm"),
		[]chainmap.Site{{ID: "contested-site", Kind: chainmap.HQ, RegionCode: "131000"}}, false, "ed"); err != nil {
		t.Fatal(err)
	}
	before := neo4jtest.Snapshot(t)
	ds := testDataset(t)
	ds.Sites = append(ds.Sites, chainmap.Site{ID: "contested-site", EnterpriseID: "maker", Kind: chainmap.Manufacturing,
		RegionCode: "131000", Provenance: chainmap.Provenance{Confidence: chainmap.Illustrative, SourceIDs: []string{"src-a"}}})
	_, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "contested-site") {
		t.Fatalf("WriteDataset: %v, want an error naming contested-site", err)
	}
	if after := neo4jtest.Snapshot(t); !reflect.DeepEqual(before, after) {
		t.Error("a refused load changed the graph")
	}
}

// Two editors record a technology transfer under one id at once: between different ends one wins and the other
// gets CONFLICT; between the same ends both may win, as one record. Either way one link has the id.
func TestRacingTransfersForOneID(t *testing.T) {
	db := openForRaces(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	transfer := func(id, from, to string) func() error {
		return func() error {
			_, err := db.RecordTechTransfer(ctx, chainmap.TechTransfer{ID: id, FromID: from, ToID: to,
				Provenance: chainmap.Provenance{Confidence: chainmap.Illustrative, SourceIDs: []string{"src-a"}}}, "ed")
			return err
		}
	}
	for round := range 8 {
		id := fmt.Sprintf("race-transfer-%d", round)
		second, wantWins := transfer(id, "uni", "buyer-lf"), 1 // different ends: one record, one winner
		if round%2 == 1 {
			second, wantWins = transfer(id, "maker-bj-rd", "maker-lf-plant"), 2 // the same ends: one record, written twice
		}
		errs := race(transfer(id, "maker-bj-rd", "maker-lf-plant"), second)
		wins := winners(t, round, errs)
		if wins < 1 || wins > wantWins {
			t.Errorf("round %d: %d winners (errors %v), want 1 to %d", round, wins, errs, wantWins)
		}
		rows := neo4jtest.Query(t, `MATCH ()-[r:TRANSFERS_TECH_TO {id: $id}]->() RETURN count(r) AS n`, map[string]any{"id": id})
		if rows[0]["n"] != int64(1) {
			t.Errorf("round %d: %v links with id %q, want 1", round, rows[0]["n"], id)
		}
	}
}
