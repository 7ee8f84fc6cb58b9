// request
//   { bottleneckGroups(filter: {status: OPEN}, by: CHAIN_MAP) { key name count } }

// statement 1: BottleneckGroups (read)
CALL () {
  MATCH (b:Bottleneck)
  WITH b WHERE b.status = $status
  MATCH (b)-[:CONSTRAINS]->(s:Segment)
  WITH DISTINCT b, s.chainMapId AS key
  MATCH (g:ChainMap {id: key})
  RETURN key, g.name AS name, count(b) AS count
  ORDER BY count DESC, key
}
RETURN collect({key: key, name: name, count: count}) AS rows
// parameters {
//   "status": "OPEN"
// }
