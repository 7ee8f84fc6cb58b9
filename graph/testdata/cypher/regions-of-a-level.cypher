// request
//   { regions(level: CITY) { code name stats(chainMapId: "nev-icv") { enterprises openBottlenecks } } }

// statement 1: Regions (read)
CALL () {
  MATCH (r_:Region) WHERE $level IS NULL OR r_.level = $level WITH r_ ORDER BY r_.code
  RETURN r_ {.code, .name, `@2`: {enterprises: COUNT { MATCH (r_)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(s_:Site)<-[:OPERATES]-(e_:Enterprise) WHERE EXISTS { (e_)-[:ACTIVE_IN]->(:Segment {chainMapId: $p2}) } RETURN DISTINCT e_ }, openBottlenecks: COUNT { MATCH (g_:Segment)<-[:CONSTRAINS]-(b_:Bottleneck) WHERE b_.status <> 'RESOLVED' AND g_.chainMapId = $p2
    AND EXISTS { (g_)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r_) } RETURN DISTINCT b_ }}} AS n
}
RETURN collect({n: n}) AS rows
// parameters {
//   "level": "CITY",
//   "p2": "nev-icv"
// }
