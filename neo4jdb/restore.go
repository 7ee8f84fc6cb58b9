package neo4jdb

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/chainmap/chainmap"
)

// relHolder says which end of a curated relationship holds it in the seed files: the record whose field gives
// it. "self" is a relationship that is a record of its own (a supply link, a tech transfer).
func relHolder(typ, from, to string) string {
	switch typ {
	case "SUPPLIES", "TRANSFERS_TECH_TO":
		return "self"
	case "HAS_SEGMENT", "OPERATES", "TACKLES", "HAS_VALUE", "HAS_LIST", "HAS_ITEM", "HAS_STATUS_CHANGE":
		return "to"
	}
	return "from"
}

// relIdentity tells apart relationships of one type between the same two nodes: supply links by product,
// tech transfers by id.
func relIdentity(r chainmap.StoredRel) string {
	key := r.Type + "|" + r.From + "|" + r.To
	switch r.Type {
	case "SUPPLIES":
		p, _ := r.Props["product"].(string)
		key += "|" + p
	case "TRANSFERS_TECH_TO":
		id, _ := r.Props["id"].(string)
		key += "|" + id
	}
	return key
}

// builtRel is a relationship a load of a dataset writes, with the record that holds it.
type builtRel struct {
	chainmap.StoredRel
	owner string // ref of the record whose fields give it
	other string // key of the node at the other end from the owner
	self  bool   // the relationship is the record (supply links, tech transfers)
}

// GraphOf returns the graph a load of ds writes into an empty database: the records' nodes and
// relationships, with what ds.Dump says about origins, authors, status histories, other properties and
// relationships, and the nodes and relationships no record holds.
func GraphOf(ds *chainmap.Dataset) (*chainmap.StoredGraph, error) {
	g := &chainmap.StoredGraph{}
	err := build(ds, func(_ string, n chainmap.StoredNode) { g.Nodes = append(g.Nodes, n) },
		func(r builtRel) { g.Rels = append(g.Rels, r.StoredRel) })
	if err != nil {
		return nil, err
	}
	if ds.Dump != nil {
		g.ChangeLogSeq = ds.Dump.ChangeLogSeq
	}
	return g, nil
}

// PrintOf returns the fingerprint of GraphOf(ds) without holding that graph: each node and relationship is
// printed as it is made, then dropped.
func PrintOf(ds *chainmap.Dataset) (*chainmap.GraphPrint, error) {
	p := &chainmap.GraphPrint{}
	err := build(ds, func(_ string, n chainmap.StoredNode) { p.AddNode(n) }, func(r builtRel) { p.AddRel(r.StoredRel) })
	if err != nil {
		return nil, err
	}
	if ds.Dump != nil {
		p.ChangeLogSeq = ds.Dump.ChangeLogSeq
	}
	return p, nil
}

// build makes the nodes and relationships a load of ds writes, handing each to node and rel as it is made
// (nodes with their refs; relationships with the records that hold them), kind by kind: the rows of a kind
// are dropped once they are handed on, so that build holds no more than the rows of the dataset.
func build(ds *chainmap.Dataset, node func(ref string, n chainmap.StoredNode), rel func(builtRel)) (err error) {
	defer func() {
		// datasetRows panics on a relationship between kinds it has no spec for: a dataset that did not come
		// from the loader's checks.
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	dump := ds.Dump
	if dump == nil {
		dump = &chainmap.DumpState{}
	}
	none := &chainmap.Stored{}
	stored := func(ref string) *chainmap.Stored {
		if st := dump.Records[ref]; st != nil {
			return st
		}
		return none
	}
	originOf := func(st *chainmap.Stored) string {
		if st.Origin == "" {
			return chainmap.OriginSeed
		}
		return st.Origin
	}
	// record sets what a record's origin and authors say on its node (or its relationship, when it is one).
	record := func(props map[string]any, st *chainmap.Stored) {
		o := originOf(st)
		props["origin"] = o
		if o == chainmap.OriginGen {
			props["synthetic"] = true
		}
		for k, v := range map[string]string{"createdBy": st.CreatedBy, "editedBy": st.EditedBy, "editedAt": st.EditedAt} {
			if v != "" {
				props[k] = v
			}
		}
	}
	override := func(props map[string]any, st *chainmap.Stored) {
		for k, v := range st.Props {
			props[k] = chainmap.CanonicalValue(v)
		}
		for _, k := range st.Unset {
			delete(props, k)
		}
	}
	addNode := func(ref string, labels []string, props map[string]any, st *chainmap.Stored) {
		if len(st.Labels) > 0 {
			labels = append([]string(nil), st.Labels...)
		}
		sort.Strings(labels)
		override(props, st)
		node(ref, chainmap.StoredNode{Labels: labels, Props: props})
	}
	// The links a record's entry says differ from the default.
	type linkKey struct{ owner, typ, with string }
	links := map[linkKey]chainmap.StoredLink{}
	for ref, st := range dump.Records {
		for _, l := range st.Links {
			links[linkKey{ref, l.Type, l.With}] = l
		}
	}
	addRel := func(r builtRel) {
		if l, ok := links[linkKey{r.owner, r.Type, r.other}]; ok && !r.self {
			if l.Absent {
				return
			}
			r.Props = chainmap.CanonicalProps(l.Props)
		}
		rel(r)
	}

	nodes, rels := datasetRows(ds)
	for i, ns := range nodes {
		for _, row := range ns.rows {
			ref := chainmap.RefOf(ns.label, fmt.Sprint(row["key"]))
			props := canonicalInPlace(row["props"].(map[string]any))
			st := stored(ref)
			record(props, st)
			labels := []string{ns.label}
			if recordLabels[ns.label] {
				labels = append(labels, "Record")
			}
			if originOf(st) == chainmap.OriginGen {
				labels = append(labels, "Synthetic")
			}
			addNode(ref, labels, props, st)
		}
		nodes[i].rows = nil
	}
	for i, rs := range rels {
		owner := relHolder(rs.typ, rs.from, rs.to)
		for _, row := range rs.rows {
			from := chainmap.RefOf(rs.from, fmt.Sprint(row["from"]))
			to := chainmap.RefOf(rs.to, fmt.Sprint(row["to"]))
			props := canonicalInPlace(row["props"].(map[string]any))
			r := builtRel{StoredRel: chainmap.StoredRel{Type: rs.typ, From: from, To: to, Props: props}}
			switch owner {
			case "self":
				id, _ := props["id"].(string)
				if rs.typ == "SUPPLIES" {
					_, f := chainmap.SplitRef(from)
					_, t := chainmap.SplitRef(to)
					p, _ := props["product"].(string)
					id = SupplyID(f, t, p)
				}
				r.owner, r.self = chainmap.RefOf(rs.typ, id), true
				st := stored(r.owner)
				record(props, st)
				override(props, st)
			case "to":
				r.owner, r.other = to, fmt.Sprint(row["from"])
			default:
				r.owner, r.other = from, fmt.Sprint(row["to"])
			}
			if !r.self {
				// A relationship takes its origin from the record that holds it: the loader writes origin seed,
				// the API none, gen origin gen and synthetic.
				switch originOf(stored(r.owner)) {
				case chainmap.OriginAPI:
					delete(props, "origin")
				case chainmap.OriginGen:
					props["origin"] = chainmap.OriginGen
					props["synthetic"] = true
				}
			}
			addRel(r)
		}
		rels[i].rows = nil
	}
	// Status histories: the API writes each change as a node the bottleneck links to, without properties on
	// the link.
	ids := make([]string, 0, len(dump.StatusHistory))
	for id := range dump.StatusHistory {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		for _, c := range dump.StatusHistory[id] {
			ref := chainmap.RefOf("StatusChange", c.ID)
			props := chainmap.CanonicalProps(clean(map[string]any{"id": c.ID, "seq": c.Seq, "from": c.From, "to": c.To,
				"note": c.Note, "author": c.Author, "at": c.At}))
			addNode(ref, []string{"StatusChange"}, props, stored(ref))
			addRel(builtRel{StoredRel: chainmap.StoredRel{Type: "HAS_STATUS_CHANGE",
				From: chainmap.RefOf("Bottleneck", id), To: ref, Props: map[string]any{}}, owner: ref, other: id})
		}
	}
	for _, n := range dump.Nodes {
		labels := append([]string(nil), n.Labels...)
		sort.Strings(labels)
		node(chainmap.Ref(n.Labels, n.Props), chainmap.StoredNode{Labels: labels, Props: chainmap.CanonicalProps(n.Props)})
	}
	for _, r := range dump.Rels {
		rel(builtRel{StoredRel: chainmap.StoredRel{Type: r.Type, From: r.From, To: r.To, Props: chainmap.CanonicalProps(r.Props)}})
	}
	return nil
}

// canonicalInPlace makes a row's properties canonical (chainmap.CanonicalValue) without copying them: the
// rows are build's own.
func canonicalInPlace(props map[string]any) map[string]any {
	for k, v := range props {
		props[k] = chainmap.CanonicalValue(v)
	}
	return props
}

// Reconcile works out what a dump records besides the records of ds (read back from the dump's seed files)
// so that GraphOf gives g: for each record, the properties, labels and relationships that differ from what its
// fields and origin give, and the nodes and relationships no record holds. It keeps the origins, authors,
// status histories and change-log position ds has, and returns an error when the records give a node or a
// record relationship g does not have (the records then do not describe g). It holds g indexed, and the
// graph ds gives one node or relationship at a time.
func Reconcile(ds *chainmap.Dataset, g *chainmap.StoredGraph) (*chainmap.DumpState, error) {
	plain := *ds
	state := &chainmap.DumpState{ChangeLogSeq: g.ChangeLogSeq, SettledSeq: g.SettledSeq, Records: map[string]*chainmap.Stored{},
		StatusHistory: map[string][]chainmap.StatusEntry{}}
	if ds.Dump != nil {
		for ref, st := range ds.Dump.Records {
			state.Records[ref] = &chainmap.Stored{Origin: st.Origin, CreatedBy: st.CreatedBy, EditedBy: st.EditedBy, EditedAt: st.EditedAt}
		}
		for id, h := range ds.Dump.StatusHistory {
			state.StatusHistory[id] = h
		}
	}
	plain.Dump = &chainmap.DumpState{Records: state.Records, StatusHistory: state.StatusHistory}
	get := func(ref string) *chainmap.Stored {
		st := state.Records[ref]
		if st == nil {
			st = &chainmap.Stored{}
			state.Records[ref] = st
		}
		return st
	}
	diffProps := func(st *chainmap.Stored, want, have map[string]any) {
		for k, v := range want {
			if h, ok := have[k]; !ok || !chainmap.SameValue(h, v) {
				if st.Props == nil {
					st.Props = map[string]any{}
				}
				st.Props[k] = v
			}
		}
		for k := range have {
			if _, ok := want[k]; !ok {
				st.Unset = append(st.Unset, k)
			}
		}
		sort.Strings(st.Unset)
	}

	// g's nodes by ref: the first node of a ref is the one a record gives (a second one is kept as it is).
	graphNodes := make(map[string]int32, len(g.Nodes))
	for i, n := range g.Nodes {
		ref := chainmap.Ref(n.Labels, n.Props)
		if _, dup := graphNodes[ref]; !dup {
			graphNodes[ref] = int32(i)
		}
	}
	nodeSeen := make([]bool, len(g.Nodes))
	// g's relationships by identity (relIdentity): the first in one map, any others of the same identity in
	// another, so that the common case — one relationship per identity — costs one entry.
	firstRel := make(map[string]int32, len(g.Rels))
	moreRels := map[string][]int32{}
	for i, r := range g.Rels {
		k := relIdentity(r)
		if _, ok := firstRel[k]; ok {
			moreRels[k] = append(moreRels[k], int32(i))
		} else {
			firstRel[k] = int32(i)
		}
	}
	relUsed := make([]bool, len(g.Rels))
	// The built relationships of an identity that found no equal one in g, in the order they were built.
	unpairedHave := map[string][]builtRel{}
	var unpairedKeys []string

	var fail error
	err := build(&plain, func(ref string, have chainmap.StoredNode) {
		i, ok := graphNodes[ref]
		if !ok || nodeSeen[i] {
			if fail == nil {
				fail = fmt.Errorf("the records give a node %s that the graph does not have", ref)
			}
			return
		}
		nodeSeen[i] = true
		n := g.Nodes[i]
		if !sameLabels(have.Labels, n.Labels) {
			get(ref).Labels = append([]string(nil), n.Labels...)
		}
		if !sameProps(have.Props, n.Props) {
			diffProps(get(ref), n.Props, have.Props)
		}
	}, func(h builtRel) {
		k := relIdentity(h.StoredRel)
		// Pair it with the first relationship of its identity in g not yet paired with equal properties:
		// pairs of equal relationships are interchangeable, so the order they pair in does not matter.
		pair := func(i int32) bool {
			if !relUsed[i] && sameProps(h.Props, g.Rels[i].Props) {
				relUsed[i] = true
				return true
			}
			return false
		}
		if i, ok := firstRel[k]; ok && pair(i) {
			return
		}
		for _, i := range moreRels[k] {
			if pair(i) {
				return
			}
		}
		if unpairedHave[k] == nil {
			unpairedKeys = append(unpairedKeys, k)
		}
		unpairedHave[k] = append(unpairedHave[k], h)
	})
	if err != nil {
		return nil, err
	}
	if fail != nil {
		return nil, fail
	}
	for i, n := range g.Nodes {
		if !nodeSeen[i] {
			state.Nodes = append(state.Nodes, n)
		}
	}
	// The relationships of g left unpaired, in g's order: each takes the next built one of its identity left
	// unpaired, whose record then records its properties; those left over are kept as they are.
	for i, r := range g.Rels {
		if relUsed[i] {
			continue
		}
		k := relIdentity(r)
		have := unpairedHave[k]
		if len(have) == 0 {
			state.Rels = append(state.Rels, r)
			continue
		}
		h := have[0]
		unpairedHave[k] = have[1:]
		if h.self {
			diffProps(get(h.owner), r.Props, h.Props)
		} else {
			st := get(h.owner)
			st.Links = append(st.Links, chainmap.StoredLink{Type: h.Type, With: h.other, Props: r.Props})
		}
	}
	// Built relationships left over: the graph does not have them.
	sort.Strings(unpairedKeys)
	for _, k := range unpairedKeys {
		for _, h := range unpairedHave[k] {
			if h.self {
				return nil, fmt.Errorf("the records give a relationship %s that the graph does not have", h.owner)
			}
			st := get(h.owner)
			st.Links = append(st.Links, chainmap.StoredLink{Type: h.Type, With: h.other, Absent: true})
		}
	}
	for ref, st := range state.Records {
		sort.Slice(st.Links, func(i, j int) bool {
			a, b := st.Links[i], st.Links[j]
			return a.Type < b.Type || a.Type == b.Type && a.With < b.With
		})
		if st.Origin == "" && st.CreatedBy == "" && st.EditedBy == "" && st.EditedAt == "" && len(st.Labels) == 0 &&
			len(st.Props) == 0 && len(st.Unset) == 0 && len(st.Links) == 0 {
			delete(state.Records, ref)
		}
	}
	return state, nil
}

func sameLabels(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sameProps(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !chainmap.SameValue(v, w) {
			return false
		}
	}
	return true
}

const hasData = `MATCH (n) WHERE NOT n:Lease RETURN count(n) > 0 AS any LIMIT 1`

const restoreNodes = `
UNWIND $rows AS row
CREATE (n:$(row.labels))
SET n = row.props
RETURN collect(elementId(n)) AS ids`

const restoreRels = `
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row.a
MATCH (b) WHERE elementId(b) = row.b
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props
RETURN count(r) AS created`

const restorePosition = `
MERGE (l:ChangeLog {id: 'main'})
SET l.seq = $seq, l.epoch = randomUUID()`

// RestoreGraph writes g into an empty database: its nodes, its relationships and the change log's position
// (no change log entry: the database then continues the numbering of the one g came from). It refuses, with
// chainmap.ErrNotEmpty and writing nothing, a database that holds any node but leases. It writes in batches,
// each its own transaction; if one fails, it deletes what it wrote, so the database is empty again. progress,
// if set, is called after each batch.
func (db *DB) RestoreGraph(ctx context.Context, g *chainmap.StoredGraph, progress func(chainmap.Progress) error) (err error) {
	res, err := db.read(ctx, "RestoreGraph", hasData, nil)
	if err != nil {
		return err
	}
	if v, _ := res.Records[0].Get("any"); v == true {
		return fmt.Errorf("restore into %s: %w (a dump is loaded only into an empty database: restore into a new one, "+
			"or delete the data first)", db.cfg.URI, chainmap.ErrNotEmpty)
	}
	defer func() {
		if err != nil {
			cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
			defer cancel()
			if derr := db.DeleteAll(cleanup); derr != nil {
				err = fmt.Errorf("%w (deleting what was written failed too: %v)", err, derr)
			}
		}
	}()
	total := len(g.Nodes) + len(g.Rels)
	done := 0
	report := func(step string, n int) error {
		done += n
		if progress == nil {
			return nil
		}
		return progress(chainmap.Progress{Step: step, Done: done, Total: total})
	}
	ids := make(map[string]string, len(g.Nodes))
	const nodeBatch, relBatch = 2000, 5000
	for start := 0; start < len(g.Nodes); start += nodeBatch {
		batch := g.Nodes[start:min(start+nodeBatch, len(g.Nodes))]
		rows := make([]map[string]any, len(batch))
		for i, n := range batch {
			rows[i] = map[string]any{"labels": n.Labels, "props": n.Props}
		}
		res, err := db.write(ctx, "RestoreGraph", restoreNodes, map[string]any{"rows": rows})
		if err != nil {
			return fmt.Errorf("restore nodes: %w", err)
		}
		created, _ := res.Records[0].Get("ids")
		list, _ := created.([]any)
		if len(list) != len(batch) {
			return fmt.Errorf("restore nodes: wrote %d of a batch of %d", len(list), len(batch))
		}
		for i, n := range batch {
			ref := chainmap.Ref(n.Labels, n.Props)
			if _, dup := ids[ref]; dup {
				return fmt.Errorf("restore nodes: two nodes are %s", ref)
			}
			ids[ref] = list[i].(string)
		}
		if err := report("nodes", len(batch)); err != nil {
			return err
		}
	}
	for start := 0; start < len(g.Rels); start += relBatch {
		batch := g.Rels[start:min(start+relBatch, len(g.Rels))]
		rows := make([]map[string]any, len(batch))
		for i, r := range batch {
			a, b := ids[r.From], ids[r.To]
			if a == "" || b == "" {
				return fmt.Errorf("restore relationships: %s -[%s]-> %s: no node %s", r.From, r.Type, r.To,
					strings.Join(missing(a, r.From, b, r.To), " or "))
			}
			rows[i] = map[string]any{"a": a, "b": b, "type": r.Type, "props": r.Props}
		}
		res, err := db.write(ctx, "RestoreGraph", restoreRels, map[string]any{"rows": rows})
		if err != nil {
			return fmt.Errorf("restore relationships: %w", err)
		}
		if n := recInt(res.Records[0], "created"); n != len(batch) {
			return fmt.Errorf("restore relationships: wrote %d of a batch of %d", n, len(batch))
		}
		if err := report("relationships", len(batch)); err != nil {
			return err
		}
	}
	// Also at 0: the change log's node carries the graph's version (answers.go), new with the restore.
	if _, err := db.write(ctx, "RestoreGraph", restorePosition, map[string]any{"seq": g.ChangeLogSeq}); err != nil {
		return fmt.Errorf("restore the change log's position: %w", err)
	}
	// The maintained aggregates are not in a dump: built from the restored graph.
	if _, _, err := db.Reindex(ctx); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

func missing(a, aRef, b, bRef string) []string {
	var out []string
	if a == "" {
		out = append(out, aRef)
	}
	if b == "" {
		out = append(out, bRef)
	}
	return out
}
