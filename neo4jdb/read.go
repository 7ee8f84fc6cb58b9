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

// Each record kind has a decoder (chainMapFrom: properties as read → record) and, for the kinds the graph
// stores, an encoder beside it (chainMapProps: record → the properties of its node or relationship), so that a
// kind's property names are spelled here once. An encoder gives every property, zero values too: the loader
// drops those (clean), a writer that sets fewer properties zeroes the fields it leaves out before encoding.
// Fields kept as relationships (a segment's feeds, a firm's segments) are the writers' and the reads' business.
// TestRoundTrip fills every field of each record and checks that decoding what the encoder gives returns it.

func chainMapFrom(m props) chainmap.ChainMap {
	return chainmap.ChainMap{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Aliases: m.strs("aliases"), LeadRegionCode: m.str("leadRegion"), MapPublished: m.str("mapPublished"),
		Description: m.str("description"), Progress: progressFrom(m.list("progress")), Provenance: provenanceFrom(m),
	}
}

func chainMapProps(c chainmap.ChainMap) map[string]any {
	return provenanceProps(map[string]any{"id": c.ID, "name": c.Name, "nameZh": c.NameZh, "nameEn": c.NameEn,
		"aliases": c.Aliases, "aliasText": strings.Join(c.Aliases, " "), "leadRegion": c.LeadRegionCode,
		"mapPublished": c.MapPublished, "description": c.Description}, c.Provenance)
}

func segmentFrom(m props) chainmap.Segment {
	return chainmap.Segment{
		ID: m.str("id"), ChainMapID: m.str("chainMapId"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Stage: chainmap.Stage(m.str("stage")), Order: m.int("order"), Description: m.str("description"),
		Provenance: provenanceFrom(m),
	}
}

func segmentProps(s chainmap.Segment) map[string]any {
	return provenanceProps(map[string]any{"id": s.ID, "chainMapId": s.ChainMapID, "name": s.Name, "nameZh": s.NameZh,
		"nameEn": s.NameEn, "stage": string(s.Stage), "order": s.Order, "description": s.Description}, s.Provenance)
}

func enterpriseFrom(m props) chainmap.Enterprise {
	return chainmap.Enterprise{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		ChainRole: chainmap.ChainRole(m.str("chainRole")), ChainRoleIn: m.str("chainRoleIn"), Description: m.str("description"),
		FormerNames: m.strs("formerNames"), Website: m.str("website"), Synthetic: m.boolean("synthetic"), Provenance: provenanceFrom(m),
	}
}

func enterpriseProps(e chainmap.Enterprise) map[string]any {
	return provenanceProps(map[string]any{"id": e.ID, "name": e.Name, "nameZh": e.NameZh, "nameEn": e.NameEn,
		"chainRole": string(e.ChainRole), "chainRoleIn": e.ChainRoleIn, "formerNames": e.FormerNames, "website": e.Website,
		"description": e.Description, "synthetic": e.Synthetic}, e.Provenance)
}

func siteFrom(m props) chainmap.Site {
	return chainmap.Site{
		ID: m.str("id"), EnterpriseID: m.str("enterpriseId"), Name: m.str("name"), Kind: chainmap.SiteKind(m.str("kind")),
		RegionCode: m.str("regionCode"), Since: m.int("since"), Capacity: m.str("capacity"), Synthetic: m.boolean("synthetic"),
		Provenance: provenanceFrom(m),
	}
}

func siteProps(s chainmap.Site) map[string]any {
	return provenanceProps(map[string]any{"id": s.ID, "name": s.Name, "kind": string(s.Kind), "enterpriseId": s.EnterpriseID,
		"regionCode": s.RegionCode, "since": s.Since, "capacity": s.Capacity, "synthetic": s.Synthetic}, s.Provenance)
}

func regionFrom(m props) chainmap.Region {
	return chainmap.Region{
		Code: m.str("code"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Level: chainmap.RegionLevel(m.str("level")), ProvinceCode: m.str("province"), Provenance: provenanceFrom(m),
	}
}

func regionProps(r chainmap.Region) map[string]any {
	return provenanceProps(map[string]any{"code": r.Code, "name": r.Name, "nameZh": r.NameZh, "nameEn": r.NameEn,
		"level": string(r.Level), "province": r.ProvinceCode}, r.Provenance)
}

func bottleneckFrom(m props) chainmap.Bottleneck {
	return chainmap.Bottleneck{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Kind: chainmap.BottleneckKind(m.str("kind")), Category: chainmap.BottleneckCategory(m.str("category")),
		Severity: m.int("severity"), Status: chainmap.BottleneckStatus(m.str("status")),
		Description: m.str("description"), Provenance: provenanceFrom(m),
	}
}

func bottleneckProps(b chainmap.Bottleneck) map[string]any {
	return provenanceProps(map[string]any{"id": b.ID, "name": b.Name, "nameZh": b.NameZh, "nameEn": b.NameEn,
		"kind": string(b.Kind), "category": string(b.Category), "severity": b.Severity, "status": string(b.Status),
		"description": b.Description}, b.Provenance)
}

// tacklerFrom and tacklerProps read and write the properties of a TACKLES relationship.
func tacklerFrom(m props) chainmap.Tackler {
	return chainmap.Tackler{Since: m.int("since"), Status: chainmap.BottleneckStatus(m.str("status"))}
}

func tacklerProps(t chainmap.Tackler) map[string]any {
	return map[string]any{"since": t.Since, "status": string(t.Status)}
}

func statusChangeFrom(m props) chainmap.StatusChange {
	return chainmap.StatusChange{ID: m.str("id"), From: chainmap.BottleneckStatus(m.str("from")),
		To: chainmap.BottleneckStatus(m.str("to")), Note: m.str("note"), Author: m.str("author"), At: m.str("at")}
}

func tierLinkFrom(m props) chainmap.TierLink { return chainmap.TierLink{Tier: m.int("tier")} }

func institutionFrom(m props) chainmap.Institution {
	return chainmap.Institution{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Kind: chainmap.InstitutionKind(m.str("kind")), RegionCode: m.str("regionCode"), Provenance: provenanceFrom(m),
	}
}

func institutionProps(in chainmap.Institution) map[string]any {
	return provenanceProps(map[string]any{"id": in.ID, "name": in.Name, "nameZh": in.NameZh, "nameEn": in.NameEn,
		"kind": string(in.Kind), "regionCode": in.RegionCode}, in.Provenance)
}

func parkFrom(m props) chainmap.Park {
	return chainmap.Park{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"), RegionCode: m.str("regionCode"),
		RenamedFrom: m.str("renamedFrom"), Description: m.str("description"), Provenance: provenanceFrom(m),
	}
}

func parkProps(p chainmap.Park) map[string]any {
	return provenanceProps(map[string]any{"id": p.ID, "name": p.Name, "nameZh": p.NameZh, "nameEn": p.NameEn,
		"regionCode": p.RegionCode, "renamedFrom": p.RenamedFrom, "description": p.Description}, p.Provenance)
}

func sourceFrom(m props) chainmap.Source {
	return chainmap.Source{
		ID: m.str("id"), Title: m.str("title"), Publisher: m.str("publisher"), URL: m.str("url"), Date: m.str("date"),
		Reliability: chainmap.Reliability(m.str("reliability")), Language: m.str("language"), Note: m.str("note"),
	}
}

// sourceProps also writes the title as the node's name, which search and the generic views read.
func sourceProps(s chainmap.Source) map[string]any {
	return map[string]any{"id": s.ID, "name": s.Title, "title": s.Title, "publisher": s.Publisher, "url": s.URL,
		"date": s.Date, "reliability": string(s.Reliability), "language": s.Language, "note": s.Note}
}

// supplyFrom reads a supply link; its ends (from, to) are the relationship's, projected beside its properties.
func supplyFrom(m props) chainmap.Supply {
	return chainmap.Supply{FromID: m.str("from"), ToID: m.str("to"), Product: m.str("product"), Since: m.int("since"),
		Synthetic: m.boolean("synthetic"), Provenance: provenanceFrom(m)}
}

// supplyProps are the properties of a SUPPLIES relationship, whose id names its ends and product.
func supplyProps(s chainmap.Supply) map[string]any {
	return provenanceProps(map[string]any{"id": SupplyID(s.FromID, s.ToID, s.Product), "product": s.Product,
		"since": s.Since, "synthetic": s.Synthetic}, s.Provenance)
}

// techTransferFrom reads the properties of a TRANSFERS_TECH_TO relationship; its ends are the relationship's.
func techTransferFrom(m props) chainmap.TechTransfer {
	return chainmap.TechTransfer{ID: m.str("id"), Kind: chainmap.TransferKind(m.str("kind")), Year: m.int("year"),
		Contracts: m.int("contracts"), ValueCny: m.float("valueCny"), Description: m.str("description"),
		Provenance: provenanceFrom(m)}
}

func techTransferProps(t chainmap.TechTransfer) map[string]any {
	return provenanceProps(map[string]any{"id": t.ID, "kind": string(t.Kind), "year": t.Year, "contracts": t.Contracts,
		"valueCny": t.ValueCny, "description": t.Description}, t.Provenance)
}

func indicatorFrom(m props) chainmap.Indicator {
	return chainmap.Indicator{ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Unit: m.str("unit"), Scope: m.str("scope"), Provenance: provenanceFrom(m)}
}

func indicatorProps(in chainmap.Indicator) map[string]any {
	return provenanceProps(map[string]any{"id": in.ID, "name": in.Name, "nameZh": in.NameZh, "nameEn": in.NameEn,
		"unit": in.Unit, "scope": in.Scope}, in.Provenance)
}

func indicatorValueFrom(m props) chainmap.IndicatorValue {
	return chainmap.IndicatorValue{Year: m.int("year"), Period: m.str("period"), Value: m.float("value"),
		Note: m.str("note"), Provenance: provenanceFrom(m)}
}

// indicatorValueProps are the properties of an indicator's value node, which also carries its indicator's id
// and a name made from the indicator's.
func indicatorValueProps(in chainmap.Indicator, v chainmap.IndicatorValue) map[string]any {
	return provenanceProps(map[string]any{"id": chainmap.IndicatorValueID(in.ID, v.Year, v.Period),
		"name": fmt.Sprintf("%s %d", in.Name, v.Year), "indicatorId": in.ID, "year": v.Year, "period": v.Period,
		"value": v.Value, "note": v.Note}, v.Provenance)
}

func officialListFrom(m props) chainmap.OfficialList {
	return chainmap.OfficialList{ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Kind: chainmap.ListKind(m.str("kind")), ChainMapID: m.str("chainMapId"), Issuer: m.str("issuer"),
		Published: m.str("published"), StatedCount: m.int("statedCount"), CountNote: m.str("countNote"),
		Description: m.str("description"), Provenance: provenanceFrom(m)}
}

func officialListProps(l chainmap.OfficialList) map[string]any {
	return provenanceProps(map[string]any{"id": l.ID, "name": l.Name, "nameZh": l.NameZh, "nameEn": l.NameEn,
		"kind": string(l.Kind), "chainMapId": l.ChainMapID, "issuer": l.Issuer, "published": l.Published,
		"statedCount": l.StatedCount, "countNote": l.CountNote, "description": l.Description}, l.Provenance)
}

func listItemFrom(m props) chainmap.ListItem {
	return chainmap.ListItem{ID: m.str("id"), ListID: m.str("listId"), Label: m.str("label"), RefID: m.str("refId"),
		Tier: chainmap.ChainRole(m.str("tier")), Rank: m.int("rank"), Provenance: provenanceFrom(m)}
}

// listItemProps also writes the label as the node's name.
func listItemProps(it chainmap.ListItem) map[string]any {
	return provenanceProps(map[string]any{"id": it.ID, "name": it.Label, "label": it.Label, "listId": it.ListID,
		"refId": it.RefID, "tier": string(it.Tier), "rank": it.Rank}, it.Provenance)
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
