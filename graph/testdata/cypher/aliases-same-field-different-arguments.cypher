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
      MATCH (v3:SegmentMember {segment: v1.id}) WHERE v3.name IS NOT NULL AND v3.firmId IS NOT NULL
      MATCH (v2:Enterprise {id: v3.firmId}) WHERE EXISTS { (v2)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: $p1}) }
      WITH v2, v3 ORDER BY v3.segment, v3.name, v3.firmId LIMIT $p2
      RETURN v2 {.id}
    }, `@1`: COLLECT {
      MATCH (v5:SegmentMember {segment: v1.id}) WHERE v5.name IS NOT NULL AND v5.firmId IS NOT NULL
      MATCH (v4:Enterprise {id: v5.firmId}) WHERE v4.chainRole = $p3
      WITH v4, v5 ORDER BY v5.segment, v5.name, v5.firmId LIMIT $p4
      RETURN v4 {.id}
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
