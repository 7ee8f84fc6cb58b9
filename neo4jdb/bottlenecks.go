package neo4jdb

import (
	"context"

	"github.com/chainmap/chainmap"
)

// tackledIn holds when a tackler of b is in the region @region (a parameter): an enterprise with a site there,
// or an institution there.
const tackledIn = `EXISTS { MATCH (b)<-[:TACKLES]-(t)
  WHERE EXISTS { (t)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: @region}) }
     OR EXISTS { (t:Institution)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: @region}) } }`

// bottlenecks is the list of bottlenecks.
var bottlenecks = list{
	kind: chainmap.KindBottleneck, v: "b", id: "b.id", scope: scope{"n": "b"},
	anchors: []anchor{
		{"text", `CALL db.index.fulltext.queryNodes('names', $text) YIELD node AS b WHERE b:Bottleneck
WITH DISTINCT b`},
		{"segmentId", `MATCH (:Segment {id: $segmentId})<-[:CONSTRAINS]-(b:Bottleneck)`},
		{"chainMapId", `MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck)
WITH DISTINCT b`},
		{"", `MATCH (b:Bottleneck)`},
	},
	preds: map[string]string{
		"chainMapId":  `EXISTS { (b)-[:CONSTRAINS]->(:Segment {chainMapId: $chainMapId}) }`,
		"segmentId":   `EXISTS { (b)-[:CONSTRAINS]->(:Segment {id: $segmentId}) }`,
		"stage":       `EXISTS { (b)-[:CONSTRAINS]->(:Segment {stage: $stage}) }`,
		"regionCode":  scope{"region": "$regionCode"}.fill(tackledIn),
		"noTacklerIn": "NOT " + scope{"region": "$noTacklerIn"}.fill(tackledIn),
		"affects": `EXISTS { (b)-[:CONSTRAINS]->(:Segment)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(:Site)
  -[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $affects}) }`,
		"kind":        `b.kind = $kind`,
		"category":    `b.category = $category`,
		"minSeverity": `b.severity >= $minSeverity`,
		"status":      `b.status = $status`,
		"hasTackler":  `EXISTS { (b)<-[:TACKLES]-() } = $hasTackler`,
	},
	sortKeys: map[string]string{
		string(chainmap.BottleneckBySeverity): `b.severity`,
		string(chainmap.BottleneckByName):     `b.name`,
		string(chainmap.BottleneckByID):       `b.id`,
		string(chainmap.BottleneckByAffectedEnterprises): `COUNT { MATCH (b)-[:CONSTRAINS]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
    RETURN DISTINCT e }`,
		string(chainmap.BottleneckByTacklerCount): `COUNT { (b)<-[:TACKLES]-() }`,
	},
	groups: map[string]string{
		string(chainmap.GroupBottlenecksByStatus):   `RETURN b.status AS key, null AS name, count(b) AS count`,
		string(chainmap.GroupBottlenecksByKind):     `RETURN b.kind AS key, null AS name, count(b) AS count`,
		string(chainmap.GroupBottlenecksByCategory): `RETURN b.category AS key, null AS name, count(b) AS count`,
		string(chainmap.GroupBottlenecksBySeverity): `RETURN toString(b.severity) AS key, null AS name, count(b) AS count`,
		string(chainmap.GroupBottlenecksByChainMap): groupByChainMap("b", "CONSTRAINS"),
		string(chainmap.GroupBottlenecksBySegment):  groupBySegment("b", "CONSTRAINS"),
		string(chainmap.GroupBottlenecksByStage):    groupByStage("b", "CONSTRAINS"),
	},
}

func bottleneckConds(f chainmap.BottleneckFilter) []cond {
	var text string
	if f.Text != nil {
		text = luceneQuery(*f.Text)
	}
	return []cond{
		{"text", text, f.Text != nil},
		{"chainMapId", deref(f.ChainMapID), f.ChainMapID != nil},
		{"segmentId", deref(f.SegmentID), f.SegmentID != nil},
		{"stage", string(deref(f.Stage)), f.Stage != nil},
		{"regionCode", deref(f.RegionCode), f.RegionCode != nil},
		{"noTacklerIn", deref(f.NoTacklerInRegionCode), f.NoTacklerInRegionCode != nil},
		{"affects", deref(f.AffectsRegionCode), f.AffectsRegionCode != nil},
		{"kind", string(deref(f.Kind)), f.Kind != nil},
		{"category", string(deref(f.Category)), f.Category != nil},
		{"minSeverity", deref(f.MinSeverity), f.MinSeverity != nil},
		{"status", string(deref(f.Status)), f.Status != nil},
		{"hasTackler", deref(f.HasTackler), f.HasTackler != nil},
	}
}

// Bottlenecks returns a page of the bottlenecks of q, each read with req.Node, with their sort keys and, when
// req.Count, the number of all that match.
func (db *DB) Bottlenecks(ctx context.Context, q chainmap.BottleneckQuery, req chainmap.ListRequest) (chainmap.PageOf[any], error) {
	return db.page(ctx, "Bottlenecks", bottlenecks, bottleneckConds(q.Filter), string(q.OrderBy), q.Direction, q.Page, req)
}

// BottleneckGroups counts the bottlenecks of the filter by the grouping, largest group first.
func (db *DB) BottleneckGroups(ctx context.Context, f chainmap.BottleneckFilter, by chainmap.BottleneckGroupBy) ([]chainmap.Group, error) {
	return db.groups(ctx, "BottleneckGroups", bottlenecks, bottleneckConds(f), string(by))
}

// RDLinks returns a page of R&D→manufacturing links, ordered by id, each read with req.Node.
func (db *DB) RDLinks(ctx context.Context, q chainmap.RDLinkQuery, req chainmap.ListRequest) (chainmap.PageOf[any], error) {
	return db.page(ctx, "RDLinks", rdLinks, rdLinkConds(q.Filter), "ID", chainmap.Asc, q.Page, req)
}
