package neo4jdb

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// Dumps (chainmap dump) and their restore. A dump is read as the graph is stored (ReadGraph), turned into
// records of the seed kinds (DatasetOf), and reconciled with the graph (Reconcile): what the records' fields
// do not give — a property an editor's edit left, a relationship the API wrote without properties, a node of a
// kind no record holds — is recorded beside them, so that the graph a load of the dump writes (GraphOf) is the
// graph the dump was read from. RestoreGraph writes it into an empty database.

// notData are the labels of nodes that are not data: the change log (a dump keeps its position), the leases
// processes coordinate with, and the unpublished nodes of a synthetic run.
// The maintained aggregates (aggregates.go) are derived, not data: a restore rebuilds them (Reindex).
var notData = []string{"Change", "ChangeLog", "Lease", "SyntheticPending", "FirmAggregate", "RegionAggregate", "SegmentMember", "DerivedLink", "SegmentSupply", "SegmentRegion"}

// dumpTimeout bounds the transaction that reads a whole graph.
const dumpTimeout = 30 * time.Minute

const graphPosition = `OPTIONAL MATCH (l:ChangeLog {id: 'main'}) RETURN coalesce(l.seq, 0) AS seq`

const graphNodes = `
MATCH (n) WHERE none(l IN labels(n) WHERE l IN $skip)
RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props`

const graphRels = `
MATCH (a)-[r]->(b)
WHERE none(l IN labels(a) WHERE l IN $skip) AND none(l IN labels(b) WHERE l IN $skip)
RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS type, properties(r) AS props`

// ReadGraph reads every node and relationship that is data, with the change log's position, in one read
// transaction. Neo4j reads committed data as it goes, so writes that commit while it reads may show: when the
// change log moved during the read, ReadGraph reads again, up to three times in all, and otherwise returns the
// graph with SettledSeq set to the position at the end (the graph is then exact after replaying the changes up
// to it). A node without a string id or code is an error: nothing could refer to it in a dump. progress, if
// set, is called every 10,000 rows.
func (db *DB) ReadGraph(ctx context.Context, progress func(chainmap.Progress) error) (*chainmap.StoredGraph, error) {
	var g *chainmap.StoredGraph
	for attempt := 1; ; attempt++ {
		var end int64
		var err error
		g, end, err = db.readGraph(ctx, progress)
		if err != nil {
			return nil, err
		}
		if end == g.ChangeLogSeq {
			return g, nil
		}
		if attempt == 3 {
			g.SettledSeq = end
			return g, nil
		}
	}
}

func (db *DB) readGraph(ctx context.Context, progress func(chainmap.Progress) error) (*chainmap.StoredGraph, int64, error) {
	if err := db.admit("ReadGraph"); err != nil {
		return nil, 0, err
	}
	sess := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.cfg.Database, AccessMode: neo4j.AccessModeRead})
	defer sess.Close(context.WithoutCancel(ctx))
	tx, err := sess.BeginTransaction(ctx, append(db.txConfig(ctx, "ReadGraph"), neo4j.WithTxTimeout(dumpTimeout))...)
	if err != nil {
		return nil, 0, db.wrap("ReadGraph", err)
	}
	defer tx.Close(context.WithoutCancel(ctx))
	position := func() (int64, error) {
		db.count(ctx, "ReadGraph")
		res, err := tx.Run(ctx, graphPosition, nil)
		if err != nil {
			return 0, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return 0, err
		}
		return int64(recInt(rec, "seq")), nil
	}
	rows := 0
	step := func(name string) error {
		rows++
		if progress != nil && rows%10000 == 0 {
			return progress(chainmap.Progress{Step: name, Done: rows, Total: rows})
		}
		return nil
	}
	stream := func(cypher string, each func(*neo4j.Record) error) error {
		db.count(ctx, "ReadGraph")
		res, err := tx.Run(ctx, cypher, map[string]any{"skip": notData})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			if err := each(res.Record()); err != nil {
				return err
			}
		}
		return res.Err()
	}

	// Labels, property names and relationship types repeat on every row: keep one copy of each, not the one the
	// driver decodes afresh for each row.
	names := map[string]string{}
	intern := func(s string) string {
		if c, ok := names[s]; ok {
			return c
		}
		names[s] = s
		return s
	}
	canonical := func(props map[string]any) map[string]any {
		out := make(map[string]any, len(props))
		for k, v := range props {
			out[intern(k)] = chainmap.CanonicalValue(v)
		}
		return out
	}
	g := &chainmap.StoredGraph{}
	if g.ChangeLogSeq, err = position(); err != nil {
		return nil, 0, db.wrap("ReadGraph", err)
	}
	refs := map[string]string{} // element id → ref
	err = stream(graphNodes, func(rec *neo4j.Record) error {
		v := rec.Values
		labels := stringList(v[1])
		sort.Strings(labels)
		props, _ := v[2].(map[string]any)
		ref := chainmap.Ref(labels, props)
		if ref == "" {
			return fmt.Errorf("a node labelled %v has no key property (%v), so a dump could not refer to it: %v", labels,
				chainmap.KeyProps, props)
		}
		refs[v[0].(string)] = ref
		for i, l := range labels {
			labels[i] = intern(l)
		}
		g.Nodes = append(g.Nodes, chainmap.StoredNode{Labels: labels, Props: canonical(props)})
		return step("nodes")
	})
	if err != nil {
		return nil, 0, db.wrap("ReadGraph", err)
	}
	err = stream(graphRels, func(rec *neo4j.Record) error {
		v := rec.Values
		props, _ := v[3].(map[string]any)
		g.Rels = append(g.Rels, chainmap.StoredRel{Type: intern(v[2].(string)), From: refs[v[0].(string)], To: refs[v[1].(string)],
			Props: canonical(props)})
		return step("relationships")
	})
	if err != nil {
		return nil, 0, db.wrap("ReadGraph", err)
	}
	end, err := position()
	if err != nil {
		return nil, 0, db.wrap("ReadGraph", err)
	}
	return g, end, nil
}

// graphIndex finds a graph's nodes by ref and its relationships by end.
type graphIndex struct {
	nodes   map[string]*chainmap.StoredNode
	out, in map[string][]*chainmap.StoredRel
	byKind  map[string][]*chainmap.StoredNode
}

func indexGraph(g *chainmap.StoredGraph) *graphIndex {
	ix := &graphIndex{nodes: map[string]*chainmap.StoredNode{}, out: map[string][]*chainmap.StoredRel{},
		in: map[string][]*chainmap.StoredRel{}, byKind: map[string][]*chainmap.StoredNode{}}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		ix.nodes[chainmap.Ref(n.Labels, n.Props)] = n
		k := chainmap.KindLabel(n.Labels)
		ix.byKind[k] = append(ix.byKind[k], n)
	}
	for i := range g.Rels {
		r := &g.Rels[i]
		ix.out[r.From] = append(ix.out[r.From], r)
		ix.in[r.To] = append(ix.in[r.To], r)
	}
	return ix
}

// ends returns the keys of the nodes of the given kinds at the other end of ref's relationships of type typ
// (out: outgoing), sorted.
func (ix *graphIndex) ends(ref, typ string, out bool, kinds ...string) []string {
	rels := ix.in[ref]
	if out {
		rels = ix.out[ref]
	}
	var keys []string
	for _, r := range rels {
		other := r.From
		if out {
			other = r.To
		}
		kind, key := chainmap.SplitRef(other)
		if r.Type == typ && (len(kinds) == 0 || contains(kinds, kind)) {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	return keys
}

func (ix *graphIndex) end(ref, typ string, out bool, kinds ...string) string {
	if keys := ix.ends(ref, typ, out, kinds...); len(keys) > 0 {
		return keys[0]
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// DatasetOf turns a stored graph into records of the seed kinds, with their origins, authors and status
// histories in its Dump. It takes what the records' fields say from the nodes and relationships and ignores
// the rest: Reconcile records the rest.
func DatasetOf(g *chainmap.StoredGraph) *chainmap.Dataset {
	ix := indexGraph(g)
	ds := &chainmap.Dataset{Dump: &chainmap.DumpState{ChangeLogSeq: g.ChangeLogSeq, Records: map[string]*chainmap.Stored{},
		StatusHistory: map[string][]chainmap.StatusEntry{}, SettledSeq: g.SettledSeq}}
	nodes := func(kind string) []props {
		var out []props
		for _, n := range ix.byKind[kind] {
			out = append(out, n.Props)
		}
		return out
	}
	keep := func(ref string, m props) {
		st := &chainmap.Stored{Origin: m.str("origin"), CreatedBy: m.str("createdBy"), EditedBy: m.str("editedBy"),
			EditedAt: m.str("editedAt")}
		switch {
		case st.Origin == chainmap.OriginSeed:
			st.Origin = ""
		case st.Origin == "" && m.boolean("synthetic"):
			st.Origin = chainmap.OriginGen // supply links gen wrote before they carried an origin
		}
		if st.Origin != "" || st.CreatedBy != "" || st.EditedBy != "" || st.EditedAt != "" {
			ds.Dump.Records[ref] = st
		}
	}

	for _, m := range nodes("Source") {
		ds.Sources = append(ds.Sources, sourceFrom(m))
		keep(chainmap.RefOf("Source", m.str("id")), m)
	}
	for _, m := range nodes("Region") {
		ref := chainmap.RefOf("Region", m.str("code"))
		r := regionFrom(m)
		r.ParentCode = ix.end(ref, "PART_OF", true, "Region")
		ds.Regions = append(ds.Regions, r)
		keep(ref, m)
	}
	for _, m := range nodes("ChainMap") {
		ds.ChainMaps = append(ds.ChainMaps, chainMapFrom(m))
		keep(chainmap.RefOf("ChainMap", m.str("id")), m)
	}
	for _, m := range nodes("Segment") {
		ref := chainmap.RefOf("Segment", m.str("id"))
		s := segmentFrom(m)
		if chain := ix.end(ref, "HAS_SEGMENT", false, "ChainMap"); chain != "" {
			s.ChainMapID = chain
		}
		s.Feeds = ix.ends(ref, "FEEDS", true, "Segment")
		ds.Segments = append(ds.Segments, s)
		keep(ref, m)
	}
	entProv := map[string]chainmap.Provenance{}
	for _, m := range nodes("Enterprise") {
		ref := chainmap.RefOf("Enterprise", m.str("id"))
		e := enterpriseFrom(m)
		e.SegmentIDs, e.BranchOf = ix.ends(ref, "ACTIVE_IN", true, "Segment"), ix.end(ref, "BRANCH_OF", true, "Enterprise")
		entProv[e.ID] = e.Provenance
		ds.Enterprises = append(ds.Enterprises, e)
		keep(ref, m)
	}
	for _, m := range nodes("Site") {
		ref := chainmap.RefOf("Site", m.str("id"))
		s := siteFrom(m)
		if owner := ix.end(ref, "OPERATES", false, "Enterprise"); owner != "" {
			s.EnterpriseID = owner
		}
		if region := ix.end(ref, "LOCATED_IN", true, "Region"); region != "" {
			s.RegionCode = region
		}
		s.ParkID = ix.end(ref, "IN_PARK", true, "Park")
		ds.Sites = append(ds.Sites, s)
		keep(ref, m)
	}
	for _, m := range nodes("Institution") {
		ref := chainmap.RefOf("Institution", m.str("id"))
		in := institutionFrom(m)
		if region := ix.end(ref, "LOCATED_IN", true, "Region"); region != "" {
			in.RegionCode = region
		}
		in.SegmentIDs = ix.ends(ref, "ACTIVE_IN", true, "Segment")
		ds.Institutions = append(ds.Institutions, in)
		keep(ref, m)
	}
	for _, m := range nodes("Park") {
		ref := chainmap.RefOf("Park", m.str("id"))
		p := parkFrom(m)
		if region := ix.end(ref, "LOCATED_IN", true, "Region"); region != "" {
			p.RegionCode = region
		}
		ds.Parks = append(ds.Parks, p)
		keep(ref, m)
	}
	for _, m := range nodes("Bottleneck") {
		ref := chainmap.RefOf("Bottleneck", m.str("id"))
		var tacklers []chainmap.Tackler
		for _, r := range ix.in[ref] {
			kind, key := chainmap.SplitRef(r.From)
			if r.Type == "TACKLES" && (kind == "Enterprise" || kind == "Institution") {
				t := tacklerFrom(r.Props)
				t.ID = key
				tacklers = append(tacklers, t)
			}
		}
		sort.Slice(tacklers, func(i, j int) bool { return tacklers[i].ID < tacklers[j].ID })
		b := bottleneckFrom(m)
		b.SegmentIDs, b.Tacklers = ix.ends(ref, "CONSTRAINS", true, "Segment"), tacklers
		ds.Bottlenecks = append(ds.Bottlenecks, b)
		keep(ref, m)
		var history []chainmap.StatusEntry
		for _, key := range ix.ends(ref, "HAS_STATUS_CHANGE", true, "StatusChange") {
			c := props(ix.nodes[chainmap.RefOf("StatusChange", key)].Props)
			history = append(history, chainmap.StatusEntry{ID: c.str("id"), Seq: c.int("seq"), From: c.str("from"),
				To: c.str("to"), Note: c.str("note"), Author: c.str("author"), At: c.str("at")})
			keep(chainmap.RefOf("StatusChange", key), c)
		}
		sort.Slice(history, func(i, j int) bool {
			return history[i].Seq < history[j].Seq || history[i].Seq == history[j].Seq && history[i].ID < history[j].ID
		})
		if len(history) > 0 {
			ds.Dump.StatusHistory[b.ID] = history
		}
	}
	for _, r := range g.Rels {
		m := props(r.Props)
		_, from := chainmap.SplitRef(r.From)
		_, to := chainmap.SplitRef(r.To)
		switch r.Type {
		case "TRANSFERS_TECH_TO":
			t := techTransferFrom(m)
			t.FromID, t.ToID = from, to
			if t.ID == "" {
				continue // not a record: Reconcile keeps it as it is
			}
			ds.TechTransfers = append(ds.TechTransfers, t)
			keep(chainmap.RefOf("TRANSFERS_TECH_TO", t.ID), m)
		case "SUPPLIES":
			s := supplyFrom(m)
			s.FromID, s.ToID = from, to
			ds.Supplies = append(ds.Supplies, s)
			keep(chainmap.RefOf("SUPPLIES", SupplyID(from, to, s.Product)), m)
		}
	}
	for _, m := range nodes("Indicator") {
		ref := chainmap.RefOf("Indicator", m.str("id"))
		in := indicatorFrom(m)
		for _, key := range ix.ends(ref, "HAS_VALUE", true, "IndicatorValue") {
			v := props(ix.nodes[chainmap.RefOf("IndicatorValue", key)].Props)
			in.Values = append(in.Values, indicatorValueFrom(v))
			keep(chainmap.RefOf("IndicatorValue", key), v)
		}
		sort.SliceStable(in.Values, func(i, j int) bool {
			a, b := in.Values[i], in.Values[j]
			return a.Year < b.Year || a.Year == b.Year && a.Period < b.Period
		})
		ds.Indicators = append(ds.Indicators, in)
		keep(ref, m)
	}
	for _, m := range nodes("OfficialList") {
		ref := chainmap.RefOf("OfficialList", m.str("id"))
		l := officialListFrom(m)
		if chain := ix.end(ref, "HAS_LIST", false, "ChainMap"); chain != "" {
			l.ChainMapID = chain
		}
		l.IssuerID = ix.end(ref, "ISSUED_BY", true, "Institution")
		ds.OfficialLists = append(ds.OfficialLists, l)
		keep(ref, m)
		items := ix.ends(ref, "HAS_ITEM", true, "ListItem")
		sort.SliceStable(items, func(i, j int) bool { return itemNumber(items[i]) < itemNumber(items[j]) })
		for _, key := range items {
			iref := chainmap.RefOf("ListItem", key)
			it := props(ix.nodes[iref].Props)
			item := listItemFrom(it)
			item.ID, item.ListID = key, l.ID
			item.RefID = ix.end(iref, "REFERS_TO", true, "Bottleneck", "Enterprise", "Segment")
			ds.ListItems = append(ds.ListItems, item)
			keep(iref, it)
		}
	}
	return ds
}

// itemNumber is the position of a list item, the number after '#' in its id.
func itemNumber(id string) int {
	_, n, _ := strings.Cut(id, "#")
	i, _ := strconv.Atoi(n)
	return i
}

// GenericDataset holds a graph with no record of any seed kind: every node and relationship as stored. A
// dump falls back to it when the graph's records do not pass the seed files' checks.
func GenericDataset(g *chainmap.StoredGraph) *chainmap.Dataset {
	return &chainmap.Dataset{Dump: &chainmap.DumpState{ChangeLogSeq: g.ChangeLogSeq, SettledSeq: g.SettledSeq,
		Nodes: g.Nodes, Rels: g.Rels}}
}
