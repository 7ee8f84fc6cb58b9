package neo4jdb

import (
	"context"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Recorder stands in for Neo4j in tests of the compiler from GraphQL text: a DB made by Recording runs
// nothing, records each statement the store would run — method, Cypher, parameters — and answers each with one
// record that has no columns, the way an empty database answers the store's one-row statements (every column
// null, every list empty), so that a request goes on to the statements that follow. (Where Neo4j would answer
// with no row, or a row of another shape, a method may fail to decode the answer: after its statement, which
// is what the tests read.) It serves the methods that
// read and write through single statements (every query of the API); those that open sessions of their own
// (the mutations, loads, dumps) need a driver and cannot run on it.
type Recorder struct {
	mu         sync.Mutex
	statements []Statement
}

// Recording returns a DB that records its statements in the returned Recorder instead of running them.
func Recording() (*DB, *Recorder) {
	rec := &Recorder{}
	return &DB{cfg: Config{URI: "recorder:"}, brk: breaker{stop: make(chan struct{})}, runner: rec}, rec
}

func (r *Recorder) run(_ context.Context, st Statement) (*neo4j.EagerResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statements = append(r.statements, st)
	return &neo4j.EagerResult{Records: []*neo4j.Record{{}}}, nil
}

// Take returns the statements recorded since the last Take, in the order they were run, and forgets them.
func (r *Recorder) Take() []Statement {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.statements
	r.statements = nil
	return out
}
