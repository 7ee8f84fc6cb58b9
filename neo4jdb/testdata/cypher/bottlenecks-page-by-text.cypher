WITH null AS total
CALL () {
CALL db.index.fulltext.queryNodes('names', $text) YIELD node AS b WHERE b:Bottleneck
WITH DISTINCT b
WITH b WHERE NOT EXISTS { MATCH (b)<-[:TACKLES]-(t)
  WHERE EXISTS { (t)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $noTacklerIn}) }
     OR EXISTS { (t:Institution)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $noTacklerIn}) } }
  AND b.status = $status
WITH b, b.severity AS k
ORDER BY k DESC, b.id ASC
LIMIT $limit
RETURN k, b.id AS id, b {.id} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows

// parameters
{
  "limit": 21,
  "noTacklerIn": "130000",
  "status": "OPEN",
  "text": "\"膜电极\" AND \"\\\"MEA\\\"\" AND \"OR\" AND \"*\""
}
