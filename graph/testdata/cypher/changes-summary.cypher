// request
//   { changesSummary(chainMapId: "hydrogen", regionCode: "130000", from: "2023", to: "2024-06", first: 10) { from to } }

// statement 1: ChangesSummary (read)
OPTIONAL MATCH (m:ChainMap {id: $chainMapId})
WITH coalesce(nullIf($from, ''), m.mapPublished, $defaultFrom) AS fromStr
WITH fromStr, datetime({date: date(fromStr)}) AS fromAt, date(fromStr).year AS fromYear, datetime($toAt) AS toAt, $toYear AS toYear,
CASE WHEN $regionCode = '' THEN null
ELSE COLLECT { MATCH (r:Region)-[:PART_OF*0..3]->(:Region {code: $regionCode}) RETURN r.code } END AS inside
CALL (fromAt, toAt, inside) {
  MATCH (c:Change) WHERE c.at >= fromAt AND c.at < toAt AND c.kind IN ['ENTERPRISE', 'BOTTLENECK', 'SUPPLY_LINK', 'TECH_TRANSFER']
  AND ($chainMapId = '' OR $chainMapId IN c.chainMapIds)
  WITH c ORDER BY c.seq DESC LIMIT $maxLog + 1
  WITH collect(c) AS all_
  RETURN size(all_) AS logTotal, [c IN all_[0..$maxLog] | c {.seq, .kind, .operation, .recordId, .chainMapIds, .before, .after, .author,
    at: toString(c.at),
    code: CASE c.kind
    WHEN 'SUPPLY_LINK' THEN COLLECT { MATCH (e:Enterprise {id: split(split(coalesce(c.after, c.before), '"customerId":"')[1], '"')[0]}) RETURN coalesce(e.regionCode, COLLECT { MATCH (x_:FirmAggregate {firmId: e.id}) RETURN x_.place }[0], COLLECT { MATCH (e)-[:OPERATES]->(px_) RETURN px_.regionCode ORDER BY px_.id }[0]) }[0]
    WHEN 'TECH_TRANSFER' THEN COLLECT { MATCH (e:Record {id: split(split(coalesce(c.after, c.before), '"toId":"')[1], '"')[0]}) RETURN coalesce(e.regionCode, COLLECT { MATCH (x_:FirmAggregate {firmId: e.id}) RETURN x_.place }[0], COLLECT { MATCH (e)-[:OPERATES]->(px_) RETURN px_.regionCode ORDER BY px_.id }[0]) }[0] END,
    ends: CASE c.kind
    WHEN 'SUPPLY_LINK' THEN [k IN ['supplierId', 'customerId'] | COLLECT { MATCH (n:Record {id: split(split(coalesce(c.after, c.before), '"' + k + '":"')[1], '"')[0]})
      RETURN coalesce(n.nameZh, n.name) }[0]]
    WHEN 'TECH_TRANSFER' THEN [k IN ['fromId', 'toId'] | COLLECT { MATCH (n:Record {id: split(split(coalesce(c.after, c.before), '"' + k + '":"')[1], '"')[0]})
      RETURN coalesce(n.nameZh, n.name, n.id) }[0]] END,
    affects: CASE WHEN c.kind = 'BOTTLENECK' THEN COLLECT { MATCH (b:Bottleneck {id: c.recordId}) RETURN ($regionCode = '' OR EXISTS { MATCH (b)-[:CONSTRAINS]->(ts_:Segment)
      WHERE EXISTS { (:RegionAggregate {key: 'g|' + $regionCode + '|' + ts_.id}) } }) }[0] END}] AS logs
}
CALL (fromAt, toAt, inside) {
  MATCH (b:Bottleneck)-[:HAS_STATUS_CHANGE]->(sc:StatusChange)
  WHERE datetime(sc.at) >= fromAt AND datetime(sc.at) < toAt
  AND ($chainMapId = '' OR EXISTS { (b)-[:CONSTRAINS]->(:Segment {chainMapId: $chainMapId}) }) AND ($regionCode = '' OR EXISTS { MATCH (b)-[:CONSTRAINS]->(ts_:Segment)
    WHERE EXISTS { (:RegionAggregate {key: 'g|' + $regionCode + '|' + ts_.id}) } })
  WITH b, sc ORDER BY sc.at DESC, sc.seq DESC
  RETURN collect({id: b.id, name: b.name, nameZh: b.nameZh, from: sc.from, to: sc.to, at: sc.at, author: sc.author, seq: sc.seq,
    chains: COLLECT { MATCH (b)-[:CONSTRAINS]->(s:Segment) RETURN DISTINCT s.chainMapId }})[0..$maxLog] AS statuses
}
CALL (fromYear, toYear, inside) {
  CALL (fromYear, toYear) {
    MATCH (e:Enterprise)-[:OPERATES]->(x:Site) WHERE x.since >= fromYear AND x.since <= toYear
    RETURN 'SITE_ADDED' AS kind, x.since AS year, x.id AS id, x.regionCode AS code, COLLECT { MATCH (x_:FirmAggregate) WHERE x_.firmId IN [e.id] UNWIND x_.chains AS ch_ RETURN DISTINCT ch_ ORDER BY ch_ } AS chains,
    e AS n1, null AS n2, x AS n3, x.kind AS note
    UNION ALL
    MATCH (e:Enterprise)-[:OPERATES]->(x:Site) WHERE x.since >= fromYear AND x.since <= toYear
    WITH DISTINCT e
    WHERE NOT EXISTS { (e)-[:OPERATES]->(y) WHERE y.since IS NULL OR y.since < fromYear }
    WITH e, COLLECT { MATCH (e)-[:OPERATES]->(y) RETURN y ORDER BY y.since, y.id }[0] AS first
    RETURN 'FIRM_ADDED' AS kind, first.since AS year, e.id AS id, first.regionCode AS code, COLLECT { MATCH (x_:FirmAggregate) WHERE x_.firmId IN [e.id] UNWIND x_.chains AS ch_ RETURN DISTINCT ch_ ORDER BY ch_ } AS chains,
    e AS n1, null AS n2, first AS n3, null AS note
    UNION ALL
    MATCH (t)-[tk:TACKLES]->(b:Bottleneck) WHERE tk.since >= fromYear AND tk.since <= toYear
    RETURN 'BOTTLENECK_MOVED' AS kind, tk.since AS year, b.id + '<' + t.id AS id, coalesce(t.regionCode, COLLECT { MATCH (x_:FirmAggregate {firmId: t.id}) RETURN x_.place }[0], COLLECT { MATCH (t)-[:OPERATES]->(px_) RETURN px_.regionCode ORDER BY px_.id }[0]) AS code,
    COLLECT { MATCH (b)-[:CONSTRAINS]->(s:Segment) RETURN DISTINCT s.chainMapId } AS chains,
    b AS n1, t AS n2, null AS n3, null AS note
    UNION ALL
    MATCH (a)-[t:TRANSFERS_TECH_TO]->(b) WHERE t.year >= fromYear AND t.year <= toYear
    OPTIONAL MATCH (owner:Enterprise)-[:OPERATES]->(b)
    WITH a, t, b, coalesce(owner, b) AS ent
    RETURN 'LINK_MADE' AS kind, t.year AS year, t.id AS id, coalesce(b.regionCode, COLLECT { MATCH (x_:FirmAggregate {firmId: b.id}) RETURN x_.place }[0], COLLECT { MATCH (b)-[:OPERATES]->(px_) RETURN px_.regionCode ORDER BY px_.id }[0]) AS code,
    COLLECT { MATCH (ent)-[:ACTIVE_IN]->(cs_:Segment) RETURN cs_.chainMapId AS c_
      UNION MATCH (a)-[:ACTIVE_IN]->(cs_:Segment) RETURN cs_.chainMapId AS c_ } AS chains,
    ent AS n1, a AS n2, b AS n3, t.kind AS note
  }
  WITH kind, year, id, code, chains, n1, n2, n3, note
  WHERE ($chainMapId = '' OR $chainMapId IN chains)
  AND (inside IS NULL OR code IN inside
  OR (kind = 'BOTTLENECK_MOVED' AND ($regionCode = '' OR EXISTS { MATCH (n1)-[:CONSTRAINS]->(ts_:Segment)
    WHERE EXISTS { (:RegionAggregate {key: 'g|' + $regionCode + '|' + ts_.id}) } })))
  WITH kind, year, code, chains, count(*) AS n, collect({id: id, n1: n1, n2: n2, n3: n3, note: note}) AS rs
  WITH kind, year, code, chains, n, COLLECT { UNWIND rs AS r WITH r ORDER BY r.id LIMIT $first RETURN r } AS top
  RETURN collect({kind: kind, year: year, code: code, chains: chains, n: n, top: top}) AS groups
}
CALL (fromYear, toYear, inside) {
  MATCH (a:RegionAggregate) WHERE a.key STARTS WITH 'l|' + CASE $chainMapId WHEN '' THEN '' ELSE $chainMapId + '|' END
  WITH split(a.key, '|') AS k, a.n AS n
  WITH k[1] AS chain, toInteger(k[2]) AS year, nullIf(k[3], '') AS code, n
  WHERE year >= fromYear AND year <= toYear AND (inside IS NULL OR code IN inside)
  RETURN collect(CASE WHEN chain = coalesce(nullIf($chainMapId, ''), '*') THEN {kind: 'LINK_MADE', year: year, code: code,
    chains: CASE $chainMapId WHEN '' THEN [] ELSE [$chainMapId] END, n: n} END) AS linkGroups,
  collect(CASE WHEN $chainMapId = '' AND chain <> '*' THEN {chain: chain, n: n} END) AS linkChains
}
CALL (fromYear, toYear, inside, linkGroups) {
  UNWIND range(toYear, fromYear, -1) AS y
  WITH y, inside, reduce(n = 0, g IN linkGroups | n + CASE WHEN g.year = y THEN g.n ELSE 0 END) AS here,
  reduce(n = 0, g IN linkGroups | n + CASE WHEN g.year > y THEN g.n ELSE 0 END) AS newer
  WHERE here > 0 AND newer < $first
  CALL (y, inside) {
    MATCH (a:Enterprise)-[r:SUPPLIES]->(c:Enterprise) WHERE r.since = y AND r.id IS NOT NULL
    WITH a, r, c ORDER BY r.since, r.id
    OPTIONAL MATCH (xa:FirmAggregate {firmId: a.id})
    OPTIONAL MATCH (xc:FirmAggregate {firmId: c.id})
    WITH a, r, c, xc, coalesce(xa.chains, []) AS ca, coalesce(xc.chains, []) AS cc
    WHERE ($chainMapId = '' OR $chainMapId IN ca OR $chainMapId IN cc) AND (inside IS NULL OR xc.place IN inside)
    RETURN {kind: 'LINK_MADE', year: y, code: xc.place, chains: ca + [ch IN cc WHERE NOT ch IN ca],
      top: [{id: r.id, n1: a, n2: c, n3: null, note: r.product}]} AS g
    LIMIT $first
  }
  RETURN collect(g) AS linkTops
}
WITH *, COLLECT { UNWIND groups + linkTops AS g UNWIND g.top AS r WITH g, r ORDER BY g.year DESC, g.kind, r.id LIMIT $first
  WITH g, r, r.n1 AS n1, r.n2 AS n2, r.n3 AS n3
  RETURN {kind: g.kind, year: g.year, id: r.id, code: g.code, chains: g.chains, note: r.note,
    n1: n1 {.id, .name, .nameZh, label: head([l IN labels(n1) WHERE l IN ['Enterprise', 'Bottleneck', 'Institution']])},
    n2: n2 {.id, .name, .nameZh, label: head([l IN labels(n2) WHERE l IN ['Enterprise', 'Institution', 'Site']])},
    n3: n3 {.id, .name, .kind}} } AS events
RETURN fromStr, groups, linkGroups, linkChains, events,
logs, logTotal, statuses, COLLECT { MATCH (r:Region)
  RETURN {code: r.code, name: r.name, nameZh: r.nameZh, parent: COLLECT { MATCH (r)-[:PART_OF]->(p:Region) RETURN p.code }[0]} } AS tree,
COLLECT { MATCH (m:ChainMap) WITH m ORDER BY m.id RETURN m {.id, .name, .nameZh} } AS chainMaps
// parameters {
//   "chainMapId": "hydrogen",
//   "defaultFrom": "2023",
//   "first": 10,
//   "from": "2023",
//   "maxLog": 10000,
//   "regionCode": "130000",
//   "toAt": "2024-07-01T00:00:00Z",
//   "toYear": 2024
// }

// error (decoding the Recorder's empty answer) INTERNAL [changesSummary]: internal error
