package neo4jdb

import (
	"context"
	"fmt"

	"github.com/chainmap/chainmap"
)

const (
	bottleneckAnchorText = `CALL db.index.fulltext.queryNodes('names', $text) YIELD node AS b WHERE b:Bottleneck
WITH DISTINCT b`
	bottleneckAnchorSegment = `MATCH (:Segment {id: $segmentId})<-[:CONSTRAINS]-(b:Bottleneck)`
	bottleneckAnchorChain   = `MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck)
WITH DISTINCT b`
	bottleneckAnchorAll = `MATCH (b:Bottleneck)`

	bottleneckInChain   = `EXISTS { (b)-[:CONSTRAINS]->(:Segment {chainMapId: $chainMapId}) }`
	bottleneckInSegment = `EXISTS { (b)-[:CONSTRAINS]->(:Segment {id: $segmentId}) }`
	bottleneckAtStage   = `EXISTS { (b)-[:CONSTRAINS]->(:Segment {stage: $stage}) }`
	// A tackler is in a region when the enterprise has a site there, or the institution is there.
	bottleneckTackledIn = `EXISTS { MATCH (b)<-[:TACKLES]-(t)
  WHERE EXISTS { (t)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $regionCode}) }
     OR EXISTS { (t:Institution)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $regionCode}) } }`
	bottleneckNotTackledIn = `NOT EXISTS { MATCH (b)<-[:TACKLES]-(t)
  WHERE EXISTS { (t)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $noTacklerIn}) }
     OR EXISTS { (t:Institution)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $noTacklerIn}) } }`
	bottleneckAffects = `EXISTS { (b)-[:CONSTRAINS]->(:Segment)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(:Site)
  -[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $affects}) }`
	bottleneckKind        = `b.kind = $kind`
	bottleneckCategory    = `b.category = $category`
	bottleneckMinSeverity = `b.severity >= $minSeverity`
	bottleneckStatus      = `b.status = $status`
	bottleneckHasTackler  = `EXISTS { (b)<-[:TACKLES]-() } = $hasTackler`
)

var bottleneckSortKeys = map[chainmap.BottleneckOrderField]string{
	chainmap.BottleneckBySeverity: `b.severity`,
	chainmap.BottleneckByName:     `b.name`,
	chainmap.BottleneckByID:       `b.id`,
	chainmap.BottleneckByAffectedEnterprises: `COUNT { MATCH (b)-[:CONSTRAINS]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
    RETURN DISTINCT e }`,
	chainmap.BottleneckByTacklerCount: `COUNT { (b)<-[:TACKLES]-() }`,
}

func bottleneckMatch(f chainmap.BottleneckFilter) (string, map[string]any) {
	p := map[string]any{}
	var anchor string
	switch {
	case f.Text != nil:
		anchor = bottleneckAnchorText
		p["text"] = luceneQuery(*f.Text)
	case f.SegmentID != nil:
		anchor = bottleneckAnchorSegment
	case f.ChainMapID != nil:
		anchor = bottleneckAnchorChain
	default:
		anchor = bottleneckAnchorAll
	}
	var where []string
	add := func(cond bool, frag, name string, value any) {
		if cond {
			where = append(where, frag)
			p[name] = value
		}
	}
	// The anchor's own condition is not checked again; its parameter is still passed.
	add(f.ChainMapID != nil && anchor != bottleneckAnchorChain, bottleneckInChain, "chainMapId", deref(f.ChainMapID))
	add(f.SegmentID != nil && anchor != bottleneckAnchorSegment, bottleneckInSegment, "segmentId", deref(f.SegmentID))
	if f.ChainMapID != nil {
		p["chainMapId"] = *f.ChainMapID
	}
	if f.SegmentID != nil {
		p["segmentId"] = *f.SegmentID
	}
	add(f.Stage != nil, bottleneckAtStage, "stage", string(deref(f.Stage)))
	add(f.RegionCode != nil, bottleneckTackledIn, "regionCode", deref(f.RegionCode))
	add(f.NoTacklerInRegionCode != nil, bottleneckNotTackledIn, "noTacklerIn", deref(f.NoTacklerInRegionCode))
	add(f.AffectsRegionCode != nil, bottleneckAffects, "affects", deref(f.AffectsRegionCode))
	add(f.Kind != nil, bottleneckKind, "kind", string(deref(f.Kind)))
	add(f.Category != nil, bottleneckCategory, "category", string(deref(f.Category)))
	add(f.MinSeverity != nil, bottleneckMinSeverity, "minSeverity", deref(f.MinSeverity))
	add(f.Status != nil, bottleneckStatus, "status", string(deref(f.Status)))
	add(f.HasTackler != nil, bottleneckHasTackler, "hasTackler", deref(f.HasTackler))
	return anchor + whereClause("b", where), p
}

// Bottlenecks returns a page of the bottlenecks of q, with their sort keys.
func (db *DB) Bottlenecks(ctx context.Context, q chainmap.BottleneckQuery) (chainmap.PageOf[chainmap.Bottleneck], error) {
	match, params := bottleneckMatch(q.Filter)
	key, ok := bottleneckSortKeys[q.OrderBy]
	if !ok {
		return chainmap.PageOf[chainmap.Bottleneck]{}, fmt.Errorf("bottlenecks: unknown order %q", q.OrderBy)
	}
	cypher := match + "\n" + keysetPage("b", key, q.Direction, q.Page, params) + "\nRETURN " + bottleneckProjection + " AS n, k"
	return page(ctx, db, "Bottlenecks", cypher, params, q.First, bottleneckFrom)
}

// CountBottlenecks returns how many bottlenecks match the filter.
func (db *DB) CountBottlenecks(ctx context.Context, f chainmap.BottleneckFilter) (int, error) {
	match, params := bottleneckMatch(f)
	res, err := db.read(ctx, "CountBottlenecks", match+"\nRETURN count(b) AS n", params)
	if err != nil {
		return 0, err
	}
	return recInt(res.Records[0], "n"), nil
}

var bottleneckGroups = map[chainmap.BottleneckGroupBy]string{
	chainmap.GroupBottlenecksByStatus:   `RETURN b.status AS key, null AS name, count(b) AS count`,
	chainmap.GroupBottlenecksByKind:     `RETURN b.kind AS key, null AS name, count(b) AS count`,
	chainmap.GroupBottlenecksByCategory: `RETURN b.category AS key, null AS name, count(b) AS count`,
	chainmap.GroupBottlenecksBySeverity: `RETURN toString(b.severity) AS key, null AS name, count(b) AS count`,
	chainmap.GroupBottlenecksByChainMap: `MATCH (b)-[:CONSTRAINS]->(s:Segment)
WITH DISTINCT b, s.chainMapId AS key
MATCH (g:ChainMap {id: key})
RETURN key, g.name AS name, count(b) AS count`,
	chainmap.GroupBottlenecksBySegment: `MATCH (b)-[:CONSTRAINS]->(g:Segment)
RETURN g.id AS key, g.name AS name, count(b) AS count`,
	chainmap.GroupBottlenecksByStage: `MATCH (b)-[:CONSTRAINS]->(s:Segment)
WITH DISTINCT b, s.stage AS key
RETURN key, null AS name, count(b) AS count`,
}

// BottleneckGroups counts the bottlenecks of the filter by the grouping, largest group first.
func (db *DB) BottleneckGroups(ctx context.Context, f chainmap.BottleneckFilter, by chainmap.BottleneckGroupBy) ([]chainmap.Group, error) {
	group, ok := bottleneckGroups[by]
	if !ok {
		return nil, fmt.Errorf("bottleneck groups: unknown grouping %q", by)
	}
	match, params := bottleneckMatch(f)
	return db.groups(ctx, "BottleneckGroups", match+"\n"+group+"\nORDER BY count DESC, key", params)
}
