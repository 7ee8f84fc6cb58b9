// request
//   {
//     rdManufacturingLinks(filter: {chainMapId: "nev-icv", segmentId: "nev-vehicles", toRegionCode: "130900", includeDerived: false,
//                                   kinds: [RD_TO_PRODUCTION], synthetic: false}, first: 50) {
//       totalCount
//       nodes { id derived year from { ... on Site { id } ... on Institution { id } } to { ... on Site { id } ... on Enterprise { id } } toRegion { name } sources { id } }
//     }
//   }

// statement 1: RDLinks (read)
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
  AND (EXISTS { (ent)-[:ACTIVE_IN]->(:Segment {id: $segmentId}) } OR EXISTS { (a)-[:ACTIVE_IN]->(:Segment {id: $segmentId}) })
  AND EXISTS { (:Region {code: toRegion})-[:PART_OF*0..3]->(:Region {code: $toRegionCode}) }
  AND coalesce(ent.synthetic, false) = $synthetic
  AND CASE WHEN t IS NULL THEN 'RD_TO_PRODUCTION' ELSE t.kind END IN $kinds
  RETURN count(*) AS total
}
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
  AND (EXISTS { (ent)-[:ACTIVE_IN]->(:Segment {id: $segmentId}) } OR EXISTS { (a)-[:ACTIVE_IN]->(:Segment {id: $segmentId}) })
  AND EXISTS { (:Region {code: toRegion})-[:PART_OF*0..3]->(:Region {code: $toRegionCode}) }
  AND coalesce(ent.synthetic, false) = $synthetic
  AND CASE WHEN t IS NULL THEN 'RD_TO_PRODUCTION' ELSE t.kind END IN $kinds
  WITH *, id AS k
  ORDER BY k ASC, id ASC
  LIMIT $limit
  RETURN k, id AS id, {id: id, derived: derived, year: t.year, `@3`: CASE WHEN a:Site THEN a {`_k_`: 'Site', .id} WHEN a:Institution THEN a {`_k_`: 'Institution', .id} WHEN a:Enterprise THEN a {`_k_`: 'Enterprise'} END, `@4`: CASE WHEN b:Site THEN b {`_k_`: 'Site', .id} WHEN b:Institution THEN b {`_k_`: 'Institution'} WHEN b:Enterprise THEN b {`_k_`: 'Enterprise', .id} END, `@5`: COLLECT {
    MATCH (v1:Region {code: toRegion})
    RETURN v1 {.name}
    LIMIT 1
  }[0], `@6`: COLLECT {
    UNWIND range(0, size(coalesce(CASE WHEN t IS NULL
    THEN reduce(ids = [], s IN coalesce(a.sourceIds, []) + coalesce(b.sourceIds, []) | CASE WHEN s IN ids THEN ids ELSE ids + s END)
    ELSE t.sourceIds END, [])) - 1) AS v3
    MATCH (v2:Source {id: CASE WHEN t IS NULL
      THEN reduce(ids = [], s IN coalesce(a.sourceIds, []) + coalesce(b.sourceIds, []) | CASE WHEN s IN ids THEN ids ELSE ids + s END)
      ELSE t.sourceIds END[v3]})
    WITH v2 ORDER BY v3
    RETURN v2 {.id}
  }} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "chainMapId": "nev-icv",
//   "derived": false,
//   "inChain": null,
//   "kinds": [
//     "RD_TO_PRODUCTION"
//   ],
//   "limit": 51,
//   "segmentId": "nev-vehicles",
//   "synthetic": false,
//   "toRegionCode": "130900"
// }
