// request
//   { regions { code } }

// statement 1: Regions (read)
CALL () {
  MATCH (r_:Region) WHERE $level IS NULL OR r_.level = $level WITH r_ ORDER BY r_.code
  RETURN r_ {.code} AS n
}
RETURN collect({n: n}) AS rows
// parameters {
//   "level": null
// }
