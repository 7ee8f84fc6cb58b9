// request
//   {
//     segment(id: "nev-vehicles") {
//       name stage chainMap { id }
//       upstream { id chainMap { id } } downstream { id }
//       bottlenecks { id severity tacklers { since status actor { ... on Enterprise { id } ... on Institution { id kind } } } }
//       flags { open total }
//     }
//   }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Segment {id: key})
    RETURN key, v1 {.name, .stage, `@2`: COLLECT {
      MATCH (v2:ChainMap)-[:HAS_SEGMENT]->(v1)
      RETURN v2 {.id}
      LIMIT 1
    }[0], `@3`: COLLECT {
      MATCH (v3:Segment)-[:FEEDS]->(v1)
      WITH v3 ORDER BY v3.chainMapId, v3.order, v3.id
      RETURN v3 {.id, `@1`: COLLECT {
        MATCH (v4:ChainMap)-[:HAS_SEGMENT]->(v3)
        RETURN v4 {.id}
        LIMIT 1
      }[0]}
    }, `@4`: COLLECT {
      MATCH (v1)-[:FEEDS]->(v5:Segment)
      WITH v5 ORDER BY v5.chainMapId, v5.order, v5.id
      RETURN v5 {.id}
    }, `@5`: COLLECT {
      MATCH (v6:Bottleneck)-[:CONSTRAINS]->(v1)
      WITH v6 ORDER BY v6.severity DESC, v6.id
      RETURN v6 {.id, .severity, `@2`: COLLECT {
        MATCH (v7)-[v8:TACKLES]->(v6)
        WITH v7, v8 ORDER BY v7.id
        RETURN {since: v8.since, status: v8.status, `@2`: CASE WHEN v7:Enterprise THEN v7 {`_k_`: 'Enterprise', .id} WHEN v7:Institution THEN v7 {`_k_`: 'Institution', .id, .kind} END}
      }}
    }, `@6`: {open: COUNT { (v1)<-[:FLAGS]-(:Flag {status: 'OPEN'}) }, total: COUNT { (v1)<-[:FLAGS]-(:Flag) }}} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": [
//     "nev-vehicles"
//   ]
// }
