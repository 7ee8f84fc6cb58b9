// request
//   {
//     chainMap(id: "hydrogen") {
//       name leadRegion { name }
//       segments { id order firms: enterprises(regionCode: "130000", role: LEAD, first: 20) { id name sites { kind region { name } park { id } } } }
//     }
//   }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p4 AS key MATCH (v1:ChainMap {id: key})
    RETURN key, v1 {.name, `@1`: COLLECT {
      MATCH (v2:Region {code: v1.leadRegion})
      RETURN v2 {.name}
      LIMIT 1
    }[0], `@2`: COLLECT {
      MATCH (v1)-[:HAS_SEGMENT]->(v3:Segment)
      WITH v3 ORDER BY v3.order, v3.id
      RETURN v3 {.id, .order, `@2`: COLLECT {
        MATCH (v5:SegmentMember {segment: v3.id}) WHERE v5.name IS NOT NULL AND v5.firmId IS NOT NULL
        MATCH (v4:Enterprise {id: v5.firmId}) WHERE v4.chainRole = $p1 AND EXISTS { (v4)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: $p2}) }
        WITH v4, v5 ORDER BY v5.segment, v5.name, v5.firmId LIMIT $p3
        RETURN v4 {.id, .name, `@2`: COLLECT {
          MATCH (v4)-[:OPERATES]->(v6)
          WITH v6 ORDER BY v6.id
          RETURN v6 {.kind, `@1`: COLLECT {
            MATCH (v6)-[:LOCATED_IN]->(v7:Region)
            WITH v7 ORDER BY v7.code
            RETURN v7 {.name}
            LIMIT 1
          }[0], `@2`: COLLECT {
            MATCH (v6)-[:IN_PARK]->(v8:Park)
            WITH v8 ORDER BY v8.id
            RETURN v8 {.id}
            LIMIT 1
          }[0]}
        }}
      }}
    }} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": "LEAD",
//   "p2": "130000",
//   "p3": 20,
//   "p4": [
//     "hydrogen"
//   ]
// }
