// request
//   query($after: String) {
//     enterprises(filter: {chainMapId: "hydrogen", regionCode: "130000", siteKind: MANUFACTURING, chainRole: LEAD},
//                 orderBy: {field: OPEN_BOTTLENECKS, direction: DESC}, first: 50, after: $after) {
//       totalCount
//       edges { cursor node { id segments { id } } }
//       nodes { id name }
//       pageInfo { hasNextPage endCursor }
//     }
//   }
// variables {"after":"eyJpIjoic2lub2h5dGVjIiwibiI6MywibyI6Ik9QRU5fQk9UVExFTkVDS1MgREVTQyJ9"}

// statement 1: Enterprises (read)
CALL () {
  MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
  WITH DISTINCT e
  WITH e WHERE EXISTS { (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: $province}) }
  AND EXISTS { (e)-[:OPERATES]->(:Site {kind: $provinceSiteKind})-[:LOCATED_IN]->(:Region {province: $province}) }
  AND e.chainRole = $chainRole
  RETURN count(*) AS total
}
CALL () {
  MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
  WITH DISTINCT e
  WITH e WHERE EXISTS { (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: $province}) }
  AND EXISTS { (e)-[:OPERATES]->(:Site {kind: $provinceSiteKind})-[:LOCATED_IN]->(:Region {province: $province}) }
  AND e.chainRole = $chainRole
  WITH e, coalesce(COLLECT { MATCH (x_:FirmAggregate {firmId: e.id}) RETURN x_.openBottlenecks }[0], 0) AS k
  WHERE k < $afterKey OR (k = $afterKey AND e.id > $afterId)
  ORDER BY k DESC, e.id ASC
  LIMIT $limit
  RETURN k, e.id AS id, e {.id, `@1`: COLLECT {
    MATCH (e)-[:ACTIVE_IN]->(v1:Segment)
    WITH v1 ORDER BY v1.chainMapId, v1.order, v1.id
    RETURN v1 {.id}
  }, .name} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "afterId": "sinohytec",
//   "afterKey": 3,
//   "chainMapId": "hydrogen",
//   "chainRole": "LEAD",
//   "limit": 51,
//   "province": "130000",
//   "provinceSiteKind": "MANUFACTURING"
// }
