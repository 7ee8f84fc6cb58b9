// request
//   { region(code: "130000") { name stats { enterprises sitesByKind { key count } enterprisesByChainMap { key count } } } }

// statement 1: Records (read)
CALL () {
  CALL () {
    UNWIND $p1 AS key MATCH (v1:Region {code: key})
    RETURN key, v1 {.name, `@1`: {enterprises: coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'e|' + v1.code + '|' + '*'}) RETURN a_.n }[0], 0), sitesByKind: [k_ IN ['HQ', 'RD', 'MANUFACTURING', 'ASSEMBLY', 'TESTING', 'PILOT'] |
      {key: k_, count: coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'k|' + v1.code + '|' + '*' + '|' + k_}) RETURN a_.n }[0], 0)}], enterprisesByChainMap: [c_ IN COLLECT { MATCH (c:ChainMap) RETURN c ORDER BY c.id } |
      {key: c_.id, name: c_.name, count: coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 'e|' + v1.code + '|' + c_.id}) RETURN a_.n }[0], 0)}]}} AS n
  }
  RETURN collect({key: key, n: n}) AS r0
}
RETURN r0
// parameters {
//   "p1": [
//     "130000"
//   ]
// }
