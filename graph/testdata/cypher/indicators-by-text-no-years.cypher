// request
//   { indicators(filter: {text: "技术合同"}) { id values { year value } } }

// statement 1: Indicators (read)
CALL () {
  MATCH (i_:Indicator)
  WHERE ($ids IS NULL OR i_.id IN $ids)
  AND ($text IS NULL OR EXISTS {
    CALL db.index.fulltext.queryNodes('names', $text) YIELD node WITH node WHERE node = i_ RETURN node })
  WITH i_ ORDER BY i_.id
  RETURN i_ {.id, `@1`: COLLECT {
    MATCH (i_)-[:HAS_VALUE]->(v1:IndicatorValue)
    WITH v1 ORDER BY v1.year, v1.period
    RETURN v1 {.year, .value}
  }} AS n
}
RETURN collect({n: n}) AS rows
// parameters {
//   "ids": null,
//   "text": "\"技术合同\""
// }
