package neo4jdb

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
)

// A scenario or a changes summary that finds every analysis slot taken waits until its request ends, then
// gets ErrBusy without reaching Neo4j (this DB has no driver: a round trip would panic); a slot given back in
// time is taken. No database.
func TestAnalysesWaitForASlot(t *testing.T) {
	db := &DB{slots: make(slots, 1)}
	if err := db.slots.take(context.Background()); err != nil {
		t.Fatalf("the free slot: %v", err)
	}
	for name, ask := range map[string]func(context.Context) error{
		"scenario": func(ctx context.Context) error {
			_, err := db.Scenario(ctx, chainmap.ScenarioQuery{RegionCodes: []string{"130900"}, First: 20, Alternatives: 3})
			return err
		},
		"changes summary": func(ctx context.Context) error {
			_, err := db.ChangesSummary(ctx, chainmap.ChangesQuery{ChainMapID: "hydrogen", First: 10})
			return err
		},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		err := ask(ctx)
		cancel()
		if !errors.Is(err, chainmap.ErrBusy) || chainmap.ErrorCode(err) != chainmap.CodeTooManyRequests {
			t.Errorf("%s with every slot taken: %v, want ErrBusy (TOO_MANY_REQUESTS)", name, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := db.slots.take(ctx); !errors.Is(err, chainmap.ErrBusy) {
		t.Errorf("a request already over: %v, want ErrBusy", err)
	}

	given := make(chan struct{})
	go func() {
		time.Sleep(20 * time.Millisecond)
		db.slots.give()
		close(given)
	}()
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := db.slots.take(ctx); err != nil {
		t.Errorf("a slot given back while waiting: %v, want it taken", err)
	}
	<-given
	if len(db.slots) != 1 {
		t.Errorf("slots in use after one take, one give and one take: %d, want 1", len(db.slots))
	}
	if err := (slots)(nil).take(ctx); err != nil {
		t.Errorf("no slots (a Recorder's DB): %v, want no bound", err)
	}
}

// An editor's change that finds every write slot taken waits until its request ends, then gets ErrWritersBusy
// (TOO_MANY_REQUESTS) without reaching Neo4j (this DB has no driver: a round trip would panic); a slot given
// back in time is taken. No database.
func TestChangesWaitForAWriteSlot(t *testing.T) {
	db := &DB{writers: make(slots, 1)}
	if err := db.writers.take(context.Background()); err != nil {
		t.Fatalf("the free slot: %v", err)
	}
	for name, change := range map[string]func(context.Context) error{
		"status change": func(ctx context.Context) error {
			_, err := db.SetBottleneckStatus(ctx, "h2-bn-carbon-fibre-tanks", chainmap.InProgress, "", "editor")
			return err
		},
		"supply link": func(ctx context.Context) error {
			_, err := db.LinkSupplier(ctx, chainmap.Supply{FromID: "a", ToID: "b", Product: "p"}, "editor")
			return err
		},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		err := change(ctx)
		cancel()
		if !errors.Is(err, chainmap.ErrWritersBusy) || chainmap.ErrorCode(err) != chainmap.CodeTooManyRequests {
			t.Errorf("%s with every write slot taken: %v, want ErrWritersBusy (TOO_MANY_REQUESTS)", name, err)
		}
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		db.writers.give()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := db.writers.take(ctx); err != nil {
		t.Errorf("a write slot given back while waiting: %v, want it taken", err)
	}
}
