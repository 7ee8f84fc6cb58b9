WITH null AS total
CALL () {
MATCH (f:Flag {recordId: $recordId})
WITH f WHERE f.status = $status
WITH f, f.seq AS k
ORDER BY k DESC, f.id ASC
LIMIT $limit
RETURN k, f.id AS id, f {.id} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows

// parameters
{
  "limit": 6,
  "recordId": "sinohytec",
  "status": "OPEN"
}
