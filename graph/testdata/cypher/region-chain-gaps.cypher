// request
//   { regionChainGaps(regionCode: "130600", chainMapId: "hydrogen", thinAtMost: 2, first: 3) { region { name } chainMap { id } } }

// statement 1: RegionGaps (read)
MATCH (target:Region {code: $code})
MATCH (m:ChainMap {id: $chainMapId})
WITH target, m, COLLECT { MATCH (r:Region)-[:PART_OF*0..3]->(target) RETURN r.code } AS inside
CALL (m, inside) {
  MATCH (m)-[:HAS_SEGMENT]->(s:Segment)
  WITH s, coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'g|' + $code + '|' + s.id}) RETURN a_.n }[0], 0) AS n
  ORDER BY s.order, s.id
  RETURN collect({s: s, n: n}) AS segs
}
CALL (segs, inside) {
  UNWIND segs AS g
  WITH g.s AS s, g.n AS n, inside
  WHERE n <= $thin
  CALL (s, inside) {
    CALL (s) {
      MATCH (s)<-[:ACTIVE_IN]-(c) RETURN c, 2 AS f
      UNION ALL
      MATCH (s)-[:FEEDS]-(:Segment)<-[:ACTIVE_IN]-(c) RETURN c, 1 AS f
    }
    WITH c, max(f) AS fit, inside
    WITH c, fit, inside, c:Enterprise AND fit = 2 AS firm,
    (c:Institution AND EXISTS { (c)-[:LOCATED_IN]->(:Region {province: '110000'}) })
    OR (c:Enterprise AND EXISTS { (c)-[:OPERATES]->(x)-[:LOCATED_IN]->(:Region {province: '110000'})
      WHERE x.kind IN ['RD', 'HQ'] }) AS rd
    WHERE (firm OR rd) AND NOT coalesce(c.regionCode IN inside, false)
    AND NOT EXISTS { (c)-[:OPERATES]->(x) WHERE x.regionCode IN inside }
    RETURN collect({id: c.id, name: c.name, nameZh: c.nameZh, chainRole: c.chainRole, institution: c:Institution,
      firm: firm, rd: rd, fit: fit, regionCode: c.regionCode,
      sites: COLLECT { MATCH (c)-[:OPERATES]->(x) RETURN {id: x.id, kind: x.kind, code: x.regionCode} ORDER BY x.id },
      linked: COLLECT { MATCH (c)-[:SUPPLIES]-(e:Enterprise) WHERE EXISTS { (e)-[:OPERATES]->(x_) WHERE x_.regionCode IN inside }
        RETURN DISTINCT {id: e.id, name: e.name, nameZh: e.nameZh} },
      transfers: COLLECT {
        CALL (c) {
          MATCH (c)-[t:TRANSFERS_TECH_TO]->(y) RETURN t, c.regionCode AS from, y
          UNION
          MATCH (c)-[:OPERATES]->(src)-[t:TRANSFERS_TECH_TO]->(y) RETURN t, src.regionCode AS from, y
        }
        RETURN {id: t.id, kind: t.kind, year: t.year, from: from,
          toCodes: CASE WHEN y.regionCode IS NOT NULL THEN [y.regionCode]
          ELSE COLLECT { MATCH (y)-[:OPERATES]->(z) RETURN z.regionCode ORDER BY z.regionCode } END,
          toFirm: CASE WHEN y:Enterprise THEN y {.id, .name, .nameZh}
          ELSE COLLECT { MATCH (o:Enterprise)-[:OPERATES]->(y) RETURN o {.id, .name, .nameZh} }[0] END}
      },
      branches: COUNT { (:Enterprise)-[:BRANCH_OF]->(c) }}) AS candidates
  }
  RETURN collect({id: s.id, name: s.name, nameZh: s.nameZh, stage: s.stage, order: s.order, n: n,
    here: COLLECT { MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise) WHERE EXISTS { (e)-[:OPERATES]->(x_) WHERE x_.regionCode IN inside } WITH e ORDER BY e.name, e.id LIMIT $thin RETURN e {.id, .name, .nameZh} },
    open: COUNT { MATCH (s)<-[:CONSTRAINS]-(b:Bottleneck) WHERE b.status <> 'RESOLVED' },
    upstream: COLLECT { MATCH (nb:Segment)-[:FEEDS]->(s) RETURN {id: nb.id, name: nb.name, nameZh: nb.nameZh,
      firms: coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'g|' + $code + '|' + nb.id}) RETURN a_.n }[0], 0)} ORDER BY nb.chainMapId, nb.order, nb.id },
    downstream: COLLECT { MATCH (s)-[:FEEDS]->(nb:Segment) RETURN {id: nb.id, name: nb.name, nameZh: nb.nameZh,
      firms: coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'g|' + $code + '|' + nb.id}) RETURN a_.n }[0], 0)} ORDER BY nb.chainMapId, nb.order, nb.id },
    candidates: candidates, parks: COLLECT { MATCH (p:Park) WHERE p.regionCode IN inside
      WITH p, COUNT { MATCH (p)<-[:IN_PARK]-(:Site)<-[:OPERATES]-(e:Enterprise)-[:ACTIVE_IN]->(:Segment)-[:FEEDS]-(s) RETURN DISTINCT e } AS nb,
      COUNT { MATCH (p)<-[:IN_PARK]-(:Site)<-[:OPERATES]-(e:Enterprise)-[:ACTIVE_IN]->(s) RETURN DISTINCT e } AS own
      WHERE nb + own > 0
      RETURN {id: p.id, name: p.name, nameZh: p.nameZh, nb: nb, own: own} }}) AS gaps
}
RETURN target {.code, .name, .nameZh} AS region, m {.id, .name, .nameZh} AS chainMap, size(segs) AS total,
size([g IN segs WHERE g.n > 0]) AS held, gaps, COLLECT { MATCH (r:Region)
  RETURN {code: r.code, name: r.name, nameZh: r.nameZh, parent: COLLECT { MATCH (r)-[:PART_OF]->(p:Region) RETURN p.code }[0]} } AS tree
// parameters {
//   "chainMapId": "hydrogen",
//   "code": "130600",
//   "thin": 2
// }

// statement 2: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Region {code: key})
    RETURN key, v1 {.name} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
CALL () {
  CALL () {
    UNWIND $p2 AS key MATCH (v2:ChainMap {id: key})
    RETURN key, v2 {.id} AS n
  }
  RETURN collect({key: key, n: n}) AS r1
}
RETURN r0, r1
// parameters {
//   "p1": [],
//   "p2": []
// }

// error (decoding the Recorder's empty answer) INTERNAL [regionChainGaps chainMap]: internal error

// error (decoding the Recorder's empty answer) INTERNAL [regionChainGaps region]: internal error
