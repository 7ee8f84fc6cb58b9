CALL () {
  CALL () {
    UNWIND $p4 AS key MATCH (v1:ChainMap {id: key})
    RETURN key, v1 {.name, `@1`: COLLECT {
MATCH (v1)-[:HAS_SEGMENT]->(v2:Segment)
WITH v2 ORDER BY v2.order, v2.id
RETURN v2 {.id, .order, `@2`: COLLECT {
MATCH (v2)<-[:ACTIVE_IN]-(v3:Enterprise) WHERE v3.chainRole = $p1 AND EXISTS { (v3)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: $p2}) }
WITH v3 ORDER BY v3.name, v3.id LIMIT $p3
RETURN v3 {.id, .name, `@2`: COLLECT {
MATCH (v3)-[:OPERATES]->(v4:Site)
WITH v4 ORDER BY v4.id
RETURN v4 {.kind, `@1`: COLLECT {
MATCH (v4)-[:LOCATED_IN]->(v5:Region)
WITH v5 ORDER BY v5.code
RETURN v5 {.name}
LIMIT 1
}[0]}
}}
}}
}} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0

// parameters
{
  "p1": "LEAD",
  "p2": "130000",
  "p3": 20,
  "p4": [
    "hydrogen"
  ]
}
