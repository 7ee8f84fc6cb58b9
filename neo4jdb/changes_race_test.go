package neo4jdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// TestChangeLogUnderRacingWriters races editors over shared records — status changes of three curated
// bottlenecks, edits of curated enterprises, supply links to shared firms, deletions of curated supply links —
// and checks the log the way its readers rely on it: no seq missing, each entry's time (taken under the
// counter's lock) in seq order, every entry whose transaction was acknowledged there, and the seq each
// curated record's edit marks and tombstones name (written before the seq is known, changes.go) the seq of
// the record's last change, with no placeholder left anywhere.
func TestChangeLogUnderRacingWriters(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ds := neo4jtest.MustLoadSeeds(t, db)
	ctx := context.Background()
	start, _, err := db.ChangeBounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	prov := chainmap.Provenance{Confidence: chainmap.Illustrative, SourceIDs: []string{"s13"}}
	bottlenecks := []string{ds.Bottlenecks[0].ID, ds.Bottlenecks[1].ID, ds.Bottlenecks[2].ID}
	firms := ds.Enterprises[:4]
	links := ds.Supplies[:6]
	statuses := []chainmap.BottleneckStatus{chainmap.Open, chainmap.InProgress, chainmap.Resolved}

	const writers, ops = 12, 12
	var mu sync.Mutex
	acked := map[string]int{} // kind → acknowledged changes that must be in the log
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(w)))
			for n := 0; n < ops; n++ {
				author := fmt.Sprintf("w%d", w)
				var kind chainmap.ChangeKind
				var err error
				switch n % 4 {
				case 0: // may be no change (the current status) or not allowed (CONFLICT): neither is logged
					_, err = db.SetBottleneckStatus(ctx, bottlenecks[rng.Intn(len(bottlenecks))], statuses[rng.Intn(3)], "", author)
					if err == nil {
						continue
					}
				case 1:
					e := firms[rng.Intn(len(firms))]
					e.Description = fmt.Sprintf("edited by %s, %d", author, n)
					kind = chainmap.ChangeEnterprise
					_, err = db.UpsertEnterprise(ctx, e, nil, false, author)
				case 2:
					kind = chainmap.ChangeSupplyLink
					_, err = db.LinkSupplier(ctx, chainmap.Supply{FromID: fmt.Sprintf("race-%d", w%3), ToID: firms[rng.Intn(len(firms))].ID,
						Product: fmt.Sprintf("part %d-%d", w, n), Provenance: prov}, author)
					if ce := (*chainmap.Error)(nil); errors.As(err, &ce) && ce.Code == chainmap.CodeBadUserInput { // the API firm is not written yet: make it, then link next time
						kind = chainmap.ChangeEnterprise
						_, err = db.UpsertEnterprise(ctx, chainmap.Enterprise{ID: fmt.Sprintf("race-%d", w%3), Name: "Race firm",
							NameEn: "Race firm", SegmentIDs: []string{"h2-fc-stack"}, Provenance: prov}, nil, false, author)
					}
				case 3: // each curated link can go once; the others get NOT_FOUND
					l := links[rng.Intn(len(links))]
					kind = chainmap.ChangeSupplyLink
					_, err = db.UnlinkSupplier(ctx, l.FromID, l.ToID, l.Product, author)
					if errors.Is(err, chainmap.ErrNotFound) {
						continue
					}
				}
				var ce *chainmap.Error
				if errors.As(err, &ce) && ce.Code == chainmap.CodeConflict {
					continue // lost a race: nothing logged
				}
				if err != nil {
					t.Errorf("writer %d, op %d: %v", w, n, err)
					return
				}
				mu.Lock()
				acked[string(kind)]++
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()

	rows := neo4jtest.Query(t, `MATCH (c:Change) WHERE c.seq > $start RETURN c.seq AS seq, c.kind AS kind, c.recordId AS id,
		c.redo AS redo, toString(c.at) AS at ORDER BY c.seq`, map[string]any{"start": start})
	last, _, err := db.ChangeBounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(rows)) != last-start {
		t.Errorf("%d entries after seq %d, the counter is at %d", len(rows), start, last)
	}
	logged := map[string]int{}
	lastOf := map[string]int64{}
	var prevAt time.Time
	for i, r := range rows {
		seq := r["seq"].(int64)
		if seq != start+int64(i)+1 {
			t.Fatalf("entry %d has seq %d, want %d: a hole", i, seq, start+int64(i)+1)
		}
		at, err := time.Parse(time.RFC3339Nano, r["at"].(string))
		if err != nil {
			t.Fatal(err)
		}
		if at.Before(prevAt) {
			t.Errorf("seq %d at %s, before seq %d's %s: the log is not in the order the counter was taken", seq, at, seq-1, prevAt)
		}
		prevAt = at
		kind := r["kind"].(string)
		if kind != string(chainmap.ChangeBottleneckStatus) {
			logged[kind]++
		}
		lastOf[kind+" "+fmt.Sprint(r["id"])] = seq
	}
	for kind, n := range acked {
		if logged[kind] != n {
			t.Errorf("%d %s changes acknowledged, %d logged", n, kind, logged[kind])
		}
	}

	// The placeholder for the seq is gone everywhere, and each mark names the record's last change.
	p := map[string]any{"p": "-4611686018427387903", "start": start}
	if n := neo4jtest.Query(t, `RETURN COUNT { MATCH (c:Change) WHERE c.seq > $start AND c.redo CONTAINS $p } +
		COUNT { MATCH (n:Record) WHERE n.edits CONTAINS $p } + COUNT { MATCH ()-[r:SUPPLIES]->() WHERE r.edits CONTAINS $p } +
		COUNT { MATCH (d:Deleted) WHERE d.seq < 0 } AS n`, p)[0]["n"]; n != int64(0) {
		t.Errorf("%v placeholders for the seq left in the graph or the log", n)
	}
	marked := 0
	for _, b := range bottlenecks {
		rows := neo4jtest.Query(t, `MATCH (b:Bottleneck {id: $id}) RETURN b.edits AS edits`, map[string]any{"id": b})
		var edits map[string]struct{ Seq int64 }
		if s, _ := rows[0]["edits"].(string); s != "" {
			if err := json.Unmarshal([]byte(s), &edits); err != nil {
				t.Fatal(err)
			}
		}
		if e, ok := edits["status"]; ok {
			marked++
			if want := lastOf[string(chainmap.ChangeBottleneckStatus)+" "+b]; e.Seq != want {
				t.Errorf("bottleneck %s: its status edit names seq %d, its last status change is %d", b, e.Seq, want)
			}
		}
	}
	for _, d := range neo4jtest.Query(t, `MATCH (d:Deleted) RETURN d.recordId AS id, d.kind AS kind, d.seq AS seq`, nil) {
		marked++
		if want := lastOf[fmt.Sprint(d["kind"], " ", d["id"])]; d["seq"] != want {
			t.Errorf("tombstone of %v %v names seq %v, its last change is %d", d["kind"], d["id"], d["seq"], want)
		}
	}
	t.Logf("%d entries (seq %d–%d), acknowledged %v, %d edit marks and tombstones checked", len(rows), start+1, last, acked, marked)
	if marked == 0 {
		t.Error("no curated record was marked: the test did not exercise the marks")
	}
}
