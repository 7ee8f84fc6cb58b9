// request
//   { search(query: "hydrogen") { id } }

// statement 1: Search (read)
CALL () {
  CALL db.index.fulltext.queryNodes('names', $query, {limit: $candidates}) YIELD node, score
  WITH node, score, [l IN labels(node) WHERE l IN $labels][0] AS label
  WHERE label IS NOT NULL
  WITH node, score, label ORDER BY score DESC, coalesce(node.id, node.code)
  LIMIT $first
  RETURN {id: coalesce(node.id, node.code)} AS n
}
RETURN collect({n: n}) AS rows
// parameters {
//   "candidates": 200,
//   "first": 20,
//   "labels": [
//     "Bottleneck",
//     "ChainMap",
//     "Enterprise",
//     "Indicator",
//     "Institution",
//     "Park",
//     "Region",
//     "Segment"
//   ],
//   "query": "\"hydrogen\""
// }
