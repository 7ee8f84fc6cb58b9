// request
//   { search(query: "北京") { node { __typename ... on Region { code level } ... on Park { id region { code } } ... on Indicator { unit } ... on ChainMap { id } ... on Institution { kind } ... on Bottleneck { status } } } }

// statement 1: Search (read)
CALL () {
  CALL db.index.fulltext.queryNodes('names', $query, {limit: $candidates}) YIELD node, score
  WITH node, score, [l IN labels(node) WHERE l IN $labels][0] AS label
  WHERE label IS NOT NULL
  WITH node, score, label ORDER BY score DESC, coalesce(node.id, node.code)
  LIMIT $first
  RETURN {`@0`: CASE WHEN node:ChainMap THEN node {`_k_`: 'ChainMap', .id} WHEN node:Segment THEN node {`_k_`: 'Segment'} WHEN node:Enterprise THEN node {`_k_`: 'Enterprise'} WHEN node:Institution THEN node {`_k_`: 'Institution', .kind} WHEN node:Park THEN node {`_k_`: 'Park', .id, `@1`: COLLECT {
    MATCH (node)-[:LOCATED_IN]->(v1:Region)
    WITH v1 ORDER BY v1.code
    RETURN v1 {.code}
    LIMIT 1
  }[0]} WHEN node:Bottleneck THEN node {`_k_`: 'Bottleneck', .status} WHEN node:Region THEN node {`_k_`: 'Region', .code, .level} WHEN node:Indicator THEN node {`_k_`: 'Indicator', .unit} END} AS n
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
//   "query": "\"北京\""
// }
