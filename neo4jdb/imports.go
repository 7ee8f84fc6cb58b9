package neo4jdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// An editor's spreadsheet upload (issue 18). PreviewImport compares each row with its record in the graph and
// says, per row, what applying it would add or change; ApplyImport does it in one write transaction, as the
// mutations would: each record it changes gets a change-log entry (a status change also its history entry),
// and a curated record the fields the upload set, as edits a load keeps (edits.go). Both check every row
// against the graph first — the ids it refers to, ids of other kinds, sites of other enterprises, status
// changes the history forbids — and refuse the whole upload, writing nothing, with every problem listed.

// importTimeout bounds an upload's transaction: an upload of thousands of rows takes seconds, not milliseconds.
const importTimeout = 2 * time.Minute

// importOperation names uploads in the change log.
const importOperation = "importSheet"

// importState reads, in one statement, the records the rows name and which of the ids they refer to exist.
const importState = `
CALL () {
  UNWIND $enterprises AS id
  OPTIONAL MATCH (n:Enterprise {id: id})
  RETURN collect({id: id, state: CASE WHEN n IS NULL THEN null ELSE n {.*,
    segmentIds: COLLECT { MATCH (n)-[:ACTIVE_IN]->(s:Segment) RETURN s.id ORDER BY s.id }} END}) AS enterprises
}
CALL () {
  UNWIND $sites AS id
  OPTIONAL MATCH (s:Site {id: id})
  RETURN collect({id: id, state: CASE WHEN s IS NULL THEN null ELSE s {.id, .kind, .name, .regionCode, .since, .capacity,
    parkId: COLLECT { MATCH (s)-[:IN_PARK]->(p:Park) RETURN p.id }[0],
    owner: COLLECT { MATCH (o:Enterprise)-[:OPERATES]->(s) RETURN o.id }[0]} END}) AS sites
}
CALL () {
  UNWIND $bottlenecks AS id
  OPTIONAL MATCH (n:Bottleneck {id: id})
  RETURN collect({id: id, state: CASE WHEN n IS NULL THEN null ELSE n {.*,
    segmentIds: COLLECT { MATCH (n)-[:CONSTRAINS]->(s:Segment) RETURN s.id ORDER BY s.id },
    tacklers: COLLECT { MATCH (n)<-[r:TACKLES]-(t) RETURN {id: t.id, since: r.since, status: r.status} ORDER BY t.id }} END}) AS bottlenecks
}
RETURN enterprises, sites, bottlenecks,
  [x IN $segments WHERE NOT EXISTS { (:Segment {id: x}) }] AS segments,
  [x IN $sources WHERE NOT EXISTS { (:Source {id: x}) }] AS sources,
  [x IN $regions WHERE NOT EXISTS { (:Region {code: x}) }] AS regions,
  [x IN $parks WHERE NOT EXISTS { (:Park {id: x}) }] AS parks,
  [x IN $actors WHERE NOT EXISTS { (:Enterprise {id: x}) } AND NOT EXISTS { (:Institution {id: x}) }] AS actors,
  [x IN $claims WHERE EXISTS { (r:Record {id: x.id}) WHERE NOT x.label IN labels(r) } | x.id] AS taken`

// lockRecords takes the write lock of every record an upload names, in id order (no deadlock between two
// uploads), so that the states the plan reads are those the writes replace.
const lockRecords = `
UNWIND $ids AS id
MATCH (n:Record {id: id})
WITH n ORDER BY n.id
SET n._lock = true
REMOVE n._lock`

// importEnterprise and importBottleneck write one row of an upload. Like the mutations' (upsertEnterprise),
// they make links to shared nodes with CREATE after deleting the old ones, so that uploads and editors do not
// queue on a segment's, a source's or a region's lock.
const importEnterprise = `
MERGE (e:Enterprise {id: $id})
ON CREATE SET e:Record, e.origin = 'api', e.createdBy = $author
SET e += $props, e.editedBy = $author, e.editedAt = toString(datetime())
WITH e
CALL (e) { WITH e WHERE $segmentIds IS NOT NULL MATCH (e)-[r:ACTIVE_IN]->(:Segment) DELETE r }
CALL (e) { UNWIND coalesce($segmentIds, []) AS sid WITH DISTINCT sid MATCH (s:Segment {id: sid}) CREATE (e)-[:ACTIVE_IN]->(s) }
CALL (e) { WITH e WHERE $sourceIds IS NOT NULL MATCH (e)-[r:CITED_IN]->(:Source) DELETE r }
CALL (e) { UNWIND coalesce($sourceIds, []) AS sid WITH DISTINCT sid MATCH (s:Source {id: sid}) CREATE (e)-[:CITED_IN]->(s) }
CALL (e) {
  UNWIND $sites AS row
  MERGE (s:Site {id: row.id})
  ON CREATE SET s:Record, s.origin = 'api', s.name = row.id, s.confidence = e.confidence, s.sourceIds = e.sourceIds
  SET s += row.props, s.enterpriseId = e.id
  MERGE (e)-[:OPERATES]->(s)
  WITH s, row
  CALL (s, row) { WITH s, row WHERE row.regionCode IS NOT NULL MATCH (s)-[r:LOCATED_IN]->() DELETE r }
  CALL (s, row) { MATCH (reg:Region {code: row.regionCode}) CREATE (s)-[:LOCATED_IN]->(reg) }
  CALL (s, row) { WITH s, row WHERE row.setPark MATCH (s)-[r:IN_PARK]->() DELETE r }
  CALL (s, row) { WITH s, row WHERE row.setPark MATCH (p:Park {id: row.parkId}) CREATE (s)-[:IN_PARK]->(p) }
  CALL (s) { WITH s WHERE NOT EXISTS { (s)-[:CITED_IN]->() }
    UNWIND coalesce(s.sourceIds, []) AS sid WITH DISTINCT sid MATCH (src:Source {id: sid}) CREATE (s)-[:CITED_IN]->(src) }
}
RETURN e.id AS id`

const importBottleneck = `
MERGE (b:Bottleneck {id: $id})
ON CREATE SET b:Record, b.origin = 'api', b.createdBy = $author, b.status = coalesce($status, 'OPEN')
SET b += $props, b.editedBy = $author, b.editedAt = toString(datetime())
WITH b
CALL (b) { WITH b WHERE $segmentIds IS NOT NULL MATCH (b)-[r:CONSTRAINS]->(:Segment) DELETE r }
CALL (b) { UNWIND coalesce($segmentIds, []) AS sid WITH DISTINCT sid MATCH (s:Segment {id: sid}) CREATE (b)-[:CONSTRAINS]->(s) }
CALL (b) { WITH b WHERE $sourceIds IS NOT NULL MATCH (b)-[r:CITED_IN]->(:Source) DELETE r }
CALL (b) { UNWIND coalesce($sourceIds, []) AS sid WITH DISTINCT sid MATCH (s:Source {id: sid}) CREATE (b)-[:CITED_IN]->(s) }
CALL (b) { WITH b WHERE $tacklers IS NOT NULL
  MATCH (b)<-[r:TACKLES]-(t) WHERE NOT t.id IN [x IN $tacklers | x.id] DELETE r }
CALL (b) {
  UNWIND coalesce($tacklers, []) AS row
  OPTIONAL MATCH (e:Enterprise {id: row.id})
  OPTIONAL MATCH (i:Institution {id: row.id})
  WITH row, coalesce(e, i) AS t WHERE t IS NOT NULL
  CALL (t, b) { WITH t, b WHERE NOT EXISTS { (t)-[:TACKLES]->(b) } CREATE (t)-[:TACKLES]->(b) }
  MATCH (t)-[r:TACKLES]->(b)
  SET r.since = row.since, r.status = row.status
}
RETURN b.id AS id`

// entWrite is what an upload writes to one enterprise: fields, relationships and sites.
type entWrite struct {
	id                    string
	props                 map[string]any // a nil value removes the property
	segmentIds, sourceIds []string       // nil: leave the relationships alone
	sites                 []map[string]any
}

type bnWrite struct {
	id                    string
	create                bool
	props                 map[string]any
	segmentIds, sourceIds []string
	tacklers              []map[string]any // nil: leave them alone
	status                string           // of a new bottleneck; or the status an existing one changes to
	write                 bool             // fields or relationships change (not only the status)
}

// importPlan is what an upload would do.
type importPlan struct {
	result   chainmap.ImportResult
	problems []chainmap.SheetProblem
	conflict []bool // per problem: a CONFLICT rather than bad input
	ents     []*entWrite
	bns      []*bnWrite
}

func (p *importPlan) fail(row chainmap.ImportRow, column string, conflict bool, format string, args ...any) {
	p.problems = append(p.problems, chainmap.SheetProblem{Sheet: row.Sheet, Row: row.Row, Column: column,
		Cell: row.Cells[column], Message: fmt.Sprintf(format, args...)})
	p.conflict = append(p.conflict, conflict)
}

func (p *importPlan) err() error {
	if len(p.problems) == 0 {
		return nil
	}
	code := chainmap.CodeConflict
	for _, c := range p.conflict {
		if !c {
			code = chainmap.CodeBadUserInput
		}
	}
	return &chainmap.SheetError{Code: code, Problems: p.problems}
}

// PreviewImport says what applying the upload would do, row by row, without writing: every row's record as
// ADDED, CHANGED (with the columns that change, before and after) or UNCHANGED, and a digest of the changes to
// apply it with. Rows the graph refuses make a *chainmap.SheetError listing each with its sheet, row, column
// and cell.
func (db *DB) PreviewImport(ctx context.Context, imp chainmap.SheetImport) (chainmap.ImportResult, error) {
	plan, err := planImport(func(cypher string, params map[string]any) ([]*neo4j.Record, error) {
		res, err := db.read(ctx, "PreviewImport", cypher, params)
		if err != nil {
			return nil, err
		}
		return res.Records, nil
	}, imp)
	if err != nil {
		return chainmap.ImportResult{}, err
	}
	return plan.result, plan.err()
}

// ApplyImport applies the upload in one write transaction, as PreviewImport describes it, with a change-log
// entry for each record it adds or changes (author names the editor) and the fields it set on curated records
// marked as edits. When plan is not empty and the changes are no longer those the preview with that digest
// showed (someone changed the records since), it writes nothing and returns a CONFLICT error.
func (db *DB) ApplyImport(ctx context.Context, imp chainmap.SheetImport, plan, author string) (chainmap.ImportResult, error) {
	cfg := append(db.txConfig(ctx, "ApplyImport"), neo4j.WithTxTimeout(max(importTimeout, db.cfg.QueryTimeout)))
	out, err := db.inTxWith(ctx, "ApplyImport", cfg, func(run txRunner) (any, error) {
		if _, err := run(lockRecords, map[string]any{"ids": importIDs(imp)}); err != nil {
			return nil, err
		}
		p, err := planImport(run, imp)
		if err != nil {
			return nil, err
		}
		if err := p.err(); err != nil {
			return nil, err
		}
		if plan != "" && p.result.Plan != plan {
			return nil, chainmap.Conflict("plan", "the records changed since the preview: preview the file again")
		}
		res := p.result
		res.Applied = true
		for _, w := range p.ents {
			c := newChange(chainmap.ChangeEnterprise, importOperation, w.id, author)
			if err := c.start(run); err != nil {
				return nil, err
			}
			if _, err := run(importEnterprise, map[string]any{"id": w.id, "author": author, "props": w.props,
				"segmentIds": listOrNil(w.segmentIds), "sourceIds": listOrNil(w.sourceIds), "sites": orEmpty(w.sites)}); err != nil {
				return nil, err
			}
			seq, err := c.commitSeq(run)
			if err != nil {
				return nil, err
			}
			res.Changes = append(res.Changes, seq)
		}
		for _, w := range p.bns {
			if w.write {
				c := newChange(chainmap.ChangeBottleneck, importOperation, w.id, author)
				if err := c.start(run); err != nil {
					return nil, err
				}
				status := any(nil)
				if w.create {
					status = nullable(w.status)
				}
				var tacklers any
				if w.tacklers != nil {
					tacklers = w.tacklers
				}
				if _, err := run(importBottleneck, map[string]any{"id": w.id, "author": author, "props": w.props,
					"status": status, "segmentIds": listOrNil(w.segmentIds), "sourceIds": listOrNil(w.sourceIds),
					"tacklers": tacklers}); err != nil {
					return nil, err
				}
				seq, err := c.commitSeq(run)
				if err != nil {
					return nil, err
				}
				res.Changes = append(res.Changes, seq)
			}
			if !w.create && w.status != "" {
				seq, err := setStatus(run, w.id, chainmap.BottleneckStatus(w.status), "set by the spreadsheet "+imp.File,
					author, importOperation)
				if err != nil {
					return nil, err
				}
				if seq > 0 {
					res.Changes = append(res.Changes, seq)
				}
			}
		}
		return res, nil
	})
	if err != nil {
		return chainmap.ImportResult{}, err
	}
	return out.(chainmap.ImportResult), nil
}

func importIDs(imp chainmap.SheetImport) []string {
	seen := map[string]bool{}
	for _, r := range imp.Rows {
		seen[r.ID] = true
		if e := r.Str("enterprise"); e != "" {
			seen[e] = true
		}
	}
	return sortedKeys(seen)
}

func listOrNil(xs []string) any {
	if xs == nil {
		return nil
	}
	return xs
}

func orEmpty(xs []map[string]any) []map[string]any {
	if xs == nil {
		return []map[string]any{}
	}
	return xs
}

// planImport reads the records and references of the rows in one statement and works out, per row, what
// applying it does.
func planImport(query txRunner, imp chainmap.SheetImport) (*importPlan, error) {
	ids := map[string]map[string]bool{"enterprises": {}, "sites": {}, "bottlenecks": {}, "segments": {}, "sources": {},
		"regions": {}, "parks": {}, "actors": {}}
	var claims []map[string]any
	label := map[string]string{chainmap.SheetEnterprises: "Enterprise", chainmap.SheetSites: "Site", chainmap.SheetBottlenecks: "Bottleneck"}
	for _, r := range imp.Rows {
		claims = append(claims, map[string]any{"id": r.ID, "label": label[r.Sheet]})
		switch r.Sheet {
		case chainmap.SheetEnterprises:
			ids["enterprises"][r.ID] = true
		case chainmap.SheetSites:
			ids["sites"][r.ID] = true
			if e := r.Str("enterprise"); e != "" {
				ids["enterprises"][e] = true
			}
			if c := r.Str("region"); c != "" {
				ids["regions"][c] = true
			}
			if p := r.Str("park"); p != "" {
				ids["parks"][p] = true
			}
		case chainmap.SheetBottlenecks:
			ids["bottlenecks"][r.ID] = true
			if ts, ok := r.Values["tacklerIds"].([]chainmap.Tackler); ok {
				for _, t := range ts {
					ids["actors"][t.ID] = true
				}
			}
		}
		for _, s := range stringList(r.Values["segmentIds"]) {
			ids["segments"][s] = true
		}
		for _, s := range stringList(r.Values["sourceIds"]) {
			ids["sources"][s] = true
		}
	}
	params := map[string]any{"claims": claims}
	for k, set := range ids {
		params[k] = sortedKeys(set)
	}
	recs, err := query(importState, params)
	if err != nil {
		return nil, err
	}
	m := props(recs[0].AsMap())
	states := func(key string) map[string]map[string]any {
		out := map[string]map[string]any{}
		list, _ := m[key].([]any)
		for _, x := range list {
			e, _ := x.(map[string]any)
			if st, ok := e["state"].(map[string]any); ok {
				out[fmt.Sprint(e["id"])] = st
			}
		}
		return out
	}
	missing := func(key string) map[string]bool {
		out := map[string]bool{}
		for _, s := range m.strs(key) {
			out[s] = true
		}
		return out
	}
	pl := &importPlan{result: chainmap.ImportResult{File: imp.File, Ignored: imp.Ignored}}
	if pl.result.Ignored == nil {
		pl.result.Ignored = []string{}
	}
	p := &planner{plan: pl, ents: states("enterprises"), sites: states("sites"), bns: states("bottlenecks"),
		missingSegments: missing("segments"), missingSources: missing("sources"), missingRegions: missing("regions"),
		missingParks: missing("parks"), missingActors: missing("actors"), taken: missing("taken"),
		writes: map[string]*entWrite{}, newEnts: map[string]bool{}}
	for _, r := range imp.Rows {
		if r.Sheet == chainmap.SheetEnterprises && p.ents[r.ID] == nil {
			p.newEnts[r.ID] = true
		}
	}
	for _, r := range imp.Rows {
		var rec chainmap.ImportRecord
		switch r.Sheet {
		case chainmap.SheetEnterprises:
			rec = p.enterprise(r)
		case chainmap.SheetSites:
			rec = p.site(r)
		case chainmap.SheetBottlenecks:
			rec = p.bottleneck(r)
		}
		switch rec.Status {
		case chainmap.ImportAdded:
			pl.result.Added++
		case chainmap.ImportChanged:
			pl.result.Changed++
		default:
			pl.result.Unchanged++
		}
		if rec.Changes == nil {
			rec.Changes = []chainmap.FieldChange{}
		}
		pl.result.Records = append(pl.result.Records, rec)
	}
	// Enterprises first (a new site's or tackler's enterprise may be one of them), in the order of the rows.
	for _, id := range p.entOrder {
		pl.ents = append(pl.ents, p.writes[id])
	}
	pl.result.Plan = digest(pl.result.Records)
	return pl, nil
}

// digest is a fingerprint of what the rows change: the same upload over the same records gives the same one.
func digest(recs []chainmap.ImportRecord) string {
	var changed []chainmap.ImportRecord
	for _, r := range recs {
		if r.Status != chainmap.ImportUnchanged {
			changed = append(changed, r)
		}
	}
	b, _ := json.Marshal(changed)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

type planner struct {
	plan                                            *importPlan
	ents, sites, bns                                map[string]map[string]any
	missingSegments, missingSources, missingRegions map[string]bool
	missingParks, missingActors, taken              map[string]bool
	writes                                          map[string]*entWrite
	entOrder                                        []string
	newEnts                                         map[string]bool // enterprises the upload adds
}

func (p *planner) entWrite(id string) *entWrite {
	w := p.writes[id]
	if w == nil {
		w = &entWrite{id: id, props: map[string]any{}}
		p.writes[id] = w
		p.entOrder = append(p.entOrder, id)
	}
	return w
}

// row compares the row's columns with a record's state and collects the changes.
type rowDiff struct {
	row     chainmap.ImportRow
	before  map[string]any
	changes []chainmap.FieldChange
}

// text compares a text column (state key prop) and returns the new value when it changes.
func (d *rowDiff) text(column, prop string) (string, bool) {
	if !d.row.Has(column) {
		return "", false
	}
	old, now := strings.TrimSpace(cellText(d.before[prop])), d.row.Str(column)
	if old == now {
		return now, false
	}
	d.changes = append(d.changes, chainmap.FieldChange{Column: column, Before: old, After: now})
	return now, true
}

func (d *rowDiff) number(column, prop string) (int, bool) {
	if !d.row.Has(column) {
		return 0, false
	}
	now, _ := d.row.Values[column].(int)
	old := 0
	if v, ok := d.before[prop].(int64); ok {
		old = int(v)
	}
	if old == now {
		return now, false
	}
	d.changes = append(d.changes, chainmap.FieldChange{Column: column, Before: intText(old), After: intText(now)})
	return now, true
}

// ids compares a list column as a set: the order of the ids is not a change.
func (d *rowDiff) ids(column, prop string) ([]string, bool) {
	if !d.row.Has(column) {
		return nil, false
	}
	now := dedupe(stringList(d.row.Values[column]))
	old := dedupe(stringList(d.before[prop]))
	if slices.Equal(sortedCopy(old), sortedCopy(now)) {
		return now, false
	}
	d.changes = append(d.changes, chainmap.FieldChange{Column: column, Before: strings.Join(old, chainmap.ListSeparator+" "),
		After: strings.Join(now, chainmap.ListSeparator+" ")})
	if now == nil {
		now = []string{}
	}
	return now, true
}

func (d *rowDiff) record(id, name string, isNew bool) chainmap.ImportRecord {
	rec := chainmap.ImportRecord{Sheet: d.row.Sheet, Row: d.row.Row, ID: id, Name: name, Status: chainmap.ImportUnchanged,
		Changes: d.changes}
	switch {
	case isNew:
		rec.Status = chainmap.ImportAdded
	case len(d.changes) > 0:
		rec.Status = chainmap.ImportChanged
	}
	return rec
}

func (p *planner) refs(r chainmap.ImportRow) {
	for _, s := range stringList(r.Values["segmentIds"]) {
		if p.missingSegments[s] {
			p.plan.fail(r, "segmentIds", false, "unknown segment %q", s)
		}
	}
	for _, s := range stringList(r.Values["sourceIds"]) {
		if p.missingSources[s] {
			p.plan.fail(r, "sourceIds", false, "unknown source %q", s)
		}
	}
}

func (p *planner) claim(r chainmap.ImportRow, kind string) {
	if p.taken[r.ID] {
		p.plan.fail(r, "id", true, "%q is already the id of another kind of record than %s", r.ID, kind)
	}
}

func (p *planner) enterprise(r chainmap.ImportRow) chainmap.ImportRecord {
	before := p.ents[r.ID]
	isNew := before == nil
	d := &rowDiff{row: r, before: before}
	if before != nil && before["synthetic"] == true {
		p.plan.fail(r, "id", false, "%q is synthetic (made by `chainmap gen`): an upload does not edit it", r.ID)
	}
	if isNew {
		p.claim(r, "an enterprise")
	}
	p.refs(r)
	w := &entWrite{id: r.ID, props: map[string]any{}}
	for _, c := range []string{"nameZh", "nameEn", "chainRole", "confidence", "description"} {
		if v, changed := d.text(c, c); changed {
			w.props[c] = nullable(v)
		}
	}
	zh, en := namesAfter(r, before)
	name := chainmap.Name(zh, en)
	if setsName(w.props, isNew) {
		w.props["name"] = name
	}
	if segs, changed := d.ids("segmentIds", "segmentIds"); changed {
		w.segmentIds = segs
	}
	if srcs, changed := d.ids("sourceIds", "sourceIds"); changed {
		w.sourceIds = srcs
		w.props["sourceIds"] = srcs
	}
	if err := chainmap.CheckNames("", zh, en); err != nil {
		p.plan.fail(r, "nameZh", false, "%s", err.(*chainmap.Error).Message)
	}
	if conf := cellText(before["confidence"]); (r.Has("confidence") && r.Str("confidence") == "") || (isNew && !r.Has("confidence") && conf == "") {
		p.plan.fail(r, "confidence", false, "is required (REPORTED or ILLUSTRATIVE)")
	}
	if (r.Has("sourceIds") && len(stringList(r.Values["sourceIds"])) == 0) || (isNew && !r.Has("sourceIds")) {
		p.plan.fail(r, "sourceIds", false, "%s", chainmap.CheckSources("sourceIds", nil).(*chainmap.Error).Message)
	}
	if isNew || len(w.props) > 0 || w.segmentIds != nil || w.sourceIds != nil {
		ew := p.entWrite(r.ID)
		for k, v := range w.props {
			ew.props[k] = v
		}
		ew.segmentIds, ew.sourceIds = w.segmentIds, w.sourceIds
	}
	return d.record(r.ID, name, isNew)
}

func (p *planner) site(r chainmap.ImportRow) chainmap.ImportRecord {
	before := p.sites[r.ID]
	isNew := before == nil
	d := &rowDiff{row: r, before: before}
	owner := r.Str("enterprise")
	if before != nil {
		cur := cellText(before["owner"])
		if r.Has("enterprise") && owner != cur {
			p.plan.fail(r, "enterprise", true, "site %q is operated by %q; an upload does not move a site (change it there)", r.ID, cur)
		}
		owner = cur
	} else {
		p.claim(r, "a site")
		switch {
		case owner == "":
			p.plan.fail(r, "enterprise", false, "is required for a new site: the id of the enterprise that operates it")
		case p.ents[owner] == nil && !p.newEnts[owner]:
			p.plan.fail(r, "enterprise", false, "unknown enterprise %q", owner)
		}
		if r.Str("kind") == "" {
			p.plan.fail(r, "kind", false, "is required for a new site (one of %s)", joinEnum(chainmap.SiteKinds))
		}
		if r.Str("region") == "" {
			p.plan.fail(r, "region", false, "is required for a new site: a GB/T 2260 code")
		}
	}
	if st := p.ents[owner]; st != nil && st["synthetic"] == true {
		p.plan.fail(r, "enterprise", false, "%q is synthetic (made by `chainmap gen`): an upload does not edit it", owner)
	}
	if c := r.Str("region"); c != "" && p.missingRegions[c] {
		p.plan.fail(r, "region", false, "unknown region %q (not a GB/T 2260 code of the graph's regions)", c)
	}
	if k := r.Str("park"); k != "" && p.missingParks[k] {
		p.plan.fail(r, "park", false, "unknown park %q", k)
	}
	row := map[string]any{"id": r.ID, "regionCode": nil, "setPark": false, "parkId": nil}
	sp := map[string]any{}
	for _, c := range [][2]string{{"kind", "kind"}, {"name", "name"}, {"capacity", "capacity"}} {
		if v, changed := d.text(c[0], c[1]); changed {
			sp[c[1]] = nullable(v)
		}
	}
	if v, changed := d.text("region", "regionCode"); changed {
		sp["regionCode"] = nullable(v)
		row["regionCode"] = nullable(v)
	}
	if v, changed := d.text("park", "parkId"); changed {
		row["setPark"], row["parkId"] = true, nullable(v)
	}
	if v, changed := d.number("since", "since"); changed {
		sp["since"] = nullable(v)
	}
	if isNew && sp["name"] == nil {
		delete(sp, "name") // the id, set when the site is created
	}
	if !isNew && r.Has("name") && r.Str("name") == "" {
		p.plan.fail(r, "name", false, "a site keeps a name: give one")
	}
	row["props"] = sp
	if owner != "" && (isNew || len(sp) > 0 || row["setPark"] == true) {
		w := p.entWrite(owner)
		w.sites = append(w.sites, row)
	}
	name := cellText(before["name"])
	if r.Has("name") && r.Str("name") != "" {
		name = r.Str("name")
	}
	return d.record(r.ID, name, isNew)
}

func (p *planner) bottleneck(r chainmap.ImportRow) chainmap.ImportRecord {
	before := p.bns[r.ID]
	isNew := before == nil
	d := &rowDiff{row: r, before: before}
	if isNew {
		p.claim(r, "a bottleneck")
	}
	p.refs(r)
	w := &bnWrite{id: r.ID, create: isNew, props: map[string]any{}}
	for _, c := range []string{"nameZh", "nameEn", "kind", "category", "confidence", "description"} {
		if v, changed := d.text(c, c); changed {
			w.props[c] = nullable(v)
		}
	}
	zh, en := namesAfter(r, before)
	name := chainmap.Name(zh, en)
	if setsName(w.props, isNew) {
		w.props["name"] = name
	}
	if v, changed := d.number("severity", "severity"); changed {
		w.props["severity"] = nullable(v)
	}
	if segs, changed := d.ids("segmentIds", "segmentIds"); changed {
		w.segmentIds = segs
	}
	if srcs, changed := d.ids("sourceIds", "sourceIds"); changed {
		w.sourceIds = srcs
		w.props["sourceIds"] = srcs
	}
	if r.Has("tacklerIds") {
		now, _ := r.Values["tacklerIds"].([]chainmap.Tackler)
		for _, t := range now {
			if p.missingActors[t.ID] && !p.newEnts[t.ID] {
				p.plan.fail(r, "tacklerIds", false, "no enterprise or institution %q", t.ID)
			}
		}
		old := tacklersOf(before["tacklers"])
		sort.Slice(now, func(i, j int) bool { return now[i].ID < now[j].ID })
		if a, b := chainmap.FormatTacklers(old), chainmap.FormatTacklers(now); a != b {
			d.changes = append(d.changes, chainmap.FieldChange{Column: "tacklerIds", Before: a, After: b})
			w.tacklers = []map[string]any{}
			for _, t := range now {
				w.tacklers = append(w.tacklers, map[string]any{"id": t.ID, "since": nullable(t.Since), "status": nullable(string(t.Status))})
			}
		}
	}
	w.write = isNew || len(w.props) > 0 || w.segmentIds != nil || w.sourceIds != nil || w.tacklers != nil
	if v, changed := d.text("status", "status"); changed {
		w.status = v
		if !isNew && v != "" {
			from := chainmap.BottleneckStatus(cellText(before["status"]))
			if from == "" {
				from = chainmap.Open
			}
			if !slices.Contains(statusTransitions[from], chainmap.BottleneckStatus(v)) {
				p.plan.fail(r, "status", true, "%s", statusConflict(r.ID, from).Message)
			}
		}
	}
	if r.Has("status") && r.Str("status") == "" && !isNew {
		p.plan.fail(r, "status", false, "is required (one of %s)", joinEnum(chainmap.BottleneckStatuses))
	}
	if err := chainmap.CheckNames("", zh, en); err != nil {
		p.plan.fail(r, "nameZh", false, "%s", err.(*chainmap.Error).Message)
	}
	required := func(column string, empty bool) {
		if (r.Has(column) && empty) || (isNew && !r.Has(column)) {
			p.plan.fail(r, column, false, "is required")
		}
	}
	required("kind", r.Str("kind") == "")
	required("category", r.Str("category") == "")
	required("severity", r.Values["severity"] == nil)
	required("confidence", r.Str("confidence") == "")
	required("segmentIds", len(stringList(r.Values["segmentIds"])) == 0)
	required("sourceIds", len(stringList(r.Values["sourceIds"])) == 0)
	if w.write || w.status != "" {
		p.plan.bns = append(p.plan.bns, w)
	}
	return d.record(r.ID, name, isNew)
}

func tacklersOf(v any) []chainmap.Tackler {
	list, _ := v.([]any)
	var out []chainmap.Tackler
	for _, x := range list {
		m := props(x.(map[string]any))
		out = append(out, chainmap.Tackler{ID: m.str("id"), Since: m.int("since"), Status: chainmap.BottleneckStatus(m.str("status"))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// cellText writes a state's value as a sheet's cell reads.
// namesAfter are a firm's or a bottleneck's nameZh and nameEn after the row r: the row's where it has them, the
// stored record's where it does not.
func namesAfter(r chainmap.ImportRow, before map[string]any) (zh, en string) {
	zh, en = cellText(before["nameZh"]), cellText(before["nameEn"])
	if r.Has("nameZh") {
		zh = r.Str("nameZh")
	}
	if r.Has("nameEn") {
		en = r.Str("nameEn")
	}
	return zh, en
}

// setsName says whether a write with these props writes the display name too: when it makes the record or
// changes either of the names it is made from.
func setsName(props map[string]any, isNew bool) bool {
	_, zh := props["nameZh"]
	_, en := props["nameEn"]
	return isNew || zh || en
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case []any:
		return strings.Join(stringList(x), chainmap.ListSeparator+" ")
	}
	return fmt.Sprint(v)
}

func intText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func stringList(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}

func joinEnum[T ~string](vs []T) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}
