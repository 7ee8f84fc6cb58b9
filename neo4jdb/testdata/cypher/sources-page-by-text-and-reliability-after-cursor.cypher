CALL () {
MATCH (s:Source)
WITH s WHERE (toLower(s.title) CONTAINS $text OR toLower(coalesce(s.publisher, '')) CONTAINS $text
    OR toLower(s.url) CONTAINS $text)
  AND s.reliability IN $reliability
RETURN count(*) AS total
}
CALL () {
MATCH (s:Source)
WITH s WHERE (toLower(s.title) CONTAINS $text OR toLower(coalesce(s.publisher, '')) CONTAINS $text
    OR toLower(s.url) CONTAINS $text)
  AND s.reliability IN $reliability
WITH s, coalesce(s.date, '') AS k
WHERE k < $afterKey OR (k = $afterKey AND s.id > $afterId)
ORDER BY k DESC, s.id ASC
LIMIT $limit
RETURN k, s.id AS id, s {.id, .title, .url} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows

// parameters
{
  "afterId": "s13",
  "afterKey": "2023-05",
  "limit": 21,
  "reliability": [
    "OFFICIAL",
    "MEDIA"
  ],
  "text": "xinhua' or 1=1"
}
