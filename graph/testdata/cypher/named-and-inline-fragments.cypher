// request
//   query {
//     enterprise(id: "sinohytec") { ...firm ... on Enterprise { sites { ...site } } }
//   }
//   fragment firm on Enterprise { id name segments { id } }
//   fragment site on Site { id kind region { code } }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Enterprise {id: key})
    RETURN key, v1 {.id, .name, `@2`: COLLECT {
      MATCH (v1)-[:ACTIVE_IN]->(v2:Segment)
      WITH v2 ORDER BY v2.chainMapId, v2.order, v2.id
      RETURN v2 {.id}
    }, `@3`: COLLECT {
      MATCH (v1)-[:OPERATES]->(v3)
      WITH v3 ORDER BY v3.id
      RETURN v3 {.id, .kind, `@2`: COLLECT {
        MATCH (v3)-[:LOCATED_IN]->(v4:Region)
        WITH v4 ORDER BY v4.code
        RETURN v4 {.code}
        LIMIT 1
      }[0]}
    }} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": [
//     "sinohytec"
//   ]
// }
