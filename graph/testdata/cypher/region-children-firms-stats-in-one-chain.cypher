// request
//   {
//     region(code: "130600") {
//       name level province { code } parent { code } children { code }
//       enterprises(first: 5) { id }
//       stats(chainMapId: "robots") { enterprises sites openBottlenecks rdLinksIn rdLinksOut }
//     }
//   }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p3 AS key MATCH (v1:Region {code: key})
    RETURN key, v1 {.name, .level, `@2`: COLLECT {
      MATCH (v2:Region {code: v1.province})
      RETURN v2 {.code}
      LIMIT 1
    }[0], `@3`: COLLECT {
      MATCH (v1)-[:PART_OF]->(v3:Region)
      WITH v3 ORDER BY v3.code
      RETURN v3 {.code}
      LIMIT 1
    }[0], `@4`: COLLECT {
      MATCH (v4:Region)-[:PART_OF]->(v1)
      WITH v4 ORDER BY v4.code
      RETURN v4 {.code}
    }, `@5`: COLLECT {
      MATCH (v1)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(:Site)<-[:OPERATES]-(v5:Enterprise)
      WITH DISTINCT v5 ORDER BY v5.name, v5.id LIMIT $p1
      RETURN v5 {.id}
    }, `@6`: {enterprises: coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'e|' + v1.code + '|' + $p2}) RETURN a_.n }[0], 0), sites: coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'n|' + v1.code + '|' + $p2}) RETURN a_.n }[0], 0), openBottlenecks: COUNT { MATCH (g_:Segment)<-[:CONSTRAINS]-(b_:Bottleneck) WHERE b_.status <> 'RESOLVED' AND g_.chainMapId = $p2
      AND EXISTS { (:RegionAggregate {key: 'g|' + v1.code + '|' + g_.id}) } RETURN DISTINCT b_ }, rdLinksIn: coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'i|' + v1.code + '|' + $p2}) RETURN a_.n }[0], 0) + COUNT { 
        CALL () {
          MATCH (a)-[t:TRANSFERS_TECH_TO]->(b)
          OPTIONAL MATCH (owner:Enterprise)-[:OPERATES]->(b)
          WITH a, b, t, CASE WHEN b:Enterprise THEN b ELSE owner END AS ent
          RETURN t.id AS id, false AS derived, a, b, ent, a.regionCode AS fromRegion,
          coalesce(b.regionCode, COLLECT { MATCH (b)-[:OPERATES]->(s)-[:LOCATED_IN]->(r:Region)
            WHERE r.province IN ['120000', '130000'] RETURN r.code ORDER BY r.code }[0]) AS toRegion, t
        }
        WITH toRegion, a, ent WHERE EXISTS { (:Region {code: toRegion})-[:PART_OF*0..3]->(v1) } AND (EXISTS { (ent)-[:ACTIVE_IN]->(:Segment {chainMapId: $p2}) } OR EXISTS { (a)-[:ACTIVE_IN]->(:Segment {chainMapId: $p2}) }) RETURN toRegion }, rdLinksOut: coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'o|' + v1.code + '|' + $p2}) RETURN a_.n }[0], 0) + COUNT { 
          CALL () {
            MATCH (a)-[t:TRANSFERS_TECH_TO]->(b)
            OPTIONAL MATCH (owner:Enterprise)-[:OPERATES]->(b)
            WITH a, b, t, CASE WHEN b:Enterprise THEN b ELSE owner END AS ent
            RETURN t.id AS id, false AS derived, a, b, ent, a.regionCode AS fromRegion,
            coalesce(b.regionCode, COLLECT { MATCH (b)-[:OPERATES]->(s)-[:LOCATED_IN]->(r:Region)
              WHERE r.province IN ['120000', '130000'] RETURN r.code ORDER BY r.code }[0]) AS toRegion, t
          }
          WITH fromRegion, a, ent WHERE EXISTS { (:Region {code: fromRegion})-[:PART_OF*0..3]->(v1) } AND (EXISTS { (ent)-[:ACTIVE_IN]->(:Segment {chainMapId: $p2}) } OR EXISTS { (a)-[:ACTIVE_IN]->(:Segment {chainMapId: $p2}) }) RETURN fromRegion }}} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": 5,
//   "p2": "robots",
//   "p3": [
//     "130600"
//   ]
// }
