// request
//   {
//     officialLists(chainMapId: "nev-icv", kind: CHOKEPOINT_LIST) {
//       id issuer chainMap { id } issuedBy { id }
//       items { rank label record { __typename ... on Enterprise { id } ... on Bottleneck { id } ... on Segment { id } } }
//     }
//   }

// statement 1: OfficialLists (read)
CALL () {
  MATCH (l_:OfficialList)
  WHERE ($chainMapId IS NULL OR l_.chainMapId = $chainMapId) AND ($kind IS NULL OR l_.kind = $kind)
  WITH l_ ORDER BY coalesce(l_.chainMapId, ''), l_.id
  RETURN l_ {.id, .issuer, `@2`: COLLECT {
    MATCH (v1:ChainMap)-[:HAS_LIST]->(l_)
    RETURN v1 {.id}
    LIMIT 1
  }[0], `@3`: COLLECT {
    MATCH (l_)-[:ISSUED_BY]->(v2:Institution)
    WITH v2 ORDER BY v2.id
    RETURN v2 {.id}
    LIMIT 1
  }[0], `@4`: COLLECT {
    MATCH (l_)-[:HAS_ITEM]->(v3:ListItem)
    WITH v3 ORDER BY v3.rank, v3.id
    RETURN v3 {.rank, .label, `@2`: COLLECT {
      MATCH (v3)-[:REFERS_TO]->(v4)
      RETURN CASE WHEN v4:Bottleneck THEN v4 {`_k_`: 'Bottleneck', .id} WHEN v4:Enterprise THEN v4 {`_k_`: 'Enterprise', .id} WHEN v4:Segment THEN v4 {`_k_`: 'Segment', .id} END
      LIMIT 1
    }[0]}
  }} AS n
}
RETURN collect({n: n}) AS rows
// parameters {
//   "chainMapId": "nev-icv",
//   "kind": "CHOKEPOINT_LIST"
// }
