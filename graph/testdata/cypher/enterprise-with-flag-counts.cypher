// request
//   { enterprise(id: "sinohytec") { id flags { open total } sites { id flags { open } } } }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Enterprise {id: key})
    RETURN key, v1 {.id, `@1`: {open: COUNT { (v1)<-[:FLAGS]-(:Flag {status: 'OPEN'}) }, total: COUNT { (v1)<-[:FLAGS]-(:Flag) }}, `@2`: COLLECT {
      MATCH (v1)-[:OPERATES]->(v2)
      WITH v2 ORDER BY v2.id
      RETURN v2 {.id, `@1`: {open: COUNT { (v2)<-[:FLAGS]-(:Flag {status: 'OPEN'}) }}}
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
