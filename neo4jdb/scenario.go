package neo4jdb

import (
	"cmp"
	"context"
	"slices"

	"github.com/chainmap/chainmap"
)

// Disruption scenarios, in one statement. What stops is decided by two conditions, spelled once here and used
// throughout: a site is gone when it lies in a removed region (codes: the regions asked for and every region
// inside them), is named, or belongs to a named enterprise; an enterprise stops when it is named, or has sites
// and every one is gone. The statement walks out from the gone sites (found by the site_region index) and the
// named records, never over the whole graph, then reads details for the first $first rows of each list only.
// The conditions cost a read of a firm's sites, so they are tested on as few firms as will do: the firms that
// stop are found once, by counting each firm's gone sites as they are found (goneSites) against its sites, or,
// when regions alone are removed, by their spans' index (stopsBySpan), and handed on as a list; a customer is
// cut off in a segment when its supply links from there that stop (counted from the firms that stop) are all
// its supply links from there, which its FirmAggregate counts (fedBy, aggregates.go: not its every supplier
// read), and it stops itself when its FirmAggregate's regions are all removed (stoppedBy: its sites are read
// only when sites are named); a firm's segments, for the segments it
// leaves and the links it cuts, are its FirmAggregate's (segments: reading its ACTIVE_IN relationships took 13
// db hits a firm at 100,000 firms, as they lie in one chain with its twenty-odd supply links); the first firms
// left in a segment are found among its first (wanted + lost) by rank; and a firm with a site that stands, not
// named, is standing by definition. The firms left nearest a cut-off firm are read once per segment of the
// cut-off rows shown, not once per row, each row leaving itself out (withoutFirm), by region: from the
// segment's members in rank order (standingByMembers), or, when regions alone are removed, from the first
// firms of each segment and region the graph keeps (standingByRegion), rather than a sort of every firm and a
// read of every site.

// goneSite is the condition that the site x is gone.
func goneSite(x string) string {
	return "(" + goneHere(x) + " OR EXISTS { (o_:Enterprise)-[:OPERATES]->(" + x + ") WHERE o_.id IN $enterpriseIds })"
}

// goneHere is the condition that the site x is gone by its place or its id: goneSite for a site whose
// enterprise is known not to be named.
func goneHere(x string) string {
	return "(" + x + ".regionCode IN codes OR " + x + ".id IN $siteIds)"
}

// stoppedFirm is the condition that the enterprise e stops: named, or every one of its sites (at least one) is
// gone. One subquery lists whether each site is gone; the fold is false for a firm without sites.
func stoppedFirm(e string) string {
	return "(" + e + ".id IN $enterpriseIds OR coalesce(reduce(all_ = null, g_ IN COLLECT { MATCH (" + e + ")-[:OPERATES]->(y_) RETURN " +
		goneHere("y_") + " } | CASE WHEN all_ = false THEN false ELSE g_ END), false))"
}

// stoppedBy is stoppedFirm for an enterprise e whose sites' regions are the list regions (its FirmAggregate's,
// aggregates.go): with no site named, e stops when it is named or it has sites and each is in a removed region,
// which the list tells without a read of its sites (1.5 M db hits for Beijing's cut-off customers at 100,000
// firms); with sites named, or no list, its sites are read.
func stoppedBy(e, regions string) string {
	return "(" + e + ".id IN $enterpriseIds OR CASE WHEN $siteIds = [] AND " + regions + " IS NOT NULL THEN " + regions +
		" <> [] AND all(r_ IN " + regions + " WHERE r_ IN codes) ELSE " + stoppedFirm(e) + " END)"
}

// stoppedActor is the condition that a tackler or a link's end t stops: a site gone, an enterprise stopped, an
// institution in a removed region.
func stoppedActor(t string) string {
	return "CASE WHEN " + t + ":Site THEN " + goneSite(t) + " WHEN " + t + ":Enterprise THEN " + stoppedFirm(t) +
		" ELSE coalesce(" + t + ".regionCode IN codes, false) END"
}

// stoppedTackler is stoppedActor for a tackler, which is an enterprise or an institution.
func stoppedTackler(t string) string {
	return "CASE WHEN " + t + ":Enterprise THEN " + stoppedFirm(t) + " ELSE coalesce(" + t + ".regionCode IN codes, false) END"
}

// goneSites yields, as (e, x), each enterprise e and each site x of it that is gone, and (e, null) for each
// enterprise named (of any chain: the caller keeps those of the chain asked about), by the site_region index and
// ids. The firms that stop are handed on as a list of their FirmAggregates (stoppedAggs: the parts after read
// nothing else of them), unwound at once by each part that reads it: a list kept on every row of a part would be
// counted, by Neo4j's memory guard, once for every row (a whole province went past 2 GiB that way); unwound
// first, Hebei's scenario at 100,000 firms took 160 MB, as when each part found them anew. (The R&D links a removal cuts are not found from these firms: cutDerivedLinks.)
// The firm stops when its gone sites are all its sites: OPERATES ends at a site only, so the caller counts the
// firm's OPERATES relationships without reading each site (145,000 db hits fewer for Cangzhou at 100,000 firms).
const goneSites = `CALL (codes) {
    MATCH (x:Site) WHERE x.regionCode IN codes MATCH (e:Enterprise)-[:OPERATES]->(x) RETURN e, x
    UNION
    MATCH (x:Site) WHERE x.id IN $siteIds MATCH (e:Enterprise)-[:OPERATES]->(x) RETURN e, x
    UNION
    MATCH (e:Enterprise)-[:OPERATES]->(x:Site) WHERE e.id IN $enterpriseIds RETURN e, x
    UNION
    MATCH (e:Enterprise) WHERE e.id IN $enterpriseIds RETURN e, null AS x
  }`

// membersInRank matches m to each member of the segment whose id is the expression segment (aggregates.go:
// SegmentMember) that meets where ("" or " AND ..."), by the index that holds them in rank order (byRank): a
// LIMIT after an ORDER BY byRank(m) then stops the walk. The index is named: planned without the hint, Neo4j read the members by the name index and
// sorted them, and the whole scenario statement of a city at 100,000 firms ran out of transaction memory
// (4.2 GiB).
func membersInRank(m, segment, where string) string {
	return `MATCH (` + m + `:SegmentMember {segment: ` + segment + `}) USING INDEX ` + m + `:SegmentMember(segment, tier, name, firmId)
        WHERE ` + m + `.tier IS NOT NULL AND ` + m + `.name IS NOT NULL AND ` + m + `.firmId IS NOT NULL` + where
}

// byRank orders the members m of a segment by rank: tier (chain masters, leads, supporting firms, the rest),
// then name and id; the segment first, so that Neo4j reads the order from the index.
func byRank(m string) string {
	return m + ".segment, " + m + ".tier, " + m + ".name, " + m + ".firmId"
}

// rankedFirms is the list of the first k enterprises a active in the segment g for which cond holds, in rank
// order (byRank): one walk of the segment's members, stopping at k, rather than a sort of every firm of the
// segment.
func rankedFirms(g, cond, k string) string {
	return `COLLECT { ` + membersInRank("m_", g+".id", "") + `
        MATCH (a:Enterprise {id: m_.firmId}) WHERE ` + cond + `
        WITH a, m_ ORDER BY ` + byRank("m_") + ` LIMIT ` + k + ` RETURN a }`
}

// cutDerivedLinks binds l to each derived R&D→production link (aggregates.go: DerivedLink) with an end gone — in
// a removed region, a named site, or of a named enterprise — by the indexes on either end's region and on the
// firm. Pairing the sites of every firm with a gone site instead took 115 ms of Cangzhou's scenario at 100,000
// firms (8,547 firms, 3,069 links cut) and 0.8 s of Hebei's (23,894). Each is kept as its id, its chain maps and
// the node until the first page is taken; only the rows of that page are made whole (a map of each of Hebei's
// links took 80 ms).
const cutDerivedLinks = `CALL (codes) {
      MATCH (l:DerivedLink) WHERE l.fromRegion IN codes RETURN l
      UNION
      MATCH (l:DerivedLink) WHERE l.toRegion IN codes RETURN l
      UNION
      MATCH (l:DerivedLink) WHERE l.firmId IN $enterpriseIds RETURN l
      UNION
      MATCH (x:Site) WHERE x.id IN $siteIds MATCH (e:Enterprise)-[:OPERATES]->(x)
      MATCH (l:DerivedLink {firmId: e.id}) WHERE l.from = x.id OR l.to = x.id RETURN l
    }`

// cutByStoppedFirms finds the cut-off rows from the firms that stop: each customer of theirs, cut off in a
// segment when the supply links it loses from there are all it has (its FirmAggregate's fedBy).
var cutByStoppedFirms = `CALL (codes, stoppedAggs) {
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
  WITH c, g WHERE NOT ` + stoppedBy("c", "agg.regions") + `
  WITH c, g ORDER BY ` + tier("c") + `, c.name, c.id, g.chainMapId, g.order, g.id
  RETURN collect({c: c, g: g}) AS cutRows
}`

// cutByFootprint finds the cut-off rows of a removal of regions alone (no enterprise or site named) from the
// SegmentSupply nodes (aggregates.go): a firm is cut off in a segment when the regions its suppliers there have
// sites in (footprint) all lie in the removed ones, found by the first of them (anchor); and it does not stop
// itself. Walking the supply links out of the firms that stop instead took ~165 ms of Cangzhou's scenario at
// 100,000 firms (12,500 customers) and ~1 s of Hebei's; this takes ~10 ms for Cangzhou. The index is named, so
// that a plan made on a graph without SegmentSupply nodes does not scan their label.
var cutByFootprint = `CALL (codes) {
  MATCH (u:SegmentSupply) USING INDEX u:SegmentSupply(anchor) WHERE u.anchor IN codes
  WITH u WHERE all(r_ IN u.footprint WHERE r_ IN codes) AND NOT (u.regions <> [] AND all(r_ IN u.regions WHERE r_ IN codes))
  MATCH (g:Segment {id: u.segment}) WHERE $chainMapId = '' OR g.chainMapId = $chainMapId
  MATCH (c:Enterprise {id: u.firmId})
  WITH c, g ORDER BY ` + tier("c") + `, c.name, c.id, g.chainMapId, g.order, g.id
  RETURN collect({c: c, g: g}) AS cutRows
}`

// stopsBySites counts the firms that stop and the others with a site gone (weakened), and the sites gone, and
// lists the aggregates of the firms that stop (stoppedAggs), from goneSites: a firm stops when it is named or
// its gone sites are all its sites (OPERATES ends at a site only, so its OPERATES relationships are counted,
// not its sites read).
var stopsBySites = `CALL (codes) {
  ` + goneSites + `
  WITH e, count(x) AS gone WHERE ` + firmInChain + `
  WITH e, gone, e.id IN $enterpriseIds OR gone = COUNT { (e)-[:OPERATES]->() } AS stopped
  RETURN count(CASE WHEN stopped THEN 1 END) AS stoppedEnterprises, count(CASE WHEN NOT stopped THEN 1 END) AS weakened,
    sum(gone) AS stoppedSites, collect(CASE WHEN stopped THEN COLLECT { MATCH (x:FirmAggregate {firmId: e.id}) RETURN x }[0] END) AS stoppedAggs
}`

// stopsBySpan is stopsBySites for a removal of regions alone: a firm stops when the regions of its sites (its
// FirmAggregate's span, aggregates.go) all lie in the removed ones, found by the first of them (anchor). The
// firms with a site gone and their gone sites are counted by the region aggregates when the removed regions
// lie in one (topKey: the one asked for, or the one that holds the others), and by walking the gone sites
// otherwise: a firm with sites in two removed regions would count twice in a sum of their aggregates. At
// 100,000 firms, counting every touched firm's OPERATES relationships instead took ~30 ms of Cangzhou's
// scenario (8,547 firms, 677 of them stopping), and walking its gone sites 10 ms (40 ms of Cangzhou's for the
// hydrogen chain, which tests each firm's segments).
var stopsBySpan = `CALL (codes) {
  CALL (codes) {
    MATCH (x:FirmAggregate) USING INDEX x:FirmAggregate(anchor) WHERE x.anchor IN codes
    WITH x WHERE all(r_ IN x.span WHERE r_ IN codes) AND ($chainMapId = '' OR $chainMapId IN x.chains)
    RETURN collect(x) AS stoppedAggs
  }
  CALL (codes) {
    WITH codes, COLLECT { MATCH (x:Region) WHERE x.code IN $regionCodes
      AND NOT EXISTS { (x)-[:PART_OF*1..3]->(p:Region) WHERE p.code IN $regionCodes } RETURN x.code } AS tops
    WITH codes, CASE WHEN size(tops) = 1 THEN tops[0] + '|' + CASE $chainMapId WHEN '' THEN '*' ELSE $chainMapId END END AS topKey
    CALL (codes, topKey) {
      MATCH (x:Site) WHERE x.regionCode IN CASE WHEN topKey IS NULL THEN codes ELSE [] END
      MATCH (e:Enterprise)-[:OPERATES]->(x)
      WITH e, count(x) AS gone WHERE ` + firmInChain + `
      RETURN count(e) AS walkedHit, sum(gone) AS walkedSites
    }
    RETURN CASE WHEN topKey IS NULL THEN walkedHit ELSE ` + aggregateCount(`'e|' + topKey`) + ` END AS hit,
      CASE WHEN topKey IS NULL THEN walkedSites ELSE ` + aggregateCount(`'n|' + topKey`) + ` END AS stoppedSites
  }
  RETURN size(stoppedAggs) AS stoppedEnterprises, hit - size(stoppedAggs) AS weakened, stoppedSites, stoppedAggs
}`

// firmInChain is the condition that the enterprise e is active in the chain map asked about, if one is.
const firmInChain = `($chainMapId = '' OR EXISTS { (e)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) })`

// standingByMembers lists, for the segment g, the first ($alts + 1) firms that stand in each region as
// {code, ids}: the segment's members in rank order from their index, each with the regions its sites are in
// (aggregates.go: SegmentMember; its sites are read only when sites are named), the order carrying into each
// region's collect.
var standingByMembers = `COLLECT { ` + membersInRank("m", "g.id", " AND NOT m.firmId IN $enterpriseIds") + `
        WITH m ORDER BY ` + byRank("m") + `
        UNWIND CASE WHEN $siteIds = [] THEN [code IN m.regions WHERE NOT code IN codes]
          ELSE COLLECT { MATCH (:Enterprise {id: m.firmId})-[:OPERATES]->(x) WHERE NOT ` + goneHere("x") + ` AND x.regionCode IS NOT NULL
            RETURN DISTINCT x.regionCode } END AS code
        WITH code, collect(m.firmId)[0..$alts + 1] AS ids
        RETURN {code: code, ids: ids} }`

// standingByRegion is standingByMembers for a removal of regions alone, read from the segment's SegmentRegions
// (aggregates.go): with no firm or site named, the first firms of a segment with a site in a region that is
// not removed all stand, so the maintained list is the answer. Walking the members instead took ~55 ms of
// Cangzhou's scenario at 100,000 firms (the segments of the first 20 cut-off rows, ~2,150 members each).
const standingByRegion = `COLLECT { MATCH (t:SegmentRegion {segment: g.id}) USING INDEX t:SegmentRegion(segment, region)
        WHERE t.region IS NOT NULL AND NOT t.region IN codes
        RETURN {code: t.region, ids: t.first[0..$alts + 1]} }`

// scenarioParts are what the statement of a scenario that names enterprises or sites (scenarioStatement) and
// that of one that removes regions alone (regionScenarioStatement) each do their own way: find the firms that
// stop, the firms cut off, and the firms that stand in each region for a segment. They differ in how, not in
// what they find (TestScenarioCutOffBothWays).
type scenarioParts struct{ stops, cutOff, standing string }

var (
	scenarioStatement       = scenarioCypher(scenarioParts{stops: stopsBySites, cutOff: cutByStoppedFirms, standing: standingByMembers})
	regionScenarioStatement = scenarioCypher(scenarioParts{stops: stopsBySpan, cutOff: cutByFootprint, standing: standingByRegion})
)

func scenarioCypher(p scenarioParts) string {
	return versionGate + `
WITH version_, COLLECT { MATCH (r:Region)-[:PART_OF*0..3]->(x:Region) WHERE x.code IN $regionCodes RETURN DISTINCT r.code } AS codes
` + p.stops + `
CALL (stoppedAggs) {
  UNWIND stoppedAggs AS x UNWIND x.segments AS id
  WITH id, count(*) AS lost
  MATCH (s:Segment {id: id}) WHERE $chainMapId = '' OR s.chainMapId = $chainMapId
  WITH s, lost, ` + aggregateCount(`'s|' + s.id`) + ` AS before
  ORDER BY CASE WHEN before = lost THEN 0 ELSE 1 END, toFloat(lost) / before DESC, s.chainMapId, s.order, s.id
  RETURN collect({s: s, lost: lost, before: before}) AS segRows
}
` + p.cutOff + `
CALL (codes) {
  MATCH (b:Bottleneck) WHERE b.status <> 'RESOLVED'
    AND ($chainMapId = '' OR EXISTS { (b)-[:CONSTRAINS]->(:Segment {chainMapId: $chainMapId}) })
    AND EXISTS { (b)<-[:TACKLES]-() }
    AND NOT EXISTS { MATCH (b)<-[:TACKLES]-(t) WHERE NOT ` + stoppedTackler("t") + ` }
  WITH b ORDER BY b.severity DESC, b.id
  RETURN collect(b) AS orphanRows
}
CALL (codes) {
  CALL (codes) {` + statedLinkRows + `
    WITH * WHERE $chainMapId = '' OR ` + linkActiveIn("{chainMapId: $chainMapId}") + `
    WITH *, ` + stoppedActor("a") + ` AS fromStops, ` + stoppedActor("b") + ` AS toStops
    WHERE fromStops OR toStops
    RETURN {id: id, derived: false, a: a, b: b, ent: ent, t: t, fromRegion: fromRegion, toRegion: toRegion,
      fromStops: fromStops, toStops: toStops, chains: ` + chainsOfEither("ent", "a") + `} AS row
    UNION ALL
    ` + cutDerivedLinks + `
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
      left: [a IN ` + rankedFirms("s", "NOT "+stoppedFirm("a"), "$alts") + ` | a {.id, .name, .nameZh}],
      institutions: COLLECT { MATCH (i:Institution) WHERE NOT coalesce(i.regionCode IN codes, false) AND EXISTS { (i)-[:ACTIVE_IN]->(s) }
        WITH i ORDER BY i.name, i.id LIMIT $alts RETURN i {.id, .name, .nameZh} },
      feeds: COLLECT { MATCH (s)-[:FEEDS]->(d:Segment) RETURN d {.id, .name, .nameZh} ORDER BY d.chainMapId, d.order, d.id }} } AS segments,
  COLLECT { UNWIND cutRows[0..$first] AS r WITH r.c AS c, r.g AS g
    RETURN {c: c {.id, .name, .nameZh}, g: g {.id, .name, .nameZh},
      lost: COLLECT { MATCH (o:Enterprise)-[:SUPPLIES]->(c) WHERE EXISTS { (o)-[:ACTIVE_IN]->(g) } WITH DISTINCT o ORDER BY o.id RETURN o {.id, .name, .nameZh} },
      places: COLLECT { MATCH (c)-[:OPERATES]->(x) WHERE NOT ` + goneHere("x") + ` RETURN x.regionCode ORDER BY x.id }} } AS cutOffs,
  COLLECT { UNWIND orphanRows[0..$first] AS b
    RETURN {id: b.id, name: b.name, nameZh: b.nameZh, severity: b.severity, status: b.status,
      firmsLost: COLLECT { MATCH (b)<-[:TACKLES]-(t:Enterprise) WITH t ORDER BY t.id RETURN t {.id, .name, .nameZh} },
      institutionsLost: COLLECT { MATCH (b)<-[:TACKLES]-(t:Institution) WITH t ORDER BY t.id RETURN t {.id, .name, .nameZh} },
      firmAlts: COLLECT { MATCH (b)-[:CONSTRAINS]->(g:Segment) UNWIND ` + rankedFirms("g", "NOT "+stoppedFirm("a"), "$alts") + ` AS a
        WITH DISTINCT a ORDER BY ` + tier("a") + `, a.name, a.id LIMIT $alts RETURN a {.id, .name, .nameZh} },
      institutionAlts: COLLECT { MATCH (i:Institution) WHERE NOT coalesce(i.regionCode IN codes, false)
        AND EXISTS { (b)-[:CONSTRAINS]->(:Segment)<-[:ACTIVE_IN]-(i) }
        WITH DISTINCT i ORDER BY i.name, i.id LIMIT $alts RETURN i {.id, .name, .nameZh} }} } AS orphaned,
  COLLECT { UNWIND linkRows[0..$first] AS r
    WITH r, coalesce(r.ent, COLLECT { MATCH (e_:Enterprise {id: r.firm}) RETURN e_ }[0]) AS ent,
      coalesce(r.a, COLLECT { MATCH (s_:Site {id: r.from}) RETURN s_ }[0]) AS a, coalesce(r.b, COLLECT { MATCH (s_:Site {id: r.to}) RETURN s_ }[0]) AS b
    RETURN {id: r.id, derived: r.derived, kind: coalesce(r.t.kind, 'RD_TO_PRODUCTION'), from: a {.id, .name, .nameZh}, to: b {.id, .name, .nameZh},
      ent: ent.id, fromRegion: r.fromRegion, toRegion: r.toRegion, fromStops: r.fromStops, toStops: r.toStops,
      standing: COLLECT { MATCH (ent)-[:OPERATES]->(x)-[:LOCATED_IN]->(rg:Region)
          WHERE NOT ent.id IN $enterpriseIds AND NOT ` + goneHere("x") + `
            AND CASE WHEN r.toStops THEN x.kind IN ` + quotedList(chainmap.ProductionSiteKinds...) + ` AND rg.province IN ` + quotedList(chainmap.Tianjin, chainmap.Hebei) + `
                ELSE x.kind IN ` + quotedList(chainmap.RDSiteKinds...) + ` AND rg.province = ` + quoted(chainmap.Beijing) + ` END
          WITH x ORDER BY x.id LIMIT $alts RETURN x {.id, name: coalesce(x.name, x.id)} }} } AS cutLinks,
  COLLECT { UNWIND cutRows[0..$first] AS r WITH DISTINCT r.g AS g
    WITH g, ` + p.standing + ` AS groups
    RETURN {segment: g.id, groups: [s IN groups | {code: s.code,
      firms: [id IN s.ids | COLLECT { MATCH (a:Enterprise {id: id}) RETURN a {.id, .name, .nameZh, .chainRole} }[0]]}]} } AS segmentAlts,
  ` + regionTree + ` AS tree,
  COLLECT { MATCH (m:ChainMap) WITH m ORDER BY m.id RETURN m {.id, .name, .nameZh} } AS chainMaps`
}

// Scenario returns what the chains (or the one chain q.ChainMapID) lose if the regions, enterprises and sites
// q names stop (see chainmap.Scenario), with the first q.First rows of each list and q.Alternatives alternatives
// for each row. Ids and codes the graph does not hold are listed in Unknown.
func (db *DB) Scenario(ctx context.Context, q chainmap.ScenarioQuery) (*chainmap.Scenario, error) {
	statement := scenarioStatement
	if len(q.EnterpriseIDs) == 0 && len(q.SiteIDs) == 0 {
		statement = regionScenarioStatement
	}
	rec, err := db.keptAnalysis(ctx, "Scenario", statement, map[string]any{
		"regionCodes": strs(q.RegionCodes), "enterpriseIds": strs(q.EnterpriseIDs), "siteIds": strs(q.SiteIDs),
		"chainMapId": q.ChainMapID, "first": q.First, "alts": q.Alternatives})
	if err != nil {
		return nil, err
	}
	m := props(rec)
	tree := regionTreeFrom(m.list("tree"))
	out := &chainmap.Scenario{RegionCodes: q.RegionCodes, StoppedSites: m.int("stoppedSites"), StoppedEnterprises: m.int("stoppedEnterprises"),
		WeakenedEnterprises: m.int("weakened"), StoppedInstitutions: m.int("stoppedInstitutions"),
		SegmentsTotal: m.int("segmentsTotal"), CutOffTotal: m.int("cutTotal"), OrphanedBottlenecksTotal: m.int("orphanTotal"), CutLinksTotal: m.int("linksTotal")}
	for _, r := range m.list("regions") {
		out.Regions = append(out.Regions, namedRegion(r))
	}
	found := map[string]bool{}
	for _, r := range out.Regions {
		found["region:"+r.ID] = true
	}
	for _, id := range m.strs("knownEnterprises") {
		found["enterprise:"+id] = true
	}
	for _, id := range m.strs("knownSites") {
		found["site:"+id] = true
	}
	for _, k := range []struct {
		kind string
		ids  []string
	}{{"region", q.RegionCodes}, {"enterprise", q.EnterpriseIDs}, {"site", q.SiteIDs}} {
		for _, id := range k.ids {
			if !found[k.kind+":"+id] {
				out.Unknown = append(out.Unknown, id)
			}
		}
	}

	chains := map[string]*chainmap.ScenarioChain{}
	var order []string
	for _, c := range m.list("chainMaps") {
		chains[c.str("id")] = &chainmap.ScenarioChain{ChainMapID: c.str("id"), ChainMap: named(c)}
		order = append(order, c.str("id"))
	}
	chain := func(id string) *chainmap.ScenarioChain {
		if c, ok := chains[id]; ok {
			return c
		}
		return &chainmap.ScenarioChain{} // a segment of no chain map: counted in the totals only
	}
	for _, sc := range anyLists(m["segChains"]) {
		id, _ := sc[0].(string)
		if lost, _ := sc[1].(bool); lost {
			out.SegmentsLost++
			chain(id).SegmentsLost++
		} else {
			chain(id).SegmentsWeakened++
		}
	}
	for _, cc := range anyLists(m["cutChains"]) {
		id, _ := cc[0].(string)
		n, _ := cc[1].(int64)
		chain(id).CutOff += int(n)
	}
	for _, lc := range anyLists(m["linkChains"]) {
		id, _ := lc[0].(string)
		n, _ := lc[1].(int64)
		chain(id).CutLinks += int(n)
	}
	for _, ids := range anyLists(m["orphanChains"]) {
		for _, id := range ids {
			s, _ := id.(string)
			chain(s).OrphanedBottlenecks++
		}
	}
	for _, id := range order {
		c := chains[id]
		if q.ChainMapID != "" && id != q.ChainMapID {
			continue
		}
		out.Chains = append(out.Chains, *c)
	}

	for _, s := range m.list("segments") {
		seg := chainmap.ScenarioSegment{Segment: named(s), ChainMapID: s.str("chainMapId"), Order: s.int("order"),
			FirmsBefore: s.int("before"), FirmsLost: s.int("lost"), Left: namedList(s.list("left")), InstitutionsLeft: namedList(s.list("institutions")),
			Feeds: namedList(s.list("feeds")), Status: chainmap.SegmentWeakened}
		seg.FirmsLeft = seg.FirmsBefore - seg.FirmsLost
		if seg.FirmsLeft == 0 {
			seg.Status = chainmap.SegmentLost
		}
		out.Segments = append(out.Segments, seg)
	}
	standing := map[string][]props{} // by segment, the standing firms by region, one more than wanted per region
	for _, s := range m.list("segmentAlts") {
		standing[s.str("segment")] = s.list("groups")
	}
	for _, c := range m.list("cutOffs") {
		cut := chainmap.CutOff{Enterprise: named(c.sub("c")), Segment: named(c.sub("g")), SuppliersLost: namedList(c.list("lost"))}
		groups := withoutFirm(standing[cut.Segment.ID], cut.Enterprise.ID, q.Alternatives)
		cut.Alternatives = nearestAlternatives(tree, c.strs("places"), groups, q.Alternatives)
		out.CutOff = append(out.CutOff, cut)
	}
	for _, b := range m.list("orphaned") {
		out.OrphanedBottlenecks = append(out.OrphanedBottlenecks, chainmap.OrphanedBottleneck{Bottleneck: named(b), Severity: b.int("severity"),
			Status: chainmap.BottleneckStatus(b.str("status")), EnterprisesLost: namedList(b.list("firmsLost")),
			InstitutionsLost: namedList(b.list("institutionsLost")), EnterpriseAlts: namedList(b.list("firmAlts")),
			InstitutionAlts: namedList(b.list("institutionAlts"))})
	}
	for _, l := range m.list("cutLinks") {
		out.CutLinks = append(out.CutLinks, chainmap.CutLink{ID: l.str("id"), Derived: l.boolean("derived"),
			Kind: chainmap.TransferKind(l.str("kind")), From: named(l.sub("from")), To: named(l.sub("to")), EnterpriseID: l.str("ent"),
			FromRegionCode: l.str("fromRegion"), ToRegionCode: l.str("toRegion"), FromStops: l.boolean("fromStops"), ToStops: l.boolean("toStops"),
			Standing: namedList(l.list("standing"))})
	}
	return out, nil
}

// withoutFirm is groups of firms by region without the firm id, n at most in each: the standing firms of a
// segment are read once for all its cut-off firms, one more than wanted, and each firm leaves itself out.
func withoutFirm(groups []props, id string, n int) []props {
	out := make([]props, 0, len(groups))
	for _, g := range groups {
		var firms []any
		for _, f := range g.list("firms") {
			if f.str("id") != id && len(firms) < n {
				firms = append(firms, map[string]any(f))
			}
		}
		out = append(out, props{"code": g["code"], "firms": firms})
	}
	return out
}

// nearestAlternatives picks, from firms grouped by the region of a standing site, the n nearest to the places of
// the firm they would serve (chainmap.RegionTree.Distance, the least over its places; the region shared with
// them the lesser code of those as near), then by chain role, name and id.
func nearestAlternatives(tree chainmap.RegionTree, places []string, groups []props, n int) []chainmap.ScenarioAlternative {
	type cand struct {
		alt        chainmap.ScenarioAlternative
		role, name string
	}
	best := map[string]*cand{}
	var all []*cand
	for _, g := range groups {
		code := g.str("code")
		d, shared := -1, ""
		for _, p := range places {
			if pd, _, sh := tree.Distance(p, []string{code}); d < 0 || pd < d {
				d, shared = pd, sh
			}
		}
		for _, f := range g.list("firms") {
			id := f.str("id")
			if c, ok := best[id]; ok {
				// The nearest of its groups; of two as near, the lesser shared region, whatever order the
				// groups came in.
				if farther(c.alt.RegionDistance, d) || c.alt.RegionDistance == d && shared < c.alt.SharedRegionCode {
					c.alt.RegionDistance, c.alt.SharedRegionCode = d, shared
				}
				continue
			}
			c := &cand{alt: chainmap.ScenarioAlternative{EnterpriseID: id, Name: cmpOrStr(f.str("nameZh"), f.str("name")), RegionDistance: d,
				SharedRegionCode: shared}, role: f.str("chainRole"), name: f.str("name")}
			best[id] = c
			all = append(all, c)
		}
	}
	slices.SortStableFunc(all, func(a, b *cand) int {
		if da, db := a.alt.RegionDistance, b.alt.RegionDistance; da != db {
			if farther(da, db) {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(chainmap.RoleOrder(chainmap.ChainRole(a.role)), chainmap.RoleOrder(chainmap.ChainRole(b.role))),
			cmp.Compare(a.name, b.name), cmp.Compare(a.alt.EnterpriseID, b.alt.EnterpriseID))
	})
	out := make([]chainmap.ScenarioAlternative, 0, min(n, len(all)))
	for _, c := range all[:min(n, len(all))] {
		out = append(out, c.alt)
	}
	return out
}

// farther reports whether distance a is farther than b; -1 (unknown) is farthest.
func farther(a, b int) bool {
	switch {
	case a == b:
		return false
	case a < 0:
		return true
	case b < 0:
		return false
	}
	return a > b
}

func cmpOrStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// anyLists reads a list of lists.
func anyLists(v any) [][]any {
	list, _ := v.([]any)
	out := make([][]any, 0, len(list))
	for _, x := range list {
		if l, ok := x.([]any); ok {
			out = append(out, l)
		}
	}
	return out
}

// strs turns a nil slice into an empty one, so that Cypher sees a list.
func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
