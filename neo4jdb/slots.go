package neo4jdb

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// DefaultMaxAnalyses is how many of the planner's whole-place analyses run at once by default: about the cores
// a small Neo4j has. Their statements take seconds at 100,000 firms (a city's scenario ~3 s, a province's
// ~15 s); 20 of them at once on two cores each took longer than a request may wait (20 s), and none answered.
const DefaultMaxAnalyses = 2

// DefaultMaxWriters is how many editors' write transactions run at once by default. Every change ends on the one
// change log counter and most of an editing session's changes meet on shared nodes (a segment, a region, a
// customer), so beyond a few writers more wait in Neo4j's lock manager, not in parallel: 50 editors wrote
// 106–111 changes/s where 10 wrote 126–141 (docs/performance.md). Past the bound they wait here, in order.
const DefaultMaxWriters = 8

// slots bounds the analyses, or the editors' write transactions, running at once: one is taken for the length
// of the analysis's statement or of the write's transaction, and a request waits for one until its own
// deadline, then gets chainmap.ErrBusy (a write: ErrWritersBusy) without reaching Neo4j. A nil slots admits
// everything.
type slots chan struct{}

// take waits for a slot until ctx ends; it returns ErrBusy when ctx ended first (or had ended already).
func (s slots) take(ctx context.Context) error {
	if s == nil {
		return nil
	}
	if ctx.Err() != nil {
		return chainmap.ErrBusy
	}
	select {
	case s <- struct{}{}:
		return nil
	case <-ctx.Done():
		return chainmap.ErrBusy
	}
}

func (s slots) give() {
	if s != nil {
		<-s
	}
}

// analysis runs one of the planner's whole-place statements in a slot.
func (db *DB) analysis(ctx context.Context, method, cypher string, params map[string]any) (*neo4j.EagerResult, error) {
	if err := db.slots.take(ctx); err != nil {
		return nil, err
	}
	defer db.slots.give()
	return db.read(ctx, method, cypher, params)
}
