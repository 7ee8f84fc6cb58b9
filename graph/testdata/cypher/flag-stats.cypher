// request
//   { flagStats(chainMapId: "hydrogen") { open resolved rejected oldestOpenAt openByKind { key count } } }

// statement 1: FlagStats (read)
MATCH (f:Flag) WHERE $chainMapId IS NULL OR $chainMapId IN f.chainMapIds
WITH collect(f) AS fs
RETURN size([f IN fs WHERE f.status = 'OPEN']) AS open, size([f IN fs WHERE f.status = 'RESOLVED']) AS resolved,
size([f IN fs WHERE f.status = 'REJECTED']) AS rejected,
toString(COLLECT { UNWIND fs AS f WITH f WHERE f.status = 'OPEN' RETURN datetime(f.at) AS at ORDER BY at LIMIT 1 }[0]) AS oldest,
COLLECT { UNWIND fs AS f WITH f WHERE f.status = 'OPEN' WITH f.recordKind AS key, count(*) AS count
  RETURN {key: key, count: count} ORDER BY count DESC, key } AS byKind,
COLLECT { UNWIND fs AS f WITH f WHERE f.status = 'OPEN' UNWIND f.chainMapIds AS key WITH key, count(*) AS count
  OPTIONAL MATCH (m:ChainMap {id: key}) RETURN {key: key, name: m.name, count: count} ORDER BY count DESC, key } AS byMap
// parameters {
//   "chainMapId": "hydrogen"
// }
