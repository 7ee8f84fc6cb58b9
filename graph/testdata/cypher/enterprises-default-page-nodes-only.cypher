// request
//   { enterprises { nodes { id } } }

// statement 1: Enterprises (read)
WITH null AS total
CALL () {
  MATCH (e:Enterprise) WHERE e.name IS NOT NULL
  WITH e, e.name AS k
  ORDER BY k ASC, e.id ASC
  LIMIT $limit
  RETURN k, e.id AS id, e {.id} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "byName": null,
//   "limit": 21
// }
