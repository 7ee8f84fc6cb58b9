package neo4jdb

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// Replayable changes. Each :Change a mutation writes carries, besides the before and after its readers see, a
// redo: the state the change left the records it touched in, as stored — each node with its labels and
// properties and the relationships it holds (all outgoing ones; a bottleneck also its incoming TACKLES), the
// nodes it deleted, and the relationships that are records of their own (a supply link, a tech transfer). It
// is read in the mutation's transaction, after the write. Replaying a change (ReplayChange) sets that state,
// whatever state the records were in: so replaying the changes after a dump, in order, gives the graph as it
// was after the last of them, even when the dump already reflects some of them.

// redoNodes reads, in one statement, the state of the nodes the change touched — the record and, for an
// enterprise, its sites; for a bottleneck, its status history and the TACKLES pointing at it — and the record's
// tombstones (markEdits: a curated record an editor deleted). It runs before the change takes its seq
// (changes.go), so it first takes the write lock of everything it reads (redoLock): a change that would alter
// that state waits for this one to commit and then takes a later seq, so replaying the log in seq order gives
// each change's state back. (Keys and labels of the nodes at the other ends are not locked: they never change.)
var redoNodes = map[chainmap.ChangeKind]string{
	chainmap.ChangeEnterprise: `
OPTIONAL MATCH (e:Enterprise {id: $id})
WITH [x IN [e] + COLLECT { MATCH (e)-[:OPERATES]->(s) RETURN s } WHERE x IS NOT NULL] AS ns
` + redoLock + `
RETURN [n IN ns | {
    labels: labels(n), props: properties(n), ownIn: [], inn: [],
    out: COLLECT { MATCH (n)-[r]->(m) RETURN [type(r), labels(m), m.id, m.code, properties(r)] }}] AS nodes,
  ` + redoTombstones,
	chainmap.ChangeBottleneck:       redoBottleneck,
	chainmap.ChangeBottleneckStatus: redoBottleneck,
}

const redoBottleneck = `
OPTIONAL MATCH (b:Bottleneck {id: $id})
WITH [x IN [b] + COLLECT { MATCH (b)-[:HAS_STATUS_CHANGE]->(c:StatusChange) RETURN c } WHERE x IS NOT NULL] AS ns
` + redoLock + `
CALL (ns) { UNWIND ns AS n MATCH (n:Bottleneck)<-[r:TACKLES]-() SET r._lock = true REMOVE r._lock }
RETURN [n IN ns | {
    labels: labels(n), props: properties(n), ownIn: CASE WHEN n:Bottleneck THEN ['TACKLES'] ELSE [] END,
    out: COLLECT { MATCH (n)-[r]->(m) RETURN [type(r), labels(m), m.id, m.code, properties(r)] },
    inn: COLLECT { MATCH (n:Bottleneck)<-[r:TACKLES]-(m) RETURN [type(r), labels(m), m.id, m.code, properties(r)] }}] AS nodes,
  ` + redoTombstones

// redoLock takes the write locks of the nodes ns, their outgoing relationships and the record's tombstones
// (setting and removing a property takes the lock and changes nothing), for the reads that follow it.
const redoLock = `CALL (ns) { UNWIND ns AS n SET n._lock = true REMOVE n._lock }
CALL (ns) { UNWIND ns AS n MATCH (n)-[r]->() SET r._lock = true REMOVE r._lock }
CALL () { MATCH (d:Deleted) WHERE d.recordId = $id AND d.kind = $kind SET d._lock = true REMOVE d._lock }
WITH ns`

const redoTombstones = `COLLECT { MATCH (d:Deleted) WHERE d.recordId = $id AND d.kind = $kind
    RETURN {labels: labels(d), props: properties(d)} } AS tombstones`

// redoRels reads a relationship that is a record, its ends, and the record's tombstones, under their locks
// (see redoNodes).
var redoRels = map[chainmap.ChangeKind]string{
	chainmap.ChangeSupplyLink: `
OPTIONAL MATCH (a:Enterprise {id: $from})
OPTIONAL MATCH (b:Enterprise {id: $to})
CALL (a, b) { MATCH (a)-[r:SUPPLIES {id: $id}]->(b) SET r._lock = true REMOVE r._lock }
CALL () { MATCH (d:Deleted) WHERE d.recordId = $id AND d.kind = $kind SET d._lock = true REMOVE d._lock }
RETURN 'SUPPLIES' AS type, labels(a) AS fromLabels, labels(b) AS toLabels,
  COLLECT { MATCH (a)-[r:SUPPLIES {id: $id}]->(b) RETURN properties(r) }[0] AS props, ` + redoTombstones,
	chainmap.ChangeTechTransfer: `
OPTIONAL MATCH (a:Record {id: $from})
OPTIONAL MATCH (b:Record {id: $to})
CALL (a, b) { MATCH (a)-[r:TRANSFERS_TECH_TO {id: $id}]->(b) SET r._lock = true REMOVE r._lock }
CALL () { MATCH (d:Deleted) WHERE d.recordId = $id AND d.kind = $kind SET d._lock = true REMOVE d._lock }
RETURN 'TRANSFERS_TECH_TO' AS type, labels(a) AS fromLabels, labels(b) AS toLabels,
  COLLECT { MATCH (a)-[r:TRANSFERS_TECH_TO {id: $id}]->(b) RETURN properties(r) }[0] AS props, ` + redoTombstones,
}

// redoOf is the statement that reads a kind's redo ("" for a kind without one).
func redoOf(kind chainmap.ChangeKind) string {
	if cypher, ok := redoNodes[kind]; ok {
		return cypher
	}
	return redoRels[kind]
}

// redo reads the change's redo (after the write, in its transaction), as JSON; nil for a kind it does not know.
func (c *change) redo(run txRunner) (any, error) {
	cypher := redoOf(c.kind)
	if cypher == "" {
		return nil, nil
	}
	recs, err := run(cypher, c.redoParams())
	if err != nil {
		return nil, err
	}
	return c.redoFrom(recs[0].AsMap())
}

// readAfterAndRedo reads the record's state after the change (c.after, c.maps) and its redo in one statement:
// for a change that marks no edit, whose redo is read right after that state.
func (c *change) readAfterAndRedo(run txRunner) (any, error) {
	cypher := redoOf(c.kind)
	if cypher == "" {
		return nil, c.read(run, &c.after)
	}
	recs, err := run(together(stateOf[c.kind], cypher), c.redoParams())
	if err != nil {
		return nil, err
	}
	row := recs[0].AsMap()
	c.readFrom(row, &c.after)
	return c.redoFrom(row)
}

// redoParams are the parameters of the kind's redo statement (and of stateOf's, which take fewer).
func (c *change) redoParams() map[string]any {
	return map[string]any{"id": c.id, "from": c.from, "to": c.to, "kind": string(c.kind)}
}

// redoFrom builds the redo, as JSON, from a row of the kind's redo statement.
func (c *change) redoFrom(row map[string]any) (any, error) {
	state := map[string]any{}
	if _, ok := redoNodes[c.kind]; ok {
		var nodes []any
		present := map[string]bool{}
		for _, n := range props(row).list("nodes") {
			labels := n.strs("labels")
			sort.Strings(labels)
			p := n.sub("props")
			ref := chainmap.Ref(labels, p)
			present[ref] = true
			node := map[string]any{"ref": ref, "labels": anys(labels), "props": map[string]any(p), "out": redoLinks(n["out"])}
			if own := n.strs("ownIn"); len(own) > 0 {
				node["ownIn"] = anys(own)
				node["in"] = redoLinks(n["inn"])
			}
			nodes = append(nodes, node)
		}
		// What the change deleted: the record itself (deleteEnterprise, deleteBottleneck), with the nodes it
		// owns (an enterprise's sites, a bottleneck's status history), and sites an upsert replaced.
		var deleted []any
		label, owns := "Enterprise", "OPERATES"
		if c.kind != chainmap.ChangeEnterprise {
			label, owns = "Bottleneck", "HAS_STATUS_CHANGE"
		}
		if ref := chainmap.RefOf(label, c.id); !present[ref] && c.before != nil {
			deleted = append(deleted, map[string]any{"ref": ref, "owned": owns})
		}
		if c.kind == chainmap.ChangeEnterprise {
			for _, s := range props(c.before).strs("siteIds") {
				if ref := chainmap.RefOf("Site", s); !present[ref] {
					deleted = append(deleted, map[string]any{"ref": ref})
				}
			}
		}
		state["nodes"] = nodes
		if len(deleted) > 0 {
			state["deleted"] = deleted
		}
	} else {
		rel := map[string]any{"type": row["type"], "from": chainmap.RefOf(chainmap.KindLabel(stringList(row["fromLabels"])), c.from),
			"to": chainmap.RefOf(chainmap.KindLabel(stringList(row["toLabels"])), c.to), "id": c.id}
		if p, ok := row["props"].(map[string]any); ok {
			rel["props"] = p
		}
		state["rels"] = []any{rel}
	}
	// The record's tombstones, as the change left them (none, when it made the record again).
	state["tombstones"] = map[string]any{"kind": string(c.kind), "recordId": c.id, "nodes": row["tombstones"]}
	b, err := chainmap.MarshalProps(state)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// redoLinks turns [type, labels, id, code, props] rows into {type, ref, props} maps.
func redoLinks(v any) []any {
	list, _ := v.([]any)
	out := make([]any, 0, len(list))
	for _, x := range list {
		row, _ := x.([]any)
		if len(row) < 5 {
			continue
		}
		key, _ := row[2].(string)
		if key == "" {
			key, _ = row[3].(string)
		}
		p, _ := row[4].(map[string]any)
		out = append(out, map[string]any{"type": row[0], "ref": chainmap.RefOf(chainmap.KindLabel(stringList(row[1])), key), "props": p})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].(map[string]any), out[j].(map[string]any)
		return fmt.Sprint(a["type"], a["ref"]) < fmt.Sprint(b["type"], b["ref"])
	})
	return out
}

// ArchiveChanges returns the change log's entries after seq after, in order, at most first: every property of
// each, as stored (at as RFC 3339 text), for the archive.
func (db *DB) ArchiveChanges(ctx context.Context, after int64, first int) ([]map[string]any, error) {
	res, err := db.read(ctx, "ArchiveChanges", archiveChanges, map[string]any{"after": after, "first": first})
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(res.Records))
	for _, rec := range res.Records {
		m, err := recordMap(rec, "c")
		if err != nil {
			return nil, err
		}
		out = append(out, chainmap.CanonicalProps(m))
	}
	return out, nil
}

const archiveChanges = `
MATCH (c:Change) WHERE c.seq > $after
WITH c ORDER BY c.seq LIMIT $first
RETURN c {.*, at: toString(c.at)} AS c`

// resolveRefs finds the nodes that refs name (kind/key), by the indexed keys of the kinds a change touches.
const resolveRefs = `
UNWIND $refs AS ref
OPTIONAL MATCH (r:Record {id: ref.key}) WHERE ref.label IN labels(r)
OPTIONAL MATCH (g:Region {code: ref.key}) WHERE ref.label = 'Region'
OPTIONAL MATCH (s:StatusChange {id: ref.key}) WHERE ref.label = 'StatusChange'
OPTIONAL MATCH (v:IndicatorValue {id: ref.key}) WHERE ref.label = 'IndicatorValue'
OPTIONAL MATCH (i:ListItem {id: ref.key}) WHERE ref.label = 'ListItem'
WITH ref, coalesce(r, g, s, v, i) AS n WHERE n IS NOT NULL
RETURN collect([ref.ref, elementId(n)]) AS found`

const replaySetNodes = `
UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.eid
SET n = row.props
WITH n, row, [l IN labels(n) WHERE NOT l IN row.labels] AS extra
REMOVE n:$(extra)
SET n:$(row.labels)`

const replayCreateNodes = `
UNWIND $rows AS row
CREATE (n:$(row.labels))
SET n = row.props
RETURN collect([row.ref, elementId(n)]) AS created`

const replayDropOwned = `
UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.eid
CALL (n) { MATCH (n)-[r]->() DELETE r }
CALL (n, row) { MATCH (n)<-[r]-() WHERE type(r) IN row.ownIn DELETE r }`

const replayCreateRels = `
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row.a
MATCH (b) WHERE elementId(b) = row.b
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props`

const replayDropRel = `
MATCH (a)-[r]->(b) WHERE elementId(a) = $a AND elementId(b) = $b AND type(r) = $type AND r.id = $id
DELETE r`

const replayDelete = `
UNWIND $eids AS row
MATCH (n) WHERE elementId(n) = row.eid
CALL (n, row) { MATCH (n)-[r]->(m) WHERE type(r) = row.owned DETACH DELETE m }
DETACH DELETE n`

const replayTombstones = `
CALL () { MATCH (d:Deleted) WHERE d.recordId = $id AND d.kind = $kind DETACH DELETE d }
WITH 1 AS one
UNWIND $rows AS row
CREATE (d:$(row.labels))
SET d = row.props`

const replayLog = `
CREATE (c:Change)
SET c = $props, c.at = datetime($at)
MERGE (l:ChangeLog {id: 'main'})
ON CREATE SET l.epoch = randomUUID()
SET l.seq = CASE WHEN l.seq IS NULL OR l.seq < $seq THEN $seq ELSE l.seq END`

// replayTimeout bounds one replayed change's transaction. A restore is an operator's job, not a client's
// request: the API's query timeout (10 s by default) is a budget for answers, and a restore that stops on it
// because the machine is busy has to be started again from the dump.
const replayTimeout = 2 * time.Minute

// ReplayChange applies an archived change log entry (every property, as ArchiveChanges gives it) to the graph,
// in one transaction: it sets the state the entry's redo describes, and writes the entry back into the change
// log under its own seq. An entry without a redo (a load or gen run, or a kind this version does not know) is
// only written to the log: applied is then false. A relationship to a node the graph lacks is left out and
// named in skipped (it was made by something the archive cannot replay, such as a load).
func (db *DB) ReplayChange(ctx context.Context, entry map[string]any) (applied bool, skipped []string, err error) {
	seq, _ := entry["seq"].(int64)
	at, _ := entry["at"].(string)
	if seq <= 0 || at == "" {
		return false, nil, fmt.Errorf("replay: an archived change needs a seq and an at, got %v", entry)
	}
	var state map[string]any
	if redo, _ := entry["redo"].(string); redo != "" {
		if state, err = chainmap.UnmarshalProps([]byte(redo)); err != nil {
			return false, nil, fmt.Errorf("replay change %d: its redo: %w", seq, err)
		}
	}
	logged := make(map[string]any, len(entry))
	for k, v := range entry {
		if k != "at" {
			logged[k] = v
		}
	}
	cfg := append(db.txConfig(ctx, "ReplayChange"), neo4j.WithTxTimeout(max(replayTimeout, db.cfg.QueryTimeout)))
	_, err = db.inTxWith(ctx, "ReplayChange", cfg, func(run txRunner) (any, error) {
		skipped = nil
		if state != nil {
			customers, err := customersDeleted(run, entry, state)
			if err != nil {
				return nil, err
			}
			if skipped, err = applyRedo(run, state); err != nil {
				return nil, err
			}
			if err := maintainReplayed(run, entry, customers); err != nil {
				return nil, err
			}
		}
		_, err := run(replayLog, map[string]any{"props": logged, "at": at, "seq": seq})
		return nil, err
	})
	if err != nil {
		return false, nil, fmt.Errorf("replay change %d: %w", seq, err)
	}
	return state != nil, skipped, nil
}

func applyRedo(run txRunner, state map[string]any) ([]string, error) {
	s := props(state)
	nodes := s.list("nodes")
	rels := s.list("rels")
	var deleted []string
	owns := map[string]string{} // deleted ref → the type of the relationships to the nodes it owns
	for _, d := range s.list("deleted") {
		deleted = append(deleted, d.str("ref"))
		if o := d.str("owned"); o != "" {
			owns[d.str("ref")] = o
		}
	}

	// Every node the state names, found by its key.
	var refs []any
	seen := map[string]bool{}
	addRef := func(ref string) {
		if ref == "" || seen[ref] {
			return
		}
		seen[ref] = true
		label, key := chainmap.SplitRef(ref)
		refs = append(refs, map[string]any{"ref": ref, "label": label, "key": key})
	}
	for _, n := range nodes {
		addRef(n.str("ref"))
		for _, l := range append(n.list("out"), n.list("in")...) {
			addRef(l.str("ref"))
		}
	}
	for _, r := range rels {
		addRef(r.str("from"))
		addRef(r.str("to"))
	}
	for _, ref := range deleted {
		addRef(ref)
	}
	eid := map[string]string{}
	pairs := func(recs []*neo4j.Record, key string) {
		v, _ := recs[0].Get(key)
		list, _ := v.([]any)
		for _, x := range list {
			p, _ := x.([]any)
			if len(p) == 2 {
				eid[fmt.Sprint(p[0])] = fmt.Sprint(p[1])
			}
		}
	}
	if len(refs) > 0 {
		recs, err := run(resolveRefs, map[string]any{"refs": refs})
		if err != nil {
			return nil, err
		}
		pairs(recs, "found")
	}

	// The nodes: as they were, created when missing.
	var set, create, owned []any
	for _, n := range nodes {
		row := map[string]any{"ref": n.str("ref"), "labels": n["labels"], "props": n.sub("props")}
		if row["props"] == nil {
			row["props"] = map[string]any{}
		}
		if e := eid[n.str("ref")]; e != "" {
			row["eid"] = e
			set = append(set, row)
		} else {
			create = append(create, row)
		}
	}
	if len(set) > 0 {
		if _, err := run(replaySetNodes, map[string]any{"rows": set}); err != nil {
			return nil, err
		}
	}
	if len(create) > 0 {
		recs, err := run(replayCreateNodes, map[string]any{"rows": create})
		if err != nil {
			return nil, err
		}
		pairs(recs, "created")
	}

	// Their relationships: the ones they hold now, exactly.
	var skipped []string
	var links []any
	for _, n := range nodes {
		ref := n.str("ref")
		owned = append(owned, map[string]any{"eid": eid[ref], "ownIn": anyOrEmpty(n["ownIn"])})
		for _, l := range n.list("out") {
			if other := eid[l.str("ref")]; other != "" {
				links = append(links, map[string]any{"a": eid[ref], "b": other, "type": l.str("type"), "props": propsOrEmpty(l.sub("props"))})
			} else {
				skipped = append(skipped, fmt.Sprintf("%s -[%s]-> %s", ref, l.str("type"), l.str("ref")))
			}
		}
		for _, l := range n.list("in") {
			if other := eid[l.str("ref")]; other != "" {
				links = append(links, map[string]any{"a": other, "b": eid[ref], "type": l.str("type"), "props": propsOrEmpty(l.sub("props"))})
			} else {
				skipped = append(skipped, fmt.Sprintf("%s -[%s]-> %s", l.str("ref"), l.str("type"), ref))
			}
		}
	}
	if len(owned) > 0 {
		if _, err := run(replayDropOwned, map[string]any{"rows": owned}); err != nil {
			return nil, err
		}
	}
	for _, r := range rels {
		a, b := eid[r.str("from")], eid[r.str("to")]
		if a == "" || b == "" {
			skipped = append(skipped, fmt.Sprintf("%s -[%s %s]-> %s", r.str("from"), r.str("type"), r.str("id"), r.str("to")))
			continue
		}
		if _, err := run(replayDropRel, map[string]any{"a": a, "b": b, "type": r.str("type"), "id": r.str("id")}); err != nil {
			return nil, err
		}
		if p := r.sub("props"); p != nil {
			links = append(links, map[string]any{"a": a, "b": b, "type": r.str("type"), "props": map[string]any(p)})
		}
	}
	if len(links) > 0 {
		if _, err := run(replayCreateRels, map[string]any{"rows": links}); err != nil {
			return nil, err
		}
	}

	// The record's tombstones: those the change left, and no other.
	if ts := s.sub("tombstones"); ts != nil {
		var rows []any
		for _, n := range ts.list("nodes") {
			rows = append(rows, map[string]any{"labels": n["labels"], "props": propsOrEmpty(n.sub("props"))})
		}
		if _, err := run(replayTombstones, map[string]any{"kind": ts.str("kind"), "id": ts.str("recordId"),
			"rows": rows}); err != nil {
			return nil, err
		}
	}

	// The nodes the change deleted, with the nodes they own.
	var gone []any
	for _, ref := range deleted {
		if e := eid[ref]; e != "" {
			gone = append(gone, map[string]any{"eid": e, "owned": owns[ref]})
		}
	}
	if len(gone) > 0 {
		if _, err := run(replayDelete, map[string]any{"eids": gone}); err != nil {
			return nil, err
		}
	}
	sort.Strings(skipped)
	return skipped, nil
}

// loggedState is an entry's state (before or after) as a map, nil when it has none.
func loggedState(entry map[string]any, state string) map[string]any {
	s, _ := entry[state].(string)
	if s == "" || s == "null" {
		return nil
	}
	m, err := chainmap.UnmarshalProps([]byte(s))
	if err != nil {
		return nil
	}
	return m
}

func anyOrEmpty(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{}
}

func propsOrEmpty(p props) map[string]any {
	if p == nil {
		return map[string]any{}
	}
	return p
}

// suppliedBy lists the customers of the enterprise $id.
const suppliedBy = `RETURN COLLECT { MATCH (:Enterprise {id: $id})-[:SUPPLIES]->(c:Enterprise) RETURN DISTINCT c.id } AS ids`

// customersDeleted lists, when the entry deletes an enterprise, the customers it supplies before the entry's
// state is applied: their supply links go with it. A live delete logs each link's removal (its cascade) after
// the firm is gone, and refreshes the customer then (change.maintain); replayed, those entries come first and
// change nothing, and the firm's own entry removes the links (DETACH DELETE).
func customersDeleted(run txRunner, entry, state map[string]any) ([]string, error) {
	id, _ := entry["recordId"].(string)
	if kind, _ := entry["kind"].(string); chainmap.ChangeKind(kind) != chainmap.ChangeEnterprise {
		return nil, nil
	}
	ref := chainmap.RefOf("Enterprise", id)
	if !slices.ContainsFunc(props(state).list("deleted"), func(d props) bool { return d.str("ref") == ref }) {
		return nil, nil
	}
	recs, err := run(suppliedBy, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	ids, _ := recs[0].Get("ids")
	return stringList(ids), nil
}

// maintainReplayed brings the maintained aggregates up to date with a replayed change, as the change did when
// it was made (change.maintain): the entry names the record, and its before state a bottleneck's old segments.
// customers are those of an enterprise the change deleted (customersDeleted).
func maintainReplayed(run txRunner, entry map[string]any, customers []string) error {
	id, _ := entry["recordId"].(string)
	switch kind, _ := entry["kind"].(string); chainmap.ChangeKind(kind) {
	case chainmap.ChangeEnterprise:
		return maintainFirms(run, append([]string{id}, customers...))
	case chainmap.ChangeBottleneck, chainmap.ChangeBottleneckStatus:
		return maintainExposure(run, props(loggedState(entry, "before")).strs("segmentIds"), []string{id})
	case chainmap.ChangeSupplyLink: // its customer, from the states it logged
		customer := props(loggedState(entry, "after")).str("customerId")
		if customer == "" {
			customer = props(loggedState(entry, "before")).str("customerId")
		}
		return maintainCustomer(run, customer)
	case chainmap.ChangeTechTransfer: // its ends, from the state it left or, removed, the state before
		for _, state := range []string{"after", "before"} {
			if m := loggedState(entry, state); m != nil {
				return maintainTransfer(run, props(m).str("fromId"), props(m).str("toId"))
			}
		}
	}
	return nil
}
