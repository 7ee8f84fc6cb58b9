package neo4jdb

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// Maintained aggregates (issue 20, item 3). What the planner's reads used to count per request at 100,000 firms
// — a firm's open-bottleneck exposure, a region's firms, sites and segments per chain map — is kept in the
// graph, written in the same transaction as every write that changes it, and read back by key.
//
//   - (:FirmAggregate {firmId}) is one per enterprise, keyed by the enterprise's id and not linked to it, so that
//     the change log, dumps, redo and loads (which read a record's every property and relationship) never see
//     it. It holds the firm's exposure (openBottlenecks, indexed for ordering) and the inputs of its share of
//     the region counts: the chain maps and segments it is active in, one "regionCode|KIND" per site and
//     region holding the site (the site's region and each region above it), and the regions of its derived
//     R&D→production links' ends (rdOut: the R&D site's, rdIn: the production site's; once per link and region
//     holding the end); its place (the region of its first site by id), where the changes summary places a
//     firm's events; and its dated incoming supply links (linksIn: "year|chain" for each chain map either end
//     is active in, and "year|*", once per link), which the changes summary counts instead of walking every
//     dated link (133,000 since 2023 with 100,000 firms); and its suppliers per segment (fedBy: "segment|n",
//     n the supply links to it whose supplier is active in the segment), which a scenario's cut-off test reads
//     instead of every customer's suppliers (132,000 links for a city at 100,000 firms); and the regions its
//     sites are in (regions: each site's own regionCode, once, sorted), from which a scenario tells whether
//     the firm stops without a read of its sites; and the first region of its span (anchor, indexed; see
//     SegmentSupply for the span), by which a scenario that removes regions finds the firms that stop.
//   - (:SegmentMember {segment, name, firmId, tier, regions}) is one per enterprise and segment it is active
//     in, with the enterprise's name, its rank by chain role (tier: chain masters 0, leads 1, supporting firms 2,
//     the rest 3) and the regions its sites are in (regions: each site's own regionCode, once, sorted): a
//     segment's firms by name, or by tier and name, in index order, so that `first: N` reads N, not all; and
//     where a scenario's standing firms are (scenario.go), without a read of every site of every firm.
//   - (:DerivedLink {firmId, from, to, fromRegion, toRegion, chains}) is one per derived R&D→production link of
//     an enterprise (links.go: derivedPairs): its R&D site's id and region, its production site's, and the
//     chain maps the firm is active in; indexed by firmId and by the region of each end, so that a scenario
//     finds the links a removal cuts without pairing the sites of every firm it touches (scenario.go). The
//     FirmAggregate counts them (rdLinks), which tells aggregates written before DerivedLink from a firm
//     without such links.
//   - (:SegmentSupply {firmId, segment, footprint, anchor, regions}) is one per enterprise and segment that one
//     of its suppliers is active in: the regions where those suppliers' sites are (footprint: each site's
//     regionCode, the empty string for a site without one or a supplier without sites, once, sorted; anchor:
//     the first) and the regions of the firm's own sites (regions, as its FirmAggregate's). Every supplier
//     there stops when regions are removed exactly when the footprint lies in them, so a scenario that removes
//     regions finds the firms it cuts off by the anchor's index (scenario.go). A firm's own span (the same
//     list for its sites alone) is on its FirmAggregate, so that a change of its sites refreshes its customers.
//   - (:SegmentRegion {segment, region, first}) is one per segment and region that a member's site is in (the
//     site's own regionCode, as SegmentMember's regions): the ids of its first segmentRegionFirst members with a
//     site there, by rank (tier, name, id). A scenario that removes regions reads the firms that stand in each
//     other region from these (a few dozen nodes a segment) instead of walking every member of the segment
//     (~2,150 at 100,000 firms). Written for the segments and regions whose members a refresh changed.
//   - (:RegionAggregate {key, n}) holds a sum over the firms' shares, by key: "e|R|C" firms with a site in
//     region R active in chain map C ("*": any), "n|R|C" their sites, "k|R|C|KIND" their sites of a kind, and
//     "g|R|S" firms with a site in R active in segment S, "r|S" and "m|S" firms active in S with an R&D or HQ
//     site in Beijing and with a production site in Tianjin or Hebei, "o|R|C" and "i|R|C" derived R&D→production links
//     (links.go) of firms active in C leaving from and arriving in R, "l|C|YEAR|P" supply links dated YEAR whose
//     customer's place is P ("" for none) and either end active in C ("*": any), "s|S" and "c|C" firms active
//     in segment S and in chain map C (wherever their sites are). A key whose sum is 0 has no node.
//
// The firm's id is firmId, never id: `id` is the records' key, and `MATCH (n {id: $x})` (a test, an analyst in
// Neo4j Browser) must find the record alone. 008_aggregates_firm_id.cypher renames it on aggregates written
// before.
//
// One source of truth: a firm's share is derived from its FirmAggregate by firmShares, the same statement for
// a write (the shares of the touched firms before and after, their difference added) and for Reindex (every
// firm's share, summed). The exposure is firmExposure, the expression the compiled order used to compute.

// firmExposure is the number of open (not RESOLVED) bottlenecks on the segments the enterprise e is active in.
const firmExposure = `COUNT { MATCH (e)-[:ACTIVE_IN]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck)
    WHERE b.status <> 'RESOLVED' RETURN DISTINCT b }`

// tier is the rank of the enterprise e by its chain role, chain masters first: a SegmentMember's tier.
func tier(e string) string {
	out := "CASE " + e + ".chainRole"
	for i, r := range roleRanks {
		out += fmt.Sprintf(" WHEN %s THEN %d", quoted(r), i)
	}
	return out + fmt.Sprintf(" ELSE %d END", len(roleRanks))
}

// roleRanks are the chain roles in rank order; a firm with none ranks after them.
var roleRanks = []chainmap.ChainRole{chainmap.ChainMaster, chainmap.Lead, chainmap.Supporting}

// refreshFirms sets the FirmAggregate of each enterprise of $ids from the graph, and deletes those of ids that
// name no enterprise any more. A firm's supply links in are read once, with each supplier's segments and chain
// maps, for both linksIn and fedBy (a customer may have hundreds). It returns the customers of the firms whose
// segments or sites' regions (span) changed, or that had no aggregate (a synthetic firm published after its
// customers, in batches): their fedBy count the supplier's segments, their linksIn name its chain maps, and
// their SegmentSupply footprints hold its sites' regions.
//
// A firm's sites are the ends of its OPERATES relationships, matched without the Site label here and wherever
// a statement starts from a firm it holds: named, the sites could be read from an index on them (by region, id
// or since) in that index's order and each checked against the firm, a plan Neo4j chose now and then for the
// regions below, which read every site of the graph once per firm (a reload that refreshed 10,000 firms: 2.5
// minutes instead of 20 s).
var refreshFirms = `
UNWIND $ids AS id
OPTIONAL MATCH (e:Enterprise {id: id})
WITH id, e, COLLECT { MATCH (e)-[:OPERATES]->(x) WHERE x.regionCode IS NOT NULL RETURN DISTINCT x.regionCode AS r ORDER BY r } AS regions
CALL (id, e) {
  WITH id WHERE e IS NULL
  MATCH (x:FirmAggregate {firmId: id})
  DELETE x
}
CALL (id) {
  MATCH (m:SegmentMember {firmId: id})
  DELETE m
}
CALL (id) {
  MATCH (l:DerivedLink {firmId: id}) USING INDEX l:DerivedLink(firmId)
  DELETE l
}` + writeSupplies("id, e, regions", "id", "e", "regions") + `
CALL (id, e, regions) {
  WITH e, regions WHERE e IS NOT NULL
  MATCH (e)-[:ACTIVE_IN]->(g:Segment)
  WITH DISTINCT e, regions, g
  CREATE (:SegmentMember {segment: g.id, name: e.name, firmId: e.id, tier: ` + tier("e") + `, regions: regions})
}
CALL (e) {
  WITH e, ` + chainsOf("e") + ` AS chains WHERE e IS NOT NULL
  ` + scope{"ent": "e", "derived": "true"}.fill(derivedPairs) + `
  CREATE (:DerivedLink {firmId: e.id, from: a.id, to: b.id, fromRegion: a.regionCode, toRegion: b.regionCode, chains: chains})
  RETURN count(*) AS rdLinks
}
OPTIONAL CALL (id, e, regions, rdLinks) {
  WITH e, regions, rdLinks WHERE e IS NOT NULL
  MERGE (x:FirmAggregate {firmId: id})
  WITH e, regions, rdLinks, x, x.segments AS was, x.span AS wasSpan, ` + span("e") + ` AS span, ` + chainsOf("e") + ` AS chains,
    COLLECT { MATCH (e)-[:ACTIVE_IN]->(g:Segment) RETURN DISTINCT g.id ORDER BY g.id } AS segments,
    ` + supplyLinksIn + ` AS links
  SET x.openBottlenecks = ` + firmExposure + `,
    x.chains = chains,
    ` + linksInFields + `,
    x.segments = segments,
    x.regions = regions,
    x.place = ` + scope{"n": "e"}.fill(firstSitePlace) + `,
    x.sites = COLLECT { MATCH (e)-[:OPERATES]->(s)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r:Region)
      RETURN r.code + '|' + coalesce(s.kind, '') AS p ORDER BY p },
    x.rdOut = COLLECT { ` + derivedLinkEnds("fromRegion") + ` },
    x.rdIn = COLLECT { ` + derivedLinkEnds("toRegion") + ` },
    x.rdLinks = rdLinks,
    x.span = span,
    x.anchor = span[0]
  RETURN CASE WHEN was = segments AND wasSpan = span THEN []
    ELSE COLLECT { MATCH (e)-[:SUPPLIES]->(c:Enterprise) RETURN DISTINCT c.id } END AS customers
}
UNWIND coalesce(customers, []) AS customer
RETURN collect(DISTINCT customer) AS customers`

// supplyLinksIn lists the supply links to the enterprise e, each with its date and its supplier's segments and
// chain maps: read once for both linksInFields.
const supplyLinksIn = `COLLECT { MATCH (s:Enterprise)-[r:SUPPLIES]->(e)
      CALL (s) { MATCH (s)-[:ACTIVE_IN]->(g:Segment) RETURN collect(DISTINCT g.id) AS segments, collect(DISTINCT g.chainMapId) AS chains }
      RETURN {since: r.since, segments: segments, chains: chains} }`

// linksInFields sets the FirmAggregate x's linksIn and fedBy from links (supplyLinksIn), the firm's chain maps
// being chains.
const linksInFields = `x.linksIn = COLLECT { UNWIND links AS i WITH i WHERE i.since IS NOT NULL
      UNWIND ['*'] + chains + [c IN i.chains WHERE NOT c IN chains] AS c
      RETURN toString(i.since) + '|' + c AS l ORDER BY l },
    x.fedBy = COLLECT { UNWIND links AS i UNWIND i.segments AS g
      WITH g, count(*) AS n RETURN g + '|' + n AS f ORDER BY f }`

// linkInKey is the region aggregate's key ("l|chain|year|place") of the entry l ("year|chain") of the
// FirmAggregate x's linksIn.
const linkInKey = `'l|' + split(l, '|')[1] + '|' + split(l, '|')[0] + '|' + coalesce(x.place, '')`

// refreshCustomer sets the linksIn and fedBy of the FirmAggregate of the enterprise $id and its SegmentSupply
// nodes, and adds the difference of its dated links' keys to the region aggregates (addDifference): what a
// supply link to it changes. found is 0 when the enterprise or its aggregate is missing.
var refreshCustomer = `
MATCH (e:Enterprise {id: $id})
MATCH (x:FirmAggregate {firmId: $id})
SET x._lock = true // before anything is read: see lockFirms
REMOVE x._lock
WITH e, x` + writeSupplies("e, x", "e.id", "e", "x.regions") + `
CALL (e, x) {
  WITH e, x, x.chains AS chains, [l IN x.linksIn | [` + linkInKey + `, 1]] AS before, ` + supplyLinksIn + ` AS links
  SET ` + linksInFields + `
  WITH x, before, [l IN x.linksIn | [` + linkInKey + `, 1]] AS after` + addDifference + `
}
RETURN count(*) AS found`

// chainsOf lists the chain maps the enterprise bound to e is active in, sorted.
func chainsOf(e string) string {
	return `COLLECT { MATCH (` + e + `)-[:ACTIVE_IN]->(g_:Segment) WHERE g_.chainMapId IS NOT NULL RETURN DISTINCT g_.chainMapId ORDER BY g_.chainMapId }`
}

// span lists the regions of the sites of the enterprise e as a scenario's removal reads them: each site's
// regionCode, the empty string for a site without one (it never stops by its region), once, sorted; a list of
// the empty string alone for a firm without sites (it never stops by a region either).
func span(e string) string {
	return `coalesce(nullIf(COLLECT { MATCH (` + e + `)-[:OPERATES]->(x_) RETURN DISTINCT coalesce(x_.regionCode, '') AS r_ ORDER BY r_ }, []), [''])`
}

// writeSupplies brings the SegmentSupply nodes of the enterprise whose id is the expression id up to date: one
// per segment its suppliers are active in, when e (the enterprise, or null) is not null, with their spans' union
// (footprint) and the firm's own sites' regions (regions). vars are the variables the expressions read.
func writeSupplies(vars, id, e, regions string) string {
	return syncNodes(vars, "SegmentSupply", id, `COLLECT {
    MATCH (s_:Enterprise)-[:SUPPLIES]->(`+e+`)
    MATCH (s_)-[:ACTIVE_IN]->(g_:Segment)
    WITH g_, collect(DISTINCT s_) AS sups_
    WITH g_, COLLECT { UNWIND sups_ AS s_ UNWIND `+span("s_")+` AS r_ RETURN DISTINCT r_ ORDER BY r_ } AS footprint_
    RETURN {segment: g_.id, footprint: footprint_, anchor: footprint_[0], regions: coalesce(`+regions+`, [])} }`,
		"segment", "footprint", "anchor", "regions")
}

// syncNodes makes the nodes of the label whose firmId is the expression id those the list want describes (maps of
// the fields, none of them null), writing only the difference: a node that matches no wanted map is deleted, a
// wanted map that no node matches is created, the rest are left alone. A refresh that changes nothing then
// writes nothing: deleting and creating them all again made a reload that refreshed every firm several times
// slower within its transaction. vars are the variables the expressions read; the label has an index on firmId.
func syncNodes(vars, label, id, want string, fields ...string) string {
	props := make([]string, len(fields))
	for i, f := range fields {
		props[i] = "." + f
	}
	return `
CALL (` + vars + `) {
  WITH ` + id + ` AS id_, ` + want + ` AS want_
  WITH id_, want_, COLLECT { MATCH (n_:` + label + ` {firmId: id_}) USING INDEX n_:` + label + `(firmId)
    RETURN {n: n_, k: n_ {` + strings.Join(props, ", ") + `}} } AS have_
  CALL (want_, have_) {
    UNWIND have_ AS h_
    WITH h_ WHERE NOT h_.k IN want_
    WITH h_.n AS n_
    DELETE n_
  }
  CALL (id_, want_, have_) {
    UNWIND want_ AS w_
    WITH w_ WHERE NOT w_ IN [h_ IN have_ | h_.k]
    CREATE (n_:` + label + `)
    SET n_ = w_, n_.firmId = id_
  }
}`
}

// aggregateCount is the maintained count under the key the Cypher expression key gives, 0 when there is none:
// how every read takes a RegionAggregate.
func aggregateCount(key string) string {
	return `coalesce(COLLECT { MATCH (a_:RegionAggregate {key: ` + key + `}) RETURN a_.n }[0], 0)`
}

// derivedLinkEnds lists, for each derived link of the enterprise e (its DerivedLinks, just written), the region of
// one end (fromRegion: the R&D site's, toRegion: the production site's) and each region above it.
func derivedLinkEnds(end string) string {
	return `MATCH (l:DerivedLink {firmId: e.id}) USING INDEX l:DerivedLink(firmId)
    MATCH (:Region {code: l.` + end + `})-[:PART_OF*0..3]->(r:Region)
    RETURN r.code ORDER BY r.code`
}

// beijingRDSites and tianjinHebeiProductionSites are the entries of a FirmAggregate's sites ("region|KIND") of an
// R&D or HQ site in Beijing, and of a production site in Tianjin or Hebei (as the derived links define them).
var (
	beijingRDSites              = siteEntries([]string{chainmap.Beijing}, chainmap.RDSiteKinds)
	tianjinHebeiProductionSites = siteEntries([]string{chainmap.Tianjin, chainmap.Hebei}, chainmap.ProductionSiteKinds)
)

func siteEntries(regions []string, kinds []chainmap.SiteKind) string {
	var out []string
	for _, r := range regions {
		for _, k := range kinds {
			out = append(out, r+"|"+string(k))
		}
	}
	return quotedList(out...)
}

// firmShares gives the rows (key, n) of the share of each FirmAggregate bound to x by the clause before it (see
// the comment on maintained aggregates above for the keys); summed by key by what follows it.
var firmShares = `
CALL (x) {
  UNWIND x.sites AS p
  WITH x, split(p, '|') AS p
  UNWIND x.chains + ['*'] AS c
  RETURN 'n|' + p[0] + '|' + c AS key, 1 AS n
  UNION ALL
  UNWIND x.sites AS p
  WITH x, split(p, '|') AS p
  UNWIND x.chains + ['*'] AS c
  RETURN 'k|' + p[0] + '|' + c + '|' + p[1] AS key, 1 AS n
  UNION ALL
  UNWIND x.sites AS p
  WITH DISTINCT x, split(p, '|')[0] AS r
  UNWIND x.chains + ['*'] AS c
  RETURN 'e|' + r + '|' + c AS key, 1 AS n
  UNION ALL
  UNWIND x.sites AS p
  WITH DISTINCT x, split(p, '|')[0] AS r
  UNWIND x.segments AS g
  RETURN 'g|' + r + '|' + g AS key, 1 AS n
  UNION ALL
  UNWIND x.segments AS g
  RETURN 's|' + g AS key, 1 AS n
  UNION ALL
  UNWIND x.chains AS c
  RETURN 'c|' + c AS key, 1 AS n
  UNION ALL
  UNWIND CASE WHEN any(p IN x.sites WHERE p IN ` + beijingRDSites + `) THEN x.segments ELSE [] END AS g
  RETURN 'r|' + g AS key, 1 AS n
  UNION ALL
  UNWIND CASE WHEN any(p IN x.sites WHERE p IN ` + tianjinHebeiProductionSites + `) THEN x.segments ELSE [] END AS g
  RETURN 'm|' + g AS key, 1 AS n
  UNION ALL
  UNWIND x.rdOut AS r
  UNWIND x.chains + ['*'] AS c
  RETURN 'o|' + r + '|' + c AS key, 1 AS n
  UNION ALL
  UNWIND x.rdIn AS r
  UNWIND x.chains + ['*'] AS c
  RETURN 'i|' + r + '|' + c AS key, 1 AS n
  UNION ALL
  UNWIND x.linksIn AS l
  RETURN ` + linkInKey + ` AS key, 1 AS n
}`

// sharesOf collects the shares (firmShares) of the FirmAggregates of $ids, summed by key, as [key, n] pairs,
// into the variable named: one pair per key, however many firms (a gen run's 100,000 hold 13,000 keys).
func sharesOf(name string) string {
	return `
CALL () {
  UNWIND $ids AS id
  MATCH (x:FirmAggregate {firmId: id})` + firmShares + `
  WITH key, sum(n) AS n
  RETURN collect([key, n]) AS ` + name + `
}`
}

// maintainShares refreshes the FirmAggregates of $ids (refreshFirms) and adds the difference of their shares
// after and before to the region aggregates (addDifference), in one statement: clauses run in order and each
// sees what the ones before it wrote. It returns refreshFirms' customers. It reads nothing before it holds
// the locks of lockFirms.
var maintainShares = lockFirms + sharesOf("before") + membersOf("membersBefore") + `
CALL () {` + refreshFirms + `
}` + sharesOf("after") + addDifference + membersOf("membersAfter") + refreshSegmentRegions + `
RETURN customers`

// segmentRegionFirst is how many of a segment's firms in a region a SegmentRegion lists: a scenario shows at most
// chainmap.MaxAlts alternatives a row, and reads one more for the cut-off firm that leaves itself out.
const segmentRegionFirst = chainmap.MaxAlts + 1

// membersOf collects into the variable named the segment members of the firms $ids, one list
// [segment, region, tier, name, firmId] per member and region of its sites: what the SegmentRegions read.
func membersOf(name string) string {
	return `
CALL () {
  UNWIND $ids AS id
  MATCH (m:SegmentMember {firmId: id})
  UNWIND m.regions AS r
  RETURN collect([m.segment, r, m.tier, m.name, m.firmId]) AS ` + name + `
}`
}

// refreshSegmentRegions writes again the SegmentRegion of each segment and region in which the members before
// and after a refresh (membersOf) differ: a firm joined or left the segment, came to or left the region, or
// changed its name or rank. The others stay as they are: no member they read changed.
var refreshSegmentRegions = `
CALL (membersBefore, membersAfter) {
  UNWIND [m_ IN membersBefore | [m_, -1]] + [m_ IN membersAfter | [m_, 1]] AS d_
  WITH d_[0] AS m_, sum(d_[1]) AS n_
  WITH m_ WHERE n_ <> 0
  WITH DISTINCT m_[0] AS segment, m_[1] AS region` + writeSegmentRegion + `
}`

// writeSegmentRegion sets the SegmentRegion of each row's segment and region, in that order (two writers lock
// them alike), to the first segmentRegionFirst members with a site in the region, by rank; and deletes it
// where there are none.
var writeSegmentRegion = `
  WITH segment, region ORDER BY segment, region
  WITH segment, region, COLLECT { ` + membersInRank("m_", "segment", " AND region IN m_.regions") + `
    WITH m_ ORDER BY ` + byRank("m_") + ` LIMIT ` + strconv.Itoa(segmentRegionFirst) + ` RETURN m_.firmId } AS first
  MERGE (t:SegmentRegion {segment: segment, region: region})
  WITH t, first WHERE coalesce(t.first <> first, true)
  SET t.first = first
  WITH t WHERE t.first = []
  DELETE t`

// lockFirms takes, before a refresh of the firms $ids reads anything, the write locks of the segments they are
// active in (now, and as their aggregates have it from before) and then of their aggregates, each in id order.
// What editors write at the same time is then counted in one order or the other, never missed by both:
//   - a firm's aggregate is read and written by one refresh at a time, so none writes a value computed before
//     another one's commit (a supply link to the firm, refreshCustomer, takes the same lock);
//   - a firm's exposure counts the bottlenecks of its segments, and a change of those bottlenecks refreshes
//     the firms it finds on their segments (refreshExposure) under the segments' locks: a firm added to a
//     segment meanwhile is either counted there, or counts the change.
var lockFirms = lockSegments("", `COLLECT {
    UNWIND $ids AS id
    CALL (id) {
      MATCH (:Enterprise {id: id})-[:ACTIVE_IN]->(g:Segment) RETURN g.id AS segment
      UNION
      MATCH (x:FirmAggregate {firmId: id}) UNWIND coalesce(x.segments, []) AS segment RETURN segment
    }
    RETURN segment
  }`) + `
CALL () {
  UNWIND $ids AS id
  MATCH (x:FirmAggregate {firmId: id})
  WITH x ORDER BY x.firmId
  SET x._lock = true
  REMOVE x._lock
}`

// lockSegments takes the write locks of the segments whose ids the list ids gives, each once, in id order: the
// order every writer of the firms' aggregates takes them in (see lockFirms), so that two never wait for each
// other. It is a subquery of its own, importing vars, that leaves the rows before it as they were.
func lockSegments(vars, ids string) string {
	return `
CALL (` + vars + `) {
  UNWIND ` + ids + ` AS sid_
  WITH DISTINCT sid_ ORDER BY sid_
  MATCH (g_:Segment {id: sid_})
  SET g_._lock = true
  REMOVE g_._lock
}`
}

// addDifference adds to the region aggregates the difference of the shares after and before ([key, n] pairs),
// in key order, so that two writers lock the nodes in the same order; an aggregate that reaches 0 is deleted.
const addDifference = `
CALL (before, after) {
  UNWIND [d IN before | [d[0], -d[1]]] + after AS d
  WITH d[0] AS key, sum(d[1]) AS n
  WITH key, n WHERE n <> 0
  ORDER BY key
  MERGE (a:RegionAggregate {key: key})
  ON CREATE SET a.n = 0
  SET a.n = a.n + n
  WITH a WHERE a.n = 0
  DELETE a
}`

// refreshExposure sets the exposure of the firms active in the segments $segments and in those the
// bottlenecks $bottlenecks constrain now, where it changed. It first takes all the segments' locks, in id
// order (see lockFirms: a firm being added to one of them is counted by one side or the other). A firm on
// other segments too may meanwhile have its exposure shifted by a status change there (shiftExposure), so
// this takes the aggregates' locks in firm id order and counts a firm's exposure again once it holds its
// lock: counted before, the value would miss a change committed while this one waited.
var refreshExposure = `
WITH $segments + COLLECT { UNWIND $bottlenecks AS bid MATCH (:Bottleneck {id: bid})-[:CONSTRAINS]->(g:Segment) RETURN g.id } AS sids
` + lockSegments("sids", "sids") + `
UNWIND sids AS sid
MATCH (:Segment {id: sid})<-[:ACTIVE_IN]-(e:Enterprise)
WITH DISTINCT e
MATCH (x:FirmAggregate {firmId: e.id})
WITH e, x, ` + firmExposure + ` AS n
WHERE x.openBottlenecks IS NULL OR x.openBottlenecks <> n
WITH e, x ORDER BY x.firmId
SET x._lock = true
REMOVE x._lock
WITH e, x, ` + firmExposure + ` AS n
WHERE x.openBottlenecks IS NULL OR x.openBottlenecks <> n
SET x.openBottlenecks = n
RETURN count(*) AS n`

// maintainFirms brings the aggregates of the enterprises ids up to date after a write that changed them (or
// deleted them), in the write's transaction: the firms' shares are read before and after their FirmAggregates
// are refreshed, and the difference added to the region aggregates (maintainShares). One round trip per
// maintainBatch firms; as many more when a firm's chain maps changed and it supplies, by dated links, firms not
// among ids (their linksIn name its chain maps).
func maintainFirms(run txRunner, ids []string) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids))) // a firm twice would count its difference twice
	var others []string
	for batch := range slices.Chunk(ids, maintainBatch) {
		recs, err := run(maintainShares, map[string]any{"ids": batch})
		if err != nil {
			return fmt.Errorf("aggregates: %w", err)
		}
		customers, _ := recs[0].Get("customers")
		for _, c := range stringList(customers) {
			if _, found := slices.BinarySearch(ids, c); !found {
				others = append(others, c)
			}
		}
	}
	if len(others) == 0 {
		return nil
	}
	return maintainFirms(run, others) // their own chain maps did not change: no further step
}

// maintainBatch bounds the firms one maintainShares statement refreshes: a gen run's 100,000 in one statement
// passed the transaction memory guard (2.8 GiB with a 4 GiB heap), where four statements for all of them did
// not.
const maintainBatch = 5000

// maintainCustomer brings up to date the aggregate of the customer id of a supply link that was made, changed or
// removed: only its links in changed (refreshCustomer). A customer whose aggregate is missing takes
// maintainFirms, which makes it (or, gone, deletes it).
func maintainCustomer(run txRunner, id string) error {
	recs, err := run(refreshCustomer, map[string]any{"id": id})
	if err != nil {
		return fmt.Errorf("aggregates: %w", err)
	}
	if recInt(recs[0], "found") == 0 {
		return maintainFirms(run, []string{id})
	}
	return nil
}

// transferOwner is the enterprise that operates both ends of the transfer from $from to $to, if one does.
const transferOwner = `RETURN COLLECT { MATCH (e:Enterprise)-[:OPERATES]->(:Site {id: $from})
  WHERE EXISTS { (e)-[:OPERATES]->(:Site {id: $to}) } RETURN e.id } AS ids`

// maintainTransfer brings the aggregates up to date after a technology transfer from from to to was written: a
// stated transfer between two sites of one enterprise stands for the derived link they made (links.go:
// derivedPairs), so that enterprise's links changed. One round trip when it is not such a transfer.
func maintainTransfer(run txRunner, from, to string) error {
	recs, err := run(transferOwner, map[string]any{"from": from, "to": to})
	if err != nil {
		return fmt.Errorf("aggregates: %w", err)
	}
	ids, _ := recs[0].Get("ids")
	return maintainFirms(run, stringList(ids))
}

// maintainExposure brings up to date the exposure of the firms on the segments segments and on those the
// bottlenecks constrain now, after a write that changed bottlenecks (their status or their segments).
func maintainExposure(run txRunner, segments, bottlenecks []string) error {
	if len(segments) == 0 && len(bottlenecks) == 0 {
		return nil
	}
	_, err := run(refreshExposure, map[string]any{"segments": orEmptyStrings(segments), "bottlenecks": orEmptyStrings(bottlenecks)})
	if err != nil {
		return fmt.Errorf("aggregates: exposure: %w", err)
	}
	return nil
}

// shiftExposure adds $delta to the exposure of every firm on the segments the bottleneck $id constrains: a
// status change that enters RESOLVED (-1) or leaves it (+1) changes by one each such firm's count of the
// bottlenecks not resolved, however many of the bottleneck's segments the firm is on. It takes the segments'
// locks first (see lockFirms), then each aggregate's before it reads it.
var shiftExposure = lockSegments("", "COLLECT { MATCH (:Bottleneck {id: $id})-[:CONSTRAINS]->(g:Segment) RETURN g.id }") + `
MATCH (:Bottleneck {id: $id})-[:CONSTRAINS]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
WITH DISTINCT e
MATCH (x:FirmAggregate {firmId: e.id})
WITH x ORDER BY x.firmId
SET x._lock = true
REMOVE x._lock
WITH x
SET x.openBottlenecks = x.openBottlenecks + $delta
RETURN count(*) AS n`

// maintainStatus brings the exposure up to date after the status of the bottleneck id changed from one
// status to another: nothing to do unless it entered or left RESOLVED.
func maintainStatus(run txRunner, id string, wasResolved, isResolved bool) error {
	if wasResolved == isResolved {
		return nil
	}
	delta := 1
	if isResolved {
		delta = -1
	}
	if _, err := run(shiftExposure, map[string]any{"id": id, "delta": delta}); err != nil {
		return fmt.Errorf("aggregates: exposure: %w", err)
	}
	return nil
}

func orEmptyStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// aggregateIDs are the ids whose aggregates a bulk write (a load, a gen run) may have changed: the
// enterprises of kind (curated: not synthetic; or all), and those with an aggregate but no enterprise any more.
const curatedFirmIDs = `
CALL () { MATCH (e:Enterprise) WHERE NOT coalesce(e.synthetic, false) RETURN e.id AS id
  UNION
  MATCH (x:FirmAggregate) WHERE NOT EXISTS { (:Enterprise {id: x.firmId}) } RETURN x.firmId AS id }
RETURN collect(id) AS ids`

// maintainCurated is maintainFirms for the curated enterprises (and the aggregates of deleted ones), then the
// exposure of every firm on any segment: what a load may have changed (it writes, and may prune, bottlenecks
// and their segments).
func maintainCurated(run txRunner) error {
	recs, err := run(curatedFirmIDs, nil)
	if err != nil {
		return fmt.Errorf("aggregates: %w", err)
	}
	ids, _ := recs[0].Get("ids")
	if err := maintainFirms(run, stringList(ids)); err != nil {
		return err
	}
	recs, err = run(`RETURN COLLECT { MATCH (g:Segment) RETURN g.id } AS ids`, nil)
	if err != nil {
		return fmt.Errorf("aggregates: %w", err)
	}
	segments, _ := recs[0].Get("ids")
	return maintainExposure(run, stringList(segments), nil)
}

// Reindex rebuilds every maintained aggregate from the graph: the FirmAggregate, SegmentMembers, DerivedLinks and
// SegmentSupplies of every enterprise (in batches of its own transactions), then, in one transaction, deletes
// those of no enterprise, writes every SegmentRegion and sums the firms' shares into the region aggregates, by
// the same statements a write uses. It returns the numbers of firm and region aggregates.
func (db *DB) Reindex(ctx context.Context) (firms, regions int, err error) {
	res, err := db.read(ctx, "Reindex", `MATCH (e:Enterprise) RETURN e.id AS id ORDER BY id`, nil)
	if err != nil {
		return 0, 0, err
	}
	ids := make([]string, 0, len(res.Records))
	for _, r := range res.Records {
		v, _ := r.Get("id")
		if s, ok := v.(string); ok {
			ids = append(ids, s)
		}
	}
	const batch = 5000
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		if _, err := db.inTxWith(ctx, "Reindex", longTx("Reindex"), func(run txRunner) (any, error) {
			return run(refreshFirms, map[string]any{"ids": part})
		}); err != nil {
			return 0, 0, fmt.Errorf("reindex firms: %w", err)
		}
	}
	out, err := db.inTxWith(ctx, "Reindex", longTx("Reindex"), func(run txRunner) (any, error) {
		// The aggregates of no enterprise: those of firms gone by a write that did not maintain them, and
		// those written before firmId (they have none; migrate renames them, a reindex alone rebuilds them).
		if _, err := run(`MATCH (x:FirmAggregate|SegmentMember|DerivedLink|SegmentSupply) WHERE NOT EXISTS { (:Enterprise {id: x.firmId}) } DELETE x`, nil); err != nil {
			return nil, err
		}
		if _, err := run(`MATCH (a:RegionAggregate|SegmentRegion) DELETE a`, nil); err != nil {
			return nil, err
		}
		if _, err := run(`MATCH (m:SegmentMember) UNWIND m.regions AS r
WITH DISTINCT m.segment AS segment, r AS region`+writeSegmentRegion, nil); err != nil {
			return nil, err
		}
		recs, err := run(`MATCH (x:FirmAggregate)`+firmShares+`
WITH key, sum(n) AS n
CREATE (:RegionAggregate {key: key, n: n})
RETURN count(*) AS n`, nil)
		if err != nil {
			return nil, err
		}
		if _, err := run(newEpoch, nil); err != nil { // answers read from the aggregates it rebuilt are not kept
			return nil, err
		}
		return recInt(recs[0], "n"), nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("reindex regions: %w", err)
	}
	return len(ids), out.(int), nil
}

// longTx lets a rebuild or a migration, named method, run past the per-query timeout.
func longTx(method string) []func(*neo4j.TransactionConfig) {
	return []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(30 * time.Minute),
		neo4j.WithTxMetadata(map[string]any{"app": "chainmap", "method": method})}
}

// AggregatesStale reports whether the maintained aggregates need a Reindex after Migrate: the graph has
// enterprises but no aggregates (a database written by a version without them), or aggregates with no firmId
// (written, under their old property id, beside those a newer version wrote before the database was
// migrated: 008_aggregates_firm_id.cypher leaves them), or aggregates without their derived links' regions or
// their dated incoming supply links or their suppliers per segment or their sites' regions or the count of
// their DerivedLinks or their span (and so SegmentSupply nodes) or their span's anchor, or segment members
// without their tier or their regions, or segment members without SegmentRegions (written by a version before
// those).
func (db *DB) AggregatesStale(ctx context.Context) (bool, error) {
	res, err := db.read(ctx, "AggregatesStale", `RETURN EXISTS { (:Enterprise) } AND NOT EXISTS { (:FirmAggregate) }
  OR EXISTS { MATCH (x:FirmAggregate|SegmentMember) WHERE x.firmId IS NULL }
  OR EXISTS { MATCH (x:FirmAggregate) WHERE x.rdIn IS NULL OR x.linksIn IS NULL OR x.fedBy IS NULL OR x.regions IS NULL OR x.rdLinks IS NULL OR x.span IS NULL OR x.anchor IS NULL }
  OR EXISTS { MATCH (m:SegmentMember) WHERE m.tier IS NULL OR m.regions IS NULL }
  OR EXISTS { (:SegmentMember) } AND NOT EXISTS { (:SegmentRegion) } AS stale`, nil)
	if err != nil {
		return false, err
	}
	v, _ := res.Records[0].Get("stale")
	return v == true, nil
}
