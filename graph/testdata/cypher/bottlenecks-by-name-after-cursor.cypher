// request
//   { bottlenecks(orderBy: {field: NAME}, after: "eyJpIjoiaDItYm4tY2FyYm9uLWZpYnJlLXRhbmtzIiwibyI6Ik5BTUUgREVTQyIsInMiOiJDYXJib24ifQ") { edges { node { id name } } } }

// statement 1: Bottlenecks (read)
WITH null AS total
CALL () {
  MATCH (b:Bottleneck)
  WITH b, b.name AS k
  WHERE k < $afterKey OR (k = $afterKey AND b.id > $afterId)
  ORDER BY k DESC, b.id ASC
  LIMIT $limit
  RETURN k, b.id AS id, b {.id, .name} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "afterId": "h2-bn-carbon-fibre-tanks",
//   "afterKey": "Carbon",
//   "limit": 21
// }
