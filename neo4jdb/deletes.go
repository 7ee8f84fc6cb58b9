package neo4jdb

import (
	"context"
	"fmt"

	"github.com/chainmap/chainmap"
)

// Deleting an enterprise or a bottleneck. What goes with the record, and what stays:
//
//   - deleteEnterprise deletes the enterprise, its sites, every supply link to or from it and every technology
//     transfer from or to it or one of its sites. Its other relationships go with it: the segments it is active
//     in, the bottlenecks it tackles (they stay, with one tackler fewer), its parent and branches (they stay), the
//     list entries that name it (they stay, pointing at nothing, as an official list names a firm the graph
//     lacks).
//   - deleteBottleneck deletes the bottleneck and its status history. The segments it constrains, its tacklers
//     and the list entries that name it stay.
//
// The change log keeps everything: one entry for the record, whose `before` holds its fields (an enterprise's
// sites, a bottleneck's status history), and one for each supply link, technology transfer and bottleneck that
// changed with it, all in the deleting transaction. A curated record (origin seed) leaves a :Deleted tombstone,
// so that `chainmap load` does not write it again, nor its sites and relationships (edits.go); `load -reset`
// brings it back.

const lockEnterprise = `
MATCH (e:Enterprise {id: $id})
SET e._lock = true
REMOVE e._lock
RETURN COLLECT { MATCH (e)-[:OPERATES]->(s) RETURN s.id ORDER BY s.id } AS sites,
  COLLECT { MATCH (e)-[r:SUPPLIES]-(:Enterprise) RETURN DISTINCT {id: r.id, from: startNode(r).id, to: endNode(r).id} AS l
    ORDER BY l.id } AS supplies,
  COLLECT { MATCH (a)-[t:TRANSFERS_TECH_TO]->(b) WHERE b = e OR EXISTS { (e)-[:OPERATES]->(a) } OR EXISTS { (e)-[:OPERATES]->(b) }
    RETURN DISTINCT {id: t.id, from: a.id, to: b.id} AS l ORDER BY l.id } AS transfers,
  COLLECT { MATCH (e)-[:TACKLES]->(b:Bottleneck) RETURN b.id ORDER BY b.id } AS tackles`

const deleteEnterprise = `
MATCH (e:Enterprise {id: $id})
CALL (e) { MATCH (e)-[:OPERATES]->(s) DETACH DELETE s }
DETACH DELETE e`

// DeleteEnterprise deletes an enterprise with its sites, supply links and technology transfers (see above) and
// returns what it deleted. It wraps chainmap.ErrNotFound when there is no such enterprise.
func (db *DB) DeleteEnterprise(ctx context.Context, id, author string) (chainmap.Deletion, error) {
	out, err := db.inTx(ctx, "DeleteEnterprise", func(run txRunner) (any, error) {
		recs, err := run(lockEnterprise, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, fmt.Errorf("enterprise %q: %w", id, chainmap.ErrNotFound)
		}
		m := props(recs[0].AsMap())
		d := chainmap.Deletion{ID: id, SiteIDs: m.strs("sites")}
		var deps []*change
		for _, l := range m.list("supplies") {
			d.SupplyLinkIDs = append(d.SupplyLinkIDs, l.str("id"))
			deps = append(deps, newChange(chainmap.ChangeSupplyLink, "deleteEnterprise", l.str("id"), author).link(l.str("from"), l.str("to")))
		}
		for _, l := range m.list("transfers") {
			d.TechTransferIDs = append(d.TechTransferIDs, l.str("id"))
			deps = append(deps, newChange(chainmap.ChangeTechTransfer, "deleteEnterprise", l.str("id"), author).link(l.str("from"), l.str("to")))
		}
		for _, b := range m.strs("tackles") {
			deps = append(deps, newChange(chainmap.ChangeBottleneck, "deleteEnterprise", b, author))
		}
		c := newChange(chainmap.ChangeEnterprise, "deleteEnterprise", id, author)
		for _, dep := range append(deps, c) {
			if err := dep.start(run); err != nil {
				return nil, err
			}
		}
		if _, err := run(deleteEnterprise, map[string]any{"id": id}); err != nil {
			return nil, err
		}
		// The records that changed with it are logged, not marked as edited: the enterprise's tombstone is
		// what keeps a load from writing them again.
		for _, dep := range deps {
			dep.cascade = true
			if err := dep.commit(run); err != nil {
				return nil, err
			}
		}
		if err := c.commit(run); err != nil {
			return nil, err
		}
		d.Seq = c.seq
		return d, nil
	})
	if err != nil {
		return chainmap.Deletion{}, err
	}
	return out.(chainmap.Deletion), nil
}

const lockBottleneckHistory = `
MATCH (b:Bottleneck {id: $id})
SET b._lock = true
REMOVE b._lock
RETURN COLLECT { MATCH (b)-[:HAS_STATUS_CHANGE]->(c:StatusChange)
  RETURN c {.seq, .from, .to, .note, .author, .at} ORDER BY c.seq } AS history`

const deleteBottleneck = `
MATCH (b:Bottleneck {id: $id})
CALL (b) { MATCH (b)-[:HAS_STATUS_CHANGE]->(c:StatusChange) DETACH DELETE c }
DETACH DELETE b`

// DeleteBottleneck deletes a bottleneck and its status history, which its change-log entry keeps (before's
// statusHistory). It wraps chainmap.ErrNotFound when there is no such bottleneck.
func (db *DB) DeleteBottleneck(ctx context.Context, id, author string) (chainmap.Deletion, error) {
	out, err := db.inTx(ctx, "DeleteBottleneck", func(run txRunner) (any, error) {
		recs, err := run(lockBottleneckHistory, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, fmt.Errorf("bottleneck %q: %w", id, chainmap.ErrNotFound)
		}
		history, _ := recs[0].Get("history")
		c := newChange(chainmap.ChangeBottleneck, "deleteBottleneck", id, author)
		if err := c.start(run); err != nil {
			return nil, err
		}
		if c.before != nil {
			c.before["statusHistory"] = history
		}
		if _, err := run(deleteBottleneck, map[string]any{"id": id}); err != nil {
			return nil, err
		}
		if err := c.commit(run); err != nil {
			return nil, err
		}
		return chainmap.Deletion{ID: id, Seq: c.seq}, nil
	})
	if err != nil {
		return chainmap.Deletion{}, err
	}
	return out.(chainmap.Deletion), nil
}
