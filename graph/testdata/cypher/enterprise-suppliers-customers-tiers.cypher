// request
//   {
//     enterprise(id: "beijing-hyundai") {
//       id synthetic formerNames parent { id } chainRoleIn { id }
//       suppliers(first: 5) { product since supplier { id } sources { id } }
//       customers { product customer { id name } }
//       up: upstream(tiers: 3) { tier enterprise { id } }
//       downstream { tier enterprise { name } }
//       tackles { id }
//     }
//   }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p5 AS key MATCH (v1:Enterprise {id: key})
    RETURN key, v1 {.id, synthetic: coalesce(v1.synthetic, false), formerNames: coalesce(v1.formerNames, []), `@3`: COLLECT {
      MATCH (v1)-[:BRANCH_OF]->(v2:Enterprise)
      WITH v2 ORDER BY v2.id
      RETURN v2 {.id}
      LIMIT 1
    }[0], `@4`: COLLECT {
      MATCH (v3:ChainMap {id: v1.chainRoleIn})
      RETURN v3 {.id}
      LIMIT 1
    }[0], `@5`: COLLECT {
      MATCH (v1)<-[v4:SUPPLIES]-(v5:Enterprise)
      WITH v4, v5 ORDER BY v5.name, v5.id, v4.product LIMIT $p1
      RETURN {product: v4.product, since: v4.since, `@2`: v5 {.id}, `@3`: COLLECT {
        UNWIND range(0, size(coalesce(v4.sourceIds, [])) - 1) AS v7
        MATCH (v6:Source {id: v4.sourceIds[v7]})
        WITH v6 ORDER BY v7
        RETURN v6 {.id}
      }}
    }, `@6`: COLLECT {
      MATCH (v1)-[v8:SUPPLIES]->(v9:Enterprise)
      WITH v8, v9 ORDER BY v9.name, v9.id, v8.product LIMIT $p2
      RETURN {product: v8.product, `@1`: v9 {.id, .name}}
    }, `@7`: COLLECT {
      WITH COLLECT { UNWIND [v1] AS f_ MATCH (f_)<-[:SUPPLIES]-(o_:Enterprise) WHERE NOT o_ IN [v1] RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..($p3 - size([v1]) + 1)] AS v10
      WITH v10, COLLECT { UNWIND v10 AS f_ MATCH (f_)<-[:SUPPLIES]-(o_:Enterprise) WHERE NOT o_ IN [v1] + v10 RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..($p3 - size([v1] + v10) + 1)] AS v11
      WITH v10, v11, COLLECT { UNWIND v11 AS f_ MATCH (f_)<-[:SUPPLIES]-(o_:Enterprise) WHERE NOT o_ IN [v1] + v10 + v11 RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..($p3 - size([v1] + v10 + v11) + 1)] AS v12
      UNWIND [x_ IN v10 | {tier: 1, e: x_}] + [x_ IN v11 | {tier: 2, e: x_}] + [x_ IN v12 | {tier: 3, e: x_}] AS v13
      WITH v13.tier AS v14, v13.e AS v15
      RETURN {tier: v14, `@1`: v15 {.id}}
    }, `@8`: COLLECT {
      WITH COLLECT { UNWIND [v1] AS f_ MATCH (f_)-[:SUPPLIES]->(o_:Enterprise) WHERE NOT o_ IN [v1] RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..($p4 - size([v1]) + 1)] AS v16
      WITH v16, COLLECT { UNWIND v16 AS f_ MATCH (f_)-[:SUPPLIES]->(o_:Enterprise) WHERE NOT o_ IN [v1] + v16 RETURN DISTINCT o_ ORDER BY o_.name, o_.id }[0..($p4 - size([v1] + v16) + 1)] AS v17
      UNWIND [x_ IN v16 | {tier: 1, e: x_}] + [x_ IN v17 | {tier: 2, e: x_}] AS v18
      WITH v18.tier AS v19, v18.e AS v20
      RETURN {tier: v19, `@1`: v20 {.name}}
    }, `@9`: COLLECT {
      MATCH (v1)-[:TACKLES]->(v21:Bottleneck)
      WITH v21 ORDER BY v21.severity DESC, v21.id
      RETURN v21 {.id}
    }} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": 5,
//   "p2": 20,
//   "p3": 200,
//   "p4": 200,
//   "p5": [
//     "beijing-hyundai"
//   ]
// }
