package neo4jdb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// Editors' changes. Each runs in one managed write transaction (ExecuteWrite, so the driver retries transient
// errors such as deadlocks): it checks the references first (so that a bad input writes nothing), locks what
// it is about to change, writes, and reads the changed record back. Records created here carry origin "api"
// and the label :Record, and every change records who made it and when (editedBy, editedAt).
//
// Integrity does not rest on check-then-write: the checks give clear errors, and the graph holds anyway when
// two editors race past them. One id names one record across kinds (the record_id constraint on :Record); a
// site is claimed under a lock on its node, so it has one operator; a status change reads the status under the
// bottleneck's lock. A change that collides with the graph or with another editor's change is CONFLICT.

// inTx runs fn in one write transaction labelled with the method name.
func (db *DB) inTx(ctx context.Context, method string, fn func(run txRunner) (any, error)) (any, error) {
	return db.inTxWith(ctx, method, db.txConfig(ctx, method), fn)
}

// inTxWith is inTx with the transaction's configuration given.
func (db *DB) inTxWith(ctx context.Context, method string, cfg []func(*neo4j.TransactionConfig), fn func(run txRunner) (any, error)) (any, error) {
	if err := db.admit(method); err != nil {
		return nil, err
	}
	if err := db.writers.take(ctx); err != nil {
		return nil, chainmap.ErrWritersBusy
	}
	defer db.writers.give()
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.cfg.Database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(context.Background())
	out, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return fn(func(cypher string, params map[string]any) ([]*neo4j.Record, error) {
			db.count(ctx, method)
			ctx, span := db.startStatement(ctx, method, cypher, true)
			res, err := tx.Run(ctx, cypher, params)
			var records []*neo4j.Record
			if err == nil {
				records, err = res.Collect(ctx)
			}
			endStatement(span, len(records), err)
			return records, err
		})
	}, cfg...)
	if err == nil {
		chainmap.BookmarksFrom(ctx).Produce(session.LastBookmarks())
	}
	if err != nil {
		if lostRace(err) {
			return nil, fmt.Errorf("%s: %v: %w", method, err, errRace)
		}
		return nil, db.wrap(method, err)
	}
	return out, nil
}

// errRace is what an editor who lost a race to another editor gets.
var errRace = chainmap.Conflict("", "another editor changed the same records at the same time; read them again and retry")

// lostRace tells a transaction that collided with another one: a uniqueness constraint that a concurrent
// writer satisfied first, a lock it was stopped waiting for, or a deadlock the driver kept retrying until it
// gave up. Those are CONFLICT, not UNAVAILABLE: the database is fine, the change lost.
func lostRace(err error) bool {
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) {
		if len(limit.Errors) == 0 {
			return false
		}
		return lostRace(limit.Errors[len(limit.Errors)-1])
	}
	var neoErr *neo4j.Neo4jError
	if !errors.As(err, &neoErr) {
		return false
	}
	switch neoErr.Code {
	case "Neo.ClientError.Schema.ConstraintValidationFailed",
		// A node this transaction matched was deleted by one that committed first (deleteEnterprise racing
		// linkSupplier or recordTechTransfer).
		"Neo.ClientError.Statement.EntityNotFound",
		"Neo.TransientError.Transaction.DeadlockDetected",
		"Neo.TransientError.Transaction.LockClientStopped", "Neo.ClientError.Transaction.LockClientStopped",
		"Neo.TransientError.Transaction.LockAcquisitionTimeout":
		return true
	}
	return false
}

type txRunner func(cypher string, params map[string]any) ([]*neo4j.Record, error)

// missingRefs returns, for each list of ids, the indexes of those that name no node of the label; and whether
// the owner's id names a record of another kind than $kind.
const missingRefs = `
RETURN $kind IS NOT NULL AND EXISTS { (n:Record {id: $owner}) WHERE NOT $kind IN labels(n) } AS taken,
       [i IN range(0, size($firms) - 1) WHERE NOT EXISTS { (:Enterprise {id: $firms[i]}) }] AS firms,
       [i IN range(0, size($segments) - 1) WHERE NOT EXISTS { (:Segment {id: $segments[i]}) }] AS segments,
       [i IN range(0, size($sources) - 1) WHERE NOT EXISTS { (:Source {id: $sources[i]}) }] AS sources,
       [i IN range(0, size($regions) - 1) WHERE NOT EXISTS { (:Region {code: $regions[i]}) }] AS regions,
       [i IN range(0, size($parks) - 1) WHERE $parks[i] IS NOT NULL AND NOT EXISTS { (:Park {id: $parks[i]}) }] AS parks,
       [i IN range(0, size($sites) - 1) WHERE EXISTS { (o:Enterprise)-[:OPERATES]->(:Site {id: $sites[i]}) WHERE o.id <> $owner }
         OR EXISTS { (x:Record {id: $sites[i]}) WHERE NOT x:Site }] AS foreignSites,
       [i IN range(0, size($actors) - 1) WHERE NOT EXISTS { (:Enterprise {id: $actors[i]}) }
         AND NOT EXISTS { (:Institution {id: $actors[i]}) }] AS actors`

// refs are the references of an input to check, by the input path of each list.
type refs struct {
	owner                               string
	kind                                string   // the owner's label, when its id must not name another kind of record
	firms, firmPaths                    []string // enterprises that must exist, each with its input path
	segments, sources, regions, parks   []string
	sites, actors                       []string
	segmentPath, sourcePath, regionPath string // e.g. "input.segmentIds"; region and park paths take a %d
	parkPath, sitePath, actorPath       string
}

func (r refs) check(run txRunner) error {
	empty := func(xs []string) []any {
		out := make([]any, len(xs))
		for i, x := range xs {
			out[i] = nullable(x)
		}
		return out
	}
	recs, err := run(missingRefs, map[string]any{"owner": r.owner, "kind": nullable(r.kind), "firms": empty(r.firms),
		"segments": empty(r.segments), "sources": empty(r.sources),
		"regions": empty(r.regions), "parks": empty(r.parks), "sites": empty(r.sites), "actors": empty(r.actors)})
	if err != nil {
		return err
	}
	m := props(recs[0].AsMap())
	first := func(key string) (int, bool) {
		list, _ := m[key].([]any)
		if len(list) == 0 {
			return 0, false
		}
		i, _ := list[0].(int64)
		return int(i), true
	}
	// An id that names another kind of record: a clear CONFLICT here; the record_id constraint is what keeps
	// two kinds from sharing an id when editors race past this check.
	if m["taken"] == true {
		return chainmap.Conflict("input.id", "%q is already the id of another kind of record", r.owner)
	}
	if i, ok := first("firms"); ok {
		return chainmap.Invalid(r.firmPaths[i], "no enterprise %q", r.firms[i])
	}
	if i, ok := first("segments"); ok {
		return chainmap.Invalid(fmt.Sprintf("%s[%d]", r.segmentPath, i), "unknown segment %q", r.segments[i])
	}
	if i, ok := first("sources"); ok {
		return chainmap.Invalid(fmt.Sprintf("%s[%d]", r.sourcePath, i), "unknown source %q", r.sources[i])
	}
	if i, ok := first("regions"); ok {
		return chainmap.Invalid(fmt.Sprintf(r.regionPath, i), "unknown region %q", r.regions[i])
	}
	if i, ok := first("parks"); ok {
		return chainmap.Invalid(fmt.Sprintf(r.parkPath, i), "unknown park %q", r.parks[i])
	}
	if i, ok := first("foreignSites"); ok {
		return chainmap.Conflict(fmt.Sprintf(r.sitePath, i), "id %q belongs to another record", r.sites[i])
	}
	if i, ok := first("actors"); ok {
		return chainmap.Invalid(fmt.Sprintf("%s[%d]", r.actorPath, i), "no enterprise or institution %q", r.actors[i])
	}
	return nil
}

// claimSites locks the sites an enterprise is about to operate (creating the new ones) and returns the index of
// the first that another enterprise operates. Setting a property takes the node's write lock, held until the
// transaction ends, and adding an OPERATES relationship needs the same lock: so whoever claims a site second
// waits, then sees the first owner here. The check before it (refs.check) only gives the common case a
// clear message; this one is the guard.
const claimSites = `
UNWIND range(0, size($sites) - 1) AS i
WITH i ORDER BY $sites[i] // every editor locks in the same order: no deadlock between two claims
MERGE (s:Site {id: $sites[i]})
ON CREATE SET s:Record, s.origin = 'api', s.name = $sites[i]
SET s._claim = $owner
REMOVE s._claim
WITH i, s
WHERE EXISTS { (o:Enterprise)-[:OPERATES]->(s) WHERE o.id <> $owner }
RETURN i ORDER BY i LIMIT 1`

// edits are the properties a mutation writes to its record: what the kind's encoder (read.go) gives, with unset
// values as null, so that `SET n += $props` removes what the editor cleared — less the record's key and the
// properties the mutation's input does not carry (kept): those stay as they are (a loaded firm's website,
// evidence and notes; a synthetic record's mark; a bottleneck's status, which setBottleneckStatus changes).
func edits(encoded map[string]any, kept ...string) map[string]any {
	set := clean(encoded)
	out := make(map[string]any, len(encoded))
	for k := range encoded {
		if k != "id" && !slices.Contains(kept, k) {
			out[k] = set[k] // nil where the value is unset
		}
	}
	return out
}

// What each mutation's input does not carry (see edits).
var (
	enterpriseKept = []string{"website", "formerNames", "chainRoleIn", "synthetic", "evidence", "sourcingNote"}
	siteKept       = []string{"synthetic", "evidence", "sourcingNote"}
	bottleneckKept = []string{"status", "evidence", "sourcingNote"}
	supplyKept     = []string{"synthetic", "evidence", "sourcingNote"}
	transferKept   = []string{"kind", "evidence", "sourcingNote"}
)

// upsertEnterprise writes an enterprise and its sites. Their links to shared nodes (segments, sources,
// regions, parks) are deleted and made again with CREATE, not MERGE: a MERGE that creates a relationship locks
// both of its nodes until the commit, so every editor who adds a firm to a segment, cites a source or puts a
// site in a region would wait for the others to commit; CREATE locks neither. The record itself is locked by
// its SET first, so no other writer makes its links meanwhile; ids are made distinct, and a site named twice
// is refused before (UpsertEnterprise).
const upsertEnterprise = `
MERGE (e:Enterprise {id: $id})
ON CREATE SET e.origin = 'api', e.createdBy = $author
SET e:Record, e += $props, e.editedBy = $author, e.editedAt = toString(datetime())
WITH e
CALL (e) { MATCH (e)-[r:ACTIVE_IN|CITED_IN]->() DELETE r }
CALL (e) { UNWIND $segmentIds AS sid WITH DISTINCT sid MATCH (s:Segment {id: sid}) CREATE (e)-[:ACTIVE_IN]->(s) }
CALL (e) { UNWIND $sourceIds AS sid WITH DISTINCT sid MATCH (s:Source {id: sid}) CREATE (e)-[:CITED_IN]->(s) }
CALL (e) {
  WITH e WHERE $replaceSites
  MATCH (e)-[:OPERATES]->(old) WHERE NOT old.id IN [s IN $sites | s.id]
  DETACH DELETE old
}
CALL (e) {
  UNWIND $sites AS row
  MERGE (s:Site {id: row.id})
  ON CREATE SET s.origin = 'api'
  SET s:Record, s += row.props
  MERGE (e)-[:OPERATES]->(s)
  WITH s, row
  CALL (s) { MATCH (s)-[r:LOCATED_IN|IN_PARK|CITED_IN]->() DELETE r }
  MATCH (reg:Region {code: row.regionCode})
  CREATE (s)-[:LOCATED_IN]->(reg)
  WITH s, row
  CALL (s, row) { MATCH (p:Park {id: row.parkId}) CREATE (s)-[:IN_PARK]->(p) }
  CALL (s) { UNWIND $sourceIds AS sid WITH DISTINCT sid MATCH (src:Source {id: sid}) CREATE (s)-[:CITED_IN]->(src) }
}
RETURN e.id AS id`

// UpsertEnterprise creates or updates an enterprise and, when replaceSites is true, replaces its sites. A
// reference to a missing segment, region, park or source is a BAD_USER_INPUT error naming the input field,
// and nothing is written.
func (db *DB) UpsertEnterprise(ctx context.Context, e chainmap.Enterprise, sites []chainmap.Site, replaceSites bool, author string) (chainmap.Enterprise, error) {
	r := refs{owner: e.ID, kind: "Enterprise", segments: e.SegmentIDs, sources: e.SourceIDs, segmentPath: "input.segmentIds",
		sourcePath: "input.sourceIds", regionPath: "input.sites[%d].regionCode", parkPath: "input.sites[%d].parkId",
		sitePath: "input.sites[%d].id"}
	rows := make([]map[string]any, len(sites))
	for i, s := range sites {
		if slices.Contains(r.sites, s.ID) {
			return chainmap.Enterprise{}, chainmap.Invalid(fmt.Sprintf("input.sites[%d].id", i), "site %q is given twice", s.ID)
		}
		r.regions = append(r.regions, s.RegionCode)
		r.parks = append(r.parks, s.ParkID)
		r.sites = append(r.sites, s.ID)
		rows[i] = siteRow(e, s)
	}
	out, err := db.inTx(ctx, "UpsertEnterprise", func(run txRunner) (any, error) {
		if err := r.check(run); err != nil {
			return nil, err
		}
		if len(r.sites) > 0 {
			recs, err := run(claimSites, map[string]any{"sites": r.sites, "owner": e.ID})
			if err != nil {
				return nil, err
			}
			if len(recs) > 0 {
				i := recInt(recs[0], "i")
				return nil, chainmap.Conflict(fmt.Sprintf(r.sitePath, i), "site %q is operated by another enterprise", r.sites[i])
			}
		}
		c := newChange(chainmap.ChangeEnterprise, "upsertEnterprise", e.ID, author)
		if err := c.start(run); err != nil {
			return nil, err
		}
		if _, err := run(upsertEnterprise, upsertEnterpriseParams(e, rows, replaceSites, author)); err != nil {
			return nil, err
		}
		if err := c.commit(run); err != nil {
			return nil, err
		}
		return chainmap.Enterprise{ID: e.ID}, nil
	})
	if err != nil {
		return chainmap.Enterprise{}, err
	}
	return out.(chainmap.Enterprise), nil
}

// siteRow is one of upsertEnterprise's $sites: the site s of the enterprise e, which takes e's confidence and
// sources (and its id for a name when it has none).
func siteRow(e chainmap.Enterprise, s chainmap.Site) map[string]any {
	if s.Name == "" {
		s.Name = s.ID
	}
	s.EnterpriseID, s.Confidence, s.SourceIDs = e.ID, e.Confidence, e.SourceIDs
	return map[string]any{"id": s.ID, "regionCode": s.RegionCode, "parkId": nullable(s.ParkID),
		"props": edits(siteProps(s), siteKept...)}
}

// upsertEnterpriseParams are upsertEnterprise's parameters: the enterprise e with its sites' rows (siteRow).
func upsertEnterpriseParams(e chainmap.Enterprise, rows []map[string]any, replaceSites bool, author string) map[string]any {
	return map[string]any{"id": e.ID, "author": author, "props": edits(enterpriseProps(e), enterpriseKept...),
		"sourceIds": e.SourceIDs, "segmentIds": e.SegmentIDs, "sites": rows, "replaceSites": replaceSites}
}

// upsertBottleneck writes a bottleneck; like upsertEnterprise, it makes its links to shared nodes (segments,
// sources, tacklers) with CREATE, under the bottleneck's own lock, so that editors do not queue on them.
const upsertBottleneck = `
MERGE (b:Bottleneck {id: $id})
ON CREATE SET b.origin = 'api', b.createdBy = $author, b.status = coalesce($status, 'OPEN')
SET b:Record, b += $props, b.editedBy = $author, b.editedAt = toString(datetime())
WITH b
CALL (b) { MATCH (b)-[r:CONSTRAINS|CITED_IN]->() DELETE r }
CALL (b) { MATCH (b)<-[r:TACKLES]-() WHERE NOT startNode(r).id IN $tacklerIds DELETE r }
CALL (b) { UNWIND $segmentIds AS sid WITH DISTINCT sid MATCH (s:Segment {id: sid}) CREATE (b)-[:CONSTRAINS]->(s) }
CALL (b) { UNWIND $sourceIds AS sid WITH DISTINCT sid MATCH (s:Source {id: sid}) CREATE (b)-[:CITED_IN]->(s) }
CALL (b) {
  UNWIND $tacklerIds AS tid
  WITH DISTINCT tid
  OPTIONAL MATCH (e:Enterprise {id: tid})
  OPTIONAL MATCH (i:Institution {id: tid})
  WITH coalesce(e, i) AS t WHERE t IS NOT NULL AND NOT EXISTS { (t)-[:TACKLES]->(b) }
  CREATE (t)-[:TACKLES]->(b)
}
RETURN b.id AS id`

const bottleneckStatusOf = `OPTIONAL MATCH (b:Bottleneck {id: $id}) RETURN b.status AS status`

// UpsertBottleneck creates or updates a bottleneck. Its status is set only when it is created: changing the
// status of an existing bottleneck goes through SetBottleneckStatus, which keeps the history.
func (db *DB) UpsertBottleneck(ctx context.Context, b chainmap.Bottleneck, author string) (chainmap.Bottleneck, error) {
	var tacklers []string
	for _, t := range b.Tacklers {
		tacklers = append(tacklers, t.ID)
	}
	r := refs{owner: b.ID, kind: "Bottleneck", segments: b.SegmentIDs, sources: b.SourceIDs, actors: tacklers,
		segmentPath: "input.segmentIds", sourcePath: "input.sourceIds", actorPath: "input.tacklerIds"}
	out, err := db.inTx(ctx, "UpsertBottleneck", func(run txRunner) (any, error) {
		if err := r.check(run); err != nil {
			return nil, err
		}
		recs, err := run(bottleneckStatusOf, map[string]any{"id": b.ID})
		if err != nil {
			return nil, err
		}
		if cur, _ := recs[0].Get("status"); cur != nil && b.Status != "" && string(b.Status) != cur {
			return nil, chainmap.Invalid("input.status", "the bottleneck exists: change its status with setBottleneckStatus, which keeps the history")
		}
		c := newChange(chainmap.ChangeBottleneck, "upsertBottleneck", b.ID, author)
		if err := c.start(run); err != nil {
			return nil, err
		}
		_, err = run(upsertBottleneck, map[string]any{"id": b.ID, "author": author, "props": edits(bottleneckProps(b), bottleneckKept...),
			"status": nullable(string(b.Status)), "sourceIds": b.SourceIDs, "segmentIds": b.SegmentIDs, "tacklerIds": tacklers})
		if err != nil {
			return nil, err
		}
		if err := c.commit(run); err != nil {
			return nil, err
		}
		return chainmap.Bottleneck{ID: b.ID}, nil
	})
	if err != nil {
		return chainmap.Bottleneck{}, err
	}
	return out.(chainmap.Bottleneck), nil
}

// lockBottleneck takes the bottleneck's write lock (held until the transaction ends) before reading its
// status, so that the status read is the one the change replaces: concurrent changes queue up behind it.
const lockBottleneck = `
MATCH (b:Bottleneck {id: $id})
SET b._lock = true
REMOVE b._lock
RETURN coalesce(b.status, 'OPEN') AS status, COUNT { (b)-[:HAS_STATUS_CHANGE]->() } AS changes`

// lockAndReadBottleneck is lockBottleneck and, under the lock, the bottleneck's state for the change log (the
// change's before): one round trip.
var lockAndReadBottleneck = together(lockBottleneck, bottleneckState)

// setBottleneckStatus is compare-and-set: it writes only if the status is still the one read under the lock.
const setBottleneckStatus = `
MATCH (b:Bottleneck {id: $id}) WHERE coalesce(b.status, 'OPEN') = $from
CREATE (b)-[:HAS_STATUS_CHANGE]->(c:StatusChange {id: randomUUID(), seq: $seq, from: $from, to: $status,
  note: $note, author: $author, at: toString(datetime.realtime())})
SET b.status = $status, b.editedBy = $author, b.editedAt = c.at
RETURN b.id AS id`

// statusTransitions lists, for each status, the statuses it may change to. Work starts or a bottleneck is
// solved (OPEN → IN_PROGRESS → RESOLVED, or OPEN → RESOLVED when it goes away by itself); work stops
// (IN_PROGRESS → OPEN); a solved bottleneck comes back (RESOLVED → OPEN) and is worked on again from there,
// so a reopening always shows in the history. Setting the status a bottleneck already has is no change.
var statusTransitions = map[chainmap.BottleneckStatus][]chainmap.BottleneckStatus{
	chainmap.Open:       {chainmap.InProgress, chainmap.Resolved},
	chainmap.InProgress: {chainmap.Open, chainmap.Resolved},
	chainmap.Resolved:   {chainmap.Open},
}

// SetBottleneckStatus changes a bottleneck's status and appends the change to its history, in one transaction
// that reads the status under the bottleneck's lock: each change's from is the previous change's to, and seq
// numbers the changes 1, 2, 3… Setting the current status is no change (no history entry); a change that
// statusTransitions does not allow from the current status (RESOLVED → IN_PROGRESS) is CONFLICT naming the
// current status. It wraps chainmap.ErrNotFound when there is no such bottleneck.
func (db *DB) SetBottleneckStatus(ctx context.Context, id string, status chainmap.BottleneckStatus, note, author string) (chainmap.Bottleneck, error) {
	out, err := db.inTx(ctx, "SetBottleneckStatus", func(run txRunner) (any, error) {
		_, err := setStatus(run, id, status, note, author, "setBottleneckStatus")
		if err != nil {
			return nil, err
		}
		return chainmap.Bottleneck{ID: id, Status: status}, nil
	})
	if err != nil {
		return chainmap.Bottleneck{}, err
	}
	return out.(chainmap.Bottleneck), nil
}

// setStatus is SetBottleneckStatus's work in a transaction, by an operation (a mutation, an upload). It
// returns the change-log entry's seq, 0 when the status is the current one.
func setStatus(run txRunner, id string, status chainmap.BottleneckStatus, note, author, operation string) (int64, error) {
	recs, err := run(lockAndReadBottleneck, map[string]any{"id": id})
	if err != nil {
		return 0, err
	}
	if len(recs) == 0 {
		return 0, fmt.Errorf("bottleneck %q: %w", id, chainmap.ErrNotFound)
	}
	c := newChange(chainmap.ChangeBottleneckStatus, operation, id, author)
	c.readFrom(recs[0].AsMap(), &c.before)
	v, _ := recs[0].Get("status")
	from := chainmap.BottleneckStatus(fmt.Sprint(v))
	if from == status {
		return 0, nil
	}
	if !slices.Contains(statusTransitions[from], status) {
		return 0, statusConflict(id, from)
	}
	recs, err = run(setBottleneckStatus, map[string]any{"id": id, "from": string(from), "status": string(status),
		"seq": recInt(recs[0], "changes") + 1, "note": nullable(note), "author": author})
	if err != nil {
		return 0, err
	}
	if len(recs) == 0 { // cannot happen under the lock; refuse rather than break the chain
		return 0, fmt.Errorf("bottleneck %q changed under its lock: %w", id, errRace)
	}
	return c.commitSeq(run)
}

func statusConflict(id string, from chainmap.BottleneckStatus) *chainmap.Error {
	return chainmap.Conflict("status", "bottleneck %q is %s; from %s it can change to %s", id, from, from,
		joinStatuses(statusTransitions[from]))
}

func joinStatuses(ss []chainmap.BottleneckStatus) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, " or ")
}

// linkSupplier writes a supply link. Unlike the links of upsertEnterprise, it stays a MERGE, and the locks it
// takes on both firms until the commit are wanted: they make a link and its supplier's own upsert (which sets
// the supplier) commit one after the other, so a change of the supplier's segments refreshes the new link's
// customer or is seen by its refresh (lockFirms); and two editors recording one link make it once.
const linkSupplier = `
MATCH (a:Enterprise {id: $from}), (b:Enterprise {id: $to})
MERGE (a)-[r:SUPPLIES {id: $linkId}]->(b)
ON CREATE SET r.origin = 'api', r.createdBy = $author
SET r += $props, r.editedBy = $author, r.editedAt = toString(datetime())
RETURN {from: a.id, to: b.id, product: r.product, since: r.since, synthetic: r.synthetic,
  confidence: r.confidence, sourceIds: r.sourceIds} AS n`

// LinkSupplier records that one enterprise supplies another with a product.
func (db *DB) LinkSupplier(ctx context.Context, s chainmap.Supply, author string) (chainmap.Supply, error) {
	r := refs{owner: s.FromID, firms: []string{s.FromID, s.ToID}, firmPaths: []string{"input.supplierId", "input.customerId"},
		sources: s.SourceIDs, sourcePath: "input.sourceIds"}
	out, err := db.inTx(ctx, "LinkSupplier", func(run txRunner) (any, error) {
		if err := r.check(run); err != nil {
			return nil, err
		}
		c := newChange(chainmap.ChangeSupplyLink, "linkSupplier", SupplyID(s.FromID, s.ToID, s.Product), author).link(s.FromID, s.ToID)
		if err := c.start(run); err != nil {
			return nil, err
		}
		recs, err := run(linkSupplier, map[string]any{"from": s.FromID, "to": s.ToID, "linkId": SupplyID(s.FromID, s.ToID, s.Product),
			"props": edits(supplyProps(s), supplyKept...), "author": author})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 { // an end was deleted after the check above, by an editor who committed first
			return nil, fmt.Errorf("link supplier %s → %s: %w", s.FromID, s.ToID, errRace)
		}
		m, err := recordMap(recs[0], "n")
		if err != nil {
			return nil, err
		}
		if err := c.commit(run); err != nil {
			return nil, err
		}
		return supplyFrom(m), nil
	})
	if err != nil {
		return chainmap.Supply{}, err
	}
	return out.(chainmap.Supply), nil
}

const unlinkSupplier = `
MATCH (:Enterprise {id: $from})-[r:SUPPLIES {id: $linkId}]->(:Enterprise {id: $to})
DELETE r
RETURN count(*) AS n`

// UnlinkSupplier removes a supply link and returns the customer. It wraps chainmap.ErrNotFound when there is
// no such link.
func (db *DB) UnlinkSupplier(ctx context.Context, from, to, product, author string) (chainmap.Enterprise, error) {
	out, err := db.inTx(ctx, "UnlinkSupplier", func(run txRunner) (any, error) {
		c := newChange(chainmap.ChangeSupplyLink, "unlinkSupplier", SupplyID(from, to, product), author).link(from, to)
		if err := c.start(run); err != nil {
			return nil, err
		}
		recs, err := run(unlinkSupplier, map[string]any{"from": from, "to": to, "linkId": SupplyID(from, to, product)})
		if err != nil {
			return nil, err
		}
		if recInt(recs[0], "n") == 0 {
			return nil, fmt.Errorf("supply link %s → %s (%q): %w", from, to, product, chainmap.ErrNotFound)
		}
		if err := c.commit(run); err != nil {
			return nil, err
		}
		return chainmap.Enterprise{ID: to}, nil
	})
	if err != nil {
		return chainmap.Enterprise{}, err
	}
	return out.(chainmap.Enterprise), nil
}

// transferEnds says what each end of a technology transfer is and where it lies.
const transferEnds = `
OPTIONAL MATCH (fs:Site {id: $from})-[:LOCATED_IN]->(fsr:Region)
OPTIONAL MATCH (fi:Institution {id: $from})-[:LOCATED_IN]->(fir:Region)
OPTIONAL MATCH (ts:Site {id: $to})-[:LOCATED_IN]->(tsr:Region)
OPTIONAL MATCH (te:Enterprise {id: $to})
RETURN coalesce(fsr.province, fir.province) AS fromProvince, coalesce(fsr.code, fir.code) AS fromRegion,
       fs IS NOT NULL OR fi IS NOT NULL AS fromFound, tsr.province AS toProvince, tsr.code AS toRegion,
       ts IS NOT NULL OR te IS NOT NULL AS toFound,
       COLLECT { MATCH (te)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) WHERE r.province IN ['120000', '130000']
         RETURN r.code ORDER BY r.code }[0] AS toEnterpriseRegion,
       coalesce(COLLECT { MATCH (o:Enterprise)-[:OPERATES]->(ts) RETURN o.id }[0], te.id) AS enterpriseId,
       COLLECT { MATCH (x)-[t:TRANSFERS_TECH_TO {id: $id}]->(y) WHERE x.id <> $from OR y.id <> $to RETURN t }[0] IS NOT NULL AS idTaken`

const recordTransfer = `
OPTIONAL MATCH (fs:Site {id: $from})
OPTIONAL MATCH (fi:Institution {id: $from})
OPTIONAL MATCH (ts:Site {id: $to})
OPTIONAL MATCH (te:Enterprise {id: $to})
WITH coalesce(fs, fi) AS a, coalesce(ts, te) AS b
WHERE a IS NOT NULL AND b IS NOT NULL // an end deleted since the check: no row, and the caller says so
MERGE (a)-[t:TRANSFERS_TECH_TO {id: $id}]->(b)
ON CREATE SET t.origin = 'api', t.createdBy = $author
SET t += $props, t.editedBy = $author, t.editedAt = toString(datetime())
RETURN t.id AS id`

// RecordTechTransfer records a technology transfer from a Beijing site or institution to a Tianjin or Hebei
// site or enterprise, and returns the link.
func (db *DB) RecordTechTransfer(ctx context.Context, t chainmap.TechTransfer, author string) (chainmap.RDLink, error) {
	r := refs{owner: t.ID, sources: t.SourceIDs, sourcePath: "input.sourceIds"}
	out, err := db.inTx(ctx, "RecordTechTransfer", func(run txRunner) (any, error) {
		recs, err := run(transferEnds, map[string]any{"from": t.FromID, "to": t.ToID, "id": t.ID})
		if err != nil {
			return nil, err
		}
		m := props(recs[0].AsMap())
		switch {
		case !m.boolean("fromFound"):
			return nil, chainmap.Invalid("input.fromId", "no site or institution %q", t.FromID)
		case m.str("fromProvince") != "110000":
			return nil, chainmap.Invalid("input.fromId", "%q is not in Beijing", t.FromID)
		case !m.boolean("toFound"):
			return nil, chainmap.Invalid("input.toId", "no site or enterprise %q", t.ToID)
		case m.str("toRegion") == "" && m.str("toEnterpriseRegion") == "",
			m.str("toRegion") != "" && m.str("toProvince") != "120000" && m.str("toProvince") != "130000":
			return nil, chainmap.Invalid("input.toId", "%q is not in Tianjin or Hebei", t.ToID)
		case m.boolean("idTaken"): // the message; the transfer_id constraint is the guard when editors race
			return nil, chainmap.Conflict("input.id", "%q is already the id of a transfer between other ends", t.ID)
		}
		if err := r.check(run); err != nil {
			return nil, err
		}
		c := newChange(chainmap.ChangeTechTransfer, "recordTechTransfer", t.ID, author).link(t.FromID, t.ToID)
		if err := c.start(run); err != nil {
			return nil, err
		}
		written, err := run(recordTransfer, map[string]any{"id": t.ID, "from": t.FromID, "to": t.ToID, "author": author,
			"props": edits(techTransferProps(t), transferKept...)})
		if err != nil {
			return nil, err
		}
		if len(written) == 0 {
			return nil, fmt.Errorf("record transfer %s: %w", t.ID, errRace)
		}
		if err := c.commit(run); err != nil {
			return nil, err
		}
		toRegion := m.str("toRegion")
		if toRegion == "" {
			toRegion = m.str("toEnterpriseRegion")
		}
		return chainmap.RDLink{ID: t.ID, FromID: t.FromID, ToID: t.ToID, EnterpriseID: m.str("enterpriseId"),
			FromRegionCode: m.str("fromRegion"), ToRegionCode: toRegion, Year: t.Year, Contracts: t.Contracts,
			ValueCny: t.ValueCny, Description: t.Description, Provenance: t.Provenance}, nil
	})
	if err != nil {
		return chainmap.RDLink{}, err
	}
	return out.(chainmap.RDLink), nil
}
