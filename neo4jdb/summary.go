package neo4jdb

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/chainmap/chainmap"
)

// What changed in a window, in one statement, from three sources:
//   - the records' own dates (a site's `since`, a firm whose every site opened in the window, a tackler's
//     `since`, a supply link's `since`, a stated transfer's `year`): counted in the statement, by kind, year,
//     chain map and place, since they can be many — the supply links (a million dated ones with 100,000
//     synthetic firms) by their maintained counts (linkCounts); the newest $first are read out;
//   - the change log (editors' mutations), at most chainmap.MaxLogEntries, newest first (one more is read, to
//     tell a partial summary), whose JSON states
//     the Go side reads: firms and sites added or removed, bottlenecks opened, links made or removed;
//   - the bottlenecks' status histories: moved (to IN_PROGRESS), resolved, opened again.
// A record's own date wins: a log entry that adds a record carrying a date of its own (a site with `since`, a
// link with `since` or `year`) is not counted again, since the record's date says when it happened.
// Every event has one place (a region code), so that counts by region add up: a site's region; a firm's first
// site's; a supply link's customer's first site; a transfer's receiving end; a tackler's region. Bottleneck
// status events have none: they are counted in a region when the region's firms meet the bottleneck.

// jsonID reads an id field from a change's JSON state; ids are plain [a-z0-9-], so no unescaping is needed.
func jsonID(key string) string {
	return `split(split(coalesce(c.after, c.before), '"` + key + `":"')[1], '"')[0]`
}

// firstSitePlace is the region code of the first site, by id, of the enterprise bound to n.
const firstSitePlace = `COLLECT { MATCH (@n)-[:OPERATES]->(px_) RETURN px_.regionCode ORDER BY px_.id }[0]`

// placeOf is the region code of a site, an institution or an enterprise bound to n: an enterprise's is its first
// site's, read from its maintained FirmAggregate (one index seek, where matching its sites reads all of its
// relationships: 3.6 M hits for the whole graph's dated supply links with 100,000 firms), or from the graph for a
// firm without one or one written before the aggregate held its place.
var placeOf = `coalesce(@n.regionCode, COLLECT { MATCH (x_:FirmAggregate {firmId: @n.id}) RETURN x_.place }[0], ` + firstSitePlace + `)`

func place(n string) string { return scope{"n": n}.fill(placeOf) }

// firmChains lists the chain maps of the enterprises whose ids are in the list ids, from their maintained
// FirmAggregates (aggregates.go: the chain maps the firm is active in, kept by every write in its transaction):
// one index seek per firm, where matching ACTIVE_IN from a firm reads all of its relationships. For the few
// dated sites; the many dated links read their ends' aggregates in the pipeline (datedLinks).
func firmChains(ids string) string {
	return `COLLECT { MATCH (x_:FirmAggregate) WHERE x_.firmId IN ` + ids + ` UNWIND x_.chains AS ch_ RETURN DISTINCT ch_ ORDER BY ch_ }`
}

// chainsOfEither lists the chain maps either of two records bound to a and b is active in. Each is matched from
// itself: a pattern from any node compared with a or b afterwards would read every ACTIVE_IN relationship of the
// graph (71 million rows in a Cangzhou scenario with 100,000 firms).
func chainsOfEither(a, b string) string {
	return `COLLECT { MATCH (` + a + `)-[:ACTIVE_IN]->(cs_:Segment) RETURN cs_.chainMapId AS c_
    UNION MATCH (` + b + `)-[:ACTIVE_IN]->(cs_:Segment) RETURN cs_.chainMapId AS c_ }`
}

// touches is the condition that the bottleneck bound to b concerns the summary's region: firms with a site in
// it are active in a segment the bottleneck constrains. It reads the region's maintained segment counts ("g|R|S",
// aggregates.go, which count a site in its region and every region above it), one index seek per segment the
// bottleneck constrains. Walking the segments' firms and their sites instead read 450,000 db hits for a
// district with no firm (100,000 firms), since an EXISTS that finds nothing never stops early.
func touches(b string) string {
	return `($regionCode = '' OR EXISTS { MATCH (` + b + `)-[:CONSTRAINS]->(ts_:Segment)
    WHERE EXISTS { (:RegionAggregate {key: 'g|' + $regionCode + '|' + ts_.id}) } })`
}

// linkCounts reads the window's dated supply links, counted by chain map, year and customer's place, from the
// maintained aggregates ("l|C|YEAR|P", aggregates.go: a few hundred keys where the links are 133,000 since 2023
// with 100,000 firms): as linkGroups, the groups of the summary's chain map (of any: '*'), and, for a summary of
// every chain map, as linkChains, each chain map's counts (a link counts in each chain map either end is in).
const linkCounts = `
CALL (fromYear, toYear, inside) {
  MATCH (a:RegionAggregate) WHERE a.key STARTS WITH 'l|' + CASE $chainMapId WHEN '' THEN '' ELSE $chainMapId + '|' END
  WITH split(a.key, '|') AS k, a.n AS n
  WITH k[1] AS chain, toInteger(k[2]) AS year, nullIf(k[3], '') AS code, n
  WHERE year >= fromYear AND year <= toYear AND (inside IS NULL OR code IN inside)
  RETURN collect(CASE WHEN chain = coalesce(nullIf($chainMapId, ''), '*') THEN {kind: 'LINK_MADE', year: year, code: code,
      chains: CASE $chainMapId WHEN '' THEN [] ELSE [$chainMapId] END, n: n} END) AS linkGroups,
    collect(CASE WHEN $chainMapId = '' AND chain <> '*' THEN {chain: chain, n: n} END) AS linkChains
}`

// linkTops lists the first $first dated supply links of the summary's chain map and region by year, newest
// first, then id, each as a group of one: of the years that hold any (linkGroups) and are needed to reach
// $first. Each year's links are read in the order of the index on (since, id) (ordered by both: by id alone
// the planner sorts the year's links), each with its ends' maintained
// FirmAggregates (their chain maps, the customer's place), and the read stops at $first: a chain's summary
// keeps about one link in five, so it reads about 5 × $first links, not the year's 67,000 (100,000 firms). A
// region that holds few of a year's links still reads up to all of them.
const linkTops = `
CALL (fromYear, toYear, inside, linkGroups) {
  UNWIND range(toYear, fromYear, -1) AS y
  WITH y, inside, reduce(n = 0, g IN linkGroups | n + CASE WHEN g.year = y THEN g.n ELSE 0 END) AS here,
    reduce(n = 0, g IN linkGroups | n + CASE WHEN g.year > y THEN g.n ELSE 0 END) AS newer
  WHERE here > 0 AND newer < $first
  CALL (y, inside) {
    MATCH (a:Enterprise)-[r:SUPPLIES]->(c:Enterprise) WHERE r.since = y AND r.id IS NOT NULL
    WITH a, r, c ORDER BY r.since, r.id
    OPTIONAL MATCH (xa:FirmAggregate {firmId: a.id})
    OPTIONAL MATCH (xc:FirmAggregate {firmId: c.id})
    WITH a, r, c, xc, coalesce(xa.chains, []) AS ca, coalesce(xc.chains, []) AS cc
    WHERE ($chainMapId = '' OR $chainMapId IN ca OR $chainMapId IN cc) AND (inside IS NULL OR xc.place IN inside)
    RETURN {kind: 'LINK_MADE', year: y, code: xc.place, chains: ca + [ch IN cc WHERE NOT ch IN ca],
      top: [{id: r.id, n1: a, n2: c, n3: null, note: r.product}]} AS g
    LIMIT $first
  }
  RETURN collect(g) AS linkTops
}`

// datedEvents yields one row per record-dated event: kind, year, id, code (its place), chains, the records it
// names (n1: the firm or bottleneck, n2: the partner or tackler, n3: the site) and a note.
var datedEvents = `
CALL (fromYear, toYear) {
  MATCH (e:Enterprise)-[:OPERATES]->(x:Site) WHERE x.since >= fromYear AND x.since <= toYear
  RETURN 'SITE_ADDED' AS kind, x.since AS year, x.id AS id, x.regionCode AS code, ` + firmChains("[e.id]") + ` AS chains,
    e AS n1, null AS n2, x AS n3, x.kind AS note
  UNION ALL
  MATCH (e:Enterprise)-[:OPERATES]->(x:Site) WHERE x.since >= fromYear AND x.since <= toYear
  WITH DISTINCT e
  WHERE NOT EXISTS { (e)-[:OPERATES]->(y) WHERE y.since IS NULL OR y.since < fromYear }
  WITH e, COLLECT { MATCH (e)-[:OPERATES]->(y) RETURN y ORDER BY y.since, y.id }[0] AS first
  RETURN 'FIRM_ADDED' AS kind, first.since AS year, e.id AS id, first.regionCode AS code, ` + firmChains("[e.id]") + ` AS chains,
    e AS n1, null AS n2, first AS n3, null AS note
  UNION ALL
  MATCH (t)-[tk:TACKLES]->(b:Bottleneck) WHERE tk.since >= fromYear AND tk.since <= toYear
  RETURN 'BOTTLENECK_MOVED' AS kind, tk.since AS year, b.id + '<' + t.id AS id, ` + place("t") + ` AS code,
    COLLECT { MATCH (b)-[:CONSTRAINS]->(s:Segment) RETURN DISTINCT s.chainMapId } AS chains,
    b AS n1, t AS n2, null AS n3, null AS note
  UNION ALL
  MATCH (a)-[t:TRANSFERS_TECH_TO]->(b) WHERE t.year >= fromYear AND t.year <= toYear
  OPTIONAL MATCH (owner:Enterprise)-[:OPERATES]->(b)
  WITH a, t, b, coalesce(owner, b) AS ent
  RETURN 'LINK_MADE' AS kind, t.year AS year, t.id AS id, ` + place("b") + ` AS code,
    ` + chainsOfEither("ent", "a") + ` AS chains,
    ent AS n1, a AS n2, b AS n3, t.kind AS note
}`

// keptEvents keeps the rows of datedEvents in the summary's chain map and region: by their chains and place, and
// a bottleneck's move also where the region's firms meet the bottleneck.
var keptEvents = `
  WITH kind, year, id, code, chains, n1, n2, n3, note
  WHERE ($chainMapId = '' OR $chainMapId IN chains)
    AND (inside IS NULL OR code IN inside
      OR (kind = 'BOTTLENECK_MOVED' AND ` + touches("n1") + `))`

// changesSummary counts the window's dated events by kind, year, place and chains (a few hundred groups, whatever
// the graph's size; the Go side adds them up by year, chain map and region) and keeps, of each group, its first
// $first by id; the newest $first events overall are among those and are read out with their records. Each row
// is held once, in its group. Collecting every row into one list and counting the list four ways held the list
// once per group: over the whole graph with 100,000 firms (132,984 dated supply links) that passed the
// transaction memory guard (docs/performance.md).
var changesSummary = `
OPTIONAL MATCH (m:ChainMap {id: $chainMapId})
WITH coalesce(nullIf($from, ''), m.mapPublished, $defaultFrom) AS fromStr
WITH fromStr, datetime({date: date(fromStr)}) AS fromAt, date(fromStr).year AS fromYear, datetime($toAt) AS toAt, $toYear AS toYear,
  CASE WHEN $regionCode = '' THEN null
    ELSE COLLECT { MATCH (r:Region)-[:PART_OF*0..3]->(:Region {code: $regionCode}) RETURN r.code } END AS inside
CALL (fromAt, toAt, inside) {
  MATCH (c:Change) WHERE c.at >= fromAt AND c.at < toAt AND c.kind IN ['ENTERPRISE', 'BOTTLENECK', 'SUPPLY_LINK', 'TECH_TRANSFER']
    AND ($chainMapId = '' OR $chainMapId IN c.chainMapIds)
  WITH c ORDER BY c.seq DESC LIMIT $maxLog + 1
  WITH collect(c) AS all_
  RETURN size(all_) AS logTotal, [c IN all_[0..$maxLog] | c {.seq, .kind, .operation, .recordId, .chainMapIds, .before, .after, .author,
    at: toString(c.at),
    code: CASE c.kind
      WHEN 'SUPPLY_LINK' THEN COLLECT { MATCH (e:Enterprise {id: ` + jsonID("customerId") + `}) RETURN ` + place("e") + ` }[0]
      WHEN 'TECH_TRANSFER' THEN COLLECT { MATCH (e:Record {id: ` + jsonID("toId") + `}) RETURN ` + place("e") + ` }[0] END,
    ends: CASE c.kind
      WHEN 'SUPPLY_LINK' THEN [k IN ['supplierId', 'customerId'] | COLLECT { MATCH (n:Record {id: split(split(coalesce(c.after, c.before), '"' + k + '":"')[1], '"')[0]})
        RETURN coalesce(n.nameZh, n.name) }[0]]
      WHEN 'TECH_TRANSFER' THEN [k IN ['fromId', 'toId'] | COLLECT { MATCH (n:Record {id: split(split(coalesce(c.after, c.before), '"' + k + '":"')[1], '"')[0]})
        RETURN coalesce(n.nameZh, n.name, n.id) }[0]] END,
    affects: CASE WHEN c.kind = 'BOTTLENECK' THEN COLLECT { MATCH (b:Bottleneck {id: c.recordId}) RETURN ` + touches("b") + ` }[0] END}] AS logs
}
CALL (fromAt, toAt, inside) {
  MATCH (b:Bottleneck)-[:HAS_STATUS_CHANGE]->(sc:StatusChange)
  WHERE datetime(sc.at) >= fromAt AND datetime(sc.at) < toAt
    AND ($chainMapId = '' OR EXISTS { (b)-[:CONSTRAINS]->(:Segment {chainMapId: $chainMapId}) }) AND ` + touches("b") + `
  WITH b, sc ORDER BY sc.at DESC, sc.seq DESC
  RETURN collect({id: b.id, name: b.name, nameZh: b.nameZh, from: sc.from, to: sc.to, at: sc.at, author: sc.author, seq: sc.seq,
    chains: COLLECT { MATCH (b)-[:CONSTRAINS]->(s:Segment) RETURN DISTINCT s.chainMapId }})[0..$maxLog] AS statuses
}
CALL (fromYear, toYear, inside) {` + datedEvents + keptEvents + `
  WITH kind, year, code, chains, count(*) AS n, collect({id: id, n1: n1, n2: n2, n3: n3, note: note}) AS rs
  WITH kind, year, code, chains, n, COLLECT { UNWIND rs AS r WITH r ORDER BY r.id LIMIT $first RETURN r } AS top
  RETURN collect({kind: kind, year: year, code: code, chains: chains, n: n, top: top}) AS groups
}` + linkCounts + linkTops + `
WITH *, COLLECT { UNWIND groups + linkTops AS g UNWIND g.top AS r WITH g, r ORDER BY g.year DESC, g.kind, r.id LIMIT $first
  WITH g, r, r.n1 AS n1, r.n2 AS n2, r.n3 AS n3
  RETURN {kind: g.kind, year: g.year, id: r.id, code: g.code, chains: g.chains, note: r.note,
    n1: n1 {.id, .name, .nameZh, label: head([l IN labels(n1) WHERE l IN ['Enterprise', 'Bottleneck', 'Institution']])},
    n2: n2 {.id, .name, .nameZh, label: head([l IN labels(n2) WHERE l IN ['Enterprise', 'Institution', 'Site']])},
    n3: n3 {.id, .name, .kind}} } AS events
RETURN fromStr, groups, linkGroups, linkChains, events,
  logs, logTotal, statuses, ` + regionTree + ` AS tree,
  COLLECT { MATCH (m:ChainMap) WITH m ORDER BY m.id RETURN m {.id, .name, .nameZh} } AS chainMaps`

// ChangesSummary returns what changed in the window of q (see chainmap.ChangesSummary): from q.From, or when it
// is zero the chain map's publication date, else chainmap.MapsPublished; to the end of q.To.
func (db *DB) ChangesSummary(ctx context.Context, q chainmap.ChangesQuery) (*chainmap.ChangesSummary, error) {
	res, err := db.analysis(ctx, "ChangesSummary", changesSummary, map[string]any{"chainMapId": q.ChainMapID,
		"regionCode": q.RegionCode, "from": q.From.String(), "defaultFrom": chainmap.MapsPublished.String(),
		"toAt": q.To.End().Format(time.RFC3339), "toYear": q.To.Year, "first": q.First, "maxLog": chainmap.MaxLogEntries})
	if err != nil {
		return nil, err
	}
	m := props(res.Records[0].AsMap())
	out := &chainmap.ChangesSummary{ChainMapID: q.ChainMapID, RegionCode: q.RegionCode, To: q.To, Totals: &chainmap.ChangeCounts{}}
	if out.From, err = chainmap.ParseDate(m.str("fromStr")); err != nil {
		return nil, fmt.Errorf("changes summary: the window's start: %w", err)
	}
	tree := regionTreeFrom(m.list("tree"))
	s := newSummer(out, tree, m.list("chainMaps"))

	// The records' own dates, counted by the statement by kind, year, place and chains (the supply links' from
	// their maintained counts).
	for _, g := range append(m.list("groups"), m.list("linkGroups")...) {
		kind, year, n := chainmap.ChangeEventKind(g.str("kind")), g.int("year"), g.int("n")
		out.Totals.Add(kind, n)
		s.group(s.years, fmt.Sprint(year), chainmap.Named{ID: fmt.Sprint(year)}).Add(kind, n)
		for _, c := range g.strs("chains") {
			s.chain(c).Add(kind, n)
		}
		if r := s.region(g.str("code")); r != nil {
			r.Add(kind, n)
		}
	}
	for _, c := range m.list("linkChains") { // in a summary of every chain map, the links of each
		s.chain(c.str("chain")).Add(chainmap.LinkMade, c.int("n"))
	}
	recordTotal := out.Totals.Total()
	for _, e := range m.list("events") {
		out.Events = append(out.Events, datedEvent(e))
	}

	// The change log and the status histories, read entry by entry.
	logged := 0
	for _, c := range m.list("logs") {
		for _, ev := range logEvents(c) {
			if s.keep(ev, c.boolean("affects")) {
				s.count(ev)
				out.Events = append(out.Events, ev)
				logged++
			}
		}
	}
	out.Partial = m.int("logTotal") > chainmap.MaxLogEntries
	for _, st := range m.list("statuses") {
		ev, ok := statusEvent(st)
		if ok {
			s.count(ev)
			out.Events = append(out.Events, ev)
			logged++
		}
	}
	if len(m.list("statuses")) >= chainmap.MaxLogEntries {
		out.Partial = true
	}
	out.EventsTotal = recordTotal + logged
	slices.SortStableFunc(out.Events, func(a, b chainmap.ChangeEvent) int {
		return cmp.Or(b.At.Compare(a.At), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.LinkID+a.SiteID+a.EnterpriseID+a.BottleneckID,
			b.LinkID+b.SiteID+b.EnterpriseID+b.BottleneckID))
	})
	out.Events = out.Events[:min(q.First, len(out.Events))]
	s.finish()
	return out, nil
}

// summer adds events up by chain map, region and year.
type summer struct {
	out    *chainmap.ChangesSummary
	tree   chainmap.RegionTree
	chains map[string]*chainmap.ChangeGroup
	order  []string
	years  map[string]*chainmap.ChangeGroup
	areas  map[string]*chainmap.ChangeGroup
}

func newSummer(out *chainmap.ChangesSummary, tree chainmap.RegionTree, maps []props) *summer {
	s := &summer{out: out, tree: tree, chains: map[string]*chainmap.ChangeGroup{}, years: map[string]*chainmap.ChangeGroup{},
		areas: map[string]*chainmap.ChangeGroup{}}
	for _, c := range maps {
		if out.ChainMapID == "" || c.str("id") == out.ChainMapID {
			s.chains[c.str("id")] = &chainmap.ChangeGroup{Key: c.str("id"), Name: named(c), Counts: &chainmap.ChangeCounts{}}
			s.order = append(s.order, c.str("id"))
		}
	}
	return s
}

func (s *summer) group(m map[string]*chainmap.ChangeGroup, key string, name chainmap.Named) *chainmap.ChangeCounts {
	g, ok := m[key]
	if !ok {
		g = &chainmap.ChangeGroup{Key: key, Name: name, Counts: &chainmap.ChangeCounts{}}
		m[key] = g
	}
	return g.Counts
}

func (s *summer) chain(id string) *chainmap.ChangeCounts {
	if g, ok := s.chains[id]; ok {
		return g.Counts
	}
	return &chainmap.ChangeCounts{} // another chain map than the one asked about
}

// areaOf is the group a place falls in: its province, or, when the summary is of one region, the region just
// below it that holds the place (the region itself for a place at its own level); "" outside.
func (s *summer) areaOf(code string) string {
	up := s.tree.Up(code)
	if len(up) == 0 {
		return ""
	}
	if s.out.RegionCode == "" {
		return up[len(up)-1]
	}
	i := slices.Index(up, s.out.RegionCode)
	switch {
	case i < 0:
		return ""
	case i == 0:
		return up[0]
	}
	return up[i-1]
}

func (s *summer) region(code string) *chainmap.ChangeCounts {
	a := s.areaOf(code)
	if a == "" {
		return nil
	}
	return s.group(s.areas, a, s.tree[a].Named)
}

// keep says whether a log event falls in the summary's region (the statement has kept its chain map's): a
// bottleneck's when the region's firms meet it (affects), others by their places.
func (s *summer) keep(ev chainmap.ChangeEvent, affects bool) bool {
	if s.out.RegionCode == "" {
		return true
	}
	if ev.BottleneckID != "" {
		return affects
	}
	for _, c := range ev.RegionCodes {
		if slices.Contains(s.tree.Up(c), s.out.RegionCode) {
			return true
		}
	}
	return false
}

func (s *summer) count(ev chainmap.ChangeEvent) {
	s.out.Totals.Add(ev.Kind, 1)
	s.group(s.years, fmt.Sprint(ev.At.Year()), chainmap.Named{ID: fmt.Sprint(ev.At.Year())}).Add(ev.Kind, 1)
	for _, c := range ev.ChainMapIDs {
		s.chain(c).Add(ev.Kind, 1)
	}
	if len(ev.RegionCodes) > 0 {
		if g := s.region(ev.RegionCodes[0]); g != nil {
			g.Add(ev.Kind, 1)
		}
	}
}

// finish orders the groups: chain maps by id, regions by code, years oldest first.
func (s *summer) finish() {
	for _, id := range s.order {
		s.out.ByChain = append(s.out.ByChain, *s.chains[id])
	}
	for _, m := range []struct {
		from map[string]*chainmap.ChangeGroup
		to   *[]chainmap.ChangeGroup
	}{{s.areas, &s.out.ByRegion}, {s.years, &s.out.ByYear}} {
		keys := make([]string, 0, len(m.from))
		for k := range m.from {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			*m.to = append(*m.to, *m.from[k])
		}
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// datedEvent decodes a record-dated event.
func datedEvent(e props) chainmap.ChangeEvent {
	ev := chainmap.ChangeEvent{Date: fmt.Sprintf("%04d", e.int("year")), Kind: chainmap.ChangeEventKind(e.str("kind")),
		Origin: chainmap.FromRecordDate, ChainMapIDs: slices.Sorted(slices.Values(e.strs("chains")))}
	ev.At = time.Date(e.int("year"), 1, 1, 0, 0, 0, 0, time.UTC)
	if c := e.str("code"); c != "" {
		ev.RegionCodes = []string{c}
	}
	n1, n2, n3 := e.sub("n1"), e.sub("n2"), e.sub("n3")
	label := func(p props) string { return cmpOrStr(p.str("nameZh"), cmpOrStr(p.str("name"), p.str("id"))) }
	switch ev.Kind {
	case chainmap.SiteAdded, chainmap.FirmAdded:
		ev.EnterpriseID, ev.SiteID = n1.str("id"), n3.str("id")
		ev.Label, ev.Note = label(n1), chainmap.ChangeNote{Kind: chainmap.NoteFirstSite}
		if ev.Kind == chainmap.SiteAdded {
			ev.Label += " · " + label(n3)
			ev.Note = chainmap.ChangeNote{Kind: chainmap.NoteSiteKind, Value: e.str("note")}
		}
	case chainmap.BottleneckMoved:
		ev.BottleneckID, ev.Label = n1.str("id"), label(n1)
		if n2.str("label") == "Enterprise" {
			ev.EnterpriseID = n2.str("id")
		}
		ev.Note = chainmap.ChangeNote{Kind: chainmap.NoteTakenOnBy, Who: named(n2)}
	case chainmap.LinkMade:
		ev.LinkID, ev.EnterpriseID = e.str("id"), n1.str("id")
		if n2.str("label") == "Enterprise" {
			ev.PartnerID = n2.str("id")
		}
		if n3 != nil { // a technology transfer
			ev.SiteID = n3.str("id")
			ev.Label, ev.Note = label(n2)+" → "+label(n1), transferNote(e.str("note"))
		} else {
			ev.Label, ev.Note = label(n1)+" → "+label(n2), productNote(e.str("note"))
		}
	}
	return ev
}

// logEvents turns a change-log entry into the events it stands for.
func logEvents(c props) []chainmap.ChangeEvent {
	var before, after map[string]any
	_ = json.Unmarshal([]byte(c.str("before")), &before)
	_ = json.Unmarshal([]byte(c.str("after")), &after)
	at, _ := time.Parse(time.RFC3339Nano, c.str("at"))
	base := chainmap.ChangeEvent{At: at, Date: at.UTC().Format("2006-01-02"), Origin: chainmap.FromChangeLog, Seq: int64(c.int("seq")),
		ChainMapIDs: c.strs("chainMapIds"), Author: c.str("author")}
	name := func(m map[string]any) string {
		return cmpOrStr(anyStr(m["nameZh"]), cmpOrStr(anyStr(m["name"]), anyStr(m["id"])))
	}
	var out []chainmap.ChangeEvent
	add := func(kind chainmap.ChangeEventKind, f func(*chainmap.ChangeEvent)) {
		ev := base
		ev.Kind = kind
		f(&ev)
		out = append(out, ev)
	}
	switch chainmap.ChangeKind(c.str("kind")) {
	case chainmap.ChangeEnterprise:
		id := c.str("recordId")
		was, is := sitesOf(before), sitesOf(after)
		var codes []string
		for _, s := range append(append([]map[string]any{}, is...), was...) {
			if code := anyStr(s["regionCode"]); code != "" {
				codes = append(codes, code)
			}
		}
		switch {
		case before == nil && after != nil && !allDated(is): // a firm whose every site is dated is counted by the dates
			add(chainmap.FirmAdded, func(ev *chainmap.ChangeEvent) { ev.EnterpriseID, ev.Label, ev.RegionCodes = id, name(after), codes })
		case before != nil && after == nil:
			add(chainmap.FirmRemoved, func(ev *chainmap.ChangeEvent) { ev.EnterpriseID, ev.Label, ev.RegionCodes = id, name(before), codes })
		}
		firm := name(after)
		if after == nil {
			firm = name(before)
		}
		for _, s := range is {
			if !hasSite(was, anyStr(s["id"])) && s["since"] == nil { // a site with a date of its own is counted by it
				add(chainmap.SiteAdded, func(ev *chainmap.ChangeEvent) {
					ev.EnterpriseID, ev.SiteID, ev.Label, ev.Note = id, anyStr(s["id"]), firm+" · "+cmpOrStr(anyStr(s["name"]), anyStr(s["id"])),
						chainmap.ChangeNote{Kind: chainmap.NoteSiteKind, Value: anyStr(s["kind"])}
					ev.RegionCodes = nonEmpty(anyStr(s["regionCode"]))
				})
			}
		}
		for _, s := range was {
			if !hasSite(is, anyStr(s["id"])) {
				add(chainmap.SiteRemoved, func(ev *chainmap.ChangeEvent) {
					ev.EnterpriseID, ev.SiteID, ev.Label, ev.Note = id, anyStr(s["id"]), firm+" · "+cmpOrStr(anyStr(s["name"]), anyStr(s["id"])),
						chainmap.ChangeNote{Kind: chainmap.NoteSiteKind, Value: anyStr(s["kind"])}
					ev.RegionCodes = nonEmpty(anyStr(s["regionCode"]))
				})
			}
		}
	case chainmap.ChangeBottleneck:
		if before == nil && after != nil {
			add(chainmap.BottleneckOpened, func(ev *chainmap.ChangeEvent) {
				ev.BottleneckID, ev.Label, ev.Note = c.str("recordId"), name(after),
					chainmap.ChangeNote{Kind: chainmap.NoteListedAs, Value: anyStr(after["status"])}
			})
		}
	case chainmap.ChangeSupplyLink:
		switch {
		case before == nil && after != nil && after["since"] == nil:
			add(chainmap.LinkMade, func(ev *chainmap.ChangeEvent) { supplyEvent(ev, after, c) })
		case before != nil && after == nil:
			add(chainmap.LinkRemoved, func(ev *chainmap.ChangeEvent) { supplyEvent(ev, before, c) })
		}
	case chainmap.ChangeTechTransfer:
		if before == nil && after != nil && after["year"] == nil {
			add(chainmap.LinkMade, func(ev *chainmap.ChangeEvent) {
				ev.LinkID, ev.Label, ev.Note = c.str("recordId"), endsLabel(c, anyStr(after["fromId"]), anyStr(after["toId"])),
					transferNote(anyStr(after["kind"]))
				ev.RegionCodes = nonEmpty(c.str("code"))
			})
		}
	}
	return out
}

func supplyEvent(ev *chainmap.ChangeEvent, state map[string]any, c props) {
	ev.LinkID, ev.EnterpriseID, ev.PartnerID = anyStr(state["id"]), anyStr(state["supplierId"]), anyStr(state["customerId"])
	ev.Label, ev.Note = endsLabel(c, ev.EnterpriseID, ev.PartnerID), productNote(anyStr(state["product"]))
	ev.RegionCodes = nonEmpty(c.str("code"))
}

// productNote is the note of a supply link: the product it supplies, if its source names one.
func productNote(product string) chainmap.ChangeNote {
	if product == "" {
		return chainmap.ChangeNote{Kind: chainmap.NoteSupply}
	}
	return chainmap.ChangeNote{Kind: chainmap.NoteProduct, Value: product}
}

// transferNote is the note of a technology transfer: its kind, if stated.
func transferNote(kind string) chainmap.ChangeNote {
	if kind == "" {
		return chainmap.ChangeNote{Kind: chainmap.NoteTransfer}
	}
	return chainmap.ChangeNote{Kind: chainmap.NoteLinkKind, Value: kind}
}

// endsLabel names the two ends of a link entry, by the names the statement read, else by id.
func endsLabel(c props, from, to string) string {
	names := c.strs("ends")
	if len(names) == 2 {
		from, to = cmpOrStr(names[0], from), cmpOrStr(names[1], to)
	}
	return from + " → " + to
}

// statusEvent turns a status change into an event: to IN_PROGRESS moved, to RESOLVED resolved, back to OPEN
// opened again.
func statusEvent(st props) (chainmap.ChangeEvent, bool) {
	at, _ := time.Parse(time.RFC3339Nano, st.str("at"))
	ev := chainmap.ChangeEvent{At: at, Date: at.UTC().Format("2006-01-02"), Origin: chainmap.FromStatusHistory,
		Seq: int64(st.int("seq")), ChainMapIDs: st.strs("chains"), BottleneckID: st.str("id"),
		Label: cmpOrStr(st.str("nameZh"), st.str("name")), Author: st.str("author"),
		Note: chainmap.ChangeNote{Kind: chainmap.NoteStatusStep, From: st.str("from"), To: st.str("to")}}
	switch chainmap.BottleneckStatus(st.str("to")) {
	case chainmap.InProgress:
		ev.Kind = chainmap.BottleneckMoved
	case chainmap.Resolved:
		ev.Kind = chainmap.BottleneckResolved
	case chainmap.Open:
		ev.Kind = chainmap.BottleneckOpened
	default:
		return ev, false
	}
	return ev, true
}

func sitesOf(state map[string]any) []map[string]any {
	list, _ := state["sites"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// allDated reports whether there are sites and every one carries its own date.
func allDated(sites []map[string]any) bool {
	return len(sites) > 0 && !slices.ContainsFunc(sites, func(s map[string]any) bool { return s["since"] == nil })
}

func hasSite(sites []map[string]any, id string) bool {
	return slices.ContainsFunc(sites, func(s map[string]any) bool { return anyStr(s["id"]) == id })
}

func anyStr(v any) string {
	s, _ := v.(string)
	return s
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
