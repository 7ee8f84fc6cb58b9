package neo4jdb

import (
	"fmt"
	"slices"

	"github.com/chainmap/chainmap"
)

// The kind table: for each kind the API returns, how each of its fields is read and how a read record is
// decoded. A field missing here cannot be asked for (the compiler says which); a new field of the schema gets
// a line here and, if it is a plain value, a line in the kind's decoder. graph.TestEverySchemaFieldCompiles
// asks for every field of the schema, so a missing line fails in go test; TestKindTableFollowsTheSchema checks
// the lines against the schema. A relation's arguments come as chainmap.FieldArgs, checked by the planner.

var kinds = map[chainmap.Kind]*kindSpec{}

func init() {
	register(chainmap.KindChainMap, true, chainMapFrom, func(c *chainmap.ChainMap) *chainmap.Related { return &c.Related },
		withValues(map[string]field{
			"leadRegion": {rel: match(chainmap.KindRegion, false, "MATCH (@x:Region {code: @n.leadRegion})", "")},
			"segments":   {rel: match(chainmap.KindSegment, true, "MATCH (@n)-[:HAS_SEGMENT]->(@x:Segment)", "@x.order, @x.id")},
			"stats":      {rel: inline(chainmap.KindChainMapStats, nil)},
			"progress":   {expr: bottleneckHistories}, // decoded into years by chainMapFrom
			"lists":      {rel: match(chainmap.KindOfficialList, true, "MATCH (@n)-[:HAS_LIST]->(@x:OfficialList)", "@x.id")},
			"sources":    {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds"),
		}, "id", "name", "nameZh", "nameEn", "aliases", "description", "mapPublished", "confidence", "evidence", "sourcingNote"))

	register(chainmap.KindSegment, true, segmentFrom, func(s *chainmap.Segment) *chainmap.Related { return &s.Related },
		withValues(map[string]field{
			"chainMap":    {rel: match(chainmap.KindChainMap, false, "MATCH (@x:ChainMap)-[:HAS_SEGMENT]->(@n)", "")},
			"upstream":    {rel: match(chainmap.KindSegment, true, "MATCH (@x:Segment)-[:FEEDS]->(@n)", "@x.chainMapId, @x.order, @x.id")},
			"downstream":  {rel: match(chainmap.KindSegment, true, "MATCH (@n)-[:FEEDS]->(@x:Segment)", "@x.chainMapId, @x.order, @x.id")},
			"enterprises": {rel: segmentEnterprises},
			"bottlenecks": {rel: match(chainmap.KindBottleneck, true, "MATCH (@x:Bottleneck)-[:CONSTRAINS]->(@n)", "@x.severity DESC, @x.id")},
			"sources":     {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds"),
		}, "id", "name", "nameZh", "nameEn", "stage", "order", "description", "confidence", "evidence", "sourcingNote"))

	register(chainmap.KindEnterprise, true, enterpriseFrom, func(e *chainmap.Enterprise) *chainmap.Related { return &e.Related },
		withValues(map[string]field{
			"synthetic":   {expr: "coalesce(@n.synthetic, false)"},
			"sites":       {rel: match(chainmap.KindSite, true, "MATCH (@n)-[:OPERATES]->(@x)", "@x.id")},
			"segments":    {rel: match(chainmap.KindSegment, true, "MATCH (@n)-[:ACTIVE_IN]->(@x:Segment)", "@x.chainMapId, @x.order, @x.id")},
			"parent":      {rel: match(chainmap.KindEnterprise, false, "MATCH (@n)-[:BRANCH_OF]->(@x:Enterprise)", "@x.id")},
			"suppliers":   {rel: supplies(true)},
			"customers":   {rel: supplies(false)},
			"tackles":     {rel: match(chainmap.KindBottleneck, true, "MATCH (@n)-[:TACKLES]->(@x:Bottleneck)", "@x.severity DESC, @x.id")},
			"upstream":    {rel: tiers(true)},
			"downstream":  {rel: tiers(false)},
			"chainRoleIn": {rel: match(chainmap.KindChainMap, false, "MATCH (@x:ChainMap {id: @n.chainRoleIn})", "")},
			"formerNames": {expr: "coalesce(@n.formerNames, [])"},
			"sources":     {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds"),
		}, "id", "name", "nameZh", "nameEn", "chainRole", "website", "description", "confidence", "evidence", "sourcingNote"))

	register(chainmap.KindSite, true, siteFrom, func(s *chainmap.Site) *chainmap.Related { return &s.Related },
		withValues(map[string]field{
			"name":       {expr: "coalesce(@n.name, @n.id)"}, // synthetic sites carry no name
			"enterprise": {rel: match(chainmap.KindEnterprise, false, "MATCH (@x:Enterprise)-[:OPERATES]->(@n)", "@x.id")},
			"region":     {rel: match(chainmap.KindRegion, false, "MATCH (@n)-[:LOCATED_IN]->(@x:Region)", "@x.code")},
			"park":       {rel: match(chainmap.KindPark, false, "MATCH (@n)-[:IN_PARK]->(@x:Park)", "@x.id")},
			"sources":    {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds"),
		}, "id", "kind", "since", "capacity", "confidence", "sourcingNote"))

	register(chainmap.KindRegion, true, regionFrom, func(r *chainmap.Region) *chainmap.Related { return &r.Related },
		withValues(map[string]field{
			"province":    {rel: match(chainmap.KindRegion, false, "MATCH (@x:Region {code: @n.province})", "")},
			"parent":      {rel: match(chainmap.KindRegion, false, "MATCH (@n)-[:PART_OF]->(@x:Region)", "@x.code")},
			"children":    {rel: match(chainmap.KindRegion, true, "MATCH (@x:Region)-[:PART_OF]->(@n)", "@x.code")},
			"enterprises": {rel: first(chainmap.KindEnterprise, "MATCH (@n)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(:Site)<-[:OPERATES]-(@x:Enterprise)", "@x.name, @x.id")},
			"stats":       {rel: &relation{kinds: []chainmap.Kind{chainmap.KindRegionStats}, bind: regionStatsScope}},
			"sources":     {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds"),
		}, "code", "name", "nameZh", "nameEn", "level", "confidence"))

	register(chainmap.KindInstitution, true, institutionFrom, func(i *chainmap.Institution) *chainmap.Related { return &i.Related },
		withValues(map[string]field{
			"region":   {rel: match(chainmap.KindRegion, false, "MATCH (@n)-[:LOCATED_IN]->(@x:Region)", "@x.code")},
			"segments": {rel: match(chainmap.KindSegment, true, "MATCH (@n)-[:ACTIVE_IN]->(@x:Segment)", "@x.chainMapId, @x.order, @x.id")},
			"sources":  {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds"),
		}, "id", "name", "nameZh", "nameEn", "kind", "confidence"))

	register(chainmap.KindPark, true, parkFrom, func(p *chainmap.Park) *chainmap.Related { return &p.Related },
		withValues(map[string]field{
			"region":  {rel: match(chainmap.KindRegion, false, "MATCH (@n)-[:LOCATED_IN]->(@x:Region)", "@x.code")},
			"sources": {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds"),
		}, "id", "name", "nameZh", "nameEn", "renamedFrom", "description", "confidence"))

	register(chainmap.KindBottleneck, true, bottleneckFrom, func(b *chainmap.Bottleneck) *chainmap.Related { return &b.Related },
		withValues(map[string]field{
			"segments": {rel: match(chainmap.KindSegment, true, "MATCH (@n)-[:CONSTRAINS]->(@x:Segment)", "@x.chainMapId, @x.order, @x.id")},
			"tacklers": {rel: tacklers},
			"statusHistory": {rel: match(chainmap.KindStatusChange, true,
				"MATCH (@n)-[:HAS_STATUS_CHANGE]->(@x:StatusChange)", "@x.seq, @x.at, @x.id")},
			"sources": {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds"),
		}, "id", "name", "nameZh", "nameEn", "kind", "category", "severity", "status", "description", "confidence", "evidence",
			"sourcingNote"))

	register(chainmap.KindTackler, false, tacklerFrom, func(t *chainmap.Tackler) *chainmap.Related { return &t.Related },
		map[string]field{
			"since":  {expr: "@r.since"},
			"status": {expr: "@r.status"},
			"actor":  {rel: &relation{kinds: []chainmap.Kind{chainmap.KindEnterprise, chainmap.KindInstitution}, bind: sameScope}},
		})

	register(chainmap.KindStatusChange, true, statusChangeFrom, nil,
		withValues(nil, "id", "from", "to", "note", "author", "at"))

	register(chainmap.KindSupplyLink, false, supplyFrom, func(s *chainmap.Supply) *chainmap.Related { return &s.Related },
		map[string]field{
			"product":    {expr: "@r.product"},
			"since":      {expr: "@r.since"},
			"synthetic":  {expr: "coalesce(@r.synthetic, false)"},
			"confidence": {expr: "@r.confidence"},
			"supplier":   {rel: inline(chainmap.KindEnterprise, map[string]string{"n": "from"})},
			"customer":   {rel: inline(chainmap.KindEnterprise, map[string]string{"n": "to"})},
			"sources":    {rel: sourcesOf("@r.sourceIds")}, "sourcesAsOf": sourcesAsOf("@r.sourceIds"),
		})

	register(chainmap.KindTierLink, false, tierLinkFrom, func(t *chainmap.TierLink) *chainmap.Related { return &t.Related },
		map[string]field{
			"tier":       {expr: "@tier"},
			"enterprise": {rel: inline(chainmap.KindEnterprise, map[string]string{"n": "n"})},
		})

	register(chainmap.KindSource, true, sourceFrom, func(s *chainmap.Source) *chainmap.Related { return &s.Related },
		withValues(nil, "id", "title", "publisher", "url", "date", "reliability", "language", "note"))

	register(chainmap.KindIndicator, true, indicatorFrom, func(i *chainmap.Indicator) *chainmap.Related { return &i.Related },
		withValues(map[string]field{
			"values":  {rel: indicatorValues},
			"sources": {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds"),
		}, "id", "name", "nameZh", "nameEn", "unit", "scope", "confidence"))

	register(chainmap.KindIndicatorValue, true, indicatorValueFrom, func(v *chainmap.IndicatorValue) *chainmap.Related { return &v.Related },
		withValues(map[string]field{"sources": {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds")}, "year", "period", "value", "note", "confidence"))

	register(chainmap.KindOfficialList, true, officialListFrom, func(l *chainmap.OfficialList) *chainmap.Related { return &l.Related },
		withValues(map[string]field{
			"chainMap": {rel: match(chainmap.KindChainMap, false, "MATCH (@x:ChainMap)-[:HAS_LIST]->(@n)", "")},
			"issuedBy": {rel: match(chainmap.KindInstitution, false, "MATCH (@n)-[:ISSUED_BY]->(@x:Institution)", "@x.id")},
			"items":    {rel: match(chainmap.KindListItem, true, "MATCH (@n)-[:HAS_ITEM]->(@x:ListItem)", "@x.rank, @x.id")},
			"coverage": {rel: inline(chainmap.KindListCoverage, nil)},
			"sources":  {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds"),
		}, "id", "name", "nameZh", "nameEn", "kind", "issuer", "published", "statedCount", "countNote", "description",
			"confidence", "evidence", "sourcingNote"))

	register(chainmap.KindListItem, true, listItemFrom, func(i *chainmap.ListItem) *chainmap.Related { return &i.Related },
		withValues(map[string]field{
			"record": {rel: &relation{kinds: []chainmap.Kind{chainmap.KindBottleneck, chainmap.KindEnterprise, chainmap.KindSegment},
				bind: func(c *compiler, p scope, _ chainmap.FieldArgs) (string, scope, error) {
					s := scope{"n": p["n"], "x": c.fresh()}
					return s.fill("MATCH (@n)-[:REFERS_TO]->(@x)"), scope{"n": s["x"]}, nil
				}}},
			"sources": {rel: nodeSources}, "sourcesAsOf": sourcesAsOf("@n.sourceIds"),
		}, "id", "rank", "label", "tier", "confidence"))

	register(chainmap.KindListCoverage, false, listCoverageFrom, nil, map[string]field{
		"items":       {expr: "COUNT { (@n)-[:HAS_ITEM]->(:ListItem) }"},
		"held":        {expr: "COUNT { (@n)-[:HAS_ITEM]->(:ListItem)-[:REFERS_TO]->() }"},
		"statedCount": {expr: "@n.statedCount"},
		"missing": {expr: `COLLECT { MATCH (@n)-[:HAS_ITEM]->(i_:ListItem) WHERE NOT EXISTS { (i_)-[:REFERS_TO]->() }
    RETURN i_.label ORDER BY i_.rank, i_.id }`},
	})

	register(chainmap.KindChainMapStats, false, chainMapStatsFrom, nil, chainMapStats)
	register(chainmap.KindRegionStats, false, regionStatsFrom, nil, regionStats)
	register(chainmap.KindRDLink, false, rdLinkFrom, func(l *chainmap.RDLink) *chainmap.Related { return &l.Related }, rdLinkFields)
	register(chainmap.KindRDLinkFlow, false, rdLinkFlowFrom, func(f *chainmap.RDLinkFlow) *chainmap.Related { return &f.Related }, rdLinkFlowFields)
	register(chainmap.KindSearchHit, false, searchHitFrom, func(h *chainmap.SearchHit) *chainmap.Related { return &h.Related }, searchHitFields)
	addFlagFields() // after the kinds it extends
}

// register adds a kind whose records decode to T; related, if not nil, says where T keeps what was read with it.
func register[T any](k chainmap.Kind, node bool, from func(props) T, related func(*T) *chainmap.Related, fields map[string]field) {
	decode := func(m props, sel *chainmap.Selection) T {
		v := from(m)
		if related != nil {
			*related(&v) = decodeRelated(m, sel)
		}
		return v
	}
	kinds[k] = &kindSpec{node: node, fields: fields,
		one: func(m props, sel *chainmap.Selection) any {
			v := decode(m, sel)
			return &v
		},
		many: func(items []any, sel *chainmap.Selection) any {
			out := make([]T, 0, len(items))
			for _, it := range items {
				m, _ := it.(map[string]any)
				out = append(out, decode(m, sel))
			}
			return out
		}}
}

// withValues adds plain values, read from the properties of the same name, to a kind's fields.
func withValues(fields map[string]field, names ...string) map[string]field {
	if fields == nil {
		fields = map[string]field{}
	}
	for _, n := range names {
		if _, ok := fields[n]; !ok {
			fields[n] = field{prop: n}
		}
	}
	return fields
}

// decodeRelated reads the related records of a projected record, as sel asked for them.
func decodeRelated(m props, sel *chainmap.Selection) chainmap.Related {
	if sel == nil {
		return nil
	}
	var rel chainmap.Related
	for i, f := range sel.Fields {
		if f.Sel == nil && f.Cases == nil {
			continue
		}
		fs := kinds[sel.Kind].fields[f.Name]
		if fs.rel == nil {
			continue // a list of values, such as the groups of a stats object
		}
		if rel == nil {
			rel = chainmap.Related{}
		}
		rel[f.Key] = decodeValue(fs.rel, f, m[relName(i)])
	}
	return rel
}

// decodeValue decodes the records of one relation: a slice, a pointer, or nil.
func decodeValue(r *relation, f chainmap.SelectedField, v any) any {
	switch {
	case len(r.kinds) > 1:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		kind := chainmap.Kind(fmt.Sprint(m["_k_"]))
		for _, sel := range f.Cases {
			if sel.Kind == kind {
				return kinds[kind].one(m, sel)
			}
		}
		return nil
	case r.many:
		list, _ := v.([]any)
		return kinds[f.Sel.Kind].many(list, f.Sel)
	default:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		return kinds[f.Sel.Kind].one(m, f.Sel)
	}
}

// sameScope reads a record already bound: the actor of a tackler, an end of a link.
func sameScope(_ *compiler, p scope, _ chainmap.FieldArgs) (string, scope, error) { return "", p, nil }

var tacklers = &relation{kinds: []chainmap.Kind{chainmap.KindTackler}, many: true, bind: func(c *compiler, p scope, _ chainmap.FieldArgs) (string, scope, error) {
	s := scope{"x": c.fresh(), "r": c.fresh(), "n": p["n"]}
	return s.fill("MATCH (@x)-[@r:TACKLES]->(@n)\nWITH @x, @r ORDER BY @x.id"), scope{"n": s["x"], "r": s["r"]}, nil
}}

var segmentEnterprises = &relation{kinds: []chainmap.Kind{chainmap.KindEnterprise}, many: true, bind: func(c *compiler, p scope, a chainmap.FieldArgs) (string, scope, error) {
	// The segment's firms by name from their maintained members (aggregates.go), in index order: the page
	// stops after first of those that pass the filters instead of sorting every firm of the segment. Neo4j
	// reads a composite index in order only with a predicate on each of its properties and the equality's
	// property first in the ORDER BY (a constant here).
	s := scope{"n": p["n"], "x": c.fresh(), "m": c.fresh()}
	clauses := s.fill("MATCH (@m:SegmentMember {segment: @n.id}) WHERE @m.name IS NOT NULL AND @m.firmId IS NOT NULL\nMATCH (@x:Enterprise {id: @m.firmId})")
	var where []string
	if a.Role != "" {
		s["role"] = c.param(string(a.Role))
		where = append(where, s.fill("@x.chainRole = @role"))
	}
	if a.RegionCode != "" {
		s["inside"] = inside(c.param(a.RegionCode), a.RegionCode)
		where = append(where, s.fill("EXISTS { (@x)-[:OPERATES]->(:Site)-[:LOCATED_IN]->@inside }"))
	}
	if len(where) > 0 {
		clauses += " WHERE " + joinAnd(where)
	}
	s["first"] = c.param(a.First)
	clauses += s.fill("\nWITH @x, @m ORDER BY @m.segment, @m.name, @m.firmId LIMIT @first")
	return clauses, scope{"n": s["x"]}, nil
}}

var indicatorValues = &relation{kinds: []chainmap.Kind{chainmap.KindIndicatorValue}, many: true, bind: func(c *compiler, p scope, a chainmap.FieldArgs) (string, scope, error) {
	s := scope{"n": p["n"], "x": c.fresh()}
	clauses := s.fill("MATCH (@n)-[:HAS_VALUE]->(@x:IndicatorValue)")
	var where []string
	if a.FromYear != 0 {
		s["from"] = c.param(a.FromYear)
		where = append(where, s.fill("@x.year >= @from"))
	}
	if a.ToYear != 0 {
		s["to"] = c.param(a.ToYear)
		where = append(where, s.fill("@x.year <= @to"))
	}
	if len(where) > 0 {
		clauses += " WHERE " + joinAnd(where)
	}
	return clauses + s.fill("\nWITH @x ORDER BY @x.year, @x.period"), scope{"n": s["x"]}, nil
}}

func joinAnd(conds []string) string {
	out := conds[0]
	for _, c := range conds[1:] {
		out += " AND " + c
	}
	return out
}

// inside is the end of a pattern that reaches a region inside the one whose code the parameter holds (the region
// itself included): every region carries its province's code, so a province needs no walk up PART_OF.
func inside(param, code string) string {
	if slices.Contains(chainmap.Provinces, code) {
		return "(:Region {province: " + param + "})"
	}
	return "(:Region)-[:PART_OF*0..3]->(:Region {code: " + param + "})"
}
