package neo4jdb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/chainmap/chainmap"
)

// Reads. Each method runs one statement that reads what the request's selection asks for, nested as deep as
// it goes (see project.go): a request costs the same round trips whatever the sizes of its lists.

// keyOf is the property that identifies a record of a kind.
func keyOf(k chainmap.Kind) string {
	if k == chainmap.KindRegion {
		return "code"
	}
	return "id"
}

// Records reads records by id (by code, for regions), each request with its selection, in one statement. It
// returns one map per request, from id to record (a pointer to a chainmap record); ids with no record are absent.
func (db *DB) Records(ctx context.Context, reqs ...chainmap.RecordsRequest) ([]map[string]any, error) {
	if len(reqs) == 0 {
		return nil, nil
	}
	cypher, params, err := recordsStatement(reqs)
	if err != nil {
		return nil, fmt.Errorf("records: %w", err)
	}
	res, err := db.read(ctx, "Records", cypher, params)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(reqs))
	for i, r := range reqs {
		out[i] = map[string]any{}
		if len(res.Records) == 0 {
			continue
		}
		row := props(res.Records[0].AsMap())
		for _, it := range row.list(fmt.Sprintf("r%d", i)) {
			out[i][it.str("key")] = kinds[r.Kind].one(it.sub("n"), r.Sel)
		}
	}
	return out, nil
}

// recordsStatement compiles the statement of Records: one column r<i> per request, a list of {key, n}.
func recordsStatement(reqs []chainmap.RecordsRequest) (string, map[string]any, error) {
	c := newCompiler()
	var b strings.Builder
	cols := make([]string, len(reqs))
	for i, r := range reqs {
		spec, ok := kinds[r.Kind]
		if !ok || !spec.node {
			return "", nil, fmt.Errorf("%q is not a kind of record", r.Kind)
		}
		v := c.fresh()
		proj, err := c.project(r.Sel, scope{"n": v})
		if err != nil {
			return "", nil, err
		}
		cols[i] = fmt.Sprintf("r%d", i)
		fmt.Fprintf(&b, "CALL () {\n  CALL () {\n    UNWIND %s AS key MATCH (%s:%s {%s: key})\n    RETURN key, %s AS n\n  }\n  RETURN collect({key: key, n: n}) AS %s\n}\n",
			c.param(r.IDs), v, r.Kind, keyOf(r.Kind), proj, cols[i])
	}
	b.WriteString("RETURN " + strings.Join(cols, ", "))
	return b.String(), c.params, nil
}

// all reads every record a match binds to v, in order, with sel: one statement.
func (db *DB) all(ctx context.Context, method string, sel *chainmap.Selection, match string, s scope, params map[string]any) (any, error) {
	c := newCompiler()
	for k, p := range params {
		c.params[k] = p
	}
	proj, err := c.project(sel, s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	res, err := db.read(ctx, method, oneRow(match+"\nRETURN "+proj+" AS n", "n"), c.params)
	if err != nil {
		return nil, err
	}
	list := rows(res)
	items := make([]any, len(list))
	for i, r := range list {
		items[i] = map[string]any(r.sub("n"))
	}
	return kinds[sel.Kind].many(items, sel), nil
}

// ChainMaps returns every chain map, ordered by id, read with sel.
func (db *DB) ChainMaps(ctx context.Context, sel *chainmap.Selection) ([]chainmap.ChainMap, error) {
	v, err := db.all(ctx, "ChainMaps", sel, "MATCH (c_:ChainMap) WITH c_ ORDER BY c_.id", scope{"n": "c_"}, nil)
	if err != nil {
		return nil, err
	}
	return v.([]chainmap.ChainMap), nil
}

// Regions returns the regions of a level (every region when level is nil), by code, read with sel.
func (db *DB) Regions(ctx context.Context, level *chainmap.RegionLevel, sel *chainmap.Selection) ([]chainmap.Region, error) {
	var lv any
	if level != nil {
		lv = string(*level)
	}
	v, err := db.all(ctx, "Regions", sel, "MATCH (r_:Region) WHERE $level IS NULL OR r_.level = $level WITH r_ ORDER BY r_.code",
		scope{"n": "r_"}, map[string]any{"level": lv})
	if err != nil {
		return nil, err
	}
	return v.([]chainmap.Region), nil
}

// Indicators returns the indicators of the filter, by id, read with sel (the filter's years narrow the values
// through the selection's arguments).
func (db *DB) Indicators(ctx context.Context, f chainmap.IndicatorFilter, sel *chainmap.Selection) ([]chainmap.Indicator, error) {
	p := map[string]any{"ids": nil, "text": nil}
	if f.IDs != nil {
		p["ids"] = f.IDs
	}
	if f.Text != nil {
		p["text"] = luceneQuery(*f.Text)
	}
	v, err := db.all(ctx, "Indicators", sel, `MATCH (i_:Indicator)
WHERE ($ids IS NULL OR i_.id IN $ids)
  AND ($text IS NULL OR EXISTS {
    CALL db.index.fulltext.queryNodes('names', $text) YIELD node WITH node WHERE node = i_ RETURN node })
WITH i_ ORDER BY i_.id`, scope{"n": "i_"}, p)
	if err != nil {
		return nil, err
	}
	return v.([]chainmap.Indicator), nil
}

// search asks the full-text index over names (cjk analyzer) and keeps the kinds asked for. Hits are read in
// score order and the first $first of the wanted kinds returned; the index is asked for a bounded number of
// candidates so that a frequent word cannot make the query scan the graph.
const search = `CALL db.index.fulltext.queryNodes('names', $query, {limit: $candidates}) YIELD node, score
WITH node, score, [l IN labels(node) WHERE l IN $labels][0] AS label
WHERE label IS NOT NULL
WITH node, score, label ORDER BY score DESC, coalesce(node.id, node.code)
LIMIT $first`

var searchHitFields = map[string]field{
	"type":  {expr: "@label"},
	"id":    {expr: "coalesce(@n.id, @n.code)"},
	"name":  {expr: "@n.name"},
	"score": {expr: "@score"},
	"node": {rel: &relation{bind: sameScope, kinds: []chainmap.Kind{chainmap.KindChainMap, chainmap.KindSegment,
		chainmap.KindEnterprise, chainmap.KindInstitution, chainmap.KindPark, chainmap.KindBottleneck, chainmap.KindRegion,
		chainmap.KindIndicator}}},
}

// Search returns the best full-text matches of text among the given kinds (all kinds when none is given), each
// read with sel.
func (db *DB) Search(ctx context.Context, text string, types []chainmap.SearchType, first int, sel *chainmap.Selection) ([]chainmap.SearchHit, error) {
	labels := make([]string, 0, len(chainmap.SearchTypes))
	for t, l := range chainmap.SearchTypes {
		if len(types) == 0 || slices.Contains(types, t) {
			labels = append(labels, l)
		}
	}
	slices.Sort(labels) // a map's order: the same request, the same parameters
	v, err := db.all(ctx, "Search", sel, search, scope{"n": "node", "score": "score", "label": "label"}, map[string]any{
		"query": luceneQuery(text), "labels": labels, "first": first, "candidates": max(200, first*10),
	})
	if err != nil {
		return nil, err
	}
	return v.([]chainmap.SearchHit), nil
}

func searchHitFrom(m props) chainmap.SearchHit {
	var typ chainmap.SearchType
	for t, l := range chainmap.SearchTypes {
		if l == m.str("type") {
			typ = t
		}
	}
	return chainmap.SearchHit{Type: typ, ID: m.str("id"), Name: m.str("name"), Score: m.float("score")}
}

func chainMapFrom(m props) chainmap.ChainMap {
	return chainmap.ChainMap{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Aliases: m.strs("aliases"), MapPublished: m.str("mapPublished"), Description: m.str("description"),
		Progress: progressFrom(m.list("progress")), Provenance: provenanceFrom(m),
	}
}

func segmentFrom(m props) chainmap.Segment {
	return chainmap.Segment{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Stage: chainmap.Stage(m.str("stage")), Order: m.int("order"), Description: m.str("description"),
		Provenance: provenanceFrom(m),
	}
}

func enterpriseFrom(m props) chainmap.Enterprise {
	return chainmap.Enterprise{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		ChainRole: chainmap.ChainRole(m.str("chainRole")), Description: m.str("description"),
		FormerNames: m.strs("formerNames"), Website: m.str("website"), Synthetic: m.boolean("synthetic"), Provenance: provenanceFrom(m),
	}
}

func siteFrom(m props) chainmap.Site {
	return chainmap.Site{
		ID: m.str("id"), Name: m.str("name"), Kind: chainmap.SiteKind(m.str("kind")), Since: m.int("since"),
		Capacity: m.str("capacity"), Provenance: provenanceFrom(m),
	}
}

func regionFrom(m props) chainmap.Region {
	return chainmap.Region{
		Code: m.str("code"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Level: chainmap.RegionLevel(m.str("level")), Provenance: provenanceFrom(m),
	}
}

func bottleneckFrom(m props) chainmap.Bottleneck {
	return chainmap.Bottleneck{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Kind: chainmap.BottleneckKind(m.str("kind")), Category: chainmap.BottleneckCategory(m.str("category")),
		Severity: m.int("severity"), Status: chainmap.BottleneckStatus(m.str("status")),
		Description: m.str("description"), Provenance: provenanceFrom(m),
	}
}

func tacklerFrom(m props) chainmap.Tackler {
	return chainmap.Tackler{Since: m.int("since"), Status: chainmap.BottleneckStatus(m.str("status"))}
}

func statusChangeFrom(m props) chainmap.StatusChange {
	return chainmap.StatusChange{ID: m.str("id"), From: chainmap.BottleneckStatus(m.str("from")),
		To: chainmap.BottleneckStatus(m.str("to")), Note: m.str("note"), Author: m.str("author"), At: m.str("at")}
}

func tierLinkFrom(m props) chainmap.TierLink { return chainmap.TierLink{Tier: m.int("tier")} }

func institutionFrom(m props) chainmap.Institution {
	return chainmap.Institution{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Kind: chainmap.InstitutionKind(m.str("kind")), Provenance: provenanceFrom(m),
	}
}

func parkFrom(m props) chainmap.Park {
	return chainmap.Park{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		RenamedFrom: m.str("renamedFrom"), Description: m.str("description"), Provenance: provenanceFrom(m),
	}
}

func sourceFrom(m props) chainmap.Source {
	return chainmap.Source{
		ID: m.str("id"), Title: m.str("title"), Publisher: m.str("publisher"), URL: m.str("url"), Date: m.str("date"),
		Reliability: chainmap.Reliability(m.str("reliability")), Language: m.str("language"), Note: m.str("note"),
	}
}

func supplyFrom(m props) chainmap.Supply {
	return chainmap.Supply{FromID: m.str("from"), ToID: m.str("to"), Product: m.str("product"), Since: m.int("since"),
		Synthetic: m.boolean("synthetic"), Provenance: provenanceFrom(m)}
}

func indicatorFrom(m props) chainmap.Indicator {
	return chainmap.Indicator{ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Unit: m.str("unit"), Scope: m.str("scope"), Provenance: provenanceFrom(m)}
}

func indicatorValueFrom(m props) chainmap.IndicatorValue {
	return chainmap.IndicatorValue{Year: m.int("year"), Period: m.str("period"), Value: m.float("value"),
		Note: m.str("note"), Provenance: provenanceFrom(m)}
}

func officialListFrom(m props) chainmap.OfficialList {
	return chainmap.OfficialList{ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Kind: chainmap.ListKind(m.str("kind")), Issuer: m.str("issuer"), Published: m.str("published"),
		StatedCount: m.int("statedCount"), CountNote: m.str("countNote"), Description: m.str("description"),
		Provenance: provenanceFrom(m)}
}

func listItemFrom(m props) chainmap.ListItem {
	return chainmap.ListItem{ID: m.str("id"), Label: m.str("label"), Tier: chainmap.ChainRole(m.str("tier")), Rank: m.int("rank"),
		Provenance: provenanceFrom(m)}
}

func listCoverageFrom(m props) chainmap.ListCoverage {
	return chainmap.ListCoverage{Items: m.int("items"), Held: m.int("held"), StatedCount: m.int("statedCount"), Missing: m.strs("missing")}
}

// OfficialLists returns the official lists of a chain map (all when chainMapID is ""), of a kind (any when nil),
// by chain map then id, read with sel.
func (db *DB) OfficialLists(ctx context.Context, chainMapID string, kind *chainmap.ListKind, sel *chainmap.Selection) ([]chainmap.OfficialList, error) {
	var k any
	if kind != nil {
		k = string(*kind)
	}
	v, err := db.all(ctx, "OfficialLists", sel, `MATCH (l_:OfficialList)
WHERE ($chainMapId IS NULL OR l_.chainMapId = $chainMapId) AND ($kind IS NULL OR l_.kind = $kind)
WITH l_ ORDER BY coalesce(l_.chainMapId, ''), l_.id`, scope{"n": "l_"}, map[string]any{"chainMapId": nullable(chainMapID), "kind": k})
	if err != nil {
		return nil, err
	}
	return v.([]chainmap.OfficialList), nil
}
