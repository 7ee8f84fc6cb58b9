// request
//   { chainMap(id: "hydrogen") { __typename } }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:ChainMap {id: key})
    RETURN key, v1 {} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": [
//     "hydrogen"
//   ]
// }
