package main

import (
	"context"
	"io"
	"slices"
	"testing"

	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// On a database whose maintained aggregates carry their firm's id as id (written before firmId), each of
// migrate, load and reindex leaves the graph as it was before they were aged: the aggregates renamed (or
// rebuilt) to firmId, none left behind, the region counts the same.
func TestCommandsUpgradeOldAggregates(t *testing.T) {
	for _, cmd := range [][]string{{"migrate"}, {"load"}, {"reindex"}} {
		t.Run(cmd[0], func(t *testing.T) {
			neo4jtest.MustLoadSeeds(t, neo4jtest.MustOpenDB(t))
			want := neo4jtest.Snapshot(t)
			neo4jtest.OldAggregates(t)
			if err := run(context.Background(), append(cmd, neo4jArgs()...), io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
			if got := neo4jtest.Snapshot(t); !slices.Equal(got, want) {
				t.Errorf("%s changed the graph: %d nodes and relationships before the aggregates were aged, %d after", cmd[0], len(want), len(got))
				for _, l := range got {
					if !slices.Contains(want, l) {
						t.Errorf("+ %s", l)
						break
					}
				}
			}
			rows := neo4jtest.Query(t, `MATCH (x:FirmAggregate|SegmentMember) WHERE x.id IS NOT NULL OR x.firmId IS NULL RETURN count(x) AS n`, nil)
			if rows[0]["n"] != int64(0) {
				t.Errorf("%v aggregates with an id or no firmId after %s", rows[0]["n"], cmd[0])
			}
			// The schema too: the aggregates' indexes (and the constraint's) on firmId, none on id.
			rows = neo4jtest.Query(t, `SHOW INDEXES YIELD labelsOrTypes AS l, properties AS p
WHERE any(x IN l WHERE x IN ['FirmAggregate', 'SegmentMember'])
RETURN count(CASE WHEN 'id' IN p THEN 1 END) AS id, count(CASE WHEN 'firmId' IN p THEN 1 END) AS firmId`, nil)
			if rows[0]["id"] != int64(0) || rows[0]["firmId"] != int64(4) {
				t.Errorf("after %s, the aggregates' indexes on id and on firmId: %v, want none and 4", cmd[0], rows[0])
			}
		})
	}
}
