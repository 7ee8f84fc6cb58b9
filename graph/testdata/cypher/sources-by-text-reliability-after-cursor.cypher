// request
//   {
//     sources(filter: {text: "Xinhua' OR 1=1", reliability: [OFFICIAL, MEDIA], language: "zh"}, orderBy: {field: DATE, direction: DESC},
//             first: 20, after: "eyJpIjoiczEzIiwibyI6IkRBVEUgREVTQyIsInMiOiIyMDIzLTA1In0") {
//       totalCount nodes { id title url }
//     }
//   }

// statement 1: Sources (read)
CALL () {
  MATCH (s:Source)
  WITH s WHERE (toLower(s.title) CONTAINS $text OR toLower(coalesce(s.publisher, '')) CONTAINS $text
  OR toLower(s.url) CONTAINS $text)
  AND s.reliability IN $reliability
  AND s.language = $language
  RETURN count(*) AS total
}
CALL () {
  MATCH (s:Source)
  WITH s WHERE (toLower(s.title) CONTAINS $text OR toLower(coalesce(s.publisher, '')) CONTAINS $text
  OR toLower(s.url) CONTAINS $text)
  AND s.reliability IN $reliability
  AND s.language = $language
  WITH s, coalesce(s.date, '') AS k
  WHERE k < $afterKey OR (k = $afterKey AND s.id > $afterId)
  ORDER BY k DESC, s.id ASC
  LIMIT $limit
  RETURN k, s.id AS id, s {.id, .title, .url} AS n
}
RETURN total, collect({k: k, id: id, n: n}) AS rows
// parameters {
//   "afterId": "s13",
//   "afterKey": "2023-05",
//   "language": "zh",
//   "limit": 21,
//   "reliability": [
//     "OFFICIAL",
//     "MEDIA"
//   ],
//   "text": "xinhua' or 1=1"
// }
