// request
//   { flags(filter: {recordId: "sinohytec"}, after: "eyJpIjoiZjciLCJuIjo3LCJvIjoiU0VRIERFU0MifQ") { edges { node { id status } } } }

// statement 1: Flags (read)
WITH null AS total
CALL () {
  MATCH (f:Flag {recordId: $recordId})
  WITH f, f.seq AS k
  WHERE k < $afterKey OR (k = $afterKey AND f.id > $afterId)
  ORDER BY k DESC, f.id ASC
  LIMIT $limit
  RETURN k, f.id AS id, f {.id, .status} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "afterId": "f7",
//   "afterKey": 7,
//   "limit": 21,
//   "recordId": "sinohytec"
// }
