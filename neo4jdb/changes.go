package neo4jdb

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// The change log. Every mutation, and every `chainmap load` or `gen` run, writes one :Change in the same
// transaction as the change it describes. Its seq comes from a single :ChangeLog counter node incremented under
// that node's write lock, which the transaction holds until it commits: so a change that commits later has a
// higher seq, a transaction that rolls back gives its number back, and a reader that has seen seq n has seen
// every change up to n.
//
// Writers queue on the counter, so the counter is taken by the transaction's last statement (appendChange):
// the lock is held across that one round trip and the commit, not across the change's reads and writes.
// Everything else a change does — its writes, its before and after, markEdits, the redo, and anything a
// mutation maintains beside it — runs before commitSeq's last statement. Two things make that safe:
//   - what is written before the seq is known and must name it (markEdits' edits and tombstones) is written
//     with pendingSeq, which appendChange replaces with the seq (in the graph and in the redo);
//   - the redo is read under write locks on everything it reads (redo.go), so no other change can alter that
//     state and commit before this one takes its seq: whoever changes it next waits for this commit, and so
//     takes a higher seq. (Read under the counter, as before, it had the same guarantee from the counter.)
// A transaction that writes several changes (an upload, a delete with its cascade) takes the counter at its
// first change's last statement and keeps it: its later changes' work then runs under the lock, as all of
// every change's did before. Retention (PruneChanges) deletes the oldest entries; the counter never goes back.

// stateOf reads, per kind of record, the fields a change log entry keeps and the chain maps it belongs to.
var stateOf = map[chainmap.ChangeKind]string{
	chainmap.ChangeEnterprise: `
OPTIONAL MATCH (n:Enterprise {id: $id})
RETURN CASE WHEN n IS NULL THEN null ELSE n {.*,
  segmentIds: COLLECT { MATCH (n)-[:ACTIVE_IN]->(s:Segment) RETURN s.id ORDER BY s.id },
  siteIds: COLLECT { MATCH (n)-[:OPERATES]->(s) RETURN s.id ORDER BY s.id },
  sites: COLLECT { MATCH (n)-[:OPERATES]->(s) RETURN s {.id, .kind, .name, .regionCode, .since, .capacity,
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

// appendChange takes the next number from the counter (creating it the first time) and writes the entry, with
// its redo (pendingSeq in it replaced by the seq). It is a change's last statement: from it to the commit, the
// transaction holds the counter's lock. marks.fixMarks adds to it what puts the seq into markEdits' marks.
const appendChange = `
MERGE (l:ChangeLog {id: 'main'})
ON CREATE SET l.seq = 0, l.epoch = randomUUID()
SET l.seq = l.seq + 1
CREATE (c:Change {seq: l.seq, kind: $kind, operation: $operation, recordId: $recordId, chainMapIds: $chainMapIds,
  before: $before, after: $after, redo: replace($redo, $pending, toString(l.seq)), author: $author, at: datetime.realtime()})
WITH l, c`

const appendChangeEnd = `
RETURN c.seq AS seq`

// pendingSeq is what markEdits writes where the change's seq goes, before the seq is taken; appendChange replaces
// it. A number no seq or count is: negative, and with as many digits as an int64 has.
const pendingSeq int64 = -4611686018427387903

var pendingText = strconv.FormatInt(pendingSeq, 10)

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
	c.readFrom(recs[0].AsMap(), into)
	return nil
}

// together is one statement that runs a and then b and returns their columns side by side: two one-row reads
// in one round trip (no row when either returns none).
func together(a, b string) string {
	return "CALL () {" + a + "\n}\nCALL () {" + b + "\n}\nRETURN *"
}

// readFrom takes the state and the chain maps from a row of stateOf.
func (c *change) readFrom(m map[string]any, into *map[string]any) {
	if s, ok := m["state"].(map[string]any); ok {
		*into = s
	}
	if maps, ok := m["maps"].([]any); ok {
		for _, x := range maps {
			c.maps[fmt.Sprint(x)] = true
		}
	}
}

// start reads the state before the write.
func (c *change) start(run txRunner) error { return c.read(run, &c.before) }

// commit reads the state after the write, marks what an editor changed on a curated record (markEdits; a
// change a load makes, -reset, is not an edit), reads what replaying the change sets (its redo), and appends
// the entry: the last statement, which takes the seq (see the top of this file). Anything else the mutation's
// transaction writes must run before it.
func (c *change) commit(run txRunner) error {
	_, err := c.commitSeq(run)
	return err
}

// commitSeq is commit, returning the entry's seq.
func (c *change) commitSeq(run txRunner) (int64, error) {
	var m marks
	var redo any
	var err error
	if c.marksEdits() {
		if err := c.read(run, &c.after); err != nil {
			return 0, err
		}
		if m, err = markEdits(run, c); err != nil {
			return 0, err
		}
		redo, err = c.redo(run) // after markEdits: the state the change leaves, edits and tombstones included (redo.go)
	} else {
		redo, err = c.readAfterAndRedo(run) // nothing to mark: one round trip for both
	}
	if err != nil {
		return 0, err
	}
	// pendingSeq must occur in the redo where markEdits put it and nowhere else, or appendChange would change a
	// value it did not write: refuse such a change rather than log a wrong redo.
	if r, _ := redo.(string); strings.Count(r, pendingText) != m.count {
		return 0, fmt.Errorf("change %s %s: its redo holds %d placeholders for the seq, want %d", c.kind, c.id,
			strings.Count(r, pendingText), m.count)
	}
	// Late, like the counter: the aggregates' nodes are locked from here to the commit, which other writers
	// of the same region or segment queue behind.
	if err := c.maintain(run); err != nil {
		return 0, err
	}
	ids := make([]string, 0, len(c.maps))
	for id := range c.maps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	recs, err := run(appendChange+m.fixMarks()+appendChangeEnd, map[string]any{"kind": string(c.kind), "operation": c.operation,
		"recordId": c.id, "chainMapIds": ids, "before": jsonOf(c.before), "after": jsonOf(c.after), "redo": redo,
		"author": c.author, "pending": pendingText, "pendingSeq": pendingSeq, "markKey": m.tombstone})
	if err != nil {
		return 0, err
	}
	c.seq = int64(recInt(recs[0], "seq"))
	return c.seq, nil
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

// logRun appends the summary entry of a load or gen run, in the transaction tx that writes it: its last
// statement, like every change's.
func logRun(ctx context.Context, tx neo4j.ManagedTransaction, op string, summary map[string]any, author string) error {
	res, err := tx.Run(ctx, appendChange+appendChangeEnd, map[string]any{"kind": string(chainmap.ChangeLoad), "operation": op,
		"recordId": "", "chainMapIds": []string{}, "before": nil, "after": jsonOf(summary), "redo": nil, "author": author,
		"pending": pendingText})
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// maintain brings the maintained aggregates (aggregates.go) up to date with the change, in its transaction: an
// enterprise's own, or the exposure of the firms on the segments a bottleneck constrained before or constrains
// now, or the firm whose two sites a transfer joins, or the customer of a supply link (its fedBy and linksIn). A
// load's changes (-reset) are left to the load, which maintains what it wrote as a whole.
func (c *change) maintain(run txRunner) error {
	if c.byLoad {
		return nil
	}
	switch c.kind {
	case chainmap.ChangeEnterprise:
		return maintainFirms(run, []string{c.id})
	case chainmap.ChangeBottleneckStatus:
		return maintainStatus(run, c.id, resolved(c.before), resolved(c.after))
	case chainmap.ChangeBottleneck:
		return maintainExposure(run, props(c.before).strs("segmentIds"), []string{c.id})
	case chainmap.ChangeTechTransfer:
		return maintainTransfer(run, c.from, c.to)
	case chainmap.ChangeSupplyLink:
		return maintainCustomer(run, c.to)
	}
	return nil
}

// resolved tells whether a bottleneck's logged state has the status RESOLVED (false for no state: deleted or
// not yet made).
func resolved(state map[string]any) bool {
	return state != nil && state["status"] == string(chainmap.Resolved)
}
