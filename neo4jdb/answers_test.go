package neo4jdb_test

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/schema"
)

// answerLog counts a DB's round trips and its analysis answers, kept or computed.
type answerLog struct {
	mu                      sync.Mutex
	trips, kept, computed   int
	lastKept, lastAvailable bool
}

func (l *answerLog) config(keep int) neo4jdb.Config {
	cfg := neo4jtest.Config()
	cfg.KeptAnswers = keep
	cfg.OnQuery = func(string) { l.mu.Lock(); l.trips++; l.mu.Unlock() }
	cfg.OnAnswer = func(_ string, kept bool) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.lastKept, l.lastAvailable = kept, true
		if kept {
			l.kept++
		} else {
			l.computed++
		}
	}
	return cfg
}

func (l *answerLog) reset() {
	l.mu.Lock()
	l.trips, l.kept, l.computed, l.lastAvailable = 0, 0, 0, false
	l.mu.Unlock()
}

// ask asks q and says whether its answer was kept, failing unless it took exactly one round trip.
func (l *answerLog) ask(t *testing.T, db *neo4jdb.DB, q chainmap.ScenarioQuery) (*chainmap.Scenario, bool) {
	t.Helper()
	l.reset()
	sc, err := db.Scenario(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.trips != 1 || !l.lastAvailable {
		t.Fatalf("%+v: %d round trips, answer reported: %v; want 1, reported", q, l.trips, l.lastAvailable)
	}
	return sc, l.lastKept
}

// A scenario's answer is kept while the graph's version is unchanged: asked again, one round trip answers it
// with the kept answer, equal to the first and not shared with it. Every kind of write that changes the graph
// — deleting everything and loading again, a logged change, a reindex, a migration, deleting synthetic data —
// gives a new version, after which the answer is computed anew.
func TestScenarioAnswersKeptWhileTheGraphIsUnchanged(t *testing.T) {
	var l answerLog
	db := neo4jtest.MustOpenDBWith(t, l.config(2))
	ctx := context.Background()
	ds := neo4jtest.MustLoadSeeds(t, db)
	beijing := chainmap.ScenarioQuery{RegionCodes: []string{"110000"}, First: 5, Alternatives: 2}

	first, kept := l.ask(t, db, beijing)
	if kept {
		t.Fatal("the first answer was kept, not computed")
	}
	if first.StoppedEnterprises == 0 || len(first.Segments) == 0 {
		t.Fatalf("Beijing's scenario on the seeds stops nothing: %+v", first)
	}
	again, kept := l.ask(t, db, beijing)
	if !kept {
		t.Fatal("asked again with nothing changed, the answer was computed")
	}
	if !reflect.DeepEqual(first, again) {
		t.Fatalf("the kept answer differs from the first:\n%+v\n%+v", first, again)
	}
	again.StoppedEnterprises, again.Segments[0].Left = -1, nil // what a caller does to its answer stays its own
	if third, _ := l.ask(t, db, beijing); !reflect.DeepEqual(first, third) {
		t.Fatalf("a caller's change to its answer reached the kept one:\n%+v\n%+v", first, third)
	}

	// Deleted and loaded again, the graph has its first seq again, and the same answer, computed anew.
	if err := db.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	neo4jtest.MustLoadSeeds(t, db)
	if again, kept := l.ask(t, db, beijing); kept || !reflect.DeepEqual(first, again) {
		t.Fatalf("the seeds deleted and loaded again: kept %v, %+v; want computed, %+v", kept, again, first)
	}

	// A logged change: a new firm with its only site in Beijing stops with it.
	prov := chainmap.Provenance{Confidence: chainmap.Illustrative, SourceIDs: []string{ds.Sources[0].ID}}
	if _, err := db.UpsertEnterprise(ctx, chainmap.Enterprise{ID: "kept-new", Name: "Kept new", NameEn: "Kept new",
		SegmentIDs: []string{first.Segments[0].Segment.ID}, Provenance: prov},
		[]chainmap.Site{{ID: "kept-new-rd", Kind: chainmap.RD, RegionCode: "110108"}}, false, "ed"); err != nil {
		t.Fatal(err)
	}
	after, kept := l.ask(t, db, beijing)
	if kept || after.StoppedEnterprises != first.StoppedEnterprises+1 {
		t.Fatalf("after a new firm in Beijing: kept %v, %d firms stop; want computed, %d", kept, after.StoppedEnterprises, first.StoppedEnterprises+1)
	}

	// Writes without a change log entry.
	for _, w := range []struct {
		name  string
		write func() error
	}{
		{"a reindex", func() error { _, _, err := db.Reindex(ctx); return err }},
		{"a migration", func() error { _, err := db.Migrate(ctx, schema.Cypher); return err }},
		{"deleting synthetic data", func() error { _, err := db.DeleteSynthetic(ctx, nil); return err }},
	} {
		if _, kept := l.ask(t, db, beijing); !kept {
			t.Fatalf("before %s: computed, want kept", w.name)
		}
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if _, kept := l.ask(t, db, beijing); kept {
			t.Fatalf("after %s: the answer kept from before was given", w.name)
		}
	}

	// Two questions kept (KeptAnswers 2): a third drops the least recently asked.
	hebei := chainmap.ScenarioQuery{RegionCodes: []string{"130000"}, First: 5, Alternatives: 2}
	catl := chainmap.ScenarioQuery{EnterpriseIDs: []string{"catl"}, First: 5, Alternatives: 2}
	l.ask(t, db, hebei)
	l.ask(t, db, beijing) // beijing now asked last, hebei before it
	if _, kept := l.ask(t, db, catl); kept {
		t.Fatal("catl asked first: kept")
	}
	if _, kept := l.ask(t, db, beijing); !kept {
		t.Fatal("beijing, among the two asked last: computed")
	}
	if _, kept := l.ask(t, db, hebei); kept {
		t.Fatal("hebei, asked before the two last: kept, want dropped")
	}
}

// Asked by many at once, one computes the answer and the others find it kept; also when the graph has just
// changed under a kept answer. Without a kept answer at all (KeptAnswers 0), each is computed.
func TestScenarioAskedAtOnceIsComputedOnce(t *testing.T) {
	var l answerLog
	db := neo4jtest.MustOpenDBWith(t, l.config(8))
	ctx := context.Background()
	ds := neo4jtest.MustLoadSeeds(t, db)
	var open string
	for _, b := range ds.Bottlenecks {
		if b.Status == chainmap.Open {
			open = b.ID
			break
		}
	}
	q := chainmap.ScenarioQuery{RegionCodes: []string{"130000"}, First: 10, Alternatives: 3}
	const clients = 6
	atOnce := func(db *neo4jdb.DB) []*chainmap.Scenario {
		t.Helper()
		l.reset()
		out := make([]*chainmap.Scenario, clients)
		errs := make([]error, clients)
		var wg sync.WaitGroup
		for i := range clients {
			wg.Go(func() { out[i], errs[i] = db.Scenario(ctx, q) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("client %d: %v", i, err)
			}
			if !reflect.DeepEqual(out[i], out[0]) {
				t.Fatalf("client %d's answer differs from client 0's", i)
			}
		}
		return out
	}
	for _, round := range []string{"nothing kept", "the graph changed under the kept answer"} {
		if round != "nothing kept" {
			if _, err := db.SetBottleneckStatus(ctx, open, chainmap.InProgress, "", "ed"); err != nil {
				t.Fatal(err)
			}
		}
		atOnce(db)
		l.mu.Lock()
		computed, kept, trips := l.computed, l.kept, l.trips
		l.mu.Unlock()
		if computed != 1 || kept != clients-1 || trips != clients {
			t.Errorf("%s: %d computed, %d kept, %d round trips; want 1, %d, %d", round, computed, kept, trips, clients-1, clients)
		}
	}

	var none answerLog
	plain, err := neo4jdb.Open(ctx, none.config(0))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close(ctx)
	errs := make([]error, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() { _, errs[i] = plain.Scenario(ctx, q) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("without kept answers, client %d: %v", i, err)
		}
	}
	if none.computed != clients || none.kept != 0 {
		t.Errorf("without kept answers: %d computed, %d kept; want %d, 0", none.computed, none.kept, clients)
	}
}
