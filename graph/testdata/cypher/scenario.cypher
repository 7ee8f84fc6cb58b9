// request
//   { scenario(remove: {regionCodes: ["130600"], enterpriseIds: ["sinohytec"]}, chainMapId: "hydrogen", first: 5, alternatives: 2) { stoppedSites stoppedEnterprises } }

// statement 1: Scenario (read)
OPTIONAL MATCH (v_:ChangeLog {id: 'main'})
WITH coalesce(toString(v_.seq), '') + '|' + coalesce(v_.epoch, '') AS version_ WHERE version_ <> $known

WITH version_, COLLECT { MATCH (r:Region)-[:PART_OF*0..3]->(x:Region) WHERE x.code IN $regionCodes RETURN DISTINCT r.code } AS codes
CALL (codes) {
  CALL (codes) {
    MATCH (x:Site) WHERE x.regionCode IN codes MATCH (e:Enterprise)-[:OPERATES]->(x) RETURN e, x
    UNION
    MATCH (x:Site) WHERE x.id IN $siteIds MATCH (e:Enterprise)-[:OPERATES]->(x) RETURN e, x
    UNION
    MATCH (e:Enterprise)-[:OPERATES]->(x:Site) WHERE e.id IN $enterpriseIds RETURN e, x
    UNION
    MATCH (e:Enterprise) WHERE e.id IN $enterpriseIds RETURN e, null AS x
  }
  WITH e, count(x) AS gone WHERE ($chainMapId = '' OR EXISTS { (e)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) })
  WITH e, gone, e.id IN $enterpriseIds OR gone = COUNT { (e)-[:OPERATES]->() } AS stopped
  RETURN count(CASE WHEN stopped THEN 1 END) AS stoppedEnterprises, count(CASE WHEN NOT stopped THEN 1 END) AS weakened,
  sum(gone) AS stoppedSites, collect(CASE WHEN stopped THEN COLLECT { MATCH (x:FirmAggregate {firmId: e.id}) RETURN x }[0] END) AS stoppedAggs
}
CALL (stoppedAggs) {
  UNWIND stoppedAggs AS x UNWIND x.segments AS id
  WITH id, count(*) AS lost
  MATCH (s:Segment {id: id}) WHERE $chainMapId = '' OR s.chainMapId = $chainMapId
  WITH s, lost, coalesce(COLLECT { MATCH (a_:RegionAggregate {key: 's|' + s.id}) RETURN a_.n }[0], 0) AS before
  ORDER BY CASE WHEN before = lost THEN 0 ELSE 1 END, toFloat(lost) / before DESC, s.chainMapId, s.order, s.id
  RETURN collect({s: s, lost: lost, before: before}) AS segRows
}
CALL (codes, stoppedAggs) {
  UNWIND stoppedAggs AS x
  MATCH (sup:Enterprise {id: x.firmId})
  CALL (x) {
    UNWIND x.segments AS id
    MATCH (g:Segment {id: id}) WHERE $chainMapId = '' OR g.chainMapId = $chainMapId
    RETURN collect(g) AS segments
  }
  MATCH (sup)-[:SUPPLIES]->(c)
  UNWIND segments AS g
  WITH c, g, count(*) AS lost
  WITH c, collect({g: g, lost: lost}) AS hit
  WITH c, hit, COLLECT { MATCH (x:FirmAggregate {firmId: c.id}) RETURN x {.fedBy, .regions} }[0] AS agg
  UNWIND hit AS h
  WITH c, agg, h.g AS g WHERE h.g.id + '|' + h.lost IN agg.fedBy
  WITH c, g WHERE NOT (c.id IN $enterpriseIds OR CASE WHEN $siteIds = [] AND agg.regions IS NOT NULL THEN agg.regions <> [] AND all(r_ IN agg.regions WHERE r_ IN codes) ELSE (c.id IN $enterpriseIds OR coalesce(reduce(all_ = null, g_ IN COLLECT { MATCH (c)-[:OPERATES]->(y_) RETURN (y_.regionCode IN codes OR y_.id IN $siteIds) } | CASE WHEN all_ = false THEN false ELSE g_ END), false)) END)
  WITH c, g ORDER BY CASE c.chainRole WHEN 'CHAIN_MASTER' THEN 0 WHEN 'LEAD' THEN 1 WHEN 'SUPPORTING' THEN 2 ELSE 3 END, c.name, c.id, g.chainMapId, g.order, g.id
  RETURN collect({c: c, g: g}) AS cutRows
}
CALL (codes) {
  MATCH (b:Bottleneck) WHERE b.status <> 'RESOLVED'
  AND ($chainMapId = '' OR EXISTS { (b)-[:CONSTRAINS]->(:Segment {chainMapId: $chainMapId}) })
  AND EXISTS { (b)<-[:TACKLES]-() }
  AND NOT EXISTS { MATCH (b)<-[:TACKLES]-(t) WHERE NOT CASE WHEN t:Enterprise THEN (t.id IN $enterpriseIds OR coalesce(reduce(all_ = null, g_ IN COLLECT { MATCH (t)-[:OPERATES]->(y_) RETURN (y_.regionCode IN codes OR y_.id IN $siteIds) } | CASE WHEN all_ = false THEN false ELSE g_ END), false)) ELSE coalesce(t.regionCode IN codes, false) END }
  WITH b ORDER BY b.severity DESC, b.id
  RETURN collect(b) AS orphanRows
}
CALL (codes) {
  CALL (codes) {
    CALL () {
      MATCH (a)-[t:TRANSFERS_TECH_TO]->(b)
      OPTIONAL MATCH (owner:Enterprise)-[:OPERATES]->(b)
      WITH a, b, t, CASE WHEN b:Enterprise THEN b ELSE owner END AS ent
      RETURN t.id AS id, false AS derived, a, b, ent, a.regionCode AS fromRegion,
      coalesce(b.regionCode, COLLECT { MATCH (b)-[:OPERATES]->(s)-[:LOCATED_IN]->(r:Region)
        WHERE r.province IN ['120000', '130000'] RETURN r.code ORDER BY r.code }[0]) AS toRegion, t
    }
    WITH * WHERE $chainMapId = '' OR (EXISTS { (ent)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) } OR EXISTS { (a)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) })
    WITH *, CASE WHEN a:Site THEN ((a.regionCode IN codes OR a.id IN $siteIds) OR EXISTS { (o_:Enterprise)-[:OPERATES]->(a) WHERE o_.id IN $enterpriseIds }) WHEN a:Enterprise THEN (a.id IN $enterpriseIds OR coalesce(reduce(all_ = null, g_ IN COLLECT { MATCH (a)-[:OPERATES]->(y_) RETURN (y_.regionCode IN codes OR y_.id IN $siteIds) } | CASE WHEN all_ = false THEN false ELSE g_ END), false)) ELSE coalesce(a.regionCode IN codes, false) END AS fromStops, CASE WHEN b:Site THEN ((b.regionCode IN codes OR b.id IN $siteIds) OR EXISTS { (o_:Enterprise)-[:OPERATES]->(b) WHERE o_.id IN $enterpriseIds }) WHEN b:Enterprise THEN (b.id IN $enterpriseIds OR coalesce(reduce(all_ = null, g_ IN COLLECT { MATCH (b)-[:OPERATES]->(y_) RETURN (y_.regionCode IN codes OR y_.id IN $siteIds) } | CASE WHEN all_ = false THEN false ELSE g_ END), false)) ELSE coalesce(b.regionCode IN codes, false) END AS toStops
    WHERE fromStops OR toStops
    RETURN {id: id, derived: false, a: a, b: b, ent: ent, t: t, fromRegion: fromRegion, toRegion: toRegion,
      fromStops: fromStops, toStops: toStops, chains: COLLECT { MATCH (ent)-[:ACTIVE_IN]->(cs_:Segment) RETURN cs_.chainMapId AS c_
        UNION MATCH (a)-[:ACTIVE_IN]->(cs_:Segment) RETURN cs_.chainMapId AS c_ }} AS row
    UNION ALL
    CALL (codes) {
      MATCH (l:DerivedLink) WHERE l.fromRegion IN codes RETURN l
      UNION
      MATCH (l:DerivedLink) WHERE l.toRegion IN codes RETURN l
      UNION
      MATCH (l:DerivedLink) WHERE l.firmId IN $enterpriseIds RETURN l
      UNION
      MATCH (x:Site) WHERE x.id IN $siteIds MATCH (e:Enterprise)-[:OPERATES]->(x)
      MATCH (l:DerivedLink {firmId: e.id}) WHERE l.from = x.id OR l.to = x.id RETURN l
    }
    WITH l WHERE $chainMapId = '' OR $chainMapId IN l.chains
    RETURN {id: 'derived:' + l.from + '>' + l.to, chains: l.chains, l: l} AS row
  }
  WITH collect(row) AS rows
  RETURN size(rows) AS linksTotal, COLLECT { UNWIND rows AS r UNWIND r.chains AS ch WITH ch, count(*) AS n RETURN [ch, n] } AS linkChains,
  COLLECT { UNWIND rows AS r WITH r ORDER BY r.id LIMIT $first WITH r, r.l AS l
    RETURN CASE WHEN l IS NULL THEN r ELSE {id: r.id, derived: true, from: l.from, to: l.to, firm: l.firmId,
      fromRegion: l.fromRegion, toRegion: l.toRegion, chains: l.chains,
      fromStops: l.fromRegion IN codes OR l.from IN $siteIds OR l.firmId IN $enterpriseIds,
      toStops: l.toRegion IN codes OR l.to IN $siteIds OR l.firmId IN $enterpriseIds} END } AS linkRows
}
RETURN version_,
COLLECT { MATCH (r:Region) WHERE r.code IN $regionCodes WITH r ORDER BY r.code RETURN r {.code, .name, .nameZh} } AS regions,
COLLECT { MATCH (e:Enterprise) WHERE e.id IN $enterpriseIds RETURN e.id } AS knownEnterprises,
COLLECT { MATCH (x:Site) WHERE x.id IN $siteIds RETURN x.id } AS knownSites,
stoppedSites, stoppedEnterprises, weakened,
COUNT { MATCH (i:Institution) WHERE i.regionCode IN codes
  AND ($chainMapId = '' OR EXISTS { (i)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) }) } AS stoppedInstitutions,
[r IN segRows | [r.s.chainMapId, r.before = r.lost]] AS segChains,
COLLECT { UNWIND cutRows AS r WITH r.g.chainMapId AS ch, count(*) AS n RETURN [ch, n] } AS cutChains,
[b IN orphanRows | COLLECT { MATCH (b)-[:CONSTRAINS]->(s:Segment) RETURN DISTINCT s.chainMapId }] AS orphanChains,
linkChains,
size(segRows) AS segmentsTotal, size(cutRows) AS cutTotal, size(orphanRows) AS orphanTotal, linksTotal,
COLLECT { UNWIND segRows[0..$first] AS r WITH r, r.s AS s
  RETURN {id: s.id, name: s.name, nameZh: s.nameZh, chainMapId: s.chainMapId, order: s.order, lost: r.lost, before: r.before,
    left: [a IN COLLECT { MATCH (m_:SegmentMember {segment: s.id}) USING INDEX m_:SegmentMember(segment, tier, name, firmId)
      WHERE m_.tier IS NOT NULL AND m_.name IS NOT NULL AND m_.firmId IS NOT NULL
      MATCH (a:Enterprise {id: m_.firmId}) WHERE NOT (a.id IN $enterpriseIds OR coalesce(reduce(all_ = null, g_ IN COLLECT { MATCH (a)-[:OPERATES]->(y_) RETURN (y_.regionCode IN codes OR y_.id IN $siteIds) } | CASE WHEN all_ = false THEN false ELSE g_ END), false))
      WITH a, m_ ORDER BY m_.segment, m_.tier, m_.name, m_.firmId LIMIT $alts RETURN a } | a {.id, .name, .nameZh}],
    institutions: COLLECT { MATCH (i:Institution) WHERE NOT coalesce(i.regionCode IN codes, false) AND EXISTS { (i)-[:ACTIVE_IN]->(s) }
      WITH i ORDER BY i.name, i.id LIMIT $alts RETURN i {.id, .name, .nameZh} },
    feeds: COLLECT { MATCH (s)-[:FEEDS]->(d:Segment) RETURN d {.id, .name, .nameZh} ORDER BY d.chainMapId, d.order, d.id }} } AS segments,
COLLECT { UNWIND cutRows[0..$first] AS r WITH r.c AS c, r.g AS g
  RETURN {c: c {.id, .name, .nameZh}, g: g {.id, .name, .nameZh},
    lost: COLLECT { MATCH (o:Enterprise)-[:SUPPLIES]->(c) WHERE EXISTS { (o)-[:ACTIVE_IN]->(g) } WITH DISTINCT o ORDER BY o.id RETURN o {.id, .name, .nameZh} },
    places: COLLECT { MATCH (c)-[:OPERATES]->(x) WHERE NOT (x.regionCode IN codes OR x.id IN $siteIds) RETURN x.regionCode ORDER BY x.id }} } AS cutOffs,
COLLECT { UNWIND orphanRows[0..$first] AS b
  RETURN {id: b.id, name: b.name, nameZh: b.nameZh, severity: b.severity, status: b.status,
    firmsLost: COLLECT { MATCH (b)<-[:TACKLES]-(t:Enterprise) WITH t ORDER BY t.id RETURN t {.id, .name, .nameZh} },
    institutionsLost: COLLECT { MATCH (b)<-[:TACKLES]-(t:Institution) WITH t ORDER BY t.id RETURN t {.id, .name, .nameZh} },
    firmAlts: COLLECT { MATCH (b)-[:CONSTRAINS]->(g:Segment) UNWIND COLLECT { MATCH (m_:SegmentMember {segment: g.id}) USING INDEX m_:SegmentMember(segment, tier, name, firmId)
      WHERE m_.tier IS NOT NULL AND m_.name IS NOT NULL AND m_.firmId IS NOT NULL
      MATCH (a:Enterprise {id: m_.firmId}) WHERE NOT (a.id IN $enterpriseIds OR coalesce(reduce(all_ = null, g_ IN COLLECT { MATCH (a)-[:OPERATES]->(y_) RETURN (y_.regionCode IN codes OR y_.id IN $siteIds) } | CASE WHEN all_ = false THEN false ELSE g_ END), false))
      WITH a, m_ ORDER BY m_.segment, m_.tier, m_.name, m_.firmId LIMIT $alts RETURN a } AS a
      WITH DISTINCT a ORDER BY CASE a.chainRole WHEN 'CHAIN_MASTER' THEN 0 WHEN 'LEAD' THEN 1 WHEN 'SUPPORTING' THEN 2 ELSE 3 END, a.name, a.id LIMIT $alts RETURN a {.id, .name, .nameZh} },
    institutionAlts: COLLECT { MATCH (i:Institution) WHERE NOT coalesce(i.regionCode IN codes, false)
      AND EXISTS { (b)-[:CONSTRAINS]->(:Segment)<-[:ACTIVE_IN]-(i) }
      WITH DISTINCT i ORDER BY i.name, i.id LIMIT $alts RETURN i {.id, .name, .nameZh} }} } AS orphaned,
COLLECT { UNWIND linkRows[0..$first] AS r
  WITH r, coalesce(r.ent, COLLECT { MATCH (e_:Enterprise {id: r.firm}) RETURN e_ }[0]) AS ent,
  coalesce(r.a, COLLECT { MATCH (s_:Site {id: r.from}) RETURN s_ }[0]) AS a, coalesce(r.b, COLLECT { MATCH (s_:Site {id: r.to}) RETURN s_ }[0]) AS b
  RETURN {id: r.id, derived: r.derived, kind: coalesce(r.t.kind, 'RD_TO_PRODUCTION'), from: a {.id, .name, .nameZh}, to: b {.id, .name, .nameZh},
    ent: ent.id, fromRegion: r.fromRegion, toRegion: r.toRegion, fromStops: r.fromStops, toStops: r.toStops,
    standing: COLLECT { MATCH (ent)-[:OPERATES]->(x)-[:LOCATED_IN]->(rg:Region)
      WHERE NOT ent.id IN $enterpriseIds AND NOT (x.regionCode IN codes OR x.id IN $siteIds)
      AND CASE WHEN r.toStops THEN x.kind IN ['MANUFACTURING', 'ASSEMBLY', 'PILOT'] AND rg.province IN ['120000', '130000']
      ELSE x.kind IN ['RD', 'HQ'] AND rg.province = '110000' END
      WITH x ORDER BY x.id LIMIT $alts RETURN x {.id, name: coalesce(x.name, x.id)} }} } AS cutLinks,
COLLECT { UNWIND cutRows[0..$first] AS r WITH DISTINCT r.g AS g
  WITH g, COLLECT { MATCH (m:SegmentMember {segment: g.id}) USING INDEX m:SegmentMember(segment, tier, name, firmId)
    WHERE m.tier IS NOT NULL AND m.name IS NOT NULL AND m.firmId IS NOT NULL AND NOT m.firmId IN $enterpriseIds
    WITH m ORDER BY m.segment, m.tier, m.name, m.firmId
    UNWIND CASE WHEN $siteIds = [] THEN [code IN m.regions WHERE NOT code IN codes]
    ELSE COLLECT { MATCH (:Enterprise {id: m.firmId})-[:OPERATES]->(x) WHERE NOT (x.regionCode IN codes OR x.id IN $siteIds) AND x.regionCode IS NOT NULL
      RETURN DISTINCT x.regionCode } END AS code
    WITH code, collect(m.firmId)[0..$alts + 1] AS ids
    RETURN {code: code, ids: ids} } AS groups
  RETURN {segment: g.id, groups: [s IN groups | {code: s.code,
    firms: [id IN s.ids | COLLECT { MATCH (a:Enterprise {id: id}) RETURN a {.id, .name, .nameZh, .chainRole} }[0]]}]} } AS segmentAlts,
COLLECT { MATCH (r:Region)
  RETURN {code: r.code, name: r.name, nameZh: r.nameZh, parent: COLLECT { MATCH (r)-[:PART_OF]->(p:Region) RETURN p.code }[0]} } AS tree,
COLLECT { MATCH (m:ChainMap) WITH m ORDER BY m.id RETURN m {.id, .name, .nameZh} } AS chainMaps
// parameters {
//   "alts": 2,
//   "chainMapId": "hydrogen",
//   "enterpriseIds": [
//     "sinohytec"
//   ],
//   "first": 5,
//   "known": "",
//   "regionCodes": [
//     "130600"
//   ],
//   "siteIds": []
// }

// error (decoding the Recorder's empty answer) BAD_USER_INPUT [scenario]: remove.regionCodes[0]: no region "130600" in the graph
