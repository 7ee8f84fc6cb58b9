// request
//   {
//     enterprises(first: 3) { nodes { id s: sites { id } } edges { node { name s: sites { kind } } } }
//   }

// statement 1: Enterprises (read)
WITH null AS total
CALL () {
  MATCH (e:Enterprise) WHERE e.name IS NOT NULL
  WITH e, e.name AS k
  ORDER BY k ASC, e.id ASC
  LIMIT $limit
  RETURN k, e.id AS id, e {.id, `@1`: COLLECT {
    MATCH (e)-[:OPERATES]->(v1)
    WITH v1 ORDER BY v1.id
    RETURN v1 {.id, .kind}
  }, .name} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "byName": null,
//   "limit": 4
// }
