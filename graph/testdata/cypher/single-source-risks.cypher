// request
//   { singleSourceRisks(chainMapId: "machine-tools") { segment { id } kind enterprises { id } region { code } feeds { id } } }

// statement 1: SingleSourceRisks (read)
CALL () {
  
  MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(s:Segment)
  WITH s, coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 's|' + s.id}) RETURN a_.n }[0], 0) AS firms
  WHERE firms > 0
  CALL (s) {
    MATCH (s)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
    RETURN collect(DISTINCT r.province) AS provinces
  }
  WITH s, firms, provinces
  WHERE firms = 1 OR size(provinces) = 1
  RETURN s.id AS segment, CASE WHEN firms = 1 THEN 'SINGLE_SUPPLIER' ELSE 'SINGLE_REGION' END AS kind,
  COLLECT { MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise) RETURN e.id ORDER BY e.id LIMIT 100 } AS firms,
  CASE WHEN size(provinces) = 1 THEN provinces[0] END AS region,
  COLLECT { MATCH (s)-[:FEEDS]->(d) RETURN d.id ORDER BY d.chainMapId, d.order } AS feeds
  ORDER BY s.order
}
RETURN collect({segment: segment, kind: kind, firms: firms, region: region, feeds: feeds}) AS rows
// parameters {
//   "id": "machine-tools"
// }

// statement 2: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Segment {id: key})
    RETURN key, v1 {.id} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
CALL () {
  CALL () {
    UNWIND $p2 AS key MATCH (v2:Enterprise {id: key})
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
CALL () {
  CALL () {
    UNWIND $p4 AS key MATCH (v4:Segment {id: key})
    RETURN key, v4 {.id} AS n
  }
  RETURN collect({key: key, n: n}) AS r3
}
RETURN r0, r1, r2, r3
// parameters {
//   "p1": null,
//   "p2": null,
//   "p3": null,
//   "p4": null
// }
