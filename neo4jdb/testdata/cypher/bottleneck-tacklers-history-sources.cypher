CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Bottleneck {id: key})
    RETURN key, v1 {.id, .status, `@2`: COLLECT {
MATCH (v2)-[v3:TACKLES]->(v1)
WITH v2, v3 ORDER BY v2.id
RETURN {since: v3.since, `@1`: CASE WHEN v2:Enterprise THEN v2 {`_k_`: 'Enterprise', .id, .name} WHEN v2:Institution THEN v2 {`_k_`: 'Institution', .id} END}
}, `@3`: COLLECT {
MATCH (v1)-[:HAS_STATUS_CHANGE]->(v4:StatusChange)
WITH v4 ORDER BY v4.seq, v4.at, v4.id
RETURN v4 {.from, .to}
}, `@4`: COLLECT {
UNWIND range(0, size(coalesce(v1.sourceIds, [])) - 1) AS v6
MATCH (v5:Source {id: v1.sourceIds[v6]})
WITH v5 ORDER BY v6
RETURN v5 {.title}
}} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0

// parameters
{
  "p1": [
    "b1",
    "b2"
  ]
}
