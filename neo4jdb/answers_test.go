package neo4jdb_test

import (
	"context"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

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
	addBeijingFirm(t, db, ds, "kept-new", first.Segments[0].Segment.ID)
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

// After a change, the questions a request asked most recently are asked again (RefreshAnswers), most recent
// first and at most max of them, so that the next ask finds the changed graph's answer kept. A refresh is
// neither an answer (OnAnswer) nor an ask: it does not make a question recent. Nothing is asked again when
// nothing changed, or when no question was asked recently enough.
func TestKeptAnswersAskedAgainAfterAChange(t *testing.T) {
	var l answerLog
	db := neo4jtest.MustOpenDBWith(t, l.config(4))
	ctx := context.Background()
	ds := neo4jtest.MustLoadSeeds(t, db)
	beijing := chainmap.ScenarioQuery{RegionCodes: []string{"110000"}, First: 5, Alternatives: 2}
	hebei := chainmap.ScenarioQuery{RegionCodes: []string{"130000"}, First: 5, Alternatives: 2}
	catl := chainmap.ScenarioQuery{EnterpriseIDs: []string{"catl"}, First: 5, Alternatives: 2}
	l.ask(t, db, hebei)
	l.ask(t, db, catl)
	first, _ := l.ask(t, db, beijing)
	if n, err := db.RefreshAnswers(ctx, 8, time.Hour); err != nil || n != 0 {
		t.Fatalf("nothing changed: %d asked again, %v; want 0", n, err)
	}

	// A new firm with its only site in Beijing stops with it.
	newFirm := func(id string) { addBeijingFirm(t, db, ds, id, first.Segments[0].Segment.ID) }
	newFirm("fresh-1")
	l.reset()
	if n, err := db.RefreshAnswers(ctx, 1, time.Hour); err != nil || n != 1 {
		t.Fatalf("after a change, max 1: %d asked again, %v; want 1", n, err)
	}
	if l.kept+l.computed != 0 {
		t.Errorf("a refresh reported %d kept and %d computed answers; want none", l.kept, l.computed)
	}
	if again, kept := l.ask(t, db, beijing); !kept || again.StoppedEnterprises != first.StoppedEnterprises+1 {
		t.Fatalf("beijing, asked last, after the refresh: kept %v, %d firms stop; want kept, %d", kept, again.StoppedEnterprises, first.StoppedEnterprises+1)
	}
	if _, kept := l.ask(t, db, catl); kept {
		t.Fatal("catl, past max: kept, want computed")
	}
	if n, err := db.RefreshAnswers(ctx, 8, time.Hour); err != nil || n != 1 { // hebei; beijing and catl are fresh
		t.Fatalf("hebei left stale: %d asked again, %v; want 1", n, err)
	}
	// Asked again, hebei was not asked: catl, asked last by a request, is the one refreshed after the next change.
	newFirm("fresh-x")
	if n, err := db.RefreshAnswers(ctx, 1, time.Hour); err != nil || n != 1 {
		t.Fatalf("after another change, max 1: %d asked again, %v; want 1", n, err)
	}
	if _, kept := l.ask(t, db, catl); !kept {
		t.Fatal("catl, asked last by a request: computed, want kept")
	}
	if _, kept := l.ask(t, db, hebei); kept {
		t.Fatal("hebei, only refreshed since it was asked: kept, want computed")
	}

	newFirm("fresh-2")
	if n, err := db.RefreshAnswers(ctx, 8, time.Nanosecond); err != nil || n != 0 {
		t.Fatalf("nothing asked in the last nanosecond: %d asked again, %v; want 0", n, err)
	}
}

// KeepAnswersFresh asks again, once the graph has been quiet, what a change made stale, and stops with its
// context.
func TestKeepAnswersFresh(t *testing.T) {
	var l answerLog
	db := neo4jtest.MustOpenDBWith(t, l.config(4))
	ds := neo4jtest.MustLoadSeeds(t, db)
	beijing := chainmap.ScenarioQuery{RegionCodes: []string{"110000"}, First: 5, Alternatives: 2}
	first, _ := l.ask(t, db, beijing)

	var logs neo4jtest.SyncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		db.KeepAnswersFresh(ctx, neo4jdb.Freshness{Poll: 20 * time.Millisecond, Quiet: 100 * time.Millisecond, Max: 8, Within: time.Hour},
			slog.New(slog.NewTextHandler(&logs, nil)))
	}()
	addBeijingFirm(t, db, ds, "fresh-loop", first.Segments[0].Segment.ID)
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(logs.String(), "asked kept questions again"); {
		if time.Now().After(deadline) {
			t.Fatalf("no refresh within 30 s of a change; log:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel() // stopped before the ask, whose round trips its reads of the version would add to
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("KeepAnswersFresh did not stop with its context")
	}
	if again, kept := l.ask(t, db, beijing); !kept || again.StoppedEnterprises != first.StoppedEnterprises+1 {
		t.Fatalf("after the refresh: kept %v, %d firms stop; want kept, %d", kept, again.StoppedEnterprises, first.StoppedEnterprises+1)
	}
}

// addBeijingFirm writes the enterprise id, active in the segment, with its only site, an R&D one, in Haidian:
// a firm that stops with Beijing.
func addBeijingFirm(t *testing.T, db *neo4jdb.DB, ds *chainmap.Dataset, id, segment string) {
	t.Helper()
	prov := chainmap.Provenance{Confidence: chainmap.Illustrative, SourceIDs: []string{ds.Sources[0].ID}}
	if _, err := db.UpsertEnterprise(context.Background(), chainmap.Enterprise{ID: id, Name: id, NameEn: id,
		SegmentIDs: []string{segment}, Provenance: prov},
		[]chainmap.Site{{ID: id + "-rd", Kind: chainmap.RD, RegionCode: "110108"}}, false, "ed"); err != nil {
		t.Fatal(err)
	}
}
