// request
//   { chainGraph(chainMapId: "hydrogen", layers: [SEGMENTS, BOTTLENECKS], maxNodes: 500) { nodeCount edgeCount truncated nodes { id type } edges { type source target } } }

// statement 1: ChainGraph (read)
MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(s:Segment)
WITH collect(s) AS segs
CALL (segs) {
  UNWIND segs AS s
  MATCH (s)-[:FEEDS]-(o:Segment) WHERE NOT o IN segs
  RETURN collect(DISTINCT o) AS outer
}
CALL (segs) {
  UNWIND segs AS s
  MATCH (s)<-[:CONSTRAINS]-(b:Bottleneck) WHERE $bottlenecks
  RETURN collect(DISTINCT b) AS bns
}
CALL (segs) {
  UNWIND segs AS s
  MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise) WHERE $enterprises
  WITH DISTINCT e
  ORDER BY CASE e.chainRole WHEN 'CHAIN_MASTER' THEN 0 WHEN 'LEAD' THEN 1 WHEN 'SUPPORTING' THEN 2 ELSE 3 END,
  coalesce(e.synthetic, false), e.name, e.id
  WITH collect(e) AS firms
  RETURN firms[0..$budget] AS ents, size(firms) > $budget AS truncated
}
RETURN [v IN segs | {id: coalesce(v.id, v.code), type: [l IN labels(v) WHERE NOT l IN ['Synthetic', 'Record']][0], name: v.name,
  nameZh: v.nameZh, stage: v.stage, order: v.order, kind: v.kind, severity: v.severity, status: v.status,
  synthetic: v.synthetic, province: v.province, chainRole: v.chainRole,
  chainMapId: coalesce(v.chainMapId, COLLECT { MATCH (v)-[:ACTIVE_IN]->(s:Segment) RETURN s.chainMapId ORDER BY s.chainMapId }[0]),
  provinces: COLLECT { MATCH (v)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.province ORDER BY r.province }}] AS segs, [v IN outer | {id: coalesce(v.id, v.code), type: [l IN labels(v) WHERE NOT l IN ['Synthetic', 'Record']][0], name: v.name,
    nameZh: v.nameZh, stage: v.stage, order: v.order, kind: v.kind, severity: v.severity, status: v.status,
    synthetic: v.synthetic, province: v.province, chainRole: v.chainRole,
    chainMapId: coalesce(v.chainMapId, COLLECT { MATCH (v)-[:ACTIVE_IN]->(s:Segment) RETURN s.chainMapId ORDER BY s.chainMapId }[0]),
    provinces: COLLECT { MATCH (v)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.province ORDER BY r.province }}] AS outer, [v IN bns | {id: coalesce(v.id, v.code), type: [l IN labels(v) WHERE NOT l IN ['Synthetic', 'Record']][0], name: v.name,
      nameZh: v.nameZh, stage: v.stage, order: v.order, kind: v.kind, severity: v.severity, status: v.status,
      synthetic: v.synthetic, province: v.province, chainRole: v.chainRole,
      chainMapId: coalesce(v.chainMapId, COLLECT { MATCH (v)-[:ACTIVE_IN]->(s:Segment) RETURN s.chainMapId ORDER BY s.chainMapId }[0]),
      provinces: COLLECT { MATCH (v)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.province ORDER BY r.province }}] AS bns,
[v IN ents | {id: coalesce(v.id, v.code), type: [l IN labels(v) WHERE NOT l IN ['Synthetic', 'Record']][0], name: v.name,
  nameZh: v.nameZh, stage: v.stage, order: v.order, kind: v.kind, severity: v.severity, status: v.status,
  synthetic: v.synthetic, province: v.province, chainRole: v.chainRole,
  chainMapId: coalesce(v.chainMapId, COLLECT { MATCH (v)-[:ACTIVE_IN]->(s:Segment) RETURN s.chainMapId ORDER BY s.chainMapId }[0]),
  provinces: COLLECT { MATCH (v)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.province ORDER BY r.province }}] AS ents, truncated,
COLLECT { UNWIND segs + outer AS a MATCH (a)-[:FEEDS]->(b:Segment) WHERE b IN segs OR a IN segs RETURN [a.id, b.id] } AS feeds,
COLLECT { UNWIND ents AS e MATCH (e)-[:ACTIVE_IN]->(s:Segment) WHERE s IN segs RETURN [e.id, s.id] } AS activeIn,
COLLECT { UNWIND ents AS e MATCH (e)-[:SUPPLIES]->(o:Enterprise) RETURN [e.id, o.id] } AS supplies,
COLLECT { UNWIND bns AS b MATCH (b)-[:CONSTRAINS]->(s:Segment) WHERE s IN segs RETURN [b.id, s.id] } AS constrains
// parameters {
//   "bottlenecks": true,
//   "budget": 500,
//   "enterprises": false,
//   "id": "hydrogen"
// }
