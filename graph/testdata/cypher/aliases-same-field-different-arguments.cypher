// request
//   {
//     segment(id: "h2-fc-stack") {
//       hebei: enterprises(regionCode: "130000") { id }
//       leads: enterprises(role: LEAD, first: 3) { id }
//       id
//       key: id
//     }
//   }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p5 AS key MATCH (v1:Segment {id: key})
    RETURN key, v1 {`@0`: COLLECT {
      MATCH (v1)<-[:ACTIVE_IN]-(v2:Enterprise) WHERE EXISTS { (v2)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: $p1}) }
      WITH v2 ORDER BY v2.name, v2.id LIMIT $p2
      RETURN v2 {.id}
    }, `@1`: COLLECT {
      MATCH (v1)<-[:ACTIVE_IN]-(v3:Enterprise) WHERE v3.chainRole = $p3
      WITH v3 ORDER BY v3.name, v3.id LIMIT $p4
      RETURN v3 {.id}
    }, .id} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": "130000",
//   "p2": 20,
//   "p3": "LEAD",
//   "p4": 3,
//   "p5": [
//     "h2-fc-stack"
//   ]
// }
