CALL () {
  CALL () {
    UNWIND $p3 AS key MATCH (v1:Enterprise {id: key})
    RETURN key, v1 {.id, `@1`: COLLECT {
MATCH (v1)<-[v2:SUPPLIES]-(v3:Enterprise)
WITH v2, v3 ORDER BY v3.name, v3.id, v2.product LIMIT $p1
RETURN {product: v2.product, `@1`: v3 {.id}}
}, `@2`: COLLECT {
WITH COLLECT { UNWIND [v1] AS f_ MATCH (f_)<-[:SUPPLIES]-(o_:Enterprise) WHERE NOT o_ IN [v1] RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..($p2 - size([v1]) + 1)] AS v4
WITH v4, COLLECT { UNWIND v4 AS f_ MATCH (f_)<-[:SUPPLIES]-(o_:Enterprise) WHERE NOT o_ IN [v1] + v4 RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..($p2 - size([v1] + v4) + 1)] AS v5
UNWIND [x_ IN v4 | {tier: 1, e: x_}] + [x_ IN v5 | {tier: 2, e: x_}] AS v6
WITH v6.tier AS v7, v6.e AS v8
RETURN {tier: v7, `@1`: v8 {.id}}
}} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
CALL () {
  CALL () {
    UNWIND $p4 AS key MATCH (v9:Region {code: key})
    RETURN key, v9 {.name, `@1`: {enterprises: COUNT { MATCH (v9)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(s_:Site)<-[:OPERATES]-(e_:Enterprise) WHERE true RETURN DISTINCT e_ }, openBottlenecks: COUNT { MATCH (g_:Segment)<-[:CONSTRAINS]-(b_:Bottleneck) WHERE b_.status <> 'RESOLVED' AND true
    AND EXISTS { (g_)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(v9) } RETURN DISTINCT b_ }}} AS n
  }
  RETURN collect({key: key, n: n}) AS r1
}
RETURN r0, r1

// parameters
{
  "p1": 5,
  "p2": 200,
  "p3": [
    "e1"
  ],
  "p4": [
    "130000"
  ]
}
