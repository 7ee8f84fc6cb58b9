// request
//   { rdManufacturingLinks(first: 10, after: "eyJpIjoieCIsIm8iOiJJRCBBU0MiLCJzIjoieCJ9") { totalCount } }

// statement 1: RDLinks (read)
CALL () {
  RETURN COUNT { 
    CALL () {
      MATCH (a)-[t:TRANSFERS_TECH_TO]->(b)
      OPTIONAL MATCH (owner:Enterprise)-[:OPERATES]->(b)
      WITH a, b, t, CASE WHEN b:Enterprise THEN b ELSE owner END AS ent
      RETURN t.id AS id, false AS derived, a, b, ent, a.regionCode AS fromRegion,
      coalesce(b.regionCode, COLLECT { MATCH (b)-[:OPERATES]->(s)-[:LOCATED_IN]->(r:Region)
        WHERE r.province IN ['120000', '130000'] RETURN r.code ORDER BY r.code }[0]) AS toRegion, t
    } WITH a, ent WHERE true RETURN a } + coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'o|110000|*'}) RETURN a_.n }[0], 0) AS total
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
    MATCH (ent:Enterprise)
    MATCH (ent)-[:OPERATES]->(a)-[:LOCATED_IN]->(ra_)
    WHERE $derived AND a.kind IN ['RD', 'HQ'] AND ra_.province = '110000'
    MATCH (ent)-[:OPERATES]->(b)-[:LOCATED_IN]->(rb)
    WHERE b.kind IN ['MANUFACTURING', 'ASSEMBLY', 'PILOT'] AND rb.province IN ['120000', '130000']
    AND NOT EXISTS { (a)-[:TRANSFERS_TECH_TO]->(b) }
    RETURN 'derived:' + a.id + '>' + b.id AS id, true AS derived, a, b, ent, a.regionCode AS fromRegion,
    b.regionCode AS toRegion, null AS t
  }
  WITH *, id AS k
  WHERE k > $afterKey OR (k = $afterKey AND id > $afterId)
  ORDER BY k ASC, id ASC
  LIMIT $limit
  RETURN k, id AS id, null AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "afterId": "x",
//   "afterKey": "x",
//   "derived": true,
//   "limit": 11
// }
