// request
//   { search(query: "亿华通", types: [ENTERPRISE, SEGMENT], first: 5) { type id name score node { ... on Enterprise { id chainRole } ... on Segment { stage } } } }

// statement 1: Search (read)
CALL () {
  CALL db.index.fulltext.queryNodes('names', $query, {limit: $candidates}) YIELD node, score
  WITH node, score, [l IN labels(node) WHERE l IN $labels][0] AS label
  WHERE label IS NOT NULL
  WITH node, score, label ORDER BY score DESC, coalesce(node.id, node.code)
  LIMIT $first
  RETURN {type: label, id: coalesce(node.id, node.code), name: node.name, score: score, `@4`: CASE WHEN node:ChainMap THEN node {`_k_`: 'ChainMap'} WHEN node:Segment THEN node {`_k_`: 'Segment', .stage} WHEN node:Enterprise THEN node {`_k_`: 'Enterprise', .id, .chainRole} WHEN node:Institution THEN node {`_k_`: 'Institution'} WHEN node:Park THEN node {`_k_`: 'Park'} WHEN node:Bottleneck THEN node {`_k_`: 'Bottleneck'} WHEN node:Region THEN node {`_k_`: 'Region'} WHEN node:Indicator THEN node {`_k_`: 'Indicator'} END} AS n
}
RETURN collect({n: n}) AS rows
// parameters {
//   "candidates": 200,
//   "first": 5,
//   "labels": [
//     "Enterprise",
//     "Segment"
//   ],
//   "query": "\"亿华通\""
// }
