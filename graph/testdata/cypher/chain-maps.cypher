// request
//   { chainMaps { id name nameZh segments { id } } }

// statement 1: ChainMaps (read)
CALL () {
  MATCH (c_:ChainMap) WITH c_ ORDER BY c_.id
  RETURN c_ {.id, .name, .nameZh, `@3`: COLLECT {
    MATCH (c_)-[:HAS_SEGMENT]->(v1:Segment)
    WITH v1 ORDER BY v1.order, v1.id
    RETURN v1 {.id}
  }} AS n
}
RETURN collect({n: n}) AS rows
