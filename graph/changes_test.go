package graph_test

import (
	"testing"

	"github.com/chainmap/chainmap/graph"
)

func TestChangesQuery(t *testing.T) {
	cleanupTestRecords(t)
	srv := newServer(t, graph.Options{})
	const create = `mutation { upsertBottleneck(input: {id: "mt-test-cq", nameEn: "Changes query test", kind: GAP,
		category: MATERIAL, severity: 2, segmentIds: ["h2-fc-stack"], confidence: ILLUSTRATIVE, sourceIds: ["s13"]}) { id } }`
	const q = `query($after: String) { changes(after: $after, first: 1, kinds: [BOTTLENECK]) {
		edges { cursor node { seq kind operation recordId chainMapIds before after author at } }
		pageInfo { hasNextPage endCursor } } }`
	var got struct {
		Changes struct {
			Edges []struct {
				Cursor string
				Node   struct {
					Seq, Kind, Operation, RecordID, Author, At string
					ChainMapIDs                                []string `json:"chainMapIds"`
					Before                                     any
					After                                      map[string]any
				}
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
		}
	}
	var seen []string
	after := any(nil)
	read := func() {
		for i := 0; i < 1000; i++ {
			mustData(t, srv, "", q, map[string]any{"after": after}, &got)
			for _, e := range got.Changes.Edges {
				if e.Cursor != e.Node.Seq {
					t.Errorf("cursor %q of seq %q: the cursor is the seq", e.Cursor, e.Node.Seq)
				}
				if e.Node.RecordID == "mt-test-cq" {
					seen = append(seen, e.Node.Seq)
					if e.Node.Before != nil || e.Node.After["nameEn"] != "Changes query test" || e.Node.Author != "ed" ||
						e.Node.Operation != "upsertBottleneck" || len(e.Node.ChainMapIDs) == 0 || e.Node.At == "" {
						t.Errorf("change = %+v", e.Node)
					}
				}
			}
			if !got.Changes.PageInfo.HasNextPage {
				if len(got.Changes.Edges) > 0 {
					after = got.Changes.PageInfo.EndCursor
				}
				break
			}
			after = got.Changes.PageInfo.EndCursor
		}
	}
	read() // to the end of the log: the shared test database has the changes of other tests
	seen = nil
	mustData(t, srv, editor, create, nil, nil)
	read()
	if len(seen) != 1 {
		t.Errorf("the creation shows %d times in the log, want once", len(seen))
	}
	if r := do(t, srv, "", `{ changes(after: "x") { edges { cursor } } }`, nil); len(r.Errors) == 0 {
		t.Error("a malformed cursor was accepted")
	}
}
