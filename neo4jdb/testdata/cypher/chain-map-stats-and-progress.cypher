CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:ChainMap {id: key})
    RETURN key, v1 {.id, `@1`: {openBottlenecks: COUNT { MATCH (v1)-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(b_:Bottleneck) WHERE b_.status <> 'RESOLVED' RETURN DISTINCT b_ }}, progress: COLLECT { MATCH (v1)-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(b_:Bottleneck)
    WITH DISTINCT b_
    RETURN {status: coalesce(b_.status, 'OPEN'),
      since: reduce(m_ = null, y_ IN COLLECT { MATCH (b_)<-[tk_:TACKLES]-() WHERE tk_.since IS NOT NULL RETURN tk_.since } |
        CASE WHEN m_ IS NULL OR y_ < m_ THEN y_ ELSE m_ END),
      changes: COLLECT { MATCH (b_)-[:HAS_STATUS_CHANGE]->(sc_:StatusChange) WHERE sc_.at IS NOT NULL
        RETURN {year: toInteger(substring(sc_.at, 0, 4)), to: sc_.to} ORDER BY sc_.seq, sc_.at, sc_.id }}
    ORDER BY b_.id }} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0

// parameters
{
  "p1": [
    "hydrogen",
    "robots"
  ]
}
