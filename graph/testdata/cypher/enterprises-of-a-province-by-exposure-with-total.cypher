// request
//   { enterprises(filter: {regionCode: "130000"},
//     orderBy: {field: OPEN_BOTTLENECKS, direction: DESC}, first: 50) { totalCount nodes { id } } }

// statement 1: Enterprises (read)
CALL () {
  RETURN coalesce(COLLECT { MATCH (a_:RegionAggregate {key: $totalKey}) RETURN a_.n }[0], 0) AS total
}
CALL () {
  MATCH (x:FirmAggregate) WHERE x.openBottlenecks IS NOT NULL
  MATCH (e:Enterprise {id: x.firmId})
  WITH e, x WHERE EXISTS { (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: $province}) }
  WITH e, x, x.openBottlenecks AS k
  ORDER BY k DESC, e.id ASC
  LIMIT $limit
  RETURN k, e.id AS id, e {.id} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "byExposure": null,
//   "limit": 51,
//   "province": "130000",
//   "totalKey": "e|130000|*"
// }
