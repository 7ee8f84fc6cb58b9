package neo4jdb

import (
	"cmp"
	"fmt"
	"slices"

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
	"rdManufacturingLinks": {expr: chainLinks("@n.id", true)},
}

// regionSites binds s_ to each site in the region @n or inside it.
const regionSites = `MATCH (@n)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(s_:Site)`

// A region's counts cover one chain map when the request names one: @chainKey is then its id, else '*', the
// key of the maintained counts (aggregates.go: RegionAggregate) that cover every chain; @segmentInChain and
// @linkInChain are conditions on the segment g_ and a link row, else true; @firmsByChainMap the enterprises by
// chain map (regionStatsScope).
var regionStats = map[string]field{
	"enterprises": {expr: regionCount(`'e|'`)},
	"sites":       {expr: regionCount(`'n|'`)},
	"sitesByKind": {expr: `[k_ IN ['HQ', 'RD', 'MANUFACTURING', 'ASSEMBLY', 'TESTING', 'PILOT'] |
    {key: k_, count: ` + regionCount(`'k|'`, `'|' + k_`) + `}]`},
	"enterprisesByChainMap": {expr: `@firmsByChainMap`},
	// From the few unresolved bottlenecks to the region's maintained segment counts, not from its many firms.
	"openBottlenecks": {expr: `COUNT { MATCH (g_:Segment)<-[:CONSTRAINS]-(b_:Bottleneck) WHERE b_.status <> 'RESOLVED' AND @segmentInChain
    AND EXISTS { (:RegionAggregate {key: 'g|' + @n.code + '|' + g_.id}) } RETURN DISTINCT b_ }`},
	// The derived links maintained (aggregates.go), the few stated transfers counted.
	"rdLinksIn": {expr: regionCount(`'i|'`) + ` + COUNT { ` + statedLinkRows + `
    WITH toRegion, a, ent WHERE EXISTS { (:Region {code: toRegion})-[:PART_OF*0..3]->(@n) } AND @linkInChain RETURN toRegion }`},
	"rdLinksOut": {expr: regionCount(`'o|'`) + ` + COUNT { ` + statedLinkRows + `
    WITH fromRegion, a, ent WHERE EXISTS { (:Region {code: fromRegion})-[:PART_OF*0..3]->(@n) } AND @linkInChain RETURN fromRegion }`},
}

// regionCount reads the maintained count of the region @n under the chain @chainKey, by kind of key ('e|',
// 'n|', 'k|') and an optional suffix (a site kind); 0 when there is none.
func regionCount(kind string, suffix ...string) string {
	key := kind + ` + @n.code + '|' + @chainKey`
	for _, s := range suffix {
		key += " + " + s
	}
	return aggregateCount(key)
}

// firmsByChainMap are a region's enterprises by chain map: maintained for every chain; with a chain map named,
// those active in both it and each chain map, counted from the region's sites (the rarer question).
var firmsByChainMap = `[c_ IN COLLECT { MATCH (c:ChainMap) RETURN c ORDER BY c.id } |
    {key: c_.id, name: c_.name, count: ` + aggregateCount(`'e|' + @n.code + '|' + c_.id`) + `}]`

const firmsByChainMapInChain = `[c_ IN COLLECT { MATCH (c:ChainMap) RETURN c ORDER BY c.id } |
    {key: c_.id, name: c_.name, count: COUNT { ` + regionSites + `<-[:OPERATES]-(e_:Enterprise)
      WHERE EXISTS { (e_)-[:ACTIVE_IN]->(:Segment {chainMapId: c_.id}) } AND EXISTS { (e_)-[:ACTIVE_IN]->(:Segment {chainMapId: @chainKey}) } RETURN DISTINCT e_ }}]`

// regionStatsScope is the scope of a region's counts: the region, and the chain-map conditions of regionStats.
func regionStatsScope(c *compiler, p scope, a chainmap.FieldArgs) (string, scope, error) {
	s := scope{"n": p["n"], "chainKey": "'*'", "segmentInChain": "true", "linkInChain": "true"}
	byChain := firmsByChainMap
	if a.ChainMapID != "" {
		id := c.param(a.ChainMapID)
		s["chainKey"] = id
		s["segmentInChain"] = "g_.chainMapId = " + id
		s["linkInChain"] = linkActiveIn("{chainMapId: " + id + "}")
		byChain = firmsByChainMapInChain
	}
	s["firmsByChainMap"] = s.fill(byChain)
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
