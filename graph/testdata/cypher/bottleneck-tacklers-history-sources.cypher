// request
//   {
//     bottleneck(id: "h2-bn-carbon-fibre-tanks") {
//       id status segments { id }
//       tacklers { since actor { __typename ... on Enterprise { id name } ... on Institution { id } } }
//       statusHistory { from to at author note }
//       sources { title url }
//     }
//   }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Bottleneck {id: key})
    RETURN key, v1 {.id, .status, `@2`: COLLECT {
      MATCH (v1)-[:CONSTRAINS]->(v2:Segment)
      WITH v2 ORDER BY v2.chainMapId, v2.order, v2.id
      RETURN v2 {.id}
    }, `@3`: COLLECT {
      MATCH (v3)-[v4:TACKLES]->(v1)
      WITH v3, v4 ORDER BY v3.id
      RETURN {since: v4.since, `@1`: CASE WHEN v3:Enterprise THEN v3 {`_k_`: 'Enterprise', .id, .name} WHEN v3:Institution THEN v3 {`_k_`: 'Institution', .id} END}
    }, `@4`: COLLECT {
      MATCH (v1)-[:HAS_STATUS_CHANGE]->(v5:StatusChange)
      WITH v5 ORDER BY v5.seq, v5.at, v5.id
      RETURN v5 {.from, .to, .at, .author, .note}
    }, `@5`: COLLECT {
      UNWIND range(0, size(coalesce(v1.sourceIds, [])) - 1) AS v7
      MATCH (v6:Source {id: v1.sourceIds[v7]})
      WITH v6 ORDER BY v7
      RETURN v6 {.title, .url}
    }} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": [
//     "h2-bn-carbon-fibre-tanks"
//   ]
// }
