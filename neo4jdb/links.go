package neo4jdb

import (
	"context"

	"github.com/chainmap/chainmap"
)

// rdLinkRows yields every "R&D in Beijing, manufacturing in Tianjin–Hebei" link as a row (id, derived, a, b,
// ent, fromRegion, toRegion, t): the technology transfers a source states, then — unless $derived is false —
// the pairs of one enterprise's R&D or HQ site in Beijing and its manufacturing, assembly or pilot site in
// Tianjin or Hebei that no stated transfer already joins. Every query about links starts from it, so that the
// definition lives in one place.
const rdLinkRows = `
CALL () {
  MATCH (a)-[t:TRANSFERS_TECH_TO]->(b)
  OPTIONAL MATCH (owner:Enterprise)-[:OPERATES]->(b)
  WITH a, b, t, CASE WHEN b:Enterprise THEN b ELSE owner END AS ent
  RETURN t.id AS id, false AS derived, a, b, ent, a.regionCode AS fromRegion,
         coalesce(b.regionCode, COLLECT { MATCH (b)-[:OPERATES]->(s:Site)-[:LOCATED_IN]->(r:Region)
           WHERE r.province IN ['120000', '130000'] RETURN r.code ORDER BY r.code }[0]) AS toRegion, t
  UNION ALL
  MATCH (ent:Enterprise)-[:OPERATES]->(a:Site)-[:LOCATED_IN]->(:Region {province: '110000'})
  WHERE $derived AND a.kind IN ['RD', 'HQ']
  MATCH (ent)-[:OPERATES]->(b:Site)-[:LOCATED_IN]->(rb:Region)
  WHERE b.kind IN ['MANUFACTURING', 'ASSEMBLY', 'PILOT'] AND rb.province IN ['120000', '130000']
    AND NOT EXISTS { (a)-[:TRANSFERS_TECH_TO]->(b) }
  RETURN 'derived:' + a.id + '>' + b.id AS id, true AS derived, a, b, ent, a.regionCode AS fromRegion,
         b.regionCode AS toRegion, null AS t
}`

const rdLinks = rdLinkRows + `
WITH * WHERE ($chainMapId IS NULL OR EXISTS { (x)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) WHERE x = ent OR x = a })
  AND ($segmentId IS NULL OR EXISTS { (x)-[:ACTIVE_IN]->(:Segment {id: $segmentId}) WHERE x = ent OR x = a })
  AND ($toRegionCode IS NULL OR EXISTS { (:Region {code: toRegion})-[:PART_OF*0..3]->(:Region {code: $toRegionCode}) })
  AND ($synthetic IS NULL OR coalesce(ent.synthetic, false) = $synthetic)`

const rdLinksPage = rdLinks + `
  AND ($afterId IS NULL OR id > $afterId)
RETURN id, derived, a.id AS fromId, b.id AS toId, ent.id AS enterpriseId, fromRegion, toRegion,
       t {.year, .contracts, .valueCny, .description, .confidence, .sourceIds, .evidence} AS t,
       CASE WHEN t IS NULL THEN a.sourceIds + b.sourceIds ELSE null END AS derivedSources
ORDER BY id
LIMIT $limit`

const rdLinksCount = rdLinks + `
RETURN count(*) AS n`

func rdLinkParams(f chainmap.RDLinkFilter) map[string]any {
	derived := f.IncludeDerived == nil || *f.IncludeDerived
	p := map[string]any{"derived": derived, "chainMapId": nil, "segmentId": nil, "toRegionCode": nil, "synthetic": nil}
	if f.ChainMapID != nil {
		p["chainMapId"] = *f.ChainMapID
	}
	if f.SegmentID != nil {
		p["segmentId"] = *f.SegmentID
	}
	if f.ToRegionCode != nil {
		p["toRegionCode"] = *f.ToRegionCode
	}
	if f.Synthetic != nil {
		p["synthetic"] = *f.Synthetic
	}
	return p
}

// RDLinks returns a page of R&D→manufacturing links, ordered by id; each item's key is its id.
func (db *DB) RDLinks(ctx context.Context, q chainmap.RDLinkQuery) (chainmap.PageOf[chainmap.RDLink], error) {
	p := rdLinkParams(q.Filter)
	p["limit"] = q.First + 1
	p["afterId"] = nil
	if q.After {
		p["afterId"] = q.AfterID
	}
	res, err := db.read(ctx, "RDLinks", oneRow(rdLinksPage, "id", "derived", "fromId", "toId", "enterpriseId",
		"fromRegion", "toRegion", "t", "derivedSources"), p)
	if err != nil {
		return chainmap.PageOf[chainmap.RDLink]{}, err
	}
	var out chainmap.PageOf[chainmap.RDLink]
	for i, m := range rows(res) {
		if i == q.First {
			out.HasNext = true
			break
		}
		l := chainmap.RDLink{
			ID: m.str("id"), Derived: m.boolean("derived"), FromID: m.str("fromId"), ToID: m.str("toId"),
			EnterpriseID: m.str("enterpriseId"), FromRegionCode: m.str("fromRegion"), ToRegionCode: m.str("toRegion"),
		}
		if t := m.sub("t"); t != nil {
			l.Year, l.Contracts, l.ValueCny, l.Description = t.int("year"), t.int("contracts"), t.float("valueCny"), t.str("description")
			l.Provenance = provenanceFrom(t)
		} else {
			// A derived link is as well known as the two sites it joins; it cites their sources.
			l.Provenance = chainmap.Provenance{Confidence: chainmap.Reported, SourceIDs: uniq(m.strs("derivedSources")),
				Evidence: "derived: the enterprise has an R&D or HQ site in Beijing and a production site in Tianjin or Hebei"}
		}
		out.Items = append(out.Items, chainmap.Keyed[chainmap.RDLink]{Item: l, Key: l.ID})
	}
	return out, nil
}

// CountRDLinks returns how many links match the filter.
func (db *DB) CountRDLinks(ctx context.Context, f chainmap.RDLinkFilter) (int, error) {
	res, err := db.read(ctx, "CountRDLinks", rdLinksCount, rdLinkParams(f))
	if err != nil {
		return 0, err
	}
	return recInt(res.Records[0], "n"), nil
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
