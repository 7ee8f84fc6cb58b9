// request
//   { region(code: "130000") { name stats { enterprises sitesByKind { key count } enterprisesByChainMap { key count } } } }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Region {code: key})
    RETURN key, v1 {.name, `@1`: {enterprises: COUNT { MATCH (v1)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(s_:Site)<-[:OPERATES]-(e_:Enterprise) WHERE true RETURN DISTINCT e_ }, sitesByKind: [k_ IN ['HQ', 'RD', 'MANUFACTURING', 'ASSEMBLY', 'TESTING', 'PILOT'] |
      {key: k_, count: COUNT { MATCH (v1)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(s_:Site) WHERE s_.kind = k_ AND true RETURN s_ }}], enterprisesByChainMap: [c_ IN COLLECT { MATCH (c:ChainMap) RETURN c ORDER BY c.id } |
      {key: c_.id, name: c_.name, count: COUNT { MATCH (v1)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(s_:Site)<-[:OPERATES]-(e_:Enterprise)
        WHERE EXISTS { (e_)-[:ACTIVE_IN]->(:Segment {chainMapId: c_.id}) } AND true RETURN DISTINCT e_ }}]}} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": [
//     "130000"
//   ]
// }
