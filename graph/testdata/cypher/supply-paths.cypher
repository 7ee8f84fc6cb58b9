// request
//   { supplyPaths(fromId: "h2-fc-materials", toId: "nev-services", maxHops: 6, first: 3) { length nodes { id type } } }

// statement 1: SupplyPaths (read)
RETURN EXISTS { (:Segment {id: $from}) } AND EXISTS { (:Segment {id: $to}) } AS segments
// parameters {
//   "first": 3,
//   "from": "h2-fc-materials",
//   "to": "nev-services"
// }

// statement 2: SupplyPaths (read)
CALL () {
  
  MATCH p = SHORTEST 20 (a:Enterprise {id: $from})-[:SUPPLIES]->{1,6}(b:Enterprise {id: $to})
  WITH p ORDER BY length(p) LIMIT $first
  RETURN [n IN nodes(p) | {id: coalesce(n.id, n.code), type: [l IN labels(n) WHERE NOT l IN ['Synthetic', 'Record']][0], name: n.name, nameZh: n.nameZh, stage: n.stage,
    order: n.order, chainMapId: n.chainMapId, synthetic: n.synthetic}] AS nodes
}
RETURN collect({nodes: nodes}) AS rows
// parameters {
//   "first": 3,
//   "from": "h2-fc-materials",
//   "to": "nev-services"
// }
