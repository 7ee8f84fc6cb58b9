// request
//   { a: chainMap(id: "hydrogen") { id } b: chainMap(id: "robots") { name } }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:ChainMap {id: key})
    RETURN key, v1 {.id} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": [
//     "hydrogen"
//   ]
// }

// statement 2: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:ChainMap {id: key})
    RETURN key, v1 {.name} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": [
//     "robots"
//   ]
// }
