package neo4jdb

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// The change log. Every mutation, and every `chainmap load` or `gen` run, writes one :Change in the same
// transaction as the change it describes. Its seq comes from a single :ChangeLog counter node incremented under
// that node's write lock, which the transaction holds until it commits: so a change that commits later has a
// higher seq, a transaction that rolls back gives its number back, and a reader that has seen seq n has seen
// every change up to n. The price is that writers queue on the counter — a few milliseconds each, far below what
// editors produce. Retention (PruneChanges) deletes the oldest entries; the counter never goes back.

// stateOf reads, per kind of record, the fields a change log entry keeps and the chain maps it belongs to.
var stateOf = map[chainmap.ChangeKind]string{
	chainmap.ChangeEnterprise: `
OPTIONAL MATCH (n:Enterprise {id: $id})
RETURN CASE WHEN n IS NULL THEN null ELSE n {.*,
  segmentIds: COLLECT { MATCH (n)-[:ACTIVE_IN]->(s:Segment) RETURN s.id ORDER BY s.id },
  siteIds: COLLECT { MATCH (n)-[:OPERATES]->(s:Site) RETURN s.id ORDER BY s.id },
  sites: COLLECT { MATCH (n)-[:OPERATES]->(s:Site) RETURN s {.id, .kind, .name, .regionCode, .since, .capacity,
    parkId: COLLECT { MATCH (s)-[:IN_PARK]->(p:Park) RETURN p.id }[0]} ORDER BY s.id }} END AS state,
  COLLECT { MATCH (n)-[:ACTIVE_IN]->(:Segment)<-[:HAS_SEGMENT]-(m:ChainMap) RETURN DISTINCT m.id } AS maps`,
	chainmap.ChangeSource: `
OPTIONAL MATCH (n:Source {id: $id})
RETURN CASE WHEN n IS NULL THEN null ELSE n {.*} END AS state, [] AS maps`,
	chainmap.ChangeBottleneck:       bottleneckState,
	chainmap.ChangeBottleneckStatus: bottleneckState,
	chainmap.ChangeSupplyLink: `
OPTIONAL MATCH (a:Enterprise {id: $from})-[r:SUPPLIES {id: $id}]->(b:Enterprise)
RETURN CASE WHEN r IS NULL THEN null ELSE r {.*, supplierId: a.id, customerId: b.id} END AS state,
  COLLECT { MATCH (e:Enterprise)-[:ACTIVE_IN]->(:Segment)<-[:HAS_SEGMENT]-(m:ChainMap) WHERE e.id IN [$from, $to]
    RETURN DISTINCT m.id } AS maps`,
	chainmap.ChangeTechTransfer: `
OPTIONAL MATCH (a:Record {id: $from})-[r:TRANSFERS_TECH_TO {id: $id}]->(b)
RETURN CASE WHEN r IS NULL THEN null ELSE r {.*, fromId: a.id, toId: b.id} END AS state,
  COLLECT { MATCH (e:Enterprise)-[:ACTIVE_IN]->(:Segment)<-[:HAS_SEGMENT]-(m:ChainMap)
    WHERE e.id = $to OR EXISTS { (e)-[:OPERATES]->(:Site {id: $to}) } RETURN DISTINCT m.id } AS maps`,
}

const bottleneckState = `
OPTIONAL MATCH (n:Bottleneck {id: $id})
RETURN CASE WHEN n IS NULL THEN null ELSE n {.*,
  segmentIds: COLLECT { MATCH (n)-[:CONSTRAINS]->(s:Segment) RETURN s.id ORDER BY s.id },
  tacklerIds: COLLECT { MATCH (n)<-[:TACKLES]-(t) RETURN t.id ORDER BY t.id },
  tacklers: COLLECT { MATCH (n)<-[r:TACKLES]-(t) RETURN {id: t.id, since: r.since, status: r.status} ORDER BY t.id }} END AS state,
  COLLECT { MATCH (n)-[:CONSTRAINS]->(:Segment)<-[:HAS_SEGMENT]-(m:ChainMap) RETURN DISTINCT m.id } AS maps`

// appendChange takes the next number from the counter (creating it the first time) and writes the entry.
const appendChange = `
MERGE (l:ChangeLog {id: 'main'})
ON CREATE SET l.seq = 0
SET l.seq = l.seq + 1
CREATE (c:Change {seq: l.seq, kind: $kind, operation: $operation, recordId: $recordId, chainMapIds: $chainMapIds,
  before: $before, after: $after, author: $author, at: datetime.realtime()})
RETURN c.seq AS seq`

// change is an entry being written: the record's state is read before and after the write.
type change struct {
	kind          chainmap.ChangeKind
	operation     string
	id, from, to  string // from and to: the ends, for links
	author        string
	before, after map[string]any
	maps          map[string]bool
	byLoad        bool  // a load's change (-reset): logged, not marked as an edit
	cascade       bool  // changed because another record was deleted: logged, not marked (the tombstone covers it)
	seq           int64 // the entry's number, once committed
}

func newChange(kind chainmap.ChangeKind, operation, id, author string) *change {
	return &change{kind: kind, operation: operation, id: id, author: author, maps: map[string]bool{}}
}

// link sets the ends of a link change.
func (c *change) link(from, to string) *change { c.from, c.to = from, to; return c }

// read reads the record's state; into is &c.before or &c.after.
func (c *change) read(run txRunner, into *map[string]any) error {
	recs, err := run(stateOf[c.kind], map[string]any{"id": c.id, "from": c.from, "to": c.to})
	if err != nil {
		return err
	}
	m := recs[0].AsMap()
	if s, ok := m["state"].(map[string]any); ok {
		*into = s
	}
	if maps, ok := m["maps"].([]any); ok {
		for _, x := range maps {
			c.maps[fmt.Sprint(x)] = true
		}
	}
	return nil
}

// start reads the state before the write.
func (c *change) start(run txRunner) error { return c.read(run, &c.before) }

// commit reads the state after the write, appends the entry, marks what an editor changed on a curated record
// (markEdits; a change a load makes, -reset, is not an edit), and records on the entry what replaying it sets.
func (c *change) commit(run txRunner) error {
	_, err := c.commitSeq(run)
	return err
}

// commitSeq is commit, returning the entry's seq.
func (c *change) commitSeq(run txRunner) (int64, error) {
	if err := c.maintain(run); err != nil {
		return 0, err
	}
	if err := c.read(run, &c.after); err != nil {
		return 0, err
	}
	seq, err := writeChange(run, c.kind, c.operation, c.id, c.maps, c.before, c.after, c.author)
	c.seq = seq
	if err != nil {
		return seq, err
	}
	if !c.byLoad && !c.cascade {
		if err := markEdits(run, c, seq); err != nil {
			return seq, err
		}
	}
	return seq, c.writeRedo(run, seq) // last: the state the change leaves, edits and tombstones included (redo.go)
}

func writeChange(run txRunner, kind chainmap.ChangeKind, op, id string, maps map[string]bool, before, after map[string]any, author string) (int64, error) {
	ids := make([]string, 0, len(maps))
	for m := range maps {
		ids = append(ids, m)
	}
	sort.Strings(ids)
	recs, err := run(appendChange, map[string]any{"kind": string(kind), "operation": op, "recordId": id, "chainMapIds": ids,
		"before": jsonOf(before), "after": jsonOf(after), "author": author})
	if err != nil {
		return 0, err
	}
	seq, _ := recs[0].Get("seq")
	n, _ := seq.(int64)
	return n, nil
}

func jsonOf(m map[string]any) any {
	if m == nil {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(m))
	}
	return string(b)
}

// changeFields is how an entry is read.
const changeFields = `c {.seq, .kind, .operation, .recordId, .chainMapIds, .before, .after, .author, at: toString(c.at)}`

const readChanges = `
MATCH (c:Change) WHERE c.seq > $after
  AND (size($kinds) = 0 OR c.kind IN $kinds) AND NOT c.kind IN $except
  AND ($chainMapId IS NULL OR $chainMapId IN c.chainMapIds)
WITH c ORDER BY c.seq LIMIT $first
RETURN ` + changeFields + ` AS c`

// Changes reads the entries of the change log after q.After, in order, at most q.First.
func (db *DB) Changes(ctx context.Context, q chainmap.ChangeQuery) ([]chainmap.Change, error) {
	kinds := make([]string, len(q.Kinds))
	for i, k := range q.Kinds {
		kinds[i] = string(k)
	}
	except := make([]string, len(q.Except))
	for i, k := range q.Except {
		except[i] = string(k)
	}
	res, err := db.read(ctx, "Changes", readChanges, map[string]any{"after": q.After, "first": q.First, "kinds": kinds,
		"except": except, "chainMapId": nullable(q.ChainMapID)})
	if err != nil {
		return nil, err
	}
	out := make([]chainmap.Change, 0, len(res.Records))
	for _, rec := range res.Records {
		m, err := recordMap(rec, "c")
		if err != nil {
			return nil, err
		}
		out = append(out, changeFrom(m))
	}
	return out, nil
}

func changeFrom(m props) chainmap.Change {
	c := chainmap.Change{Seq: int64(m.int("seq")), Kind: chainmap.ChangeKind(m.str("kind")), Operation: m.str("operation"),
		RecordID: m.str("recordId"), ChainMapIDs: m.strs("chainMapIds"), Before: m.str("before"), After: m.str("after"),
		Author: m.str("author")}
	c.At, _ = time.Parse(time.RFC3339Nano, m.str("at"))
	return c
}

const changeBounds = `
OPTIONAL MATCH (l:ChangeLog {id: 'main'})
RETURN coalesce(l.seq, 0) AS last, coalesce(COLLECT { MATCH (c:Change) RETURN c.seq ORDER BY c.seq LIMIT 1 }[0], 0) AS first`

// ChangeBounds returns the sequence of the last change written (0: none yet) and of the oldest one the log
// still holds (0: none).
func (db *DB) ChangeBounds(ctx context.Context) (last, first int64, err error) {
	res, err := db.read(ctx, "ChangeBounds", changeBounds, nil)
	if err != nil {
		return 0, 0, err
	}
	return int64(recInt(res.Records[0], "last")), int64(recInt(res.Records[0], "first")), nil
}

const pruneChanges = `
OPTIONAL MATCH (l:ChangeLog {id: 'main'})
WITH coalesce(l.seq, 0) - $maxCount AS keepAbove
MATCH (c:Change)
WHERE ($maxCount > 0 AND c.seq <= keepAbove) OR ($maxAgeMs > 0 AND c.at < datetime.realtime() - duration({milliseconds: $maxAgeMs}))
WITH c LIMIT 10000
DELETE c
RETURN count(*) AS removed`

// PruneChanges deletes the entries that r does not keep, in batches, and returns how many it deleted.
func (db *DB) PruneChanges(ctx context.Context, r chainmap.ChangeRetention) (int, error) {
	if r.MaxAge <= 0 && r.MaxCount <= 0 {
		return 0, nil
	}
	total := 0
	for {
		res, err := db.write(ctx, "PruneChanges", pruneChanges, map[string]any{"maxCount": r.MaxCount, "maxAgeMs": r.MaxAge.Milliseconds()})
		if err != nil {
			return total, err
		}
		n := recInt(res.Records[0], "removed")
		total += n
		if n < 10000 {
			return total, nil
		}
	}
}

// logRun appends the summary entry of a load or gen run, in the transaction tx that writes it.
func logRun(ctx context.Context, tx neo4j.ManagedTransaction, op string, summary map[string]any, author string) error {
	res, err := tx.Run(ctx, appendChange, map[string]any{"kind": string(chainmap.ChangeLoad), "operation": op, "recordId": "",
		"chainMapIds": []string{}, "before": nil, "after": jsonOf(summary), "author": author})
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// maintain brings the maintained aggregates (aggregates.go) up to date with the change, in its transaction: an
// enterprise's own, or the exposure of the firms on the segments a bottleneck constrained before or constrains
// now. A load's changes (-reset) are left to the load, which maintains what it wrote as a whole.
func (c *change) maintain(run txRunner) error {
	if c.byLoad {
		return nil
	}
	switch c.kind {
	case chainmap.ChangeEnterprise:
		return maintainFirms(run, []string{c.id})
	case chainmap.ChangeBottleneck, chainmap.ChangeBottleneckStatus:
		return maintainExposure(run, props(c.before).strs("segmentIds"), []string{c.id})
	}
	return nil
}
