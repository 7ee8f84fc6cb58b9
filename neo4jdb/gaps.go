package neo4jdb

import (
	"context"
	"slices"

	"github.com/chainmap/chainmap"
)

// Region gaps (补链 targeting), in one statement: the region tree; the chain's segments with how many firms of the
// region are active in each; and, for each segment held by no more than $thin firms, its neighbours, the facts
// of every candidate to fill it and the region's parks that host firms next to it. The store only gathers facts;
// chainmap.GapPoints scores and ranks them, so that the rule lives in one place.

// regionTree reads every region with its parent, for chainmap.RegionTree.
const regionTree = `COLLECT { MATCH (r:Region)
    RETURN {code: r.code, name: r.name, nameZh: r.nameZh, parent: COLLECT { MATCH (r)-[:PART_OF]->(p:Region) RETURN p.code }[0]} }`

// inRegion is the condition that the enterprise e has a site in one of the regions whose codes are in inside.
const inRegion = `EXISTS { (e)-[:OPERATES]->(x_) WHERE x_.regionCode IN inside }`

// gapCandidates gathers, for the gap segment s, the enterprises and institutions not in the region that could
// fill it: firms active in it (the firm list), and Beijing institutions and firms with an R&D or HQ site in
// Beijing active in it or next to it (the R&D list), each once with the facts GapPoints scores.
var gapCandidates = `
CALL (s, inside) {
  CALL (s) {
    MATCH (s)<-[:ACTIVE_IN]-(c) RETURN c, 2 AS f
    UNION ALL
    MATCH (s)-[:FEEDS]-(:Segment)<-[:ACTIVE_IN]-(c) RETURN c, 1 AS f
  }
  WITH c, max(f) AS fit, inside
  WITH c, fit, inside, c:Enterprise AND fit = 2 AS firm,
    (c:Institution AND EXISTS { (c)-[:LOCATED_IN]->(:Region {province: ` + quoted(chainmap.Beijing) + `}) })
      OR (c:Enterprise AND EXISTS { (c)-[:OPERATES]->(x)-[:LOCATED_IN]->(:Region {province: ` + quoted(chainmap.Beijing) + `})
        WHERE x.kind IN ` + quotedList(chainmap.RDSiteKinds...) + ` }) AS rd
  WHERE (firm OR rd) AND NOT coalesce(c.regionCode IN inside, false)
    AND NOT EXISTS { (c)-[:OPERATES]->(x) WHERE x.regionCode IN inside }
  RETURN collect({id: c.id, name: c.name, nameZh: c.nameZh, chainRole: c.chainRole, institution: c:Institution,
    firm: firm, rd: rd, fit: fit, regionCode: c.regionCode,
    sites: COLLECT { MATCH (c)-[:OPERATES]->(x) RETURN {id: x.id, kind: x.kind, code: x.regionCode} ORDER BY x.id },
    linked: COLLECT { MATCH (c)-[:SUPPLIES]-(e:Enterprise) WHERE ` + inRegion + `
      RETURN DISTINCT {id: e.id, name: e.name, nameZh: e.nameZh} },
    transfers: COLLECT {
      CALL (c) {
        MATCH (c)-[t:TRANSFERS_TECH_TO]->(y) RETURN t, c.regionCode AS from, y
        UNION
        MATCH (c)-[:OPERATES]->(src)-[t:TRANSFERS_TECH_TO]->(y) RETURN t, src.regionCode AS from, y
      }
      RETURN {id: t.id, kind: t.kind, year: t.year, from: from,
        toCodes: CASE WHEN y.regionCode IS NOT NULL THEN [y.regionCode]
          ELSE COLLECT { MATCH (y)-[:OPERATES]->(z) RETURN z.regionCode ORDER BY z.regionCode } END,
        toFirm: CASE WHEN y:Enterprise THEN y {.id, .name, .nameZh}
          ELSE COLLECT { MATCH (o:Enterprise)-[:OPERATES]->(y) RETURN o {.id, .name, .nameZh} }[0] END}
    },
    branches: COUNT { (:Enterprise)-[:BRANCH_OF]->(c) }}) AS candidates
}`

// gapParks counts, for each park of the region, the firms of the segments next to s and of s itself it hosts.
const gapParks = `COLLECT { MATCH (p:Park) WHERE p.regionCode IN inside
    WITH p, COUNT { MATCH (p)<-[:IN_PARK]-(:Site)<-[:OPERATES]-(e:Enterprise)-[:ACTIVE_IN]->(:Segment)-[:FEEDS]-(s) RETURN DISTINCT e } AS nb,
      COUNT { MATCH (p)<-[:IN_PARK]-(:Site)<-[:OPERATES]-(e:Enterprise)-[:ACTIVE_IN]->(s) RETURN DISTINCT e } AS own
    WHERE nb + own > 0
    RETURN {id: p.id, name: p.name, nameZh: p.nameZh, nb: nb, own: own} }`

// firmsHere is the number of the region's firms active in the segment g: its maintained count (aggregates.go,
// key "g|R|S"), read by key rather than counted over the segment's firms.
func firmsHere(g string) string {
	return aggregateCount(`'g|' + $code + '|' + ` + g + `.id`)
}

// gapNeighbours lists the segments next to s in one direction, with how many firms of the region each has.
func gapNeighbours(pattern string) string {
	return `COLLECT { MATCH ` + pattern + ` RETURN {id: nb.id, name: nb.name, nameZh: nb.nameZh,
    firms: ` + firmsHere("nb") + `} ORDER BY nb.chainMapId, nb.order, nb.id }`
}

var regionGaps = `
MATCH (target:Region {code: $code})
MATCH (m:ChainMap {id: $chainMapId})
WITH target, m, COLLECT { MATCH (r:Region)-[:PART_OF*0..3]->(target) RETURN r.code } AS inside
CALL (m, inside) {
  MATCH (m)-[:HAS_SEGMENT]->(s:Segment)
  WITH s, ` + firmsHere("s") + ` AS n
  ORDER BY s.order, s.id
  RETURN collect({s: s, n: n}) AS segs
}
CALL (segs, inside) {
  UNWIND segs AS g
  WITH g.s AS s, g.n AS n, inside
  WHERE n <= $thin` + gapCandidates + `
  RETURN collect({id: s.id, name: s.name, nameZh: s.nameZh, stage: s.stage, order: s.order, n: n,
    here: COLLECT { MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise) WHERE ` + inRegion + ` WITH e ORDER BY e.name, e.id LIMIT $thin RETURN e {.id, .name, .nameZh} },
    open: COUNT { MATCH (s)<-[:CONSTRAINS]-(b:Bottleneck) WHERE b.status <> 'RESOLVED' },
    upstream: ` + gapNeighbours("(nb:Segment)-[:FEEDS]->(s)") + `,
    downstream: ` + gapNeighbours("(s)-[:FEEDS]->(nb:Segment)") + `,
    candidates: candidates, parks: ` + gapParks + `}) AS gaps
}
RETURN target {.code, .name, .nameZh} AS region, m {.id, .name, .nameZh} AS chainMap, size(segs) AS total,
  size([g IN segs WHERE g.n > 0]) AS held, gaps, ` + regionTree + ` AS tree`

// RegionGaps returns the segments of the chain map that the region lacks or holds thinly, in chain order, each
// with its neighbours and its candidates ranked by chainmap.GapPoints (the first q.First of each kind); nil when
// there is no such region or chain map.
func (db *DB) RegionGaps(ctx context.Context, q chainmap.RegionGapQuery) (*chainmap.RegionGaps, error) {
	res, err := db.read(ctx, "RegionGaps", regionGaps, map[string]any{"code": q.RegionCode, "chainMapId": q.ChainMapID, "thin": q.ThinAtMost})
	if err != nil || len(res.Records) == 0 {
		return nil, err
	}
	m := props(res.Records[0].AsMap())
	tree := regionTreeFrom(m.list("tree"))
	out := &chainmap.RegionGaps{Region: namedRegion(m.sub("region")), ChainMap: named(m.sub("chainMap")),
		Segments: m.int("total"), Held: m.int("held")}
	for _, g := range m.list("gaps") {
		gap := chainmap.SegmentGap{Segment: named(g), Stage: chainmap.Stage(g.str("stage")), Order: g.int("order"),
			Status: chainmap.GapAbsent, FirmsInRegion: g.int("n"), Firms: namedList(g.list("here")), OpenBottlenecks: g.int("open")}
		if gap.FirmsInRegion > 0 {
			gap.Status = chainmap.GapThin
		}
		for _, n := range g.list("upstream") {
			gap.Upstream = append(gap.Upstream, chainmap.GapNeighbour{Segment: named(n), FirmsInRegion: n.int("firms")})
		}
		for _, n := range g.list("downstream") {
			gap.Downstream = append(gap.Downstream, chainmap.GapNeighbour{Segment: named(n), FirmsInRegion: n.int("firms")})
		}
		for _, c := range g.list("candidates") {
			if c.boolean("firm") {
				gap.FirmCandidates = append(gap.FirmCandidates, gapCandidate(c, tree, out.Region, gap.Segment, false))
			}
			if c.boolean("rd") {
				gap.RDCandidates = append(gap.RDCandidates, gapCandidate(c, tree, out.Region, gap.Segment, true))
			}
		}
		chainmap.RankCandidates(gap.FirmCandidates)
		chainmap.RankCandidates(gap.RDCandidates)
		gap.FirmCandidatesTotal, gap.RDCandidatesTotal = len(gap.FirmCandidates), len(gap.RDCandidates)
		gap.FirmCandidates = gap.FirmCandidates[:min(q.First, len(gap.FirmCandidates))]
		gap.RDCandidates = gap.RDCandidates[:min(q.First, len(gap.RDCandidates))]
		for _, p := range g.list("parks") {
			park := chainmap.ParkCandidate{Park: named(p), NeighbourFirms: p.int("nb"), SegmentFirms: p.int("own")}
			park.Parts = chainmap.GapPoints.ScorePark(gap.Segment, park.NeighbourFirms, park.SegmentFirms)
			park.Score = chainmap.Total(park.Parts)
			gap.Parks = append(gap.Parks, park)
		}
		chainmap.RankParks(gap.Parks)
		gap.Parks = gap.Parks[:min(q.First, len(gap.Parks))]
		out.Gaps = append(out.Gaps, gap)
	}
	return out, nil
}

func named(m props) chainmap.Named {
	return chainmap.Named{ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh")}
}

func namedList(list []props) []chainmap.Named {
	out := make([]chainmap.Named, 0, len(list))
	for _, m := range list {
		out = append(out, named(m))
	}
	return out
}

func namedRegion(m props) chainmap.Named {
	return chainmap.Named{ID: m.str("code"), Name: m.str("name"), NameZh: m.str("nameZh")}
}

func regionTreeFrom(list []props) chainmap.RegionTree {
	t := make(chainmap.RegionTree, len(list))
	for _, r := range list {
		t[r.str("code")] = chainmap.TreeRegion{Named: namedRegion(r), Parent: r.str("parent")}
	}
	return t
}

// gapCandidate turns a candidate's facts into a scored candidate of the firm list or, when rd, the R&D list.
func gapCandidate(c props, tree chainmap.RegionTree, region, segment chainmap.Named, rd bool) chainmap.GapCandidate {
	kind := chainmap.CandidateEnterprise
	if c.boolean("institution") {
		kind = chainmap.CandidateInstitution
	}
	var places, siteIDs []string
	provinces := map[string]bool{}
	producesInTJHE := false
	for _, s := range c.list("sites") {
		places, siteIDs = append(places, s.str("code")), append(siteIDs, s.str("id"))
		p := tree.Province(s.str("code"))
		provinces[p] = true
		if slices.Contains(chainmap.ProductionSiteKinds, chainmap.SiteKind(s.str("kind"))) && (p == chainmap.Tianjin || p == chainmap.Hebei) {
			producesInTJHE = true
		}
	}
	if kind == chainmap.CandidateInstitution && c.str("regionCode") != "" {
		places = []string{c.str("regionCode")}
	}
	d, nearest, shared := tree.Distance(region.ID, places)
	out := chainmap.GapCandidate{Kind: kind, Actor: named(c), ChainRole: chainmap.ChainRole(c.str("chainRole")), RegionDistance: d,
		SharedRegionCode: shared, SharedRegion: tree[shared].Named}
	if i := slices.Index(places, nearest); i >= 0 && i < len(siteIDs) && kind == chainmap.CandidateEnterprise {
		out.NearestSiteID = siteIDs[i]
	}
	facts := chainmap.CandidateFacts{RD: rd, Kind: kind, Region: region, Segment: segment, Distance: d, Nearest: tree[nearest].Named,
		Shared: out.SharedRegion, Fit: c.int("fit")}

	// Links: supply partners in the region, and the far ends of its transfers that lie in the region.
	inside := func(code string) bool { return slices.Contains(tree.Up(code), region.ID) }
	seen := map[string]bool{}
	for _, l := range c.list("linked") {
		if !seen[l.str("id")] {
			seen[l.str("id")] = true
			facts.Linked = append(facts.Linked, named(l))
		}
	}
	moveKinds := []chainmap.TransferKind{chainmap.Relocation, chainmap.Expansion}
	if rd {
		moveKinds = []chainmap.TransferKind{chainmap.RDToProduction, chainmap.Licensing}
	}
	transfers := c.list("transfers")
	for _, t := range transfers {
		to := t.strs("toCodes")
		if firm := t.sub("toFirm"); firm != nil && !seen[firm.str("id")] && slices.ContainsFunc(to, inside) {
			seen[firm.str("id")] = true
			facts.Linked = append(facts.Linked, named(firm))
		}
		if slices.Contains(moveKinds, chainmap.TransferKind(t.str("kind"))) {
			mv := chainmap.PastMove{LinkID: t.str("id"), Kind: chainmap.TransferKind(t.str("kind")), Year: t.int("year"), FromRegionCode: t.str("from")}
			if len(to) > 0 {
				mv.ToRegionCode, mv.ToRegion = to[0], tree[to[0]].Named
			}
			facts.Moves = append(facts.Moves, mv)
		}
	}
	slices.SortFunc(facts.Linked, func(a, b chainmap.Named) int { return cmpStrings(a.Name+a.ID, b.Name+b.ID) })
	out.Links, out.Linked, out.PastMoves = len(facts.Linked), facts.Linked, facts.Moves
	switch {
	case rd && kind == chainmap.CandidateEnterprise && producesInTJHE:
		facts.Spread, facts.SpreadWhy = true, chainmap.Why{Reason: chainmap.WhyProducesInTianjinHebei}
	case rd && len(transfers) > 0:
		facts.Spread, facts.SpreadWhy = true, chainmap.Why{Reason: chainmap.WhyOtherTransfers, Count: len(transfers)}
	case !rd && (len(provinces) >= 2 || c.int("branches") > 0):
		facts.Spread, facts.SpreadWhy = true, chainmap.Why{Reason: chainmap.WhyProvinces, Count: len(provinces), More: c.int("branches")}
	}
	out.Parts = chainmap.GapPoints.ScoreCandidate(facts)
	out.Score = chainmap.Total(out.Parts)
	return out
}

func cmpStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
