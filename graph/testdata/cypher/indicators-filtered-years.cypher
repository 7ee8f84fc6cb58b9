// request
//   {
//     indicators(filter: {ids: ["bj-tech-contracts-value"], fromYear: 2013, toYear: 2020}) { id unit values { year period value sources { id } } }
//   }

// statement 1: Indicators (read)
CALL () {
  MATCH (i_:Indicator)
  WHERE ($ids IS NULL OR i_.id IN $ids)
  AND ($text IS NULL OR EXISTS {
    CALL db.index.fulltext.queryNodes('names', $text) YIELD node WITH node WHERE node = i_ RETURN node })
  WITH i_ ORDER BY i_.id
  RETURN i_ {.id, .unit, `@2`: COLLECT {
    MATCH (i_)-[:HAS_VALUE]->(v1:IndicatorValue) WHERE v1.year >= $p3 AND v1.year <= $p4
    WITH v1 ORDER BY v1.year, v1.period
    RETURN v1 {.year, .period, .value, `@3`: COLLECT {
      UNWIND range(0, size(coalesce(v1.sourceIds, [])) - 1) AS v3
      MATCH (v2:Source {id: v1.sourceIds[v3]})
      WITH v2 ORDER BY v3
      RETURN v2 {.id}
    }}
  }} AS n
}
RETURN collect({n: n}) AS rows
// parameters {
//   "ids": [
//     "bj-tech-contracts-value"
//   ],
//   "p3": 2013,
//   "p4": 2020,
//   "text": null
// }
