// request
//   query($withSites: Boolean!, $noSegments: Boolean!) {
//     enterprise(id: "sinohytec") {
//       id
//       sites @include(if: $withSites) { id }
//       segments @skip(if: $noSegments) { id }
//       ... on Enterprise @include(if: $withSites) { tackles { id } }
//     }
//   }
// variables {"noSegments":true,"withSites":true}

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Enterprise {id: key})
    RETURN key, v1 {.id, `@1`: COLLECT {
      MATCH (v1)-[:OPERATES]->(v2)
      WITH v2 ORDER BY v2.id
      RETURN v2 {.id}
    }, `@2`: COLLECT {
      MATCH (v1)-[:TACKLES]->(v3:Bottleneck)
      WITH v3 ORDER BY v3.severity DESC, v3.id
      RETURN v3 {.id}
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
