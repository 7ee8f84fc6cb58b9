// request
//   { alternativeSuppliers(enterpriseId: "sinohytec", segmentId: "h2-fc-stack", first: 8) { enterprise { id } segment { id } regionDistance sharedRegion { code } } }

// statement 1: AlternativeSuppliers (read)
MATCH (e:Enterprise {id: $id})
RETURN COLLECT { MATCH (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.code } AS regions
// parameters {
//   "id": "sinohytec",
//   "segment": "h2-fc-stack"
// }

// statement 2: AlternativeSuppliers (read)
CALL () {
  
  MATCH (e:Enterprise {id: $id})
  MATCH (e)-[:ACTIVE_IN]->(s:Segment) WHERE $segment IS NULL OR s.id = $segment
  MATCH (s)<-[:ACTIVE_IN]-(alt:Enterprise) WHERE alt <> e
  WITH alt, collect(s.id) AS segments
  RETURN alt.id AS enterprise, alt.name AS name, segments,
  CASE alt.chainRole WHEN 'CHAIN_MASTER' THEN 0 WHEN 'LEAD' THEN 1 WHEN 'SUPPORTING' THEN 2 ELSE 3 END AS tier,
  COLLECT { MATCH (alt)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.code } AS regions
}
RETURN collect({enterprise: enterprise, name: name, segments: segments, tier: tier, regions: regions}) AS rows
// parameters {
//   "id": "sinohytec",
//   "segment": "h2-fc-stack"
// }

// statement 3: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Enterprise {id: key})
    RETURN key, v1 {.id} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
CALL () {
  CALL () {
    UNWIND $p2 AS key MATCH (v2:Segment {id: key})
    RETURN key, v2 {.id} AS n
  }
  RETURN collect({key: key, n: n}) AS r1
}
CALL () {
  CALL () {
    UNWIND $p3 AS key MATCH (v3:Region {code: key})
    RETURN key, v3 {.code} AS n
  }
  RETURN collect({key: key, n: n}) AS r2
}
RETURN r0, r1, r2
// parameters {
//   "p1": null,
//   "p2": null,
//   "p3": null
// }
