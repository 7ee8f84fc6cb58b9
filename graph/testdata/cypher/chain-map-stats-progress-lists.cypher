// request
//   {
//     chainMap(id: "nev-icv") {
//       id stats { enterprises openBottlenecks segmentsByStage { key count } }
//       progress { year open inProgress resolvedSoFar }
//       lists { id kind coverage { items held missing } }
//       sourcesAsOf sources { title }
//     }
//   }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:ChainMap {id: key})
    RETURN key, v1 {.id, `@1`: {enterprises: COUNT { MATCH (v1)-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e_:Enterprise) RETURN DISTINCT e_ }, openBottlenecks: COUNT { MATCH (v1)-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(b_:Bottleneck) WHERE b_.status <> 'RESOLVED' RETURN DISTINCT b_ }, segmentsByStage: [k_ IN ['DOWNSTREAM', 'MIDSTREAM', 'UPSTREAM'] |
      {key: k_, count: COUNT { (v1)-[:HAS_SEGMENT]->(:Segment {stage: k_}) }}]}, progress: COLLECT { MATCH (v1)-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(b_:Bottleneck)
        WITH DISTINCT b_
        RETURN {status: coalesce(b_.status, 'OPEN'),
          since: reduce(m_ = null, y_ IN COLLECT { MATCH (b_)<-[tk_:TACKLES]-() WHERE tk_.since IS NOT NULL RETURN tk_.since } |
          CASE WHEN m_ IS NULL OR y_ < m_ THEN y_ ELSE m_ END),
          changes: COLLECT { MATCH (b_)-[:HAS_STATUS_CHANGE]->(sc_:StatusChange) WHERE sc_.at IS NOT NULL
            RETURN {year: toInteger(substring(sc_.at, 0, 4)), to: sc_.to} ORDER BY sc_.seq, sc_.at, sc_.id }}
        ORDER BY b_.id }, `@3`: COLLECT {
          MATCH (v1)-[:HAS_LIST]->(v2:OfficialList)
          WITH v2 ORDER BY v2.id
          RETURN v2 {.id, .kind, `@2`: {items: COUNT { (v2)-[:HAS_ITEM]->(:ListItem) }, held: COUNT { (v2)-[:HAS_ITEM]->(:ListItem)-[:REFERS_TO]->() }, missing: COLLECT { MATCH (v2)-[:HAS_ITEM]->(i_:ListItem) WHERE NOT EXISTS { (i_)-[:REFERS_TO]->() }
            RETURN i_.label ORDER BY i_.rank, i_.id }}}
        }, sourcesAsOf: COLLECT { UNWIND coalesce(v1.sourceIds, []) AS asof_id MATCH (asof_s:Source {id: asof_id})
          WHERE asof_s.date IS NOT NULL RETURN asof_s.date ORDER BY asof_s.date DESC LIMIT 1 }[0], `@5`: COLLECT {
            UNWIND range(0, size(coalesce(v1.sourceIds, [])) - 1) AS v4
            MATCH (v3:Source {id: v1.sourceIds[v4]})
            WITH v3 ORDER BY v4
            RETURN v3 {.title}
          }} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": [
//     "nev-icv"
//   ]
// }
