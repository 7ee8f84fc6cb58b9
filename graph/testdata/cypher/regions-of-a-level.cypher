// request
//   { regions(level: CITY) { code name stats(chainMapId: "nev-icv") { enterprises openBottlenecks } } }

// statement 1: Regions (read)
CALL () {
  MATCH (r_:Region) WHERE $level IS NULL OR r_.level = $level WITH r_ ORDER BY r_.code
  RETURN r_ {.code, .name, `@2`: {enterprises: coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'e|' + r_.code + '|' + $p2}) RETURN a_.n }[0], 0), openBottlenecks: COUNT { MATCH (g_:Segment)<-[:CONSTRAINS]-(b_:Bottleneck) WHERE b_.status <> 'RESOLVED' AND g_.chainMapId = $p2
    AND EXISTS { (:RegionAggregate {key: 'g|' + r_.code + '|' + g_.id}) } RETURN DISTINCT b_ }}} AS n
}
RETURN collect({n: n}) AS rows
// parameters {
//   "level": "CITY",
//   "p2": "nev-icv"
// }
