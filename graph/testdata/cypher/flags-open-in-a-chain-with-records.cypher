// request
//   {
//     flags(filter: {status: OPEN, chainMapId: "hydrogen"}, first: 10) {
//       totalCount nodes { id note status record { __typename ... on Enterprise { id flags { open } } ... on Site { id flags { open } } ... on Source { title } } }
//     }
//   }

// statement 1: Flags (read)
CALL () {
  MATCH (f:Flag {status: $status})
  WITH f WHERE $chainMapId IN f.chainMapIds
  RETURN count(*) AS total
}
CALL () {
  MATCH (f:Flag {status: $status})
  WITH f WHERE $chainMapId IN f.chainMapIds
  WITH f, f.seq AS k
  ORDER BY k DESC, f.id ASC
  LIMIT $limit
  RETURN k, f.id AS id, f {.id, .note, .status, `@3`: COLLECT {
    MATCH (f)-[:FLAGS]->(v1)
    RETURN CASE WHEN v1:ChainMap THEN v1 {`_k_`: 'ChainMap'} WHEN v1:Segment THEN v1 {`_k_`: 'Segment'} WHEN v1:Enterprise THEN v1 {`_k_`: 'Enterprise', .id, `@1`: {open: COUNT { (v1)<-[:FLAGS]-(:Flag {status: 'OPEN'}) }}} WHEN v1:Site THEN v1 {`_k_`: 'Site', .id, `@1`: {open: COUNT { (v1)<-[:FLAGS]-(:Flag {status: 'OPEN'}) }}} WHEN v1:Institution THEN v1 {`_k_`: 'Institution'} WHEN v1:Park THEN v1 {`_k_`: 'Park'} WHEN v1:Bottleneck THEN v1 {`_k_`: 'Bottleneck'} WHEN v1:Indicator THEN v1 {`_k_`: 'Indicator'} WHEN v1:Source THEN v1 {`_k_`: 'Source', .title} END
    LIMIT 1
  }[0]} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "chainMapId": "hydrogen",
//   "limit": 11,
//   "status": "OPEN"
// }
