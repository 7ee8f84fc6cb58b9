// request
//   { coverageGaps(chainMapId: "biomedicine") { segment { id name } kind rdFirmsInBeijing manufacturingFirmsInTianjinHebei openBottlenecks } }

// statement 1: CoverageGaps (read)
CALL () {
  
  MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(s:Segment)
  WITH s,
  coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'r|' + s.id}) RETURN a_.n }[0], 0) AS rd,
  coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'm|' + s.id}) RETURN a_.n }[0], 0) AS mfg,
  EXISTS { (s)<-[:ACTIVE_IN]-(:Enterprise) } AS present,
  COUNT { MATCH (s)<-[:CONSTRAINS]-(b:Bottleneck) WHERE b.status <> 'RESOLVED' RETURN b } AS open
  WHERE (rd > 0 AND mfg = 0) OR NOT present
  RETURN s.id AS segment, CASE WHEN present THEN 'RD_WITHOUT_MANUFACTURING' ELSE 'NO_FIRM_IN_REGION' END AS kind,
  rd, mfg, open
  ORDER BY s.order
}
RETURN collect({segment: segment, kind: kind, rd: rd, mfg: mfg, open: open}) AS rows
// parameters {
//   "id": "biomedicine"
// }

// statement 2: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Segment {id: key})
    RETURN key, v1 {.id, .name} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": null
// }
