package neo4jdb

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/chainmap/chainmap"
)

// Counts for planners, read only when asked for: each count is its own COUNT {} over the record. Grouped counts
// count once per key (the keys of an enum, the provinces, the chain maps): aggregating functions cannot stand in
// an expression nested in a projection, and a COUNT {} per key reads no more than a grouping would. Empty groups
// are dropped and the rest sorted when decoded.

// chainEnterprises binds e_ to each enterprise of the chain map @n, once.
const chainEnterprises = `MATCH (@n)-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e_:Enterprise)`

// chainBottlenecks binds b_ to each bottleneck on a segment of the chain map @n.
const chainBottlenecks = `MATCH (@n)-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(b_:Bottleneck)`

var chainMapStats = map[string]field{
	"enterprises": {expr: `COUNT { ` + chainEnterprises + ` RETURN DISTINCT e_ }`},
	"segments":    {expr: `COUNT { (@n)-[:HAS_SEGMENT]->(:Segment) }`},
	"segmentsByStage": {expr: `[k_ IN ['DOWNSTREAM', 'MIDSTREAM', 'UPSTREAM'] |
    {key: k_, count: COUNT { (@n)-[:HAS_SEGMENT]->(:Segment {stage: k_}) }}]`},
	"enterprisesByProvince": {expr: `[g_ IN COLLECT { MATCH (g:Region {level: 'PROVINCE'}) RETURN g ORDER BY g.code } |
    {key: g_.code, name: g_.name, count: COUNT { ` + chainEnterprises + `
      WHERE EXISTS { (e_)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: g_.code}) } RETURN DISTINCT e_ }}]`},
	"sitesByKind": {expr: `[k_ IN ['HQ', 'RD', 'MANUFACTURING', 'ASSEMBLY', 'TESTING', 'PILOT'] |
    {key: k_, count: COUNT { MATCH (@n)-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e_:Enterprise)
      WITH DISTINCT e_ MATCH (e_)-[:OPERATES]->(s_:Site {kind: k_}) RETURN s_ }}]`},
	"openBottlenecks": {expr: `COUNT { ` + chainBottlenecks + ` WHERE b_.status <> 'RESOLVED' RETURN DISTINCT b_ }`},
	"bottlenecksByStatus": {expr: `[k_ IN ['OPEN', 'IN_PROGRESS', 'RESOLVED'] |
    {key: k_, count: COUNT { ` + chainBottlenecks + ` WHERE b_.status = k_ RETURN DISTINCT b_ }}]`},
	"bottlenecksByKind": {expr: `[k_ IN ['CHOKEPOINT', 'GAP'] |
    {key: k_, count: COUNT { ` + chainBottlenecks + ` WHERE b_.kind = k_ RETURN DISTINCT b_ }}]`},
	"rdManufacturingLinks": {expr: `COUNT { ` + strings.ReplaceAll(rdLinkRowsInChain("@n.id", "@n"), "$derived", "true") + `
    WITH a, ent WHERE ` + linkActiveIn("{chainMapId: @n.id}") + ` RETURN a }`},
}

// regionSites binds s_ to each site in the region @n or inside it.
const regionSites = `MATCH (@n)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(s_:Site)`

// A region's counts cover one chain map when the request names one: @firmInChain, @siteInChain,
// @segmentInChain and @linkInChain are then conditions on the enterprise e_, the site s_, the segment g_ and a
// link row, else true (regionStatsScope).
var regionStats = map[string]field{
	"enterprises": {expr: `COUNT { ` + regionSites + `<-[:OPERATES]-(e_:Enterprise) WHERE @firmInChain RETURN DISTINCT e_ }`},
	"sites":       {expr: `COUNT { ` + regionSites + ` WHERE @siteInChain RETURN s_ }`},
	"sitesByKind": {expr: `[k_ IN ['HQ', 'RD', 'MANUFACTURING', 'ASSEMBLY', 'TESTING', 'PILOT'] |
    {key: k_, count: COUNT { ` + regionSites + ` WHERE s_.kind = k_ AND @siteInChain RETURN s_ }}]`},
	"enterprisesByChainMap": {expr: `[c_ IN COLLECT { MATCH (c:ChainMap) RETURN c ORDER BY c.id } |
    {key: c_.id, name: c_.name, count: COUNT { ` + regionSites + `<-[:OPERATES]-(e_:Enterprise)
      WHERE EXISTS { (e_)-[:ACTIVE_IN]->(:Segment {chainMapId: c_.id}) } AND @firmInChain RETURN DISTINCT e_ }}]`},
	// From the few unresolved bottlenecks to any firm of the region, not from the region's many firms to theirs.
	"openBottlenecks": {expr: `COUNT { MATCH (g_:Segment)<-[:CONSTRAINS]-(b_:Bottleneck) WHERE b_.status <> 'RESOLVED' AND @segmentInChain
    AND EXISTS { (g_)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(@n) } RETURN DISTINCT b_ }`},
	"rdLinksIn": {expr: `COUNT { ` + regionLinkRows + `
    WITH toRegion, a, ent WHERE EXISTS { (:Region {code: toRegion})-[:PART_OF*0..3]->(@n) } AND @linkInChain RETURN toRegion }`},
	"rdLinksOut": {expr: `COUNT { ` + regionLinkRows + `
    WITH fromRegion, a, ent WHERE EXISTS { (:Region {code: fromRegion})-[:PART_OF*0..3]->(@n) } AND @linkInChain RETURN fromRegion }`},
}

// regionLinkRows are the link rows that may start or end in the region @n: the stated transfers, and the
// derived links of the firms with a site in it (not those of every firm of the graph).
var regionLinkRows = strings.ReplaceAll(linkRows(`MATCH (@n)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(:Site)<-[:OPERATES]-(ent:Enterprise)
  WITH DISTINCT ent`, "@n"), "$derived", "true")

// regionStatsScope is the scope of a region's counts: the region, and the chain-map conditions of regionStats.
func regionStatsScope(c *compiler, p scope, a chainmap.FieldArgs) (string, scope, error) {
	s := scope{"n": p["n"], "firmInChain": "true", "siteInChain": "true", "segmentInChain": "true", "linkInChain": "true"}
	if a.ChainMapID != "" {
		id := c.param(a.ChainMapID)
		s["firmInChain"] = "EXISTS { (e_)-[:ACTIVE_IN]->(:Segment {chainMapId: " + id + "}) }"
		s["siteInChain"] = "EXISTS { (s_)<-[:OPERATES]-(:Enterprise)-[:ACTIVE_IN]->(:Segment {chainMapId: " + id + "}) }"
		s["segmentInChain"] = "g_.chainMapId = " + id
		s["linkInChain"] = linkActiveIn("{chainMapId: " + id + "}")
	}
	return "", s, nil
}

func chainMapStatsFrom(m props) chainmap.ChainMapStats {
	return chainmap.ChainMapStats{
		Enterprises: m.int("enterprises"), Segments: m.int("segments"),
		SegmentsByStage:       groupsFrom(m.list("segmentsByStage"), false),
		EnterprisesByProvince: groupsFrom(m.list("enterprisesByProvince"), true),
		SitesByKind:           groupsFrom(m.list("sitesByKind"), true),
		OpenBottlenecks:       m.int("openBottlenecks"),
		BottlenecksByStatus:   groupsFrom(m.list("bottlenecksByStatus"), true),
		BottlenecksByKind:     groupsFrom(m.list("bottlenecksByKind"), true),
		RDManufacturingLinks:  m.int("rdManufacturingLinks"),
	}
}

func regionStatsFrom(m props) chainmap.RegionStats {
	return chainmap.RegionStats{
		Enterprises: m.int("enterprises"), Sites: m.int("sites"), SitesByKind: groupsFrom(m.list("sitesByKind"), true),
		EnterprisesByChainMap: groupsFrom(m.list("enterprisesByChainMap"), true), OpenBottlenecks: m.int("openBottlenecks"),
		RDLinksIn: m.int("rdLinksIn"), RDLinksOut: m.int("rdLinksOut"),
	}
}

// groupsFrom reads grouped counts, leaving out empty groups; bySize sorts the largest first (ties by key),
// else the order read is kept.
func groupsFrom(list []props, bySize bool) []chainmap.Group {
	out := make([]chainmap.Group, 0, len(list))
	for _, g := range list {
		if n := g.int("count"); n > 0 {
			out = append(out, chainmap.Group{Key: fmt.Sprint(g["key"]), Name: g.str("name"), Count: n})
		}
	}
	if bySize {
		slices.SortStableFunc(out, func(a, b chainmap.Group) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key))
		})
	}
	return out
}
