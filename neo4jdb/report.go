package neo4jdb

import (
	"context"
	"fmt"

	"github.com/chainmap/chainmap"
)

// The printable report of a chain map: a handful of bounded statements, one per section.

// ReportLimits bound the lists of a report, which must stay printable with 100,000 synthetic firms.
const (
	reportMaxLinks     = 200
	reportMaxFirmNames = 40
)

// reportChainMap reads the chain map, the number of its firms (maintained, aggregates.go: "c|C") and of its
// links (chainLinks).
var reportChainMap = `
MATCH (c:ChainMap {id: $id})
RETURN c {.id, .name, .nameZh, .nameEn, .description, sources: c.sourceIds,
  firms: ` + aggregateCount(`'c|' + $id`) + `,
  links: ` + chainLinks("$id", true) + `} AS c`

var reportSegments = `
MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(s:Segment)
RETURN s.id AS id, s.name AS name, s.nameZh AS nameZh, s.nameEn AS nameEn, s.description AS description,
  s.stage AS stage, s.order AS order, s.sourceIds AS sources,
  ` + aggregateCount(`'s|' + s.id`) + ` AS firms,
  COUNT { MATCH (s)<-[:CONSTRAINS]-(b:Bottleneck) WHERE b.status <> 'RESOLVED' RETURN b } AS open,
  COLLECT { MATCH (s)-[:FEEDS]->(d:Segment) RETURN d {.id, .name, .nameZh} ORDER BY d.chainMapId, d.order } AS feeds
ORDER BY CASE s.stage WHEN 'UPSTREAM' THEN 0 WHEN 'MIDSTREAM' THEN 1 ELSE 2 END, s.order, s.id`

// reportProvinces reads each province's firms of the chain from the maintained counts (aggregates.go), and
// only the chain's curated firms with their sites, once, for their names: not every firm of the chain.
var reportProvinces = `
MATCH (p:Region {level: 'PROVINCE'})
WITH p, ` + aggregateCount(`'e|' + p.code + '|' + $id`) + ` AS firms
WHERE firms > 0
WITH collect({p: p, firms: firms}) AS provinces
CALL () {
  MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise)
  WITH DISTINCT e WHERE NOT coalesce(e.synthetic, false)
  MATCH (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region)
  WITH DISTINCT r.province AS code, e
  WITH code, e ORDER BY coalesce(e.nameZh, e.name)
  RETURN collect({code: code, firm: e {.id, .name, .nameZh}}) AS curated
}
UNWIND provinces AS x
WITH x.p AS p, x.firms AS firms, [c IN curated WHERE c.code = x.p.code | c.firm] AS names
RETURN p.code AS code, p.name AS name, p.nameZh AS nameZh, firms, firms - size(names) AS synthetic,
  names[0..$maxNames] AS names
ORDER BY firms DESC, code`

const reportBottlenecks = `
MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck)
WHERE b.status <> 'RESOLVED'
WITH DISTINCT b
RETURN b.id AS id, b.name AS name, b.nameZh AS nameZh, b.nameEn AS nameEn, b.description AS description,
  b.kind AS kind, b.category AS category, b.severity AS severity, b.status AS status, b.sourceIds AS sources,
  COLLECT { MATCH (b)-[:CONSTRAINS]->(s:Segment) RETURN s {.id, .name, .nameZh} ORDER BY s.chainMapId, s.order } AS segments,
  COLLECT { MATCH (t)-[r:TACKLES]->(b) RETURN {id: t.id, name: t.name, nameZh: t.nameZh, since: r.since, status: r.status}
    ORDER BY r.since, t.name } AS tacklers
ORDER BY severity DESC, id`

// reportLinks reads the stated links of the rdLinks list, filtered to the chain map, by year, then id.
const reportLinks = `
WITH * ORDER BY coalesce(t.year, 9999), id
LIMIT $maxLinks
` + reportLinkFields

// reportDerivedLinks reads the chain map's first $maxLinks derived links (links.go: derivedPairs), by their R&D
// site's id, then their production site's. The sites are read in the order of their id index and the read stops
// there: at 100,000 firms, 7,300 of 225,000 sites for hydrogen's 6,007 derived links (0.1 s), where pairing
// the sites of every firm of the chain map and sorting the links took 0.5 s.
var reportDerivedLinks = `
CALL () {
  MATCH (a0:Site) WHERE a0.id IS NOT NULL AND a0.kind IN ` + quotedList(chainmap.RDSiteKinds...) + `
  WITH a0 ORDER BY a0.id
  MATCH (firm:Enterprise)-[:OPERATES]->(a0)
  WHERE EXISTS { (firm)-[:ACTIVE_IN]->(:Segment {chainMapId: $id}) }
  CALL (firm, a0) {
    WITH firm AS ent, a0 AS a` + derivedLinkRows("true") + `
    ORDER BY id
  }
  RETURN id, derived, a, b, ent, fromRegion, toRegion, t
  LIMIT $maxLinks
}
` + reportLinkFields

const reportLinkFields = `RETURN id, derived, a {.id, .name, .nameZh} AS from, b {.id, .name, .nameZh} AS to, ent {.id, .name, .nameZh} AS enterprise,
  COLLECT { MATCH (r:Region {code: fromRegion}) RETURN r {id: r.code, .name, .nameZh} }[0] AS fromRegion,
  COLLECT { MATCH (r:Region {code: toRegion}) RETURN r {id: r.code, .name, .nameZh} }[0] AS toRegion,
  t.year AS year, t.kind AS kind, t.description AS description,
  CASE WHEN t IS NULL THEN coalesce(a.sourceIds, []) + coalesce(b.sourceIds, []) ELSE t.sourceIds END AS sources`

const reportIndicators = `
MATCH (i:Indicator)
RETURN i.id AS id, i.name AS name, i.nameZh AS nameZh, i.nameEn AS nameEn, i.description AS description,
  i.unit AS unit, i.scope AS scope, i.sourceIds AS sources,
  COLLECT { MATCH (i)-[:HAS_VALUE]->(v:IndicatorValue)
    RETURN {year: v.year, period: v.period, value: v.value, note: v.note, sources: v.sourceIds} ORDER BY v.year, v.period } AS values
ORDER BY id`

const reportSources = `
UNWIND range(0, size($ids) - 1) AS i
MATCH (s:Source {id: $ids[i]})
WITH s ORDER BY i
RETURN s {.id, .title, .publisher, .url, .date, .reliability, .language, .note} AS s`

// Report returns the printable report of a chain map. It wraps chainmap.ErrNotFound when there is no such
// chain map.
func (db *DB) Report(ctx context.Context, chainMapID string) (*chainmap.Report, error) {
	p := map[string]any{"id": chainMapID, "maxNames": reportMaxFirmNames, "maxLinks": reportMaxLinks}
	res, err := db.read(ctx, "Report", reportChainMap, p)
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, fmt.Errorf("chain map %q: %w", chainMapID, chainmap.ErrNotFound)
	}
	c := props(res.Records[0].AsMap()).sub("c")
	out := &chainmap.Report{ChainMap: reportItem(c), Firms: c.int("firms")}

	if res, err = db.read(ctx, "Report", oneRow(reportSegments, "id", "name", "nameZh", "nameEn", "description", "stage", "order", "sources", "firms", "open", "feeds"), p); err != nil {
		return nil, err
	}
	for _, r := range rows(res) {
		out.Segments = append(out.Segments, chainmap.ReportSegment{ReportItem: reportItem(r), Stage: chainmap.Stage(r.str("stage")),
			Order: r.int("order"), Firms: r.int("firms"), OpenBottlenecks: r.int("open"), Feeds: namedList(r.list("feeds"))})
	}
	if res, err = db.read(ctx, "Report", oneRow(reportProvinces, "code", "name", "nameZh", "firms", "synthetic", "names"), p); err != nil {
		return nil, err
	}
	for _, r := range rows(res) {
		out.Provinces = append(out.Provinces, chainmap.ReportProvince{Code: r.str("code"), Name: r.str("name"), NameZh: r.str("nameZh"),
			Firms: r.int("firms"), Synthetic: r.int("synthetic"), Names: namedList(r.list("names"))})
	}
	if res, err = db.read(ctx, "Report", oneRow(reportBottlenecks, "id", "name", "nameZh", "nameEn", "description", "kind", "category", "severity", "status", "sources", "segments", "tacklers"), p); err != nil {
		return nil, err
	}
	for _, r := range rows(res) {
		b := chainmap.ReportBottleneck{ReportItem: reportItem(r), Kind: chainmap.BottleneckKind(r.str("kind")),
			Category: chainmap.BottleneckCategory(r.str("category")), Severity: r.int("severity"),
			Status: chainmap.BottleneckStatus(r.str("status")), Segments: namedList(r.list("segments"))}
		for _, t := range r.list("tacklers") {
			b.Tacklers = append(b.Tacklers, chainmap.ReportTackler{Named: named(t), Since: t.int("since"), Status: t.str("status")})
		}
		out.Bottlenecks = append(out.Bottlenecks, b)
	}

	// The links: the stated transfers first (by year, then id), then the derived links (by their sites' ids),
	// the first reportMaxLinks of them.
	stated := false
	conds := rdLinkConds(chainmap.RDLinkFilter{ChainMapID: &chainMapID, IncludeDerived: &stated})
	match, lp := rdLinks.match(conds)
	lp["maxLinks"] = reportMaxLinks
	for _, statement := range []struct {
		cypher string
		params map[string]any
	}{{match + reportLinks, lp}, {reportDerivedLinks, p}} {
		if res, err = db.read(ctx, "Report", oneRow(statement.cypher, "id", "derived", "from", "to", "enterprise", "fromRegion", "toRegion", "year", "kind", "description", "sources"), statement.params); err != nil {
			return nil, err
		}
		for _, r := range rows(res) {
			out.Links = append(out.Links, chainmap.ReportLink{ID: r.str("id"), From: named(r.sub("from")), To: named(r.sub("to")),
				Enterprise: named(r.sub("enterprise")), FromRegion: named(r.sub("fromRegion")), ToRegion: named(r.sub("toRegion")), Kind: r.str("kind"),
				Description: r.str("description"), Year: r.int("year"), Derived: r.boolean("derived"), SourceIDs: dedupe(r.strs("sources"))})
		}
	}
	out.Links = out.Links[:min(len(out.Links), reportMaxLinks)]
	out.LinksTotal = c.int("links")

	if out.Gaps, err = db.CoverageGaps(ctx, chainMapID); err != nil {
		return nil, err
	}
	if res, err = db.read(ctx, "Report", oneRow(reportIndicators, "id", "name", "nameZh", "nameEn", "description", "unit", "scope", "sources", "values"), p); err != nil {
		return nil, err
	}
	for _, r := range rows(res) {
		in := chainmap.ReportIndicator{ReportItem: reportItem(r), Unit: r.str("unit"), Scope: r.str("scope")}
		for _, v := range r.list("values") {
			in.Values = append(in.Values, chainmap.ReportValue{Year: v.int("year"), Period: v.str("period"), Note: v.str("note"),
				Value: v.float("value"), SourceIDs: v.strs("sources")})
		}
		out.Indicators = append(out.Indicators, in)
	}
	if out.Progress, err = db.BottleneckProgress(ctx, chainMapID); err != nil {
		return nil, err
	}

	ids := citedSources(out)
	if res, err = db.read(ctx, "Report", oneRow(reportSources, "s"), map[string]any{"ids": ids}); err != nil {
		return nil, err
	}
	for _, r := range rows(res) {
		out.Sources = append(out.Sources, sourceFrom(r.sub("s")))
	}
	return out, nil
}

func reportItem(m props) chainmap.ReportItem {
	return chainmap.ReportItem{ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Description: m.str("description"), SourceIDs: m.strs("sources")}
}

// citedSources lists the sources the report cites, in the order the report first cites them.
func citedSources(r *chainmap.Report) []string {
	var ids []string
	seen := map[string]bool{}
	add := func(list []string) {
		for _, id := range list {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	add(r.ChainMap.SourceIDs)
	for _, s := range r.Segments {
		add(s.SourceIDs)
	}
	for _, b := range r.Bottlenecks {
		add(b.SourceIDs)
	}
	for _, l := range r.Links {
		add(l.SourceIDs)
	}
	for _, in := range r.Indicators {
		add(in.SourceIDs)
		for _, v := range in.Values {
			add(v.SourceIDs)
		}
	}
	if ids == nil {
		ids = []string{}
	}
	return ids
}

func dedupe(list []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// bottleneckHistories is the expression that reads, for each bottleneck of the chain map @n, its status now, the
// earliest year a tackler gives as its start (since), and its dated status changes in order. The report and
// ChainMap.progress both read it: the report alone, the API nested in a chain map's projection, where
// aggregating functions cannot stand, so the earliest year is folded with reduce over a COLLECT subquery. Its
// variables end in _ and are named apart from those of the roots and fragments it may nest in (c_, r_ …): a
// subquery sees the variables around it.
const bottleneckHistories = `COLLECT { ` + chainBottlenecks + `
    WITH DISTINCT b_
    RETURN {status: coalesce(b_.status, 'OPEN'),
      since: reduce(m_ = null, y_ IN COLLECT { MATCH (b_)<-[tk_:TACKLES]-() WHERE tk_.since IS NOT NULL RETURN tk_.since } |
        CASE WHEN m_ IS NULL OR y_ < m_ THEN y_ ELSE m_ END),
      changes: COLLECT { MATCH (b_)-[:HAS_STATUS_CHANGE]->(sc_:StatusChange) WHERE sc_.at IS NOT NULL
        RETURN {year: toInteger(substring(sc_.at, 0, 4)), to: sc_.to} ORDER BY sc_.seq, sc_.at, sc_.id }}
    ORDER BY b_.id }`

// bottleneckProgress reads the histories of one chain map's bottlenecks.
const bottleneckProgress = `MATCH (@n:ChainMap {id: $id}) RETURN ` + bottleneckHistories + ` AS histories`

// BottleneckProgress counts the bottlenecks of a chain map per year, from the first year anything is dated to the
// last: how many were taken on and how many resolved within the year, and how many were open, in progress and
// resolved at its end (a reopened bottleneck counts as open again). ChainMap.progress reads the same.
func (db *DB) BottleneckProgress(ctx context.Context, chainMapID string) ([]chainmap.YearProgress, error) {
	res, err := db.read(ctx, "BottleneckProgress", scope{"n": "chain"}.fill(bottleneckProgress), map[string]any{"id": chainMapID})
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, nil
	}
	return progressFrom(props(res.Records[0].AsMap()).list("histories")), nil
}

// progressFrom counts the bottlenecks per year from the histories bottleneckHistories read.
func progressFrom(list []props) []chainmap.YearProgress {
	hs := make([]history, 0, len(list))
	for _, r := range list {
		h := history{status: chainmap.BottleneckStatus(r.str("status")), since: r.int("since")}
		for _, c := range r.list("changes") {
			h.changes = append(h.changes, statusStep{year: c.int("year"), to: chainmap.BottleneckStatus(c.str("to"))})
		}
		hs = append(hs, h)
	}
	return progressByYear(hs)
}

// history is what is known of one bottleneck's progress: its status now, the year its earliest tackler started
// (0: unknown), and its dated status changes in order.
type history struct {
	status  chainmap.BottleneckStatus
	since   int
	changes []statusStep
}

// statusStep is a dated status change.
type statusStep struct {
	year int
	to   chainmap.BottleneckStatus
}

// progressByYear counts the histories per year. A bottleneck is open until a tackler starts on it (in progress)
// or a status change moves it; the last change dated up to a year says where it stood at that year's end. It is
// taken on in a year when it leaves OPEN by that year's end, a tackler starts or a change moves it to IN_PROGRESS
// (once a year at most), and resolved in a year when a change resolves it (even if it is reopened later that
// year) or it ends the year resolved anew. The
// graph does not record when a bottleneck was identified, so it counts from the first year. A status now that no
// change dates (a seed's) is counted in the last year, where it is further on than the tacklers make it.
func progressByYear(hs []history) []chainmap.YearProgress {
	first, last := 0, 0
	see := func(y int) {
		if y == 0 {
			return
		}
		if first == 0 || y < first {
			first = y
		}
		last = max(last, y)
	}
	for _, h := range hs {
		see(h.since)
		for _, c := range h.changes {
			see(c.year)
		}
	}
	if first == 0 {
		return nil
	}
	out := make([]chainmap.YearProgress, last-first+1)
	for i := range out {
		out[i].Year = first + i
	}
	for _, h := range hs {
		prev := chainmap.Open
		for i := range out {
			now := h.statusAt(out[i].Year, last)
			year := out[i].Year
			if prev == chainmap.Open && now != chainmap.Open || h.since == year || h.changedTo(chainmap.InProgress, year) {
				out[i].Started++
			}
			if h.changedTo(chainmap.Resolved, year) || now == chainmap.Resolved && prev != chainmap.Resolved {
				out[i].ResolvedInYear++
			}
			switch now {
			case chainmap.Resolved:
				out[i].ResolvedSoFar++
			case chainmap.InProgress:
				out[i].InProgress++
			default:
				out[i].Open++
			}
			prev = now
		}
	}
	return out
}

// statusAt is where the bottleneck stood at the end of year (last: the last year counted).
func (h history) statusAt(year, last int) chainmap.BottleneckStatus {
	status, dated := chainmap.Open, false
	for _, c := range h.changes {
		if c.year <= year {
			status, dated = c.to, true
		}
	}
	if !dated && h.since != 0 && h.since <= year {
		status = chainmap.InProgress
	}
	if year == last && len(h.changes) == 0 && rank(h.status) > rank(status) {
		status = h.status
	}
	return status
}

// changedTo tells whether a change dated in year moved the bottleneck to status.
func (h history) changedTo(status chainmap.BottleneckStatus, year int) bool {
	for _, c := range h.changes {
		if c.year == year && c.to == status {
			return true
		}
	}
	return false
}

func rank(s chainmap.BottleneckStatus) int {
	switch s {
	case chainmap.Resolved:
		return 2
	case chainmap.InProgress:
		return 1
	}
	return 0
}
