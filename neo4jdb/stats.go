package neo4jdb

import (
	"context"
	"fmt"

	"github.com/chainmap/chainmap"
)

const chainMapStats = `
UNWIND $keys AS key
MATCH (c:ChainMap {id: key})
CALL (c) {
  MATCH (c)-[:HAS_SEGMENT]->(s:Segment)
  WITH s.stage AS k, count(*) AS n ORDER BY k
  RETURN sum(n) AS segments, collect({key: k, count: n}) AS segmentsByStage
}
CALL (c) {
  MATCH (c)-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
  RETURN collect(DISTINCT e) AS ents
}
CALL (ents) {
  UNWIND ents AS e
  MATCH (e)-[:OPERATES]->(site:Site)
  WITH site.kind AS k, count(*) AS n ORDER BY n DESC, k
  RETURN collect({key: k, count: n}) AS sitesByKind
}
CALL (ents) {
  UNWIND ents AS e
  MATCH (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
  WITH DISTINCT e, r.province AS k
  WITH k, count(*) AS n ORDER BY n DESC, k
  MATCH (p:Region {code: k})
  RETURN collect({key: k, name: p.name, count: n}) AS enterprisesByProvince
}
CALL (c) {
  MATCH (c)-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck)
  WITH DISTINCT b
  RETURN collect(b) AS bns
}
CALL (bns) {
  UNWIND bns AS b
  WITH b.status AS k, count(*) AS n ORDER BY n DESC, k
  RETURN collect({key: k, count: n}) AS bottlenecksByStatus
}
CALL (bns) {
  UNWIND bns AS b
  WITH b.kind AS k, count(*) AS n ORDER BY n DESC, k
  RETURN collect({key: k, count: n}) AS bottlenecksByKind
}
RETURN key, {segments: segments, segmentsByStage: segmentsByStage, enterprises: size(ents),
  enterprisesByProvince: enterprisesByProvince, sitesByKind: sitesByKind,
  openBottlenecks: size([b IN bns WHERE b.status <> 'RESOLVED']),
  bottlenecksByStatus: bottlenecksByStatus, bottlenecksByKind: bottlenecksByKind} AS n`

// ChainMapStats returns the counts of each chain map. The number of R&D→manufacturing links is filled in from
// CountRDLinks, which owns the definition of a link.
func (db *DB) ChainMapStats(ctx context.Context, ids []string) (map[string]chainmap.ChainMapStats, error) {
	out, err := byKey(ctx, db, "ChainMapStats", chainMapStats, ids, func(m props) chainmap.ChainMapStats {
		return chainmap.ChainMapStats{
			Segments: m.int("segments"), SegmentsByStage: groupsFrom(m.list("segmentsByStage")),
			Enterprises: m.int("enterprises"), EnterprisesByProvince: groupsFrom(m.list("enterprisesByProvince")),
			SitesByKind: groupsFrom(m.list("sitesByKind")), OpenBottlenecks: m.int("openBottlenecks"),
			BottlenecksByStatus: groupsFrom(m.list("bottlenecksByStatus")), BottlenecksByKind: groupsFrom(m.list("bottlenecksByKind")),
		}
	})
	if err != nil {
		return nil, err
	}
	res, err := db.read(ctx, "ChainMapStats", rdLinksByChain, map[string]any{"keys": ids, "derived": true})
	if err != nil {
		return nil, err
	}
	for _, rec := range res.Records {
		key, _ := rec.Get("key")
		s := out[fmt.Sprint(key)]
		s.RDManufacturingLinks = recInt(rec, "n")
		out[fmt.Sprint(key)] = s
	}
	return out, nil
}

// rdLinksByChain counts each chain's R&D→manufacturing links (derived ones included): those whose enterprise
// or institution is active in the chain.
const rdLinksByChain = `
UNWIND $keys AS key
CALL (key) {` + rdLinkRows + `
  WITH a, ent WHERE EXISTS { (x)-[:ACTIVE_IN]->(:Segment {chainMapId: key}) WHERE x = ent OR x = a }
  RETURN count(*) AS n
}
RETURN key, n`

const regionStats = `
UNWIND $keys AS key
MATCH (r:Region {code: key})
CALL (r) {
  MATCH (r)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(site:Site)
  RETURN collect(site) AS sites
}
CALL (sites) {
  UNWIND sites AS site
  WITH site.kind AS k, count(*) AS n ORDER BY n DESC, k
  RETURN collect({key: k, count: n}) AS sitesByKind
}
CALL (sites) {
  UNWIND sites AS site
  MATCH (e:Enterprise)-[:OPERATES]->(site)
  RETURN collect(DISTINCT e) AS ents
}
CALL (ents) {
  UNWIND ents AS e
  MATCH (e)-[:ACTIVE_IN]->(s:Segment)
  WITH DISTINCT e, s.chainMapId AS k
  WITH k, count(*) AS n ORDER BY n DESC, k
  MATCH (c:ChainMap {id: k})
  RETURN collect({key: k, name: c.name, count: n}) AS enterprisesByChainMap
}
CALL (ents) {
  UNWIND ents AS e
  MATCH (e)-[:ACTIVE_IN]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck)
  WHERE b.status <> 'RESOLVED'
  RETURN count(DISTINCT b) AS openBottlenecks
}
RETURN key, {enterprises: size(ents), sites: size(sites), sitesByKind: sitesByKind,
  enterprisesByChainMap: enterprisesByChainMap, openBottlenecks: openBottlenecks} AS n`

// regionLinks counts the links into and out of each region (inside it included).
const regionLinks = `
UNWIND $keys AS key
CALL (key) {` + rdLinkRows + `
  RETURN count(CASE WHEN EXISTS { (:Region {code: toRegion})-[:PART_OF*0..3]->(:Region {code: key}) } THEN 1 END) AS rdIn,
         count(CASE WHEN EXISTS { (:Region {code: fromRegion})-[:PART_OF*0..3]->(:Region {code: key}) } THEN 1 END) AS rdOut
}
RETURN key, rdIn, rdOut`

// RegionStats returns the counts of each region, everything inside it included.
func (db *DB) RegionStats(ctx context.Context, codes []string) (map[string]chainmap.RegionStats, error) {
	out, err := byKey(ctx, db, "RegionStats", regionStats, codes, func(m props) chainmap.RegionStats {
		return chainmap.RegionStats{
			Enterprises: m.int("enterprises"), Sites: m.int("sites"), SitesByKind: groupsFrom(m.list("sitesByKind")),
			EnterprisesByChainMap: groupsFrom(m.list("enterprisesByChainMap")), OpenBottlenecks: m.int("openBottlenecks"),
		}
	})
	if err != nil {
		return nil, err
	}
	res, err := db.read(ctx, "RegionStats", regionLinks, map[string]any{"keys": codes, "derived": true})
	if err != nil {
		return nil, err
	}
	for _, rec := range res.Records {
		key, _ := rec.Get("key")
		s, ok := out[fmt.Sprint(key)]
		if !ok {
			continue
		}
		s.RDLinksIn, s.RDLinksOut = recInt(rec, "rdIn"), recInt(rec, "rdOut")
		out[fmt.Sprint(key)] = s
	}
	return out, nil
}

func groupsFrom(list []props) []chainmap.Group {
	out := make([]chainmap.Group, 0, len(list))
	for _, g := range list {
		out = append(out, chainmap.Group{Key: fmt.Sprint(g["key"]), Name: g.str("name"), Count: g.int("count")})
	}
	return out
}
