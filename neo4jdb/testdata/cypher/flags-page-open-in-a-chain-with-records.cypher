CALL () {
MATCH (f:Flag {status: $status})
WITH f WHERE $chainMapId IN f.chainMapIds
RETURN count(*) AS total
}
CALL () {
MATCH (f:Flag {status: $status})
WITH f WHERE $chainMapId IN f.chainMapIds
WITH f, f.seq AS k
WHERE k < $afterKey OR (k = $afterKey AND f.id > $afterId)
ORDER BY k DESC, f.id ASC
LIMIT $limit
RETURN k, f.id AS id, f {.id, .note, .status, `@3`: COLLECT {
MATCH (f)-[:FLAGS]->(v1)
RETURN CASE WHEN v1:Enterprise THEN v1 {`_k_`: 'Enterprise', .id, `@1`: {open: COUNT { (v1)<-[:FLAGS]-(:Flag {status: 'OPEN'}) }}} WHEN v1:Site THEN v1 {`_k_`: 'Site', .id, `@1`: {open: COUNT { (v1)<-[:FLAGS]-(:Flag {status: 'OPEN'}) }}} END
LIMIT 1
}[0]} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows

// parameters
{
  "afterId": "f-1",
  "afterKey": 120,
  "chainMapId": "hydrogen",
  "limit": 21,
  "status": "OPEN"
}
