CALL () {
MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
WITH DISTINCT e
WITH e WHERE EXISTS { (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: $province}) }
  AND EXISTS { (e)-[:OPERATES]->(:Site {kind: $provinceSiteKind})-[:LOCATED_IN]->(:Region {province: $province}) }
RETURN count(*) AS total
}
CALL () {
MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
WITH DISTINCT e
WITH e WHERE EXISTS { (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: $province}) }
  AND EXISTS { (e)-[:OPERATES]->(:Site {kind: $provinceSiteKind})-[:LOCATED_IN]->(:Region {province: $province}) }
WITH e, COUNT { MATCH (e)-[:ACTIVE_IN]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck)
    WHERE b.status <> 'RESOLVED' RETURN DISTINCT b } AS k
WHERE k < $afterKey OR (k = $afterKey AND e.id > $afterId)
ORDER BY k DESC, e.id ASC
LIMIT $limit
RETURN k, e.id AS id, e {.id, `@1`: COLLECT {
MATCH (e)-[:ACTIVE_IN]->(v1:Segment)
WITH v1 ORDER BY v1.chainMapId, v1.order, v1.id
RETURN v1 {.id}
}} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows

// parameters
{
  "afterId": "sinohytec",
  "afterKey": 3,
  "chainMapId": "hydrogen",
  "limit": 51,
  "province": "130000",
  "provinceSiteKind": "MANUFACTURING"
}
