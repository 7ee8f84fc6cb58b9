// request
//   { enterprises(filter: {segmentId: "h2-fc-stack", stage: MIDSTREAM, text: "氢", synthetic: false}, orderBy: {field: SEGMENT_COUNT}) { totalCount } }

// statement 1: Enterprises (read)
CALL () {
  CALL db.index.fulltext.queryNodes('names', $text) YIELD node AS e WHERE e:Enterprise
  WITH DISTINCT e
  WITH e WHERE EXISTS { (e)-[:ACTIVE_IN]->(:Segment {id: $segmentId}) }
  AND EXISTS { (e)-[:ACTIVE_IN]->(:Segment {stage: $stage}) }
  AND coalesce(e.synthetic, false) = $synthetic
  RETURN count(*) AS total
}
CALL () {
  CALL db.index.fulltext.queryNodes('names', $text) YIELD node AS e WHERE e:Enterprise
  WITH DISTINCT e
  WITH e WHERE EXISTS { (e)-[:ACTIVE_IN]->(:Segment {id: $segmentId}) }
  AND EXISTS { (e)-[:ACTIVE_IN]->(:Segment {stage: $stage}) }
  AND coalesce(e.synthetic, false) = $synthetic
  WITH e, COUNT { (e)-[:ACTIVE_IN]->() } AS k
  ORDER BY k ASC, e.id ASC
  LIMIT $limit
  RETURN k, e.id AS id, null AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "limit": 21,
//   "segmentId": "h2-fc-stack",
//   "stage": "MIDSTREAM",
//   "synthetic": false,
//   "text": "\"氢\""
// }
