package neo4jdb

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chainmap/chainmap"
)

// Editors' changes to curated records, and what a load does with them (issue 17: a load never undoes an edit).
//
// When a mutation changes a curated record (origin "seed"), the record keeps the names of the fields the editor
// set in `editedFields`, and in `edits` (JSON) for each of them when, by whom, by which change-log entry, and the
// seed value the edit replaced. A seed record an editor deletes (a supply link) leaves a :Deleted tombstone.
// `chainmap load` leaves edited fields and deleted records as the editors left them, and reports a conflict for
// each edited field whose seed value has changed since the edit; `load -reset` puts the seed values back,
// clears the edits and writes each reset record into the change log (and a reset status into the bottleneck's
// history) like any other change.

// fieldEdit is what a record keeps about one field an editor set.
type fieldEdit struct {
	Seed any    `json:"seed"` // the value the seed files gave the field before the first edit
	Seq  int64  `json:"seq"`  // the change-log entry of the latest edit
	At   string `json:"at"`
	By   string `json:"by"`
}

// editTarget is where the record of a change kind lives: a node label, or a relationship type keyed by id.
type editTarget struct{ label, rel string }

var editTargets = map[chainmap.ChangeKind]editTarget{
	chainmap.ChangeEnterprise:       {label: "Enterprise"},
	chainmap.ChangeBottleneck:       {label: "Bottleneck"},
	chainmap.ChangeBottleneckStatus: {label: "Bottleneck"},
	chainmap.ChangeSupplyLink:       {rel: "SUPPLIES"},
	chainmap.ChangeTechTransfer:     {rel: "TRANSFERS_TECH_TO"},
}

// notFields are the keys of a record's state that are bookkeeping, not facts an editor sets.
var notFields = map[string]bool{"id": true, "origin": true, "editedBy": true, "editedAt": true, "createdBy": true,
	"editedFields": true, "edits": true, "supplierId": true, "customerId": true, "fromId": true, "toId": true,
	"siteIds": true, "synthetic": true}

// changedFields lists, sorted, the fields whose values differ between two states of a record.
func changedFields(before, after map[string]any) []string {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if !notFields[k] && len(k) > 0 && k[0] != '_' && !sameValue(before[k], after[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// sameValue compares two values as JSON would carry them: numbers by value, nulls and absent map keys alike.
func sameValue(a, b any) bool { return reflect.DeepEqual(normal(a), normal(b)) }

func normal(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return dropNulls(out)
}

func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e = dropNulls(e); e == nil {
				delete(x, k)
			} else {
				x[k] = e
			}
		}
		if len(x) == 0 {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
		for i, e := range x {
			x[i] = dropNulls(e)
		}
	case string:
		if x == "" {
			return nil
		}
	}
	return v
}

func parseEdits(v any) map[string]fieldEdit {
	out := map[string]fieldEdit{}
	if s, ok := v.(string); ok && s != "" {
		_ = json.Unmarshal([]byte(s), &out)
	}
	return out
}

func setEditsCypher(t editTarget) string {
	if t.label != "" {
		return scope{"label": t.label}.fill("MATCH (n:@label {id: $id}) SET n.editedFields = $fields, n.edits = $edits")
	}
	return scope{"type": t.rel}.fill("MATCH ()-[n:@type {id: $id}]->() SET n.editedFields = $fields, n.edits = $edits")
}

const tombstone = `
MERGE (d:Deleted {key: $key})
SET d.kind = $kind, d.recordId = $id, d.seq = $seq, d.at = toString(datetime.realtime()), d.by = $author, d.seed = $seed`

// markEdits records, on a curated record an editor just changed, which fields the editor set; on a curated
// record an editor deleted, a tombstone. Records created through the API are not marked: no load writes them.
// It runs before the change takes its seq (changes.go), so it writes pendingSeq where the seq goes, and returns
// where: the change log's last statement puts the seq there.
func markEdits(run txRunner, c *change) (marks, error) {
	if !c.marksEdits() {
		return marks{}, nil
	}
	t := editTargets[c.kind]
	if c.after == nil {
		key := t.label + t.rel + ":" + c.id
		_, err := run(tombstone, map[string]any{"key": key, "kind": string(c.kind), "id": c.id,
			"seq": pendingSeq, "author": c.author, "seed": jsonOf(c.before)})
		return marks{tombstone: key, count: 1}, err
	}
	changed := changedFields(c.before, c.after)
	if len(changed) == 0 {
		return marks{}, nil
	}
	// A tackler's since or status is the bottleneck's tacklers field; the tackler relationships are owned by
	// tacklerIds (ownerOf), so an edit of either marks it.
	if slices.Contains(changed, "tacklers") && !slices.Contains(changed, "tacklerIds") {
		changed = append(changed, "tacklerIds")
	}
	edits := parseEdits(c.before["edits"])
	at := time.Now().UTC().Format(time.RFC3339)
	for _, f := range changed {
		e, seen := edits[f]
		if !seen {
			e.Seed = c.before[f]
		}
		e.Seq, e.At, e.By = pendingSeq, at, c.author
		edits[f] = e
	}
	fields := make([]string, 0, len(edits))
	for f := range edits {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	b, err := json.Marshal(edits)
	if err != nil {
		return marks{}, err
	}
	_, err = run(setEditsCypher(t), map[string]any{"id": c.id, "fields": fields, "edits": string(b)})
	return marks{target: t, count: strings.Count(string(b), pendingText)}, err
}

// marksEdits tells whether markEdits may write for the change: an editor's change (not a load's, not a
// cascade's) of a curated record of a kind whose edits are kept.
func (c *change) marksEdits() bool {
	_, kept := editTargets[c.kind]
	return kept && !c.byLoad && !c.cascade && c.before != nil && c.before["origin"] == originSeed
}

// marks says where markEdits wrote pendingSeq: the edits of a record (target), or a tombstone (its key); count
// is how many times the text of pendingSeq occurs in what it wrote, so in the change's redo.
type marks struct {
	target    editTarget
	tombstone string
	count     int
}

// fixMarks is the part of the change log's last statement that puts the seq (l.seq) where markEdits wrote
// pendingSeq.
func (m marks) fixMarks() string {
	switch {
	case m.tombstone != "":
		return `
CALL (l) { MATCH (d:Deleted {key: $markKey}) WHERE d.seq = $pendingSeq SET d.seq = l.seq }`
	case m.target.label != "":
		return scope{"label": m.target.label}.fill(`
CALL (l) { MATCH (n:@label {id: $recordId}) SET n.edits = replace(n.edits, $pending, toString(l.seq)) }`)
	case m.target.rel != "":
		return scope{"type": m.target.rel}.fill(`
CALL (l) { MATCH ()-[n:@type {id: $recordId}]->() SET n.edits = replace(n.edits, $pending, toString(l.seq)) }`)
	}
	return ""
}

// relOwner says which edited field of which end owns the relationships of a spec: while the field is edited,
// a load writes none of the owner's relationships of that spec and prunes none of them. viaSite: the owner is
// the enterprise that operates the site at the from end.
type relOwner struct {
	end, field string // end: "from" or "to"
	viaSite    bool
}

func ownerOf(s relSpec) (relOwner, bool) {
	switch {
	case s.typ == "ACTIVE_IN" && s.from == "Enterprise", s.typ == "CONSTRAINS":
		return relOwner{end: "from", field: "segmentIds"}, true
	case s.typ == "OPERATES":
		return relOwner{end: "from", field: "sites"}, true
	case s.from == "Site" && (s.typ == "LOCATED_IN" || s.typ == "IN_PARK" || s.typ == "CITED_IN"):
		return relOwner{end: "from", field: "sites", viaSite: true}, true
	case s.typ == "CITED_IN" && (s.from == "Enterprise" || s.from == "Bottleneck"):
		return relOwner{end: "from", field: "sourceIds"}, true
	case s.typ == "TACKLES":
		return relOwner{end: "to", field: "tacklerIds"}, true
	}
	return relOwner{}, false
}

// tombstoneRec is a curated record an editor deleted.
type tombstoneRec struct {
	kind         chainmap.ChangeKind
	id, from, to string
}

// editedRecord is a curated record with edits, as a load finds it.
type editedRecord struct {
	kind  chainmap.ChangeKind
	id    string
	props map[string]any // its properties now
	edits map[string]fieldEdit
}

// loadEdits is what a load must respect: the edited records and tombstones, and the sites of enterprises
// whose sites an editor set.
type loadEdits struct {
	nodes      map[string]map[string]*editedRecord // label → id → record
	rels       map[string]map[string]*editedRecord // type → id → record
	deleted    map[string]bool                     // tombstone keys
	tombstones []tombstoneRec                      // for a reset's change log
	sitesOf    map[string][]string                 // enterprise with edited sites → its sites now
}

const readEdits = `
CALL () {
  MATCH (n:Enterprise|Bottleneck) WHERE n.editedFields IS NOT NULL
  RETURN labels(n) AS labels, null AS type, n.id AS id, properties(n) AS props,
    CASE WHEN n:Enterprise THEN COLLECT { MATCH (n)-[:OPERATES]->(s) RETURN s.id } ELSE [] END AS sites
  UNION ALL
  MATCH (a)-[r:SUPPLIES|TRANSFERS_TECH_TO]->() WHERE r.editedFields IS NOT NULL
  RETURN [] AS labels, type(r) AS type, r.id AS id, r {.*, _from: a.id} AS props, [] AS sites
  UNION ALL
  MATCH (d:Deleted)
  RETURN ['Deleted'] AS labels, d.key AS type, d.recordId AS id, properties(d) AS props, [] AS sites
}
RETURN labels, type, id, props, sites`

func readLoadEdits(run txRunner) (*loadEdits, error) {
	recs, err := run(readEdits, nil)
	if err != nil {
		return nil, err
	}
	le := &loadEdits{nodes: map[string]map[string]*editedRecord{}, rels: map[string]map[string]*editedRecord{},
		deleted: map[string]bool{}, sitesOf: map[string][]string{}}
	for _, rec := range recs {
		m := props(rec.AsMap())
		id := m.str("id")
		p, _ := m["props"].(map[string]any)
		labels := m.strs("labels")
		switch {
		case len(labels) > 0 && labels[0] == "Deleted":
			le.deleted[m.str("type")] = true
			var seed map[string]any
			_ = json.Unmarshal([]byte(fmt.Sprint(p["seed"])), &seed)
			t := tombstoneRec{kind: chainmap.ChangeKind(fmt.Sprint(p["kind"])), id: id}
			if from := cmpOr(seed["supplierId"], seed["fromId"]); from != nil {
				t.from = fmt.Sprint(from)
			}
			if to := cmpOr(seed["customerId"], seed["toId"]); to != nil {
				t.to = fmt.Sprint(to)
			}
			le.tombstones = append(le.tombstones, t)
		case len(labels) > 0:
			label := "Bottleneck"
			kind := chainmap.ChangeBottleneck
			for _, l := range labels {
				if l == "Enterprise" {
					label, kind = l, chainmap.ChangeEnterprise
				}
			}
			if le.nodes[label] == nil {
				le.nodes[label] = map[string]*editedRecord{}
			}
			r := &editedRecord{kind: kind, id: id, props: p, edits: parseEdits(p["edits"])}
			le.nodes[label][id] = r
			if _, ok := r.edits["sites"]; ok && label == "Enterprise" {
				le.sitesOf[id] = m.strs("sites")
			}
		default:
			typ := m.str("type")
			kind := chainmap.ChangeSupplyLink
			if typ == "TRANSFERS_TECH_TO" {
				kind = chainmap.ChangeTechTransfer
			}
			if le.rels[typ] == nil {
				le.rels[typ] = map[string]*editedRecord{}
			}
			le.rels[typ][id] = &editedRecord{kind: kind, id: id, props: p, edits: parseEdits(p["edits"])}
		}
	}
	return le, nil
}

// edited reports whether the record has the field edited.
func (le *loadEdits) edited(label, id, field string) bool {
	r := le.nodes[label][id]
	if r == nil {
		return false
	}
	_, ok := r.edits[field]
	return ok
}

// keep applies the edits to the rows a load is about to write: an edited field keeps the value the editor
// set, relationships and sites an editor owns are left out, a deleted record is not written again. It returns
// the rows to write, the keys of nodes and the owner keys of relationships the prune must leave alone, the
// number of fields kept and the conflicts: edited fields whose seed value changed since the edit.
func (le *loadEdits) keep(nodes []nodeSet, rels []relSet, ds *chainmap.Dataset) (keptFields int, conflicts []chainmap.LoadConflict) {
	if len(le.nodes) == 0 && len(le.rels) == 0 && len(le.deleted) == 0 && len(le.sitesOf) == 0 {
		return 0, nil // no editor changed a curated record: the rows are written as they are
	}
	siteOwner := map[string]string{}
	for _, s := range ds.Sites {
		siteOwner[s.ID] = s.EnterpriseID
	}
	seedState := le.seedStates(nodes, rels, ds)
	gone := le.goneNodes(ds)
	conflict := func(kind chainmap.ChangeKind, id string, r *editedRecord) {
		seed := seedState(kind, id)
		for f, e := range r.edits {
			keptFields++
			now := seed[f]
			if !sameValue(now, e.Seed) {
				conflicts = append(conflicts, chainmap.LoadConflict{Kind: string(kind), ID: id, Field: f,
					SeedThen: jsonText(e.Seed), SeedNow: jsonText(now), Value: jsonText(valueOf(r, f)), By: e.By, At: e.At})
			}
		}
	}
	for i := range nodes {
		n := &nodes[i]
		var out []row
		for _, rw := range n.rows {
			key := keyString(rw["key"])
			if gone[n.label+":"+key] {
				continue
			}
			if n.label == "Site" && le.edited("Enterprise", siteOwner[key], "sites") {
				continue
			}
			if r := le.nodes[n.label][key]; r != nil {
				rw = row{"key": rw["key"], "props": withEdits(rw["props"].(map[string]any), r)}
				conflict(r.kind, key, r)
			}
			out = append(out, rw)
		}
		n.rows = out
	}
	for i := range rels {
		rs := &rels[i]
		owner, owned := ownerOf(rs.relSpec)
		var out []row
		for _, rw := range rs.rows {
			if gone[rs.from+":"+fmt.Sprint(rw["from"])] || gone[rs.to+":"+fmt.Sprint(rw["to"])] {
				continue
			}
			if owned {
				key := fmt.Sprint(rw[owner.end])
				label := rs.from
				if owner.end == "to" {
					label = rs.to
				}
				if owner.viaSite {
					key, label = siteOwner[key], "Enterprise"
				}
				if le.edited(label, key, owner.field) {
					continue
				}
			}
			if rs.keyed {
				p := rw["props"].(map[string]any)
				id := fmt.Sprint(p["id"])
				if le.deleted[rs.typ+":"+id] {
					continue
				}
				if r := le.rels[rs.typ][id]; r != nil {
					rw = row{"from": rw["from"], "to": rw["to"], "props": withEdits(p, r)}
					conflict(r.kind, id, r)
				}
			}
			out = append(out, rw)
		}
		rs.rows = out
	}
	sort.Slice(conflicts, func(i, j int) bool {
		a, b := conflicts[i], conflicts[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Field < b.Field
	})
	return keptFields, conflicts
}

// goneNodes returns the "Label:key" of the curated nodes editors deleted (enterprises, bottlenecks) and of the
// sites of deleted enterprises: a load writes none of them, nor any relationship with one of them at an end.
func (le *loadEdits) goneNodes(ds *chainmap.Dataset) map[string]bool {
	gone := map[string]bool{}
	for key := range le.deleted {
		if strings.HasPrefix(key, "Enterprise:") || strings.HasPrefix(key, "Bottleneck:") {
			gone[key] = true
		}
	}
	for _, s := range ds.Sites {
		if gone["Enterprise:"+s.EnterpriseID] {
			gone["Site:"+s.ID] = true
		}
	}
	return gone
}

// pruneSkips returns, for the prune of one relationship spec, the owner keys whose relationships it must not
// delete; and for the nodes, the site keys it must not delete.
func (le *loadEdits) pruneSkips(s relSpec) []string {
	owner, ok := ownerOf(s)
	if !ok {
		return nil
	}
	var out []string
	if owner.viaSite {
		for _, sites := range le.sitesOf {
			out = append(out, sites...)
		}
		return out
	}
	label := s.from
	if owner.end == "to" {
		label = s.to
	}
	for id, r := range le.nodes[label] {
		if _, ok := r.edits[owner.field]; ok {
			out = append(out, id)
		}
	}
	return out
}

func (le *loadEdits) keptSites() []string {
	var out []string
	for _, sites := range le.sitesOf {
		out = append(out, sites...)
	}
	return out
}

// withEdits returns the seed props with each edited field as the editor left it, and the edit bookkeeping.
func withEdits(seed map[string]any, r *editedRecord) map[string]any {
	out := make(map[string]any, len(seed)+4)
	for k, v := range seed {
		out[k] = v
	}
	for f := range r.edits {
		if f == "_from" {
			continue
		}
		if _, isProp := out[f]; isProp || r.props[f] != nil {
			if v, ok := r.props[f]; ok && v != nil {
				out[f] = v
			} else {
				delete(out, f)
			}
		}
	}
	for _, k := range []string{"editedFields", "edits", "editedBy", "editedAt", "createdBy"} {
		if v, ok := r.props[k]; ok {
			out[k] = v
		}
	}
	return out
}

func valueOf(r *editedRecord, field string) any { return r.props[field] }

func jsonText(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// seedStates returns a function that gives the state the seed files give an edited record (by change kind and
// id), in the shape of the change log's state (stateOf): properties, and the ids and sites it links to. Only
// the records editors changed are indexed: a load of 100,000 rows with a handful of edits looks up a handful.
func (le *loadEdits) seedStates(nodes []nodeSet, rels []relSet, ds *chainmap.Dataset) func(kind chainmap.ChangeKind, id string) map[string]any {
	props := map[string]map[string]any{} // "Label:key" or "TYPE:id" → props
	sitesOf := map[string][]map[string]any{}
	park := map[string]string{}
	for _, s := range ds.Sites {
		if le.nodes["Enterprise"][s.EnterpriseID] != nil {
			park[s.ID] = s.ParkID
		}
	}
	for _, n := range nodes {
		edited := le.nodes[n.label]
		if len(edited) == 0 && n.label != "Site" {
			continue
		}
		for _, rw := range n.rows {
			p := rw["props"].(map[string]any)
			key := keyString(rw["key"])
			if edited[key] != nil {
				props[n.label+":"+key] = p
			}
			if n.label == "Site" {
				if e := keyString(p["enterpriseId"]); le.nodes["Enterprise"][e] != nil {
					sitesOf[e] = append(sitesOf[e], siteState(p, park[key]))
				}
			}
		}
	}
	for _, r := range rels {
		if r.keyed && len(le.rels[r.typ]) > 0 {
			for _, rw := range r.rows {
				p := rw["props"].(map[string]any)
				if id := keyString(p["id"]); le.rels[r.typ][id] != nil {
					props[r.typ+":"+id] = p
				}
			}
		}
	}
	ents, bns := map[string]chainmap.Enterprise{}, map[string]chainmap.Bottleneck{}
	for _, e := range ds.Enterprises {
		ents[e.ID] = e
	}
	for _, b := range ds.Bottlenecks {
		bns[b.ID] = b
	}
	return func(kind chainmap.ChangeKind, id string) map[string]any {
		t := editTargets[kind]
		p := props[t.label+t.rel+":"+id]
		if p == nil {
			return nil
		}
		st := make(map[string]any, len(p)+3)
		for k, v := range p {
			st[k] = v
		}
		switch t.label {
		case "Enterprise":
			st["segmentIds"] = sortedCopy(ents[id].SegmentIDs)
			sites := sitesOf[id]
			sort.Slice(sites, func(i, j int) bool { return fmt.Sprint(sites[i]["id"]) < fmt.Sprint(sites[j]["id"]) })
			st["sites"] = sites
		case "Bottleneck":
			st["segmentIds"] = sortedCopy(bns[id].SegmentIDs)
			var ts []string
			var detail []map[string]any
			for _, t := range bns[id].Tacklers {
				ts = append(ts, t.ID)
				detail = append(detail, map[string]any{"id": t.ID, "since": nullable(t.Since), "status": nullable(string(t.Status))})
			}
			st["tacklerIds"] = sortedCopy(ts)
			sort.Slice(detail, func(i, j int) bool { return fmt.Sprint(detail[i]["id"]) < fmt.Sprint(detail[j]["id"]) })
			st["tacklers"] = detail
		}
		return st
	}
}

// siteState is a site as the enterprise's change-log state shows it (stateOf's sites).
func siteState(p map[string]any, park string) map[string]any {
	out := map[string]any{"parkId": park}
	for _, k := range []string{"id", "kind", "name", "regionCode", "since", "capacity"} {
		out[k] = p[k]
	}
	return out
}

func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}

// startResets begins a change-log entry for each record a -reset puts back: every edited record and every
// tombstone, whose state is read now; the entries are committed once the load has written the seed values.
// The tombstones are removed, so the load writes the deleted records again.
func (le *loadEdits) startResets(run txRunner) ([]*change, error) {
	var out []*change
	add := func(kind chainmap.ChangeKind, id, from, to string) error {
		c := newChange(kind, "load -reset", id, "chainmap load -reset").link(from, to)
		c.byLoad = true
		out = append(out, c)
		return c.start(run)
	}
	for _, label := range []string{"Enterprise", "Bottleneck"} {
		for _, id := range sortedKeys(le.nodes[label]) {
			if err := add(le.nodes[label][id].kind, id, "", ""); err != nil {
				return nil, err
			}
		}
	}
	for _, typ := range []string{"SUPPLIES", "TRANSFERS_TECH_TO"} {
		for _, id := range sortedKeys(le.rels[typ]) {
			r := le.rels[typ][id]
			if err := add(r.kind, id, fmt.Sprint(r.props["_from"]), ""); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range le.tombstones {
		if err := add(t.kind, t.id, t.from, t.to); err != nil {
			return nil, err
		}
	}
	if len(le.tombstones) > 0 {
		if _, err := run(`MATCH (d:Deleted) DETACH DELETE d`, nil); err != nil {
			return nil, err
		}
	}
	// The relationships an editor set go; the load then writes the seed's. Sites created through the API for
	// an enterprise whose sites are reset go with them: its sites are the seed's again.
	for _, label := range []string{"Enterprise", "Bottleneck"} {
		for id, r := range le.nodes[label] {
			for f := range r.edits {
				if cypher := resetRels[label+"."+f]; cypher != "" {
					if _, err := run(cypher, map[string]any{"id": id}); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	return out, nil
}

// resetRels deletes the relationships that an edited field owns (ownerOf), by label and field.
var resetRels = map[string]string{
	"Enterprise.segmentIds": `MATCH (:Enterprise {id: $id})-[r:ACTIVE_IN]->() DELETE r`,
	"Enterprise.sourceIds":  `MATCH (:Enterprise {id: $id})-[r:CITED_IN]->() DELETE r`,
	"Enterprise.sites": `MATCH (:Enterprise {id: $id})-[o:OPERATES]->(s:Site)
CALL (s) { MATCH (s)-[r:LOCATED_IN|IN_PARK|CITED_IN]->() DELETE r }
DELETE o
WITH s WHERE s.origin = 'api'
DETACH DELETE s`,
	"Bottleneck.segmentIds": `MATCH (:Bottleneck {id: $id})-[r:CONSTRAINS]->() DELETE r`,
	"Bottleneck.sourceIds":  `MATCH (:Bottleneck {id: $id})-[r:CITED_IN]->() DELETE r`,
	"Bottleneck.tacklerIds": `MATCH (:Bottleneck {id: $id})<-[r:TACKLES]-() DELETE r`,
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func cmpOr(a, b any) any {
	if a != nil {
		return a
	}
	return b
}
