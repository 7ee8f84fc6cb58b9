package neo4jdb

import (
	"context"
	"fmt"
	"strings"

	"github.com/chainmap/chainmap"
)

// A list query is assembled from constant fragments: an anchor that starts from the most selective index the
// filter allows (full-text, segment, chain map, region, or the label), then one predicate per filter field.
// Values always travel as parameters; the fragments are the only Cypher text.

const (
	enterpriseAnchorText = `CALL db.index.fulltext.queryNodes('names', $text) YIELD node AS e WHERE e:Enterprise
WITH DISTINCT e`
	enterpriseAnchorSegment = `MATCH (:Segment {id: $segmentId})<-[:ACTIVE_IN]-(e:Enterprise)`
	enterpriseAnchorChain   = `MATCH (:ChainMap {id: $chainMapId})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
WITH DISTINCT e`
	enterpriseAnchorRegion = `MATCH (:Region {code: $regionCode})<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(:Site)<-[:OPERATES]-(e:Enterprise)
WITH DISTINCT e`
	enterpriseAnchorAll = `MATCH (e:Enterprise)`

	enterpriseInChain   = `EXISTS { (e)-[:ACTIVE_IN]->(:Segment {chainMapId: $chainMapId}) }`
	enterpriseInSegment = `EXISTS { (e)-[:ACTIVE_IN]->(:Segment {id: $segmentId}) }`
	enterpriseAtStage   = `EXISTS { (e)-[:ACTIVE_IN]->(:Segment {stage: $stage}) }`
	enterpriseInRegion  = `EXISTS { (e)-[:OPERATES]->(st:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $regionCode})
  WHERE $siteKind IS NULL OR st.kind = $siteKind }`
	enterpriseSiteKind  = `EXISTS { (e)-[:OPERATES]->(:Site {kind: $siteKind}) }`
	enterpriseRole      = `e.chainRole = $chainRole`
	enterpriseSynthetic = `coalesce(e.synthetic, false) = $synthetic`
)

// enterpriseSortKeys are the expressions of the sort keys.
var enterpriseSortKeys = map[chainmap.EnterpriseOrderField]string{
	chainmap.EnterpriseByName:          `e.name`,
	chainmap.EnterpriseByID:            `e.id`,
	chainmap.EnterpriseBySegmentCount:  `COUNT { (e)-[:ACTIVE_IN]->() }`,
	chainmap.EnterpriseBySiteCount:     `COUNT { (e)-[:OPERATES]->() }`,
	chainmap.EnterpriseBySupplierCount: `COUNT { (e)<-[:SUPPLIES]-() }`,
	chainmap.EnterpriseByCustomerCount: `COUNT { (e)-[:SUPPLIES]->() }`,
	chainmap.EnterpriseByOpenBottlenecks: `COUNT { MATCH (e)-[:ACTIVE_IN]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck)
    WHERE b.status <> 'RESOLVED' RETURN DISTINCT b }`,
}

// enterpriseMatch returns the Cypher that binds e to each enterprise of the filter, once, and its parameters.
// The anchor's own condition is not checked again.
func enterpriseMatch(f chainmap.EnterpriseFilter) (string, map[string]any) {
	p := map[string]any{}
	var anchor string
	switch {
	case f.Text != nil:
		anchor = enterpriseAnchorText
		p["text"] = luceneQuery(*f.Text)
	case f.SegmentID != nil:
		anchor = enterpriseAnchorSegment
	case f.ChainMapID != nil:
		anchor = enterpriseAnchorChain
	case f.RegionCode != nil:
		anchor = enterpriseAnchorRegion
	default:
		anchor = enterpriseAnchorAll
	}
	var where []string
	add := func(cond bool, frag, name string, value any) {
		if cond {
			where = append(where, frag)
		}
		if value != nil {
			p[name] = value
		}
	}
	if f.ChainMapID != nil {
		add(anchor != enterpriseAnchorChain, enterpriseInChain, "chainMapId", *f.ChainMapID)
	}
	if f.SegmentID != nil {
		add(anchor != enterpriseAnchorSegment, enterpriseInSegment, "segmentId", *f.SegmentID)
	}
	if f.Stage != nil {
		add(true, enterpriseAtStage, "stage", string(*f.Stage))
	}
	switch {
	case f.RegionCode != nil && f.SiteKind != nil:
		add(true, enterpriseInRegion, "regionCode", *f.RegionCode)
		p["siteKind"] = string(*f.SiteKind)
	case f.RegionCode != nil:
		add(anchor != enterpriseAnchorRegion, enterpriseInRegion, "regionCode", *f.RegionCode)
		p["siteKind"] = nil
	case f.SiteKind != nil:
		add(true, enterpriseSiteKind, "siteKind", string(*f.SiteKind))
	}
	if f.ChainRole != nil {
		add(true, enterpriseRole, "chainRole", string(*f.ChainRole))
	}
	if f.Synthetic != nil {
		add(true, enterpriseSynthetic, "synthetic", *f.Synthetic)
	}
	return anchor + whereClause("e", where), p
}

// Enterprises returns a page of the enterprises of q, with their sort keys (for cursors).
func (db *DB) Enterprises(ctx context.Context, q chainmap.EnterpriseQuery) (chainmap.PageOf[chainmap.Enterprise], error) {
	match, params := enterpriseMatch(q.Filter)
	key, ok := enterpriseSortKeys[q.OrderBy]
	if !ok {
		return chainmap.PageOf[chainmap.Enterprise]{}, fmt.Errorf("enterprises: unknown order %q", q.OrderBy)
	}
	cypher := match + "\n" + keysetPage("e", key, q.Direction, q.Page, params) + "\nRETURN " + enterpriseProjection + " AS n, k"
	return page(ctx, db, "Enterprises", cypher, params, q.First, enterpriseFrom)
}

// CountEnterprises returns how many enterprises match the filter.
func (db *DB) CountEnterprises(ctx context.Context, f chainmap.EnterpriseFilter) (int, error) {
	match, params := enterpriseMatch(f)
	res, err := db.read(ctx, "CountEnterprises", match+"\nRETURN count(e) AS n", params)
	if err != nil {
		return 0, err
	}
	return recInt(res.Records[0], "n"), nil
}

// enterpriseGroups are the fragments that group the matched enterprises e into (key, name, count) rows.
var enterpriseGroups = map[chainmap.EnterpriseGroupBy]string{
	chainmap.GroupEnterprisesByProvince: `MATCH (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
WITH DISTINCT e, r.province AS key
MATCH (g:Region {code: key})
RETURN key, g.name AS name, count(e) AS count`,
	chainmap.GroupEnterprisesByCity: `MATCH (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..2]->(g:Region)
WHERE g.level IN ['CITY', 'NEW_AREA'] OR (g.level = 'DISTRICT' AND g.province IN ['110000', '120000'])
WITH DISTINCT e, g
RETURN g.code AS key, g.name AS name, count(e) AS count`,
	chainmap.GroupEnterprisesByChainMap: `MATCH (e)-[:ACTIVE_IN]->(s:Segment)
WITH DISTINCT e, s.chainMapId AS key
MATCH (g:ChainMap {id: key})
RETURN key, g.name AS name, count(e) AS count`,
	chainmap.GroupEnterprisesBySegment: `MATCH (e)-[:ACTIVE_IN]->(g:Segment)
RETURN g.id AS key, g.name AS name, count(e) AS count`,
	chainmap.GroupEnterprisesByStage: `MATCH (e)-[:ACTIVE_IN]->(s:Segment)
WITH DISTINCT e, s.stage AS key
RETURN key, null AS name, count(e) AS count`,
	chainmap.GroupEnterprisesByChainRole: `WITH e WHERE e.chainRole IS NOT NULL
RETURN e.chainRole AS key, null AS name, count(e) AS count`,
}

// EnterpriseGroups counts the enterprises of the filter by the grouping, largest group first.
func (db *DB) EnterpriseGroups(ctx context.Context, f chainmap.EnterpriseFilter, by chainmap.EnterpriseGroupBy) ([]chainmap.Group, error) {
	group, ok := enterpriseGroups[by]
	if !ok {
		return nil, fmt.Errorf("enterprise groups: unknown grouping %q", by)
	}
	match, params := enterpriseMatch(f)
	return db.groups(ctx, "EnterpriseGroups", match+"\n"+group+"\nORDER BY count DESC, key", params)
}

func (db *DB) groups(ctx context.Context, method, cypher string, params map[string]any) ([]chainmap.Group, error) {
	res, err := db.read(ctx, method, oneRow(cypher, "key", "name", "count"), params)
	if err != nil {
		return nil, err
	}
	return groupsFrom(rows(res)), nil
}

// keysetPage returns the clause that keeps the items after the cursor, in order, plus one (to tell whether a
// next page exists). Ties on the key are broken by id, always ascending, so that pages never overlap.
func keysetPage(v, key string, dir chainmap.Direction, pg chainmap.Page, params map[string]any) string {
	cmp, order := ">", "ASC"
	if dir == chainmap.Desc {
		cmp, order = "<", "DESC"
	}
	params["limit"] = pg.First + 1
	var b strings.Builder
	fmt.Fprintf(&b, "WITH %s, %s AS k\n", v, key)
	if pg.After {
		params["afterKey"], params["afterId"] = pg.AfterKey, pg.AfterID
		fmt.Fprintf(&b, "WHERE k %s $afterKey OR (k = $afterKey AND %s.id > $afterId)\n", cmp, v)
	}
	fmt.Fprintf(&b, "ORDER BY k %s, %s.id ASC\nLIMIT $limit", order, v)
	return b.String()
}

// page runs a page query returning columns n (the item) and k (its sort key).
func page[T any](ctx context.Context, db *DB, method, cypher string, params map[string]any, first int, from func(props) T) (chainmap.PageOf[T], error) {
	res, err := db.read(ctx, method, oneRow(cypher, "n", "k"), params)
	if err != nil {
		return chainmap.PageOf[T]{}, err
	}
	var out chainmap.PageOf[T]
	for i, r := range rows(res) {
		if i == first {
			out.HasNext = true
			break
		}
		out.Items = append(out.Items, chainmap.Keyed[T]{Item: from(r.sub("n")), Key: r["k"]})
	}
	return out, nil
}

// whereClause keeps the rows of v that meet every condition.
func whereClause(v string, conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return "\nWITH " + v + " WHERE " + strings.Join(conds, "\n  AND ")
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// luceneQuery turns user text into a full-text query that can never be a syntax error: each word is quoted
// (so that Chinese words, split into bigrams by the cjk analyzer, match as a phrase), and all must match.
func luceneQuery(text string) string {
	var terms []string
	for _, w := range strings.Fields(text) {
		w = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(w)
		terms = append(terms, `"`+w+`"`)
	}
	return strings.Join(terms, " AND ")
}
