package neo4jdb

import (
	"context"

	"github.com/chainmap/chainmap"
)

// rdLinkRows yields every "R&D in Beijing, manufacturing in Tianjin–Hebei" link as a row (id, derived, a, b,
// ent, fromRegion, toRegion, t): the technology transfers a source states, then — where derived holds — the
// pairs of one enterprise's R&D or HQ site in Beijing and its production site in Tianjin or Hebei that no stated
// transfer already joins (chainmap.RDSiteKinds, chainmap.ProductionSiteKinds). Every query about links starts
// from it, so that the definition lives in one place.
var rdLinkRows = linkRows("MATCH (ent:Enterprise)", "", "$derived")

// rdLinkRowsInChain is rdLinkRows with the derived links of the firms of one chain map only (the chain map's id
// is the expression chain, in scope through imports): the same rows as rdLinkRows filtered by chain, without
// pairing the sites of every firm of the graph first. derived is the condition for derived links ("$derived", or
// "true" where they are always wanted).
func rdLinkRowsInChain(chain, imports, derived string) string {
	return linkRows("MATCH (:ChainMap {id: "+chain+"})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(ent:Enterprise)\n  WITH DISTINCT ent", imports, derived)
}

// linkRows is the link rows' statement with the firms whose derived links it pairs (a clause binding ent), the
// variables it imports and the condition for derived links.
func linkRows(firms, imports, derived string) string {
	return "\nCALL (" + imports + ") {" + statedLinks + "\n  UNION ALL\n  " + firms + derivedLinkRows(derived) + "\n}"
}

// statedLinkRows are the link rows of the stated transfers alone.
var statedLinkRows = "\nCALL () {" + statedLinks + "\n}"

// statedLinks returns a row per stated technology transfer: its ends a and b, the enterprise ent at b (b, or
// b's owner) and the ends' regions (b's, or the first of b's sites in Tianjin or Hebei).
var statedLinks = scope{"tianjinHebei": quotedList(chainmap.Tianjin, chainmap.Hebei)}.fill(`
  MATCH (a)-[t:TRANSFERS_TECH_TO]->(b)
  OPTIONAL MATCH (owner:Enterprise)-[:OPERATES]->(b)
  WITH a, b, t, CASE WHEN b:Enterprise THEN b ELSE owner END AS ent
  RETURN t.id AS id, false AS derived, a, b, ent, a.regionCode AS fromRegion,
         coalesce(b.regionCode, COLLECT { MATCH (b)-[:OPERATES]->(s)-[:LOCATED_IN]->(r:Region)
           WHERE r.province IN @tianjinHebei RETURN r.code ORDER BY r.code }[0]) AS toRegion, t`)

// derivedPairs binds a and b to each pair of the enterprise @ent's R&D or HQ site in Beijing and its production
// site in Tianjin or Hebei that no stated transfer joins: the definition of a derived link, read by the link
// rows and by the firm's maintained aggregate (aggregates.go).
//
// The sites and regions carry no label here, so that the only way to them is from the enterprise: with labels,
// a statement planned while the graph was empty (the first load's, whose rows are not yet committed) started
// from the index on a site's kind or a region's province and read every such site for each firm (a first load
// of 10,000 firms: 13 minutes instead of seconds). OPERATES leads only to sites, LOCATED_IN from a site only to
// its region.
var derivedPairs = scope{"beijing": quoted(chainmap.Beijing), "tianjinHebei": quotedList(chainmap.Tianjin, chainmap.Hebei),
	"rdKinds": quotedList(chainmap.RDSiteKinds...), "productionKinds": quotedList(chainmap.ProductionSiteKinds...),
	"ent": "@ent", "derived": "@derived"}.fill(`
  MATCH (@ent)-[:OPERATES]->(a)-[:LOCATED_IN]->(ra_)
  WHERE @derived AND a.kind IN @rdKinds AND ra_.province = @beijing
  MATCH (@ent)-[:OPERATES]->(b)-[:LOCATED_IN]->(rb)
  WHERE b.kind IN @productionKinds AND rb.province IN @tianjinHebei
    AND NOT EXISTS { (a)-[:TRANSFERS_TECH_TO]->(b) }`)

// derivedLinkRows returns a row per derived link of the enterprises bound to ent, where derived holds.
func derivedLinkRows(derived string) string {
	return scope{"ent": "ent", "derived": derived}.fill(derivedPairs) + `
  RETURN 'derived:' + a.id + '>' + b.id AS id, true AS derived, a, b, ent, a.regionCode AS fromRegion,
         b.regionCode AS toRegion, null AS t`
}

// linkActiveIn is the condition that a link row's enterprise or its R&D end (an institution, say) is active in a
// segment with the given properties. Each end is matched from itself: a pattern that starts from any node and
// compares it with the ends afterwards reads every ACTIVE_IN relationship of the graph for each row (12 s with
// 100,000 firms instead of 0.2 s).
func linkActiveIn(segment string) string {
	return "(EXISTS { (ent)-[:ACTIVE_IN]->(:Segment " + segment + ") } OR EXISTS { (a)-[:ACTIVE_IN]->(:Segment " + segment + ") })"
}

// linkKind is a link's kind: a derived link is the R&D→production pattern by its definition.
var linkKind = "CASE WHEN @t IS NULL THEN " + quoted(chainmap.RDToProduction) + " ELSE @t.kind END"

// A link is read in the scope of an rdLinkRows row.
var rdLinkFields = map[string]field{
	"id":           {expr: "@id"},
	"derived":      {expr: "@derived"},
	"year":         {expr: "@t.year"},
	"contracts":    {expr: "@t.contracts"},
	"valueCny":     {expr: "@t.valueCny"},
	"description":  {expr: "@t.description"},
	"kind":         {expr: linkKind},
	"sourcingNote": {expr: "@t.sourcingNote"},
	// A derived link is as well known as the two sites it joins (REPORTED when both are); it cites their sources.
	"confidence": {expr: `CASE WHEN @t IS NULL
      THEN CASE WHEN @a.confidence = 'REPORTED' AND @b.confidence = 'REPORTED' THEN 'REPORTED' ELSE 'ILLUSTRATIVE' END
      ELSE coalesce(@t.confidence, 'REPORTED') END`},
	"from":        {rel: &relation{kinds: linkEnds, bind: end("a")}},
	"to":          {rel: &relation{kinds: linkEnds, bind: end("b")}},
	"enterprise":  {rel: inline(chainmap.KindEnterprise, map[string]string{"n": "ent"})},
	"fromRegion":  {rel: match(chainmap.KindRegion, false, "MATCH (@x:Region {code: @fromRegion})", "")},
	"toRegion":    {rel: match(chainmap.KindRegion, false, "MATCH (@x:Region {code: @toRegion})", "")},
	"sources":     {rel: sourcesOf(linkSourceIDs)},
	"sourcesAsOf": sourcesAsOf(linkSourceIDs),
}

// linkSourceIDs are the sources of a link: a stated transfer's own, or a derived link's two sites'.
const linkSourceIDs = `CASE WHEN @t IS NULL
    THEN reduce(ids = [], s IN coalesce(@a.sourceIds, []) + coalesce(@b.sourceIds, []) | CASE WHEN s IN ids THEN ids ELSE ids + s END)
    ELSE @t.sourceIds END`

var linkEnds = []chainmap.Kind{chainmap.KindSite, chainmap.KindInstitution, chainmap.KindEnterprise}

// end reads one end of a link, bound in the row.
func end(role string) func(*compiler, scope, chainmap.FieldArgs) (string, scope, error) {
	return func(_ *compiler, p scope, _ chainmap.FieldArgs) (string, scope, error) {
		return "", scope{"n": p[role]}, nil
	}
}

func kindNames(kinds []chainmap.TransferKind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

func rdLinkFrom(m props) chainmap.RDLink {
	return chainmap.RDLink{ID: m.str("id"), Derived: m.boolean("derived"), Kind: chainmap.TransferKind(m.str("kind")),
		Year: m.int("year"), Contracts: m.int("contracts"),
		ValueCny: m.float("valueCny"), Description: m.str("description"),
		Provenance: provenanceFrom(m)}
}

// A flow is read in the scope of a row of RDLinkFlows' grouping.
var rdLinkFlowFields = map[string]field{
	"kind":       {expr: "@kind"},
	"links":      {expr: "@links"},
	"derived":    {expr: "@derived"},
	"fromRegion": {rel: match(chainmap.KindRegion, false, "MATCH (@x:Region {code: @fromRegion})", "")},
	"toRegion":   {rel: match(chainmap.KindRegion, false, "MATCH (@x:Region {code: @toRegion})", "")},
}

func rdLinkFlowFrom(m props) chainmap.RDLinkFlow {
	return chainmap.RDLinkFlow{Kind: chainmap.TransferKind(m.str("kind")), Links: m.int("links"), Derived: m.int("derived")}
}

// RDLinkFlows counts the links of the filter by the regions of their ends and their kind, most links first,
// each read with sel.
func (db *DB) RDLinkFlows(ctx context.Context, f chainmap.RDLinkFilter, sel *chainmap.Selection) ([]chainmap.RDLinkFlow, error) {
	match, params := rdLinks.match(rdLinkConds(f))
	v, err := db.all(ctx, "RDLinkFlows", sel, match+`
WITH fromRegion, toRegion, `+scope{"t": "t"}.fill(linkKind)+` AS kind, count(*) AS links, count(CASE WHEN derived THEN 1 END) AS derived
WITH * ORDER BY links DESC, fromRegion, toRegion, kind`,
		scope{"fromRegion": "fromRegion", "toRegion": "toRegion", "kind": "kind", "links": "links", "derived": "derived"}, params)
	if err != nil {
		return nil, err
	}
	return v.([]chainmap.RDLinkFlow), nil
}

// rdLinks is the list of links: the rows, filtered.
var rdLinks = list{
	kind: chainmap.KindRDLink, id: "id",
	scope: scope{"id": "id", "derived": "derived", "a": "a", "b": "b", "ent": "ent", "t": "t",
		"fromRegion": "fromRegion", "toRegion": "toRegion"},
	anchors: []anchor{{"inChain", rdLinkRowsInChain("$chainMapId", "", "$derived")}, {"", rdLinkRows}},
	preds: map[string]string{
		"id":           `id = $id`,
		"chainMapId":   linkActiveIn("{chainMapId: $chainMapId}"),
		"segmentId":    linkActiveIn("{id: $segmentId}"),
		"toRegionCode": `EXISTS { (:Region {code: toRegion})-[:PART_OF*0..3]->(:Region {code: $toRegionCode}) }`,
		"synthetic":    `coalesce(ent.synthetic, false) = $synthetic`,
		"kinds":        scope{"t": "t"}.fill(linkKind) + ` IN $kinds`,
	},
	sortKeys: map[string]string{"ID": "id"},
	total:    linksFromAggregates,
}

// linksFromAggregates counts the links of a filter that names a chain map, or nothing, without pairing every
// firm's sites (chainLinks). Any other filter is counted from the items.
func linksFromAggregates(conds []cond, _ map[string]any) string {
	chain, derived := "", false
	for _, c := range conds {
		switch {
		case c.name == "derived":
			derived, _ = c.value.(bool)
		case !c.on || c.name == "inChain": // inChain: the anchor of chainMapId
		case c.name == "chainMapId":
			chain = "$chainMapId"
		default:
			return ""
		}
	}
	return `RETURN ` + chainLinks(chain, derived) + ` AS total`
}

// chainLinks counts the links of the chain map whose id the Cypher expression chain gives, or of every chain
// map when chain is "": the stated transfers (few) from their rows and, with derived, the derived links from
// the maintained count (aggregates.go: "o|110000|C", every derived link counted once, at its R&D end in
// Beijing). The links list's totalCount, the report and ChainMap.stats count them so.
func chainLinks(chain string, derived bool) string {
	inChain, key := "true", `'o|`+chainmap.Beijing+`|*'`
	if chain != "" {
		inChain, key = linkActiveIn("{chainMapId: "+chain+"}"), `'o|`+chainmap.Beijing+`|' + `+chain
	}
	out := `COUNT { ` + statedLinkRows + ` WITH a, ent WHERE ` + inChain + ` RETURN a }`
	if derived {
		out += ` + ` + aggregateCount(key)
	}
	return out
}

// rdLinkConds are the conditions of a link filter; derived links are listed unless IncludeDerived is false.
func rdLinkConds(f chainmap.RDLinkFilter) []cond {
	return []cond{
		{"derived", f.IncludeDerived == nil || *f.IncludeDerived, false},
		{"id", deref(f.ID), f.ID != nil},
		{"chainMapId", deref(f.ChainMapID), f.ChainMapID != nil},
		{"inChain", nil, f.ChainMapID != nil}, // the anchor only: the chainMapId predicate still applies
		{"segmentId", deref(f.SegmentID), f.SegmentID != nil},
		{"toRegionCode", deref(f.ToRegionCode), f.ToRegionCode != nil},
		{"synthetic", deref(f.Synthetic), f.Synthetic != nil},
		{"kinds", kindNames(f.Kinds), f.Kinds != nil},
	}
}
