// request
//   {
//     bottlenecks(filter: {chainMapId: "hydrogen", segmentId: "h2-fc-stack", stage: MIDSTREAM, regionCode: "110000",
//                          noTacklerInRegionCode: "130000", affectsRegionCode: "120000", kind: CHOKEPOINT, category: MATERIAL,
//                          minSeverity: 3, status: OPEN, hasTackler: true, text: "膜电极 \"MEA\" OR *"},
//                 orderBy: {field: SEVERITY, direction: DESC}, first: 10) {
//       totalCount nodes { id severity }
//     }
//   }

// statement 1: Bottlenecks (read)
CALL () {
  CALL db.index.fulltext.queryNodes('names', $text) YIELD node AS b WHERE b:Bottleneck
  WITH DISTINCT b
  WITH b WHERE EXISTS { (b)-[:CONSTRAINS]->(:Segment {chainMapId: $chainMapId}) }
  AND EXISTS { (b)-[:CONSTRAINS]->(:Segment {id: $segmentId}) }
  AND EXISTS { (b)-[:CONSTRAINS]->(:Segment {stage: $stage}) }
  AND EXISTS { MATCH (b)<-[:TACKLES]-(t)
    WHERE EXISTS { (t)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $regionCode}) }
    OR EXISTS { (t:Institution)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $regionCode}) } }
  AND NOT EXISTS { MATCH (b)<-[:TACKLES]-(t)
    WHERE EXISTS { (t)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $noTacklerIn}) }
    OR EXISTS { (t:Institution)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $noTacklerIn}) } }
  AND EXISTS { (b)-[:CONSTRAINS]->(:Segment)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(:Site)
    -[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $affects}) }
  AND b.kind = $kind
  AND b.category = $category
  AND b.severity >= $minSeverity
  AND b.status = $status
  AND EXISTS { (b)<-[:TACKLES]-() } = $hasTackler
  RETURN count(*) AS total
}
CALL () {
  CALL db.index.fulltext.queryNodes('names', $text) YIELD node AS b WHERE b:Bottleneck
  WITH DISTINCT b
  WITH b WHERE EXISTS { (b)-[:CONSTRAINS]->(:Segment {chainMapId: $chainMapId}) }
  AND EXISTS { (b)-[:CONSTRAINS]->(:Segment {id: $segmentId}) }
  AND EXISTS { (b)-[:CONSTRAINS]->(:Segment {stage: $stage}) }
  AND EXISTS { MATCH (b)<-[:TACKLES]-(t)
    WHERE EXISTS { (t)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $regionCode}) }
    OR EXISTS { (t:Institution)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $regionCode}) } }
  AND NOT EXISTS { MATCH (b)<-[:TACKLES]-(t)
    WHERE EXISTS { (t)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $noTacklerIn}) }
    OR EXISTS { (t:Institution)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $noTacklerIn}) } }
  AND EXISTS { (b)-[:CONSTRAINS]->(:Segment)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(:Site)
    -[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $affects}) }
  AND b.kind = $kind
  AND b.category = $category
  AND b.severity >= $minSeverity
  AND b.status = $status
  AND EXISTS { (b)<-[:TACKLES]-() } = $hasTackler
  WITH b, b.severity AS k
  ORDER BY k DESC, b.id ASC
  LIMIT $limit
  RETURN k, b.id AS id, b {.id, .severity} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "affects": "120000",
//   "category": "MATERIAL",
//   "chainMapId": "hydrogen",
//   "hasTackler": true,
//   "kind": "CHOKEPOINT",
//   "limit": 11,
//   "minSeverity": 3,
//   "noTacklerIn": "130000",
//   "regionCode": "110000",
//   "segmentId": "h2-fc-stack",
//   "stage": "MIDSTREAM",
//   "status": "OPEN",
//   "text": "\"膜电极\" AND \"\\\"MEA\\\"\" AND \"OR\" AND \"*\""
// }
