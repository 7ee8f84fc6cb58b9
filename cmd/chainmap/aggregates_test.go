package main

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

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

// serve warns, once at start, when the maintained aggregates are older than the build (here: a segment member
// without its tier, as versions before 010 wrote them), and not when they are current.
func TestServeWarnsOfStaleAggregates(t *testing.T) {
	neo4jtest.MustLoadSeeds(t, neo4jtest.MustOpenDB(t))
	const warning, checked = "the maintained aggregates are older than this build", "the maintained aggregates are current"
	_, current := startServeLogged(t, freePort(t), "-log-level", "debug")
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(current.String(), checked); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no check of the aggregates within 30 s of a start; log:\n%s", current.String())
		}
	}
	neo4jtest.Query(t, `MATCH (m:SegmentMember) WITH m LIMIT 1 REMOVE m.tier RETURN count(m) AS n`, nil)
	_, aged := startServeLogged(t, freePort(t))
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(aged.String(), warning); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no warning within 30 s of a start on stale aggregates; log:\n%s", aged.String())
		}
	}
	if strings.Contains(current.String(), warning) {
		t.Errorf("warned of stale aggregates on current ones; log:\n%s", current.String())
	}
}
