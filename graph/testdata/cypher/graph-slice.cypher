// request
//   { graphSlice(rootIds: ["sinohytec", "h2-fc-stack"], direction: UPSTREAM, maxHops: 3, maxNodes: 200) { nodeCount nodes { id } } }

// statement 1: GraphSlice (read)
CALL () {
  UNWIND $ids AS id MATCH (v:Enterprise {id: id}) RETURN v
  UNION UNWIND $ids AS id MATCH (v:Segment {id: id}) RETURN v
  UNION UNWIND $ids AS id MATCH (v:Bottleneck {id: id}) RETURN v
  UNION UNWIND $ids AS id MATCH (v:Region {code: id}) RETURN v
  UNION UNWIND $ids AS id MATCH (v:ChainMap {id: id}) RETURN v
}
RETURN collect({id: coalesce(v.id, v.code), type: [l IN labels(v) WHERE NOT l IN ['Synthetic', 'Record']][0], name: v.name,
  nameZh: v.nameZh, stage: v.stage, order: v.order, kind: v.kind, severity: v.severity, status: v.status,
  synthetic: v.synthetic, province: v.province, chainRole: v.chainRole,
  chainMapId: coalesce(v.chainMapId, COLLECT { MATCH (v)-[:ACTIVE_IN]->(s:Segment) RETURN s.chainMapId ORDER BY s.chainMapId }[0]),
  provinces: COLLECT { MATCH (v)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.province ORDER BY r.province }}) AS nodes
// parameters {
//   "ids": [
//     "sinohytec",
//     "h2-fc-stack"
//   ]
// }

// statement 2: GraphSlice (read)
CALL () {
  
  CALL () {
    UNWIND $frontier AS id MATCH (a:Enterprise {id: id})-[:SUPPLIES]->(v:Enterprise) WHERE $down
    RETURN id AS from, v, 'SUPPLIES' AS type, true AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Enterprise {id: id})<-[:SUPPLIES]-(v:Enterprise) WHERE $up
    RETURN id AS from, v, 'SUPPLIES' AS type, false AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Segment {id: id})-[:FEEDS]->(v:Segment) WHERE $down
    RETURN id AS from, v, 'FEEDS' AS type, true AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Segment {id: id})<-[:FEEDS]-(v:Segment) WHERE $up
    RETURN id AS from, v, 'FEEDS' AS type, false AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Bottleneck {id: id})-[:CONSTRAINS]->(v:Segment) WHERE $down
    RETURN id AS from, v, 'CONSTRAINS' AS type, true AS forward
  }
  WITH from, v, type, forward ORDER BY from, type, coalesce(v.id, v.code) LIMIT $limit
  RETURN from, type, forward, {id: coalesce(v.id, v.code), type: [l IN labels(v) WHERE NOT l IN ['Synthetic', 'Record']][0], name: v.name,
    nameZh: v.nameZh, stage: v.stage, order: v.order, kind: v.kind, severity: v.severity, status: v.status,
    synthetic: v.synthetic, province: v.province, chainRole: v.chainRole,
    chainMapId: coalesce(v.chainMapId, COLLECT { MATCH (v)-[:ACTIVE_IN]->(s:Segment) RETURN s.chainMapId ORDER BY s.chainMapId }[0]),
    provinces: COLLECT { MATCH (v)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.province ORDER BY r.province }} AS node
}
RETURN collect({from: from, type: type, forward: forward, node: node}) AS rows
// parameters {
//   "down": false,
//   "frontier": [],
//   "limit": 500,
//   "up": true
// }

// statement 3: GraphSlice (read)
CALL () {
  
  CALL () {
    UNWIND $frontier AS id MATCH (a:Enterprise {id: id})-[:SUPPLIES]->(v:Enterprise) WHERE $down
    RETURN id AS from, v, 'SUPPLIES' AS type, true AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Enterprise {id: id})<-[:SUPPLIES]-(v:Enterprise) WHERE $up
    RETURN id AS from, v, 'SUPPLIES' AS type, false AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Segment {id: id})-[:FEEDS]->(v:Segment) WHERE $down
    RETURN id AS from, v, 'FEEDS' AS type, true AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Segment {id: id})<-[:FEEDS]-(v:Segment) WHERE $up
    RETURN id AS from, v, 'FEEDS' AS type, false AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Bottleneck {id: id})-[:CONSTRAINS]->(v:Segment) WHERE $down
    RETURN id AS from, v, 'CONSTRAINS' AS type, true AS forward
  }
  WITH from, v, type, forward ORDER BY from, type, coalesce(v.id, v.code) LIMIT $limit
  RETURN from, type, forward, {id: coalesce(v.id, v.code), type: [l IN labels(v) WHERE NOT l IN ['Synthetic', 'Record']][0], name: v.name,
    nameZh: v.nameZh, stage: v.stage, order: v.order, kind: v.kind, severity: v.severity, status: v.status,
    synthetic: v.synthetic, province: v.province, chainRole: v.chainRole,
    chainMapId: coalesce(v.chainMapId, COLLECT { MATCH (v)-[:ACTIVE_IN]->(s:Segment) RETURN s.chainMapId ORDER BY s.chainMapId }[0]),
    provinces: COLLECT { MATCH (v)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.province ORDER BY r.province }} AS node
}
RETURN collect({from: from, type: type, forward: forward, node: node}) AS rows
// parameters {
//   "down": false,
//   "frontier": [],
//   "limit": 500,
//   "up": true
// }

// statement 4: GraphSlice (read)
CALL () {
  
  CALL () {
    UNWIND $frontier AS id MATCH (a:Enterprise {id: id})-[:SUPPLIES]->(v:Enterprise) WHERE $down
    RETURN id AS from, v, 'SUPPLIES' AS type, true AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Enterprise {id: id})<-[:SUPPLIES]-(v:Enterprise) WHERE $up
    RETURN id AS from, v, 'SUPPLIES' AS type, false AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Segment {id: id})-[:FEEDS]->(v:Segment) WHERE $down
    RETURN id AS from, v, 'FEEDS' AS type, true AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Segment {id: id})<-[:FEEDS]-(v:Segment) WHERE $up
    RETURN id AS from, v, 'FEEDS' AS type, false AS forward
    UNION ALL
    UNWIND $frontier AS id MATCH (a:Bottleneck {id: id})-[:CONSTRAINS]->(v:Segment) WHERE $down
    RETURN id AS from, v, 'CONSTRAINS' AS type, true AS forward
  }
  WITH from, v, type, forward ORDER BY from, type, coalesce(v.id, v.code) LIMIT $limit
  RETURN from, type, forward, {id: coalesce(v.id, v.code), type: [l IN labels(v) WHERE NOT l IN ['Synthetic', 'Record']][0], name: v.name,
    nameZh: v.nameZh, stage: v.stage, order: v.order, kind: v.kind, severity: v.severity, status: v.status,
    synthetic: v.synthetic, province: v.province, chainRole: v.chainRole,
    chainMapId: coalesce(v.chainMapId, COLLECT { MATCH (v)-[:ACTIVE_IN]->(s:Segment) RETURN s.chainMapId ORDER BY s.chainMapId }[0]),
    provinces: COLLECT { MATCH (v)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.province ORDER BY r.province }} AS node
}
RETURN collect({from: from, type: type, forward: forward, node: node}) AS rows
// parameters {
//   "down": false,
//   "frontier": [],
//   "limit": 500,
//   "up": true
// }
