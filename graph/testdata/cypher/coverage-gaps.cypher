// request
//   { coverageGaps(chainMapId: "biomedicine") { segment { id name } kind rdFirmsInBeijing manufacturingFirmsInTianjinHebei openBottlenecks } }

// statement 1: CoverageGaps (read)
CALL () {
  
  MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(s:Segment)
  WITH s,
  COUNT { MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise)-[:OPERATES]->(x:Site)-[:LOCATED_IN]->(:Region {province: '110000'})
    WHERE x.kind IN ['RD', 'HQ'] RETURN DISTINCT e } AS rd,
  COUNT { MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise)-[:OPERATES]->(x:Site)-[:LOCATED_IN]->(r:Region)
    WHERE x.kind IN ['MANUFACTURING', 'ASSEMBLY', 'PILOT'] AND r.province IN ['120000', '130000']
    RETURN DISTINCT e } AS mfg,
  COUNT { (s)<-[:ACTIVE_IN]-(:Enterprise) } AS present,
  COUNT { MATCH (s)<-[:CONSTRAINS]-(b:Bottleneck) WHERE b.status <> 'RESOLVED' RETURN b } AS open
  WHERE (rd > 0 AND mfg = 0) OR present = 0
  RETURN s.id AS segment, CASE WHEN present = 0 THEN 'NO_FIRM_IN_REGION' ELSE 'RD_WITHOUT_MANUFACTURING' END AS kind,
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
