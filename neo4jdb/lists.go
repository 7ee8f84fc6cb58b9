package neo4jdb

import (
	"context"

	"github.com/chainmap/chainmap"
)

// Batched lists with arguments. Keys that share their arguments go into one query; a GraphQL request asks
// for a handful of argument combinations at most, so the round trips stay bounded however many parents there are.

const segmentEnterprises = `
UNWIND $keys AS key
MATCH (s:Segment {id: key})
CALL (s) {
  MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise)
  WHERE ($role IS NULL OR e.chainRole = $role)
    AND ($region IS NULL OR EXISTS {
      (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $region}) })
  RETURN e ORDER BY e.name, e.id LIMIT $first
}
RETURN key, collect(` + enterpriseProjection + `) AS items`

// SegmentEnterprises returns, for each key, the first enterprises (by name) active in the segment.
func (db *DB) SegmentEnterprises(ctx context.Context, keys []chainmap.SegmentEnterprisesKey) (map[chainmap.SegmentEnterprisesKey][]chainmap.Enterprise, error) {
	type args struct {
		region string
		role   chainmap.ChainRole
		first  int
	}
	groups := map[args][]string{}
	for _, k := range keys {
		a := args{k.RegionCode, k.Role, k.First}
		groups[a] = append(groups[a], k.SegmentID)
	}
	out := map[chainmap.SegmentEnterprisesKey][]chainmap.Enterprise{}
	for a, ids := range groups {
		res, err := listsByKey(ctx, db, "SegmentEnterprises", segmentEnterprises, map[string]any{
			"keys": ids, "region": nullable(a.region), "role": nullable(string(a.role)), "first": a.first,
		}, enterpriseFrom)
		if err != nil {
			return nil, err
		}
		for id, list := range res {
			out[chainmap.SegmentEnterprisesKey{SegmentID: id, RegionCode: a.region, Role: a.role, First: a.first}] = list
		}
	}
	return out, nil
}

const regionEnterprises = `
UNWIND $keys AS key
MATCH (r:Region {code: key})
CALL (r) {
  MATCH (r)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(:Site)<-[:OPERATES]-(e:Enterprise)
  WITH DISTINCT e ORDER BY e.name, e.id LIMIT $first
  RETURN e
}
RETURN key, collect(` + enterpriseProjection + `) AS items`

// RegionEnterprises returns, for each key, the first enterprises (by name) with a site in the region or inside it.
func (db *DB) RegionEnterprises(ctx context.Context, keys []chainmap.RegionEnterprisesKey) (map[chainmap.RegionEnterprisesKey][]chainmap.Enterprise, error) {
	groups := map[int][]string{}
	for _, k := range keys {
		groups[k.First] = append(groups[k.First], k.RegionCode)
	}
	out := map[chainmap.RegionEnterprisesKey][]chainmap.Enterprise{}
	for first, codes := range groups {
		res, err := listsByKey(ctx, db, "RegionEnterprises", regionEnterprises,
			map[string]any{"keys": codes, "first": first}, enterpriseFrom)
		if err != nil {
			return nil, err
		}
		for code, list := range res {
			out[chainmap.RegionEnterprisesKey{RegionCode: code, First: first}] = list
		}
	}
	return out, nil
}

const suppliersOf = `
UNWIND $keys AS key
MATCH (e:Enterprise {id: key})
CALL (e) {
  MATCH (e)<-[r:SUPPLIES]-(o:Enterprise)
  RETURN r, o ORDER BY o.name, o.id, r.product LIMIT $first
}
RETURN key, collect({from: o.id, to: e.id, product: r.product, since: r.since, synthetic: r.synthetic,
  confidence: r.confidence, sourceIds: r.sourceIds}) AS items`

const customersOf = `
UNWIND $keys AS key
MATCH (e:Enterprise {id: key})
CALL (e) {
  MATCH (e)-[r:SUPPLIES]->(o:Enterprise)
  RETURN r, o ORDER BY o.name, o.id, r.product LIMIT $first
}
RETURN key, collect({from: e.id, to: o.id, product: r.product, since: r.since, synthetic: r.synthetic,
  confidence: r.confidence, sourceIds: r.sourceIds}) AS items`

// Suppliers returns, for each key, the first supply links into the enterprise (by supplier name).
func (db *DB) Suppliers(ctx context.Context, keys []chainmap.SupplyKey) (map[chainmap.SupplyKey][]chainmap.Supply, error) {
	return db.supplies(ctx, "Suppliers", suppliersOf, keys)
}

// Customers returns, for each key, the first supply links out of the enterprise (by customer name).
func (db *DB) Customers(ctx context.Context, keys []chainmap.SupplyKey) (map[chainmap.SupplyKey][]chainmap.Supply, error) {
	return db.supplies(ctx, "Customers", customersOf, keys)
}

func (db *DB) supplies(ctx context.Context, method, cypher string, keys []chainmap.SupplyKey) (map[chainmap.SupplyKey][]chainmap.Supply, error) {
	groups := map[int][]string{}
	for _, k := range keys {
		groups[k.First] = append(groups[k.First], k.EnterpriseID)
	}
	out := map[chainmap.SupplyKey][]chainmap.Supply{}
	for first, ids := range groups {
		res, err := listsByKey(ctx, db, method, cypher, map[string]any{"keys": ids, "first": first}, supplyFrom)
		if err != nil {
			return nil, err
		}
		for id, list := range res {
			out[chainmap.SupplyKey{EnterpriseID: id, First: first}] = list
		}
	}
	return out, nil
}

const statusHistory = `
UNWIND $keys AS key
MATCH (b:Bottleneck {id: key})
RETURN key, COLLECT { MATCH (b)-[:HAS_STATUS_CHANGE]->(c:StatusChange)
  RETURN c {.id, .from, .to, .note, .author, .at} ORDER BY c.at, c.id } AS items`

// StatusHistory returns each bottleneck's status changes, oldest first.
func (db *DB) StatusHistory(ctx context.Context, ids []string) (map[string][]chainmap.StatusChange, error) {
	return listsByKey(ctx, db, "StatusHistory", statusHistory, map[string]any{"keys": ids}, func(m props) chainmap.StatusChange {
		return chainmap.StatusChange{ID: m.str("id"), From: chainmap.BottleneckStatus(m.str("from")),
			To: chainmap.BottleneckStatus(m.str("to")), Note: m.str("note"), Author: m.str("author"), At: m.str("at")}
	})
}

const regionsAll = `
MATCH (r:Region) WHERE $level IS NULL OR r.level = $level
RETURN r.code AS key, ` + regionProjection + ` AS n ORDER BY r.code`

// Regions returns the regions of a level (every region when level is nil), by code.
func (db *DB) Regions(ctx context.Context, level *chainmap.RegionLevel) ([]chainmap.Region, error) {
	var lv any
	if level != nil {
		lv = string(*level)
	}
	res, err := db.read(ctx, "Regions", oneRow(regionsAll, "n"), map[string]any{"level": lv})
	if err != nil {
		return nil, err
	}
	list := rows(res)
	out := make([]chainmap.Region, 0, len(list))
	for _, r := range list {
		out = append(out, regionFrom(r.sub("n")))
	}
	return out, nil
}

// nullable turns a zero value ("", 0) into a Cypher null, so that SET removes the property.
func nullable[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}
