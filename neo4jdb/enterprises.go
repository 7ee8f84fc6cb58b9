package neo4jdb

import (
	"context"
	"fmt"
	"slices"

	"github.com/chainmap/chainmap"
)

// enterprises is the list of enterprises.
var enterprises = list{
	kind: chainmap.KindEnterprise, v: "e", id: "e.id", scope: scope{"n": "e"},
	anchors: []anchor{
		{"text", `CALL db.index.fulltext.queryNodes('names', $text) YIELD node AS e WHERE e:Enterprise
WITH DISTINCT e`},
		{"segmentId", `MATCH (:Segment {id: $segmentId})<-[:ACTIVE_IN]-(e:Enterprise)`},
		{"chainMapId", `MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
WITH DISTINCT e`},
		// By name with no narrow filter: the name index gives the firms in order, and the page stops after first+1
		// of those that pass the filter (a PartialTop), instead of sorting every firm of a province.
		{"byName", `MATCH (e:Enterprise) WHERE e.name IS NOT NULL`},
		// By exposure with no narrow filter: the maintained exposures in index order (aggregates.go), the same
		// PartialTop.
		{"byExposure", `MATCH (x:FirmAggregate) WHERE x.openBottlenecks IS NOT NULL
MATCH (e:Enterprise {id: x.firmId})`},
		{"province", `MATCH (:Region {province: $province})<-[:LOCATED_IN]-(:Site)<-[:OPERATES]-(e:Enterprise)
WITH DISTINCT e`},
		{"regionCode", `MATCH (:Region {code: $regionCode})<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(:Site)<-[:OPERATES]-(e:Enterprise)
WITH DISTINCT e`},
		{"", `MATCH (e:Enterprise)`},
	},
	preds: map[string]string{
		"chainMapId": `EXISTS { (e)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) }`,
		"segmentId":  `EXISTS { (e)-[:ACTIVE_IN]->(:Segment {id: $segmentId}) }`,
		"stage":      `EXISTS { (e)-[:ACTIVE_IN]->(:Segment {stage: $stage}) }`,
		// A region by its code; a province by the code every region inside it carries (no walk up PART_OF).
		"regionCode": `EXISTS { (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $regionCode}) }`,
		"province":   `EXISTS { (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: $province}) }`,
		// A site of the kind in the region, when both are set.
		"regionSiteKind":   `EXISTS { (e)-[:OPERATES]->(:Site {kind: $regionSiteKind})-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $regionCode}) }`,
		"provinceSiteKind": `EXISTS { (e)-[:OPERATES]->(:Site {kind: $provinceSiteKind})-[:LOCATED_IN]->(:Region {province: $province}) }`,
		"siteKind":         `EXISTS { (e)-[:OPERATES]->(:Site {kind: $siteKind}) }`,
		"chainRole":        `e.chainRole = $chainRole`,
		"synthetic":        `coalesce(e.synthetic, false) = $synthetic`,
	},
	sortKeys: map[string]string{
		string(chainmap.EnterpriseByName):          `e.name`,
		string(chainmap.EnterpriseByID):            `e.id`,
		string(chainmap.EnterpriseBySegmentCount):  `COUNT { (e)-[:ACTIVE_IN]->() }`,
		string(chainmap.EnterpriseBySiteCount):     `COUNT { (e)-[:OPERATES]->() }`,
		string(chainmap.EnterpriseBySupplierCount): `COUNT { (e)<-[:SUPPLIES]-() }`,
		string(chainmap.EnterpriseByCustomerCount): `COUNT { (e)-[:SUPPLIES]->() }`,
		// Maintained (aggregates.go): an index seek, where counting read every bottleneck of the firm's segments.
		string(chainmap.EnterpriseByOpenBottlenecks): `coalesce(COLLECT { MATCH (x_:FirmAggregate {firmId: e.id}) RETURN x_.openBottlenecks }[0], 0)`,
	},
	total: enterprisesInRegion,
	anchored: map[string]anchorKeys{
		"byExposure": {keep: "e, x", keys: map[string]string{string(chainmap.EnterpriseByOpenBottlenecks): `x.openBottlenecks`}},
	},
	groups: map[string]string{
		string(chainmap.GroupEnterprisesByProvince): `MATCH (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
WITH DISTINCT e, r.province AS key
MATCH (g:Region {code: key})
RETURN key, g.name AS name, count(e) AS count`,
		string(chainmap.GroupEnterprisesByCity): `MATCH (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..2]->(g:Region)
WHERE g.level IN ['CITY', 'NEW_AREA'] OR (g.level = 'DISTRICT' AND g.province IN ` + quotedList(chainmap.Beijing, chainmap.Tianjin) + `)
WITH DISTINCT e, g
RETURN g.code AS key, g.name AS name, count(e) AS count`,
		string(chainmap.GroupEnterprisesByChainMap): groupByChainMap("e", "ACTIVE_IN"),
		string(chainmap.GroupEnterprisesBySegment):  groupBySegment("e", "ACTIVE_IN"),
		string(chainmap.GroupEnterprisesByStage):    groupByStage("e", "ACTIVE_IN"),
		string(chainmap.GroupEnterprisesByChainRole): `WITH e WHERE e.chainRole IS NOT NULL
RETURN e.chainRole AS key, null AS name, count(e) AS count`,
	},
}

// enterpriseConds are the conditions of an enterprise filter. A site kind and a region together ask for a site
// of that kind in that region.
func enterpriseConds(f chainmap.EnterpriseFilter) []cond {
	both := f.RegionCode != nil && f.SiteKind != nil
	var text string
	if f.Text != nil {
		text = luceneQuery(*f.Text)
	}
	province := f.RegionCode != nil && slices.Contains(chainmap.Provinces, *f.RegionCode)
	return []cond{
		{"text", text, f.Text != nil},
		{"chainMapId", deref(f.ChainMapID), f.ChainMapID != nil},
		{"segmentId", deref(f.SegmentID), f.SegmentID != nil},
		{"stage", string(deref(f.Stage)), f.Stage != nil},
		{"province", deref(f.RegionCode), province},
		{"regionCode", deref(f.RegionCode), f.RegionCode != nil && !province},
		{"provinceSiteKind", string(deref(f.SiteKind)), both && province},
		{"regionSiteKind", string(deref(f.SiteKind)), both && !province},
		{"siteKind", string(deref(f.SiteKind)), f.SiteKind != nil && !both},
		{"chainRole", string(deref(f.ChainRole)), f.ChainRole != nil},
		{"synthetic", deref(f.Synthetic), f.Synthetic != nil},
	}
}

// Enterprises returns a page of the enterprises of q, each read with req.Node, with their sort keys (for
// cursors) and, when req.Count, the number of all that match.
func (db *DB) Enterprises(ctx context.Context, q chainmap.EnterpriseQuery, req chainmap.ListRequest) (chainmap.PageOf[any], error) {
	f := q.Filter
	broad := f.RegionCode == nil || slices.Contains(chainmap.Provinces, *f.RegionCode) // a province, or anywhere
	byName := q.OrderBy == chainmap.EnterpriseByName && broad && f.Text == nil && f.SegmentID == nil && f.ChainMapID == nil
	byExposure := q.OrderBy == chainmap.EnterpriseByOpenBottlenecks && broad && f.Text == nil && f.SegmentID == nil && f.ChainMapID == nil
	conds := append(enterpriseConds(f), cond{"byName", nil, byName}, cond{"byExposure", nil, byExposure})
	return db.page(ctx, "Enterprises", enterprises, conds, string(q.OrderBy), q.Direction, q.Page, req)
}

// EnterpriseGroups counts the enterprises of the filter by the grouping, largest group first.
func (db *DB) EnterpriseGroups(ctx context.Context, f chainmap.EnterpriseFilter, by chainmap.EnterpriseGroupBy) ([]chainmap.Group, error) {
	return db.groups(ctx, "EnterpriseGroups", enterprises, enterpriseConds(f), string(by))
}

// enterprisesInRegion counts, from the maintained region counts (aggregates.go), the enterprises of a filter
// that names a region and nothing else but, perhaps, a chain map: those with a site in the region (active in
// the chain map). Any other filter is counted from the items.
func enterprisesInRegion(conds []cond, params map[string]any) string {
	var region, chain any
	for _, c := range conds {
		switch {
		case !c.on:
		case c.name == "province" || c.name == "regionCode":
			region = c.value
		case c.name == "chainMapId":
			chain = c.value
		case c.name == "byName" || c.name == "byExposure": // anchors, not filters
		default:
			return ""
		}
	}
	if region == nil {
		return ""
	}
	key := "*"
	if chain != nil {
		key = fmt.Sprint(chain)
	}
	params["totalKey"] = "e|" + fmt.Sprint(region) + "|" + key
	return `RETURN ` + aggregateCount("$totalKey") + ` AS total`
}
