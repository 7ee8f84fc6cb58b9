// request
//   { source(id: "s13") { id title publisher url date reliability language note } }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Source {id: key})
    RETURN key, v1 {.id, .title, .publisher, .url, .date, .reliability, .language, .note} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": [
//     "s13"
//   ]
// }
