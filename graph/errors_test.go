package graph_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/graph"
)

// failingStore is a fake for a fast transport test of error presentation: its ChainMaps fails or panics.
type failingStore struct {
	graph.Store
	err   error
	panic bool
}

func (s failingStore) ChainMaps(context.Context, *chainmap.Selection) ([]chainmap.ChainMap, error) {
	if s.panic {
		panic("boom")
	}
	return nil, s.err
}

func TestErrorPresentation(t *testing.T) {
	for _, tc := range []struct {
		name      string
		store     failingStore
		code, msg string
	}{
		{"neo4j down", failingStore{err: fmt.Errorf("ChainMaps: ConnectivityError: dial tcp: refused: %w", chainmap.ErrUnavailable)},
			"UNAVAILABLE", "the graph database is unavailable"},
		{"timeout", failingStore{err: fmt.Errorf("ChainMaps: Neo.ClientError.Transaction.TransactionTimedOut: %w", chainmap.ErrTimeout)},
			"UNAVAILABLE", "the query took longer than the server allows"},
		{"driver error", failingStore{err: errors.New("Neo4jError: Neo.ClientError.Statement.SyntaxError (Invalid input 'MATCH')")},
			"INTERNAL", "internal error"},
		{"panic", failingStore{panic: true}, "INTERNAL", "internal error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServerOver(t, tc.store, graph.Options{})
			r := do(t, srv, "", `{ chainMaps { id } }`, nil)
			if r.code() != tc.code || r.Errors[0].Message != tc.msg {
				t.Fatalf("errors = %+v, want %s %q", r.Errors, tc.code, tc.msg)
			}
			for _, leak := range []string{"Neo4jError", "Neo.", "dial tcp", "boom", "MATCH"} {
				if strings.Contains(r.Errors[0].Message, leak) {
					t.Errorf("message %q leaks %q", r.Errors[0].Message, leak)
				}
			}
		})
	}
}
