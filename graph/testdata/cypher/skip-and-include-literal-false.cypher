// request
//   { enterprise(id: "sinohytec") { id sites @include(if: false) { id } segments @skip(if: false) { id } } }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Enterprise {id: key})
    RETURN key, v1 {.id, `@1`: COLLECT {
      MATCH (v1)-[:ACTIVE_IN]->(v2:Segment)
      WITH v2 ORDER BY v2.chainMapId, v2.order, v2.id
      RETURN v2 {.id}
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
