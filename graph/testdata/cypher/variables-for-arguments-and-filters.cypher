// request
//   query($id: ID!, $first: Int, $region: String, $tiers: Int) {
//     enterprise(id: $id) { suppliers(first: $first) { product } upstream(tiers: $tiers) { tier } }
//     segment(id: "h2-fc-stack") { enterprises(regionCode: $region, first: $first) { id } }
//   }
// variables {"first":7,"id":"sinohytec","region":"110108","tiers":4}

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p3 AS key MATCH (v1:Enterprise {id: key})
    RETURN key, v1 {`@0`: COLLECT {
      MATCH (v1)<-[v2:SUPPLIES]-(v3:Enterprise)
      WITH v2, v3 ORDER BY v3.name, v3.id, v2.product LIMIT $p1
      RETURN {product: v2.product}
    }, `@1`: COLLECT {
      WITH COLLECT { UNWIND [v1] AS f_ MATCH (f_)<-[:SUPPLIES]-(o_:Enterprise) WHERE NOT o_ IN [v1] RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..($p2 - size([v1]) + 1)] AS v4
      WITH v4, COLLECT { UNWIND v4 AS f_ MATCH (f_)<-[:SUPPLIES]-(o_:Enterprise) WHERE NOT o_ IN [v1] + v4 RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..($p2 - size([v1] + v4) + 1)] AS v5
      WITH v4, v5, COLLECT { UNWIND v5 AS f_ MATCH (f_)<-[:SUPPLIES]-(o_:Enterprise) WHERE NOT o_ IN [v1] + v4 + v5 RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..($p2 - size([v1] + v4 + v5) + 1)] AS v6
      WITH v4, v5, v6, COLLECT { UNWIND v6 AS f_ MATCH (f_)<-[:SUPPLIES]-(o_:Enterprise) WHERE NOT o_ IN [v1] + v4 + v5 + v6 RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..($p2 - size([v1] + v4 + v5 + v6) + 1)] AS v7
      UNWIND [x_ IN v4 | {tier: 1, e: x_}] + [x_ IN v5 | {tier: 2, e: x_}] + [x_ IN v6 | {tier: 3, e: x_}] + [x_ IN v7 | {tier: 4, e: x_}] AS v8
      WITH v8.tier AS v9, v8.e AS v10
      RETURN {tier: v9}
    }} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": 7,
//   "p2": 200,
//   "p3": [
//     "sinohytec"
//   ]
// }

// statement 2: Records (read)
CALL () {
  CALL () {
    UNWIND $p3 AS key MATCH (v1:Segment {id: key})
    RETURN key, v1 {`@0`: COLLECT {
      MATCH (v3:SegmentMember {segment: v1.id}) WHERE v3.name IS NOT NULL AND v3.firmId IS NOT NULL
      MATCH (v2:Enterprise {id: v3.firmId}) WHERE EXISTS { (v2)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $p1}) }
      WITH v2, v3 ORDER BY v3.segment, v3.name, v3.firmId LIMIT $p2
      RETURN v2 {.id}
    }} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": "110108",
//   "p2": 7,
//   "p3": [
//     "h2-fc-stack"
//   ]
// }
