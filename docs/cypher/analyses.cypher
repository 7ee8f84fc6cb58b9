// Saved Cypher for the chainmap analyses, for Neo4j Browser (or cypher-shell).
// Each query comes first with a title line, then a one-line description, then the parameters it needs as
// `// :param` lines. Run those lines (without the `//`) in Browser, then paste the query and run it.
// Every query is read-only, starts from an indexed lookup where it has an anchor, bounds its hops and ends in a
// LIMIT. "Open" bottlenecks are those not RESOLVED (OPEN or IN_PROGRESS), as in the API.
// Province codes (GB/T 2260): 110000 Beijing, 120000 Tianjin, 130000 Hebei.

// Chain overview
// A chain map with its segments, the FEEDS between them (and to or from other chains) and the bottlenecks that constrain them, as a graph.
// :param chainMapId => 'hydrogen'
MATCH (c:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(s:Segment)
WITH c, collect(s) AS segments
CALL (c, segments) {
  UNWIND segments AS s
  MATCH p = (c)-[:HAS_SEGMENT]->(s)
  RETURN p
  UNION
  UNWIND segments AS s
  MATCH p = (s)-[:FEEDS]->(:Segment)
  RETURN p
  UNION
  UNWIND segments AS s
  MATCH p = (o:Segment)-[:FEEDS]->(s)
  WHERE NOT o IN segments
  RETURN p
  UNION
  UNWIND segments AS s
  MATCH p = (s)<-[:CONSTRAINS]-(:Bottleneck)
  RETURN p
}
RETURN p
LIMIT 300;

// Bottleneck impact
// What a bottleneck holds back: the segments it constrains, the segments they feed within 3 FEEDS hops, and the enterprises active in them, as a graph.
// :param bottleneckId => 'h2-bn-carbon-fibre-tanks'
MATCH (b:Bottleneck {id: $bottleneckId})
CALL (b) {
  MATCH p = (b)-[:CONSTRAINS]->(:Segment)-[:FEEDS*0..3]->(:Segment)
  RETURN p
  UNION
  MATCH (b)-[:CONSTRAINS]->(:Segment)-[:FEEDS*0..3]->(s:Segment)
  WITH DISTINCT s
  MATCH p = (s)<-[:ACTIVE_IN]-(:Enterprise)
  RETURN p
}
RETURN p
LIMIT 300;

// Bottleneck impact by distance
// The same impact as a table: each segment reached within 3 FEEDS hops, its distance, its enterprises and their provinces.
// :param bottleneckId => 'h2-bn-carbon-fibre-tanks'
MATCH (b:Bottleneck {id: $bottleneckId})-[:CONSTRAINS]->(s0:Segment)
MATCH p = (s0)-[:FEEDS*0..3]->(s:Segment)
WITH s, min(length(p)) AS distance
RETURN distance, s.id AS segment, s.name AS name, s.chainMapId AS chainMap,
  COLLECT { MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise) RETURN e.name ORDER BY e.name } AS enterprises,
  COLLECT { MATCH (s)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
            RETURN DISTINCT r.province ORDER BY r.province } AS provinces
ORDER BY distance, chainMap, s.order
LIMIT 100;

// Coverage gaps
// Segments of a chain with R&D or HQ firms in Beijing but no firm producing in Tianjin or Hebei, and segments no firm is active in.
// :param chainMapId => 'hydrogen'
MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(s:Segment)
WITH s,
  COUNT { MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise)-[:OPERATES]->(x:Site)-[:LOCATED_IN]->(:Region {province: '110000'})
          WHERE x.kind IN ['RD', 'HQ'] RETURN DISTINCT e } AS rdFirmsInBeijing,
  COUNT { MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise)-[:OPERATES]->(x:Site)-[:LOCATED_IN]->(r:Region)
          WHERE x.kind IN ['MANUFACTURING', 'ASSEMBLY', 'PILOT'] AND r.province IN ['120000', '130000']
          RETURN DISTINCT e } AS manufacturingFirmsInTianjinHebei,
  COUNT { (s)<-[:ACTIVE_IN]-(:Enterprise) } AS firms,
  COUNT { MATCH (s)<-[:CONSTRAINS]-(b:Bottleneck) WHERE b.status <> 'RESOLVED' RETURN b } AS openBottlenecks
WHERE (rdFirmsInBeijing > 0 AND manufacturingFirmsInTianjinHebei = 0) OR firms = 0
RETURN s.id AS segment, s.name AS name,
  CASE WHEN firms = 0 THEN 'NO_FIRM_IN_REGION' ELSE 'RD_WITHOUT_MANUFACTURING' END AS kind,
  rdFirmsInBeijing, manufacturingFirmsInTianjinHebei, openBottlenecks
ORDER BY s.order
LIMIT 100;

// Single-source risks
// Segments of a chain that hang on one enterprise (SINGLE_SUPPLIER), or whose enterprises all sit in one province (SINGLE_REGION), with the segments they feed.
// :param chainMapId => 'hydrogen'
MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(s:Segment)
CALL (s) {
  MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise)
  RETURN collect(e.name) AS firms,
         COLLECT { MATCH (s)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
                   RETURN DISTINCT r.province } AS provinces
}
WITH s, firms, provinces
WHERE size(firms) = 1 OR (size(firms) > 1 AND size(provinces) = 1)
RETURN s.id AS segment, s.name AS name,
  CASE WHEN size(firms) = 1 THEN 'SINGLE_SUPPLIER' ELSE 'SINGLE_REGION' END AS kind,
  firms, CASE WHEN size(provinces) = 1 THEN provinces[0] END AS province,
  COLLECT { MATCH (s)-[:FEEDS]->(d:Segment) RETURN d.id ORDER BY d.chainMapId, d.order } AS feeds
ORDER BY s.order
LIMIT 100;

// R&D in Beijing to manufacturing in Tianjin/Hebei
// Technology transfers a source states, plus (if includeDerived) links derived from one firm's R&D/HQ site in Beijing and its production site in Tianjin or Hebei; chainMapId null for all chains.
// :param chainMapId => 'hydrogen'
// :param includeDerived => true
CALL () {
  MATCH (a)-[t:TRANSFERS_TECH_TO]->(b)
  OPTIONAL MATCH (owner:Enterprise)-[:OPERATES]->(b)
  WITH a, b, t, CASE WHEN b:Enterprise THEN b ELSE owner END AS ent
  RETURN t.id AS id, false AS derived, a, b, ent, a.regionCode AS fromRegion,
    coalesce(b.regionCode, COLLECT { MATCH (b)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
                                     WHERE r.province IN ['120000', '130000'] RETURN r.code ORDER BY r.code }[0]) AS toRegion,
    t.year AS year
  UNION ALL
  MATCH (ent:Enterprise)-[:OPERATES]->(a:Site)-[:LOCATED_IN]->(:Region {province: '110000'})
  WHERE $includeDerived AND a.kind IN ['RD', 'HQ']
  MATCH (ent)-[:OPERATES]->(b:Site)-[:LOCATED_IN]->(rb:Region)
  WHERE b.kind IN ['MANUFACTURING', 'ASSEMBLY', 'PILOT'] AND rb.province IN ['120000', '130000']
    AND NOT EXISTS { (a)-[:TRANSFERS_TECH_TO]->(b) }
  RETURN 'derived:' + a.id + '>' + b.id AS id, true AS derived, a, b, ent, a.regionCode AS fromRegion,
    b.regionCode AS toRegion, null AS year
}
WITH * WHERE $chainMapId IS NULL
  OR EXISTS { (ent)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) }
  OR EXISTS { (a)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) }
RETURN id, derived, a.name AS from, fromRegion, b.name AS to, toRegion, ent.name AS enterprise, year
ORDER BY derived, id
LIMIT 100;

// R&D in Beijing to manufacturing in Tianjin/Hebei (graph)
// The same links as a graph: each stated transfer with the firm that owns the receiving site, and each derived link as the firm with its two sites and their regions.
// :param chainMapId => 'hydrogen'
// :param includeDerived => true
CALL () {
  MATCH p = (a)-[:TRANSFERS_TECH_TO]->(b)
  OPTIONAL MATCH q = (owner:Enterprise)-[:OPERATES]->(b)
  RETURN a, CASE WHEN b:Enterprise THEN b ELSE owner END AS ent, p, q
  UNION ALL
  MATCH (ent:Enterprise)-[:OPERATES]->(a:Site)-[:LOCATED_IN]->(:Region {province: '110000'})
  WHERE $includeDerived AND a.kind IN ['RD', 'HQ']
  MATCH p = (a)<-[:OPERATES]-(ent)-[:OPERATES]->(b:Site)-[:LOCATED_IN]->(rb:Region)
  WHERE b.kind IN ['MANUFACTURING', 'ASSEMBLY', 'PILOT'] AND rb.province IN ['120000', '130000']
    AND NOT EXISTS { (a)-[:TRANSFERS_TECH_TO]->(b) }
  MATCH q = (a)-[:LOCATED_IN]->(:Region)
  RETURN a, ent, p, q
}
WITH * WHERE $chainMapId IS NULL
  OR EXISTS { (ent)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) }
  OR EXISTS { (a)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) }
RETURN p, q
LIMIT 100;

// Multi-tier suppliers
// The enterprises that supply an enterprise directly or through up to 3 SUPPLIES tiers, as a graph with the tier of each path.
// :param enterpriseId => 'xiaomi-auto'
MATCH p = (:Enterprise {id: $enterpriseId})<-[:SUPPLIES*1..3]-(supplier:Enterprise)
RETURN p, length(p) AS tier, supplier.name AS supplier, [r IN relationships(p) | r.product] AS products
ORDER BY tier, supplier
LIMIT 100;

// Alternative suppliers in the same segment
// Other enterprises active in the enterprise's segments (or only segmentId, if set), nearest first: regionDistance 0 same city or district, 1 same province, 2 elsewhere, 3 unknown.
// :param enterpriseId => 'xiaomi-auto'
// :param segmentId => null
MATCH (e:Enterprise {id: $enterpriseId})-[:ACTIVE_IN]->(s:Segment)
WHERE $segmentId IS NULL OR s.id = $segmentId
MATCH (s)<-[:ACTIVE_IN]-(alt:Enterprise)
WHERE alt <> e
WITH e, alt, collect(s.id) AS segments
WITH alt, segments,
  COLLECT { MATCH (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.code } AS mine,
  COLLECT { MATCH (alt)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.code } AS regions
WITH alt, segments, regions,
  CASE
    WHEN size(mine) = 0 OR size(regions) = 0 THEN 3
    WHEN any(m IN mine WHERE any(t IN regions WHERE m = t
      OR (left(m, 4) = left(t, 4) AND substring(m, 2, 2) <> '00'))) THEN 0
    WHEN any(m IN mine WHERE any(t IN regions WHERE left(m, 2) = left(t, 2))) THEN 1
    ELSE 2
  END AS regionDistance,
  CASE alt.chainRole WHEN 'CHAIN_MASTER' THEN 0 WHEN 'LEAD' THEN 1 WHEN 'SUPPORTING' THEN 2 ELSE 3 END AS tier
RETURN alt.id AS enterprise, alt.name AS name, alt.chainRole AS chainRole, segments, regionDistance, regions
ORDER BY regionDistance, tier, name, enterprise
LIMIT 25;

// Open chokepoints with no tackler in Hebei
// Chokepoints not yet RESOLVED that no enterprise with a site in Hebei and no institution in Hebei tackles; chainMapId null for all chains.
// :param chainMapId => 'hydrogen'
MATCH (b:Bottleneck)
WHERE b.kind = 'CHOKEPOINT' AND b.status IN ['OPEN', 'IN_PROGRESS']
  AND ($chainMapId IS NULL OR EXISTS { (b)-[:CONSTRAINS]->(:Segment {chainMapId: $chainMapId}) })
  AND NOT EXISTS { (b)<-[:TACKLES]-(:Enterprise)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region {province: '130000'}) }
  AND NOT EXISTS { (b)<-[:TACKLES]-(:Institution)-[:LOCATED_IN]->(:Region {province: '130000'}) }
RETURN b.id AS bottleneck, b.name AS name, b.status AS status, b.severity AS severity, b.category AS category,
  COLLECT { MATCH (b)-[:CONSTRAINS]->(s:Segment) RETURN s.id ORDER BY s.chainMapId, s.order } AS segments,
  COLLECT { MATCH (b)<-[:TACKLES]-(t) RETURN t.name ORDER BY t.name } AS tacklersElsewhere
ORDER BY severity DESC, bottleneck
LIMIT 50;

// Beijing to Tianjin/Hebei technology contracts by year
// Value (billion yuan) and number of the technology contracts flowing from Beijing to Tianjin and Hebei, by year; a period marks a multi-year total.
MATCH (i:Indicator {id: 'bj-tech-contracts-value'})-[:HAS_VALUE]->(v:IndicatorValue)
OPTIONAL MATCH (:Indicator {id: 'bj-tech-contracts-count'})-[:HAS_VALUE]->(n:IndicatorValue)
  WHERE n.year = v.year AND coalesce(n.period, '') = coalesce(v.period, '')
RETURN v.year AS year, v.period AS period, v.value AS value, i.unit AS unit, n.value AS contracts, v.note AS note,
  v.sourceIds AS sources
ORDER BY year, period
LIMIT 50;

// Official lists and what the graph holds of them
// The 卡点 / 堵点 / key-firm lists issued for each chain map, how many entries sources name, how many the graph holds as records, and the size the source states.
MATCH (c:ChainMap)-[:HAS_LIST]->(l:OfficialList)
RETURN c.id AS chainMap, l.id AS list, l.kind AS kind, l.issuer AS issuer, l.published AS published,
  COUNT { (l)-[:HAS_ITEM]->() } AS named, COUNT { (l)-[:HAS_ITEM]->()-[:REFERS_TO]->() } AS held, l.statedCount AS stated
ORDER BY chainMap, list
LIMIT 50;
