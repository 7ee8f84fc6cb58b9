// request
//   { changes(after: "10", first: 5, kinds: [BOTTLENECK], chainMapId: "hydrogen") { edges { cursor node { seq kind recordId } } pageInfo { hasNextPage } } }

// statement 1: Changes (read)
MATCH (c:Change) WHERE c.seq > $after
AND (size($kinds) = 0 OR c.kind IN $kinds) AND NOT c.kind IN $except
AND ($chainMapId IS NULL OR $chainMapId IN c.chainMapIds)
WITH c ORDER BY c.seq LIMIT $first
RETURN c {.seq, .kind, .operation, .recordId, .chainMapIds, .before, .after, .author, at: toString(c.at)} AS c
// parameters {
//   "after": 10,
//   "chainMapId": "hydrogen",
//   "except": [],
//   "first": 6,
//   "kinds": [
//     "BOTTLENECK"
//   ]
// }

// error (decoding the Recorder's empty answer) INTERNAL [changes]: internal error
