// request
//   { criticality(chainMapId: "nev-icv", first: 8) { rank enterprise { id name } score degree betweenness openBottlenecks } }

// statement 1: SupplyNetwork (read)
CALL () {
  
  MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
  WITH DISTINCT e
  RETURN e.id AS id,
  COUNT { MATCH (e)-[:ACTIVE_IN]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck) WHERE b.status <> 'RESOLVED' RETURN DISTINCT b } AS open,
  COLLECT { MATCH (e)-[:SUPPLIES]->(c:Enterprise) RETURN c.id } AS customers
}
RETURN collect({id: id, open: open, customers: customers}) AS rows
// parameters {
//   "id": "nev-icv"
// }

// statement 2: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Enterprise {id: key})
    RETURN key, v1 {.id, .name} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": null
// }
