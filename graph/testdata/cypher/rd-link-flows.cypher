// request
//   { rdLinkFlows(filter: {chainMapId: "nev-icv"}) { fromRegion { name } toRegion { name } kind links } }

// statement 1: RDLinkFlows (read)
CALL () {
  
  CALL () {
    MATCH (a)-[t:TRANSFERS_TECH_TO]->(b)
    OPTIONAL MATCH (owner:Enterprise)-[:OPERATES]->(b)
    WITH a, b, t, CASE WHEN b:Enterprise THEN b ELSE owner END AS ent
    RETURN t.id AS id, false AS derived, a, b, ent, a.regionCode AS fromRegion,
    coalesce(b.regionCode, COLLECT { MATCH (b)-[:OPERATES]->(s)-[:LOCATED_IN]->(r:Region)
      WHERE r.province IN ['120000', '130000'] RETURN r.code ORDER BY r.code }[0]) AS toRegion, t
    UNION ALL
    MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(ent:Enterprise)
    WITH DISTINCT ent
    MATCH (ent)-[:OPERATES]->(a)-[:LOCATED_IN]->(ra_)
    WHERE $derived AND a.kind IN ['RD', 'HQ'] AND ra_.province = '110000'
    MATCH (ent)-[:OPERATES]->(b)-[:LOCATED_IN]->(rb)
    WHERE b.kind IN ['MANUFACTURING', 'ASSEMBLY', 'PILOT'] AND rb.province IN ['120000', '130000']
    AND NOT EXISTS { (a)-[:TRANSFERS_TECH_TO]->(b) }
    RETURN 'derived:' + a.id + '>' + b.id AS id, true AS derived, a, b, ent, a.regionCode AS fromRegion,
    b.regionCode AS toRegion, null AS t
  }
  WITH * WHERE (EXISTS { (ent)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) } OR EXISTS { (a)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) })
  WITH fromRegion, toRegion, CASE WHEN t IS NULL THEN 'RD_TO_PRODUCTION' ELSE t.kind END AS kind, count(*) AS links, count(CASE WHEN derived THEN 1 END) AS derived
  WITH * ORDER BY links DESC, fromRegion, toRegion, kind
  RETURN {`@0`: COLLECT {
    MATCH (v1:Region {code: fromRegion})
    RETURN v1 {.name}
    LIMIT 1
  }[0], `@1`: COLLECT {
    MATCH (v2:Region {code: toRegion})
    RETURN v2 {.name}
    LIMIT 1
  }[0], kind: kind, links: links} AS n
}
RETURN collect({n: n}) AS rows
// parameters {
//   "chainMapId": "nev-icv",
//   "derived": true,
//   "inChain": null
// }
