package neo4jdb

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/chainmap/chainmap"
)

// The analyses. Each starts from an indexed lookup (a bottleneck, a chain map, an enterprise), bounds every
// traversal (at most 6 hops, and a node budget), and takes its parameters as parameters. Hop bounds cannot be
// Cypher parameters, so each bounded traversal is a constant query per bound (1 to 6), chosen by index.

// MaxDepth is the deepest traversal an analysis makes.
const MaxDepth = 6

// byDepth builds the queries of a template for the depths 1 to MaxDepth, each with @depth as its bound; index 0
// is unused.
func byDepth(template string) [MaxDepth + 1]string {
	var out [MaxDepth + 1]string
	for d := 1; d <= MaxDepth; d++ {
		out[d] = scope{"depth": strconv.Itoa(d)}.fill(template)
	}
	return out
}

// impact follows FEEDS downstream from the segments a bottleneck constrains, then the enterprises active in
// the segments reached, then the provinces of those enterprises.
var impact = byDepth(`
MATCH (b:Bottleneck {id: $id})
CALL (b) {
  MATCH (b)-[:CONSTRAINS]->(s0:Segment)
  MATCH p = (s0)-[:FEEDS*0..@depth]->(s:Segment)
  WITH s, min(length(p)) AS distance
  ORDER BY distance, s.chainMapId, s.order
  RETURN collect({id: s.id, distance: distance}) AS segments
}
CALL (segments) {
  UNWIND segments AS sd
  MATCH (:Segment {id: sd.id})<-[:ACTIVE_IN]-(e:Enterprise)
  WITH e, min(sd.distance) AS distance
  ORDER BY distance, e.name, e.id
  RETURN collect({id: e.id, distance: distance}) AS held
}
CALL (held) {
  UNWIND held AS ed
  MATCH (:Enterprise {id: ed.id})-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
  WITH r.province AS code, ed
  WITH code, count(DISTINCT ed.id) AS n, min(ed.distance) AS distance
  ORDER BY distance, n DESC, code
  RETURN collect({code: code, enterprises: n, distance: distance}) AS regions
}
RETURN segments, held[0..$maxNodes] AS enterprises, size(held) > $maxNodes AS truncated, regions`)

// BottleneckImpact returns what the bottleneck holds back within maxDepth FEEDS hops, with at most maxNodes
// enterprises; nil when there is no such bottleneck.
func (db *DB) BottleneckImpact(ctx context.Context, id string, maxDepth, maxNodes int) (*chainmap.Impact, error) {
	if maxDepth < 1 || maxDepth > MaxDepth {
		return nil, fmt.Errorf("bottleneck impact: depth %d out of 1..%d", maxDepth, MaxDepth)
	}
	res, err := db.read(ctx, "BottleneckImpact", impact[maxDepth], map[string]any{"id": id, "maxNodes": maxNodes})
	if err != nil || len(res.Records) == 0 {
		return nil, err
	}
	m := props(res.Records[0].AsMap())
	out := &chainmap.Impact{BottleneckID: id, MaxDepth: maxDepth, Truncated: m.boolean("truncated")}
	for _, s := range m.list("segments") {
		out.Segments = append(out.Segments, chainmap.Distanced{ID: s.str("id"), Distance: s.int("distance")})
	}
	for _, e := range m.list("enterprises") {
		out.Enterprises = append(out.Enterprises, chainmap.Distanced{ID: e.str("id"), Distance: e.int("distance")})
	}
	for _, r := range m.list("regions") {
		out.Regions = append(out.Regions, chainmap.RegionImpact{Code: r.str("code"), Enterprises: r.int("enterprises"), Distance: r.int("distance")})
	}
	return out, nil
}

const pathNode = `{id: coalesce(n.id, n.code), type: [l IN labels(n) WHERE NOT l IN ['Synthetic', 'Record']][0], name: n.name, nameZh: n.nameZh, stage: n.stage,
  order: n.order, chainMapId: n.chainMapId, synthetic: n.synthetic}`

// Shortest paths, at most 20 of them, of at most @depth hops: SHORTEST searches breadth-first, so the work is
// bounded by the hop limit, not by the number of paths in the graph.
var (
	enterprisePaths = byDepth(`
MATCH p = SHORTEST 20 (a:Enterprise {id: $from})-[:SUPPLIES]->{1,@depth}(b:Enterprise {id: $to})
WITH p ORDER BY length(p) LIMIT $first
RETURN [n IN nodes(p) | ` + pathNode + `] AS nodes`)
	segmentPaths = byDepth(`
MATCH p = SHORTEST 20 (a:Segment {id: $from})-[:FEEDS]->{1,@depth}(b:Segment {id: $to})
WITH p ORDER BY length(p) LIMIT $first
RETURN [n IN nodes(p) | ` + pathNode + `] AS nodes`)
)

const endsAreSegments = `RETURN EXISTS { (:Segment {id: $from}) } AND EXISTS { (:Segment {id: $to}) } AS segments`

// SupplyPaths returns up to first shortest paths from one enterprise to another over SUPPLIES, or from one
// segment to another over FEEDS, of at most maxHops hops.
func (db *DB) SupplyPaths(ctx context.Context, from, to string, maxHops, first int) ([]chainmap.Path, error) {
	if maxHops < 1 || maxHops > MaxDepth {
		return nil, fmt.Errorf("supply paths: %d hops out of 1..%d", maxHops, MaxDepth)
	}
	params := map[string]any{"from": from, "to": to, "first": first}
	res, err := db.read(ctx, "SupplyPaths", endsAreSegments, params)
	if err != nil {
		return nil, err
	}
	cypher := enterprisePaths[maxHops]
	if seg, _ := res.Records[0].Get("segments"); seg == true {
		cypher = segmentPaths[maxHops]
	}
	res, err = db.read(ctx, "SupplyPaths", oneRow(cypher, "nodes"), params)
	if err != nil {
		return nil, err
	}
	var out []chainmap.Path
	for _, r := range rows(res) {
		var p chainmap.Path
		for _, n := range r.list("nodes") {
			p.Nodes = append(p.Nodes, graphNodeFrom(n))
		}
		out = append(out, p)
	}
	return out, nil
}

// coverageGaps reads, for each segment of the chain, the firms with R&D or HQ in Beijing and with production in
// Tianjin or Hebei from the maintained counts ("r|S", "m|S": aggregates.go), and whether any firm is active in it.
var coverageGaps = `
MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(s:Segment)
WITH s,
  ` + aggregateCount(`'r|' + s.id`) + ` AS rd,
  ` + aggregateCount(`'m|' + s.id`) + ` AS mfg,
  EXISTS { (s)<-[:ACTIVE_IN]-(:Enterprise) } AS present,
  COUNT { MATCH (s)<-[:CONSTRAINS]-(b:Bottleneck) WHERE b.status <> 'RESOLVED' RETURN b } AS open
WHERE (rd > 0 AND mfg = 0) OR NOT present
RETURN s.id AS segment, CASE WHEN present THEN 'RD_WITHOUT_MANUFACTURING' ELSE 'NO_FIRM_IN_REGION' END AS kind,
       rd, mfg, open
ORDER BY s.order`

// CoverageGaps returns the segments of the chain with R&D in Beijing but no production in Tianjin or Hebei,
// and those no firm is active in, upstream first.
func (db *DB) CoverageGaps(ctx context.Context, chainMapID string) ([]chainmap.CoverageGap, error) {
	res, err := db.read(ctx, "CoverageGaps", oneRow(coverageGaps, "segment", "kind", "rd", "mfg", "open"), map[string]any{"id": chainMapID})
	if err != nil {
		return nil, err
	}
	var out []chainmap.CoverageGap
	for _, r := range rows(res) {
		out = append(out, chainmap.CoverageGap{SegmentID: r.str("segment"), Kind: chainmap.CoverageGapKind(r.str("kind")), RDFirmsInBeijing: r.int("rd"),
			ManufacturingFirmsInTianjinHebei: r.int("mfg"), OpenBottlenecks: r.int("open")})
	}
	return out, nil
}

var singleSource = `
MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(s:Segment)
WITH s, ` + aggregateCount(`'s|' + s.id`) + ` AS firms
WHERE firms > 0
CALL (s) {
  MATCH (s)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
  RETURN collect(DISTINCT r.province) AS provinces
}
WITH s, firms, provinces
WHERE firms = 1 OR size(provinces) = 1
RETURN s.id AS segment, CASE WHEN firms = 1 THEN 'SINGLE_SUPPLIER' ELSE 'SINGLE_REGION' END AS kind,
       COLLECT { MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise) RETURN e.id ORDER BY e.id LIMIT 100 } AS firms,
       CASE WHEN size(provinces) = 1 THEN provinces[0] END AS region,
       COLLECT { MATCH (s)-[:FEEDS]->(d) RETURN d.id ORDER BY d.chainMapId, d.order } AS feeds
ORDER BY s.order`

// SingleSourceRisks returns the segments of the chain that hang on one enterprise, or whose enterprises all
// sit in one province.
func (db *DB) SingleSourceRisks(ctx context.Context, chainMapID string) ([]chainmap.SingleSourceRisk, error) {
	res, err := db.read(ctx, "SingleSourceRisks", oneRow(singleSource, "segment", "kind", "firms", "region", "feeds"), map[string]any{"id": chainMapID})
	if err != nil {
		return nil, err
	}
	var out []chainmap.SingleSourceRisk
	for _, r := range rows(res) {
		firms := r.strs("firms")
		sort.Strings(firms)
		out = append(out, chainmap.SingleSourceRisk{SegmentID: r.str("segment"), Kind: chainmap.SingleSourceKind(r.str("kind")), EnterpriseIDs: firms,
			RegionCode: r.str("region"), FeedIDs: r.strs("feeds")})
	}
	return out, nil
}

// alternatives lists the other enterprises of the segment (or of the enterprise's segments) with the
// regions of their sites, and the regions of the enterprise's own sites; AlternativeSuppliers ranks them.
const alternatives = `
MATCH (e:Enterprise {id: $id})
MATCH (e)-[:ACTIVE_IN]->(s:Segment) WHERE $segment IS NULL OR s.id = $segment
MATCH (s)<-[:ACTIVE_IN]-(alt:Enterprise) WHERE alt <> e
WITH alt, collect(s.id) AS segments
RETURN alt.id AS enterprise, alt.name AS name, segments,
  CASE alt.chainRole WHEN 'CHAIN_MASTER' THEN 0 WHEN 'LEAD' THEN 1 WHEN 'SUPPORTING' THEN 2 ELSE 3 END AS tier,
  COLLECT { MATCH (alt)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.code } AS regions`

const ownRegions = `
MATCH (e:Enterprise {id: $id})
RETURN COLLECT { MATCH (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.code } AS regions`

// AlternativeSuppliers returns other enterprises active in the segment (or in any of the enterprise's
// segments), nearest region first, then by tier and name.
func (db *DB) AlternativeSuppliers(ctx context.Context, enterpriseID, segmentID string, first int) ([]chainmap.Alternative, error) {
	params := map[string]any{"id": enterpriseID, "segment": nullable(segmentID)}
	own, err := db.read(ctx, "AlternativeSuppliers", ownRegions, params)
	if err != nil {
		return nil, err
	}
	var mine []string
	if len(own.Records) > 0 {
		mine = props(own.Records[0].AsMap()).strs("regions")
	}
	res, err := db.read(ctx, "AlternativeSuppliers", oneRow(alternatives, "enterprise", "name", "segments", "tier", "regions"), params)
	if err != nil {
		return nil, err
	}
	type ranked struct {
		chainmap.Alternative
		tier int
		name string
	}
	var all []ranked
	for _, r := range rows(res) {
		d, shared := regionDistance(mine, r.strs("regions"))
		all = append(all, ranked{Alternative: chainmap.Alternative{EnterpriseID: r.str("enterprise"),
			SegmentID: r.strs("segments")[0], RegionDistance: d, SharedRegionCode: shared}, tier: r.int("tier"), name: r.str("name")})
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.RegionDistance != b.RegionDistance {
			return a.RegionDistance < b.RegionDistance
		}
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.EnterpriseID < b.EnterpriseID
	})
	out := make([]chainmap.Alternative, 0, min(first, len(all)))
	for _, a := range all[:min(first, len(all))] {
		out = append(out, a.Alternative)
	}
	return out, nil
}

// regionDistance says how near two sets of sites are, by their GB/T 2260 codes: 0 when they share a
// district, county or city (the first four digits), 1 when they share a province (the first two), 2 when
// they do not, 3 when either has no site. It returns the nearest shared region's code.
func regionDistance(mine, theirs []string) (int, string) {
	if len(mine) == 0 || len(theirs) == 0 {
		return 3, ""
	}
	best, shared := 2, ""
	for _, m := range mine {
		for _, t := range theirs {
			switch {
			case m == t:
				return 0, m
			case m[:4] == t[:4] && m[2:4] != "00":
				if best > 0 {
					best, shared = 0, m[:4]+"00"
				}
			case m[:2] == t[:2]:
				if best > 1 {
					best, shared = 1, m[:2]+"0000"
				}
			}
		}
	}
	return best, shared
}

// supplyNetwork lists a chain's enterprises, each with the open bottlenecks on its segments and the ids of
// its customers; SupplyNetwork keeps the customers that are in the chain too.
const supplyNetwork = `
MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
WITH DISTINCT e
RETURN e.id AS id,
  COUNT { MATCH (e)-[:ACTIVE_IN]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck) WHERE b.status <> 'RESOLVED' RETURN DISTINCT b } AS open,
  COLLECT { MATCH (e)-[:SUPPLIES]->(c:Enterprise) RETURN c.id } AS customers`

// SupplyNetwork returns the SUPPLIES graph among the enterprises of a chain, enterprises sorted by id.
func (db *DB) SupplyNetwork(ctx context.Context, chainMapID string) (chainmap.SupplyNetwork, error) {
	res, err := db.read(ctx, "SupplyNetwork", oneRow(supplyNetwork, "id", "open", "customers"), map[string]any{"id": chainMapID})
	if err != nil {
		return chainmap.SupplyNetwork{}, err
	}
	ents := rows(res)
	sort.Slice(ents, func(i, j int) bool { return ents[i].str("id") < ents[j].str("id") })
	net := chainmap.SupplyNetwork{}
	index := make(map[string]int, len(ents))
	for i, e := range ents {
		index[e.str("id")] = i
		net.IDs = append(net.IDs, e.str("id"))
		net.OpenBottlenecks = append(net.OpenBottlenecks, e.int("open"))
	}
	for i, e := range ents {
		for _, c := range e.strs("customers") {
			if j, ok := index[c]; ok {
				net.Edges = append(net.Edges, [2]int{i, j})
			}
		}
	}
	return net, nil
}

func graphNodeFrom(m props) chainmap.GraphNode {
	return chainmap.GraphNode{ID: m.str("id"), Type: m.str("type"), Name: m.str("name"), NameZh: m.str("nameZh"),
		Stage: m.str("stage"), Order: m.int("order"), ChainMapID: m.str("chainMapId"), Province: m.str("province"),
		Provinces: m.strs("provinces"), ChainRole: m.str("chainRole"), Kind: m.str("kind"), Severity: m.int("severity"), Status: m.str("status"),
		Synthetic: m.boolean("synthetic")}
}
