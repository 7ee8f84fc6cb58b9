package neo4jdb

import (
	"context"
	"fmt"
	"sort"

	"github.com/chainmap/chainmap"
)

// graphNode projects any record to a node of a graph view. Enterprises carry the provinces of their sites,
// for colouring.
const graphNode = `{id: coalesce(v.id, v.code), type: [l IN labels(v) WHERE NOT l IN ['Synthetic', 'Record']][0], name: v.name,
  nameZh: v.nameZh, stage: v.stage, order: v.order, kind: v.kind, severity: v.severity, status: v.status,
  synthetic: v.synthetic, province: v.province, chainRole: v.chainRole,
  chainMapId: coalesce(v.chainMapId, COLLECT { MATCH (v)-[:ACTIVE_IN]->(s:Segment) RETURN s.chainMapId ORDER BY s.chainMapId }[0]),
  provinces: COLLECT { MATCH (v)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.province ORDER BY r.province }}`

func nodes(expr string) string {
	return `[v IN ` + expr + ` | ` + graphNode + `]`
}

// chainGraph collects a chain's segments, the segments of other chains they feed or are fed by, the
// enterprises active in the chain (chain masters and leads first, within the budget) and the bottlenecks on
// it, with the relationships among them.
var chainGraph = `
MATCH (:ChainMap {id: $id})-[:HAS_SEGMENT]->(s:Segment)
WITH collect(s) AS segs
CALL (segs) {
  UNWIND segs AS s
  MATCH (s)-[:FEEDS]-(o:Segment) WHERE NOT o IN segs
  RETURN collect(DISTINCT o) AS outer
}
CALL (segs) {
  UNWIND segs AS s
  MATCH (s)<-[:CONSTRAINS]-(b:Bottleneck) WHERE $bottlenecks
  RETURN collect(DISTINCT b) AS bns
}
CALL (segs) {
  UNWIND segs AS s
  MATCH (s)<-[:ACTIVE_IN]-(e:Enterprise) WHERE $enterprises
  WITH DISTINCT e
  ORDER BY CASE e.chainRole WHEN 'CHAIN_MASTER' THEN 0 WHEN 'LEAD' THEN 1 WHEN 'SUPPORTING' THEN 2 ELSE 3 END,
    coalesce(e.synthetic, false), e.name, e.id
  WITH collect(e) AS firms
  RETURN firms[0..$budget] AS ents, size(firms) > $budget AS truncated
}
RETURN ` + nodes("segs") + ` AS segs, ` + nodes("outer") + ` AS outer, ` + nodes("bns") + ` AS bns,
  ` + nodes("ents") + ` AS ents, truncated,
  COLLECT { UNWIND segs + outer AS a MATCH (a)-[:FEEDS]->(b:Segment) WHERE b IN segs OR a IN segs RETURN [a.id, b.id] } AS feeds,
  COLLECT { UNWIND ents AS e MATCH (e)-[:ACTIVE_IN]->(s:Segment) WHERE s IN segs RETURN [e.id, s.id] } AS activeIn,
  COLLECT { UNWIND ents AS e MATCH (e)-[:SUPPLIES]->(o:Enterprise) RETURN [e.id, o.id] } AS supplies,
  COLLECT { UNWIND bns AS b MATCH (b)-[:CONSTRAINS]->(s:Segment) WHERE s IN segs RETURN [b.id, s.id] } AS constrains`

// ChainGraph returns a chain map as a graph view: segments always, enterprises, bottlenecks and provinces
// per layers, at most maxNodes nodes (enterprises are left out first).
func (db *DB) ChainGraph(ctx context.Context, chainMapID string, layers []string, maxNodes int) (chainmap.GraphView, error) {
	has := map[string]bool{}
	for _, l := range layers {
		has[l] = true
	}
	res, err := db.read(ctx, "ChainGraph", chainGraph, map[string]any{"id": chainMapID,
		"enterprises": has["ENTERPRISES"], "bottlenecks": has["BOTTLENECKS"], "budget": maxNodes})
	if err != nil || len(res.Records) == 0 {
		return chainmap.GraphView{}, err
	}
	m := props(res.Records[0].AsMap())
	g := newViewBuilder(maxNodes)
	for _, key := range []string{"segs", "outer", "bns", "ents"} {
		for _, n := range m.list(key) {
			g.node(graphNodeFrom(n))
		}
	}
	g.view.Truncated = m.boolean("truncated") || g.full
	for typ, key := range map[string]string{"FEEDS": "feeds", "ACTIVE_IN": "activeIn", "SUPPLIES": "supplies", "CONSTRAINS": "constrains"} {
		for _, pair := range pairs(m[key]) {
			g.edge(typ, pair[0], pair[1])
		}
	}
	if has["REGIONS"] {
		g.provinces()
	}
	return g.finish(), nil
}

// Graph slices grow breadth-first, one hop per round trip, for maxHops hops: the work is bounded by the budget,
// not by how far the graph reaches, and the round trips (1 + maxHops) by the request's text, not by what the
// walk finds — a hop past an empty frontier or a full budget is asked all the same, and costs next to nothing. Neighbours come in a fixed order, so that a slice cut by the
// budget is the same from one request to the next. Each hop fetches the neighbours of the frontier in the
// direction asked: suppliers/customers (SUPPLIES), upstream/downstream segments (FEEDS), and the segments a
// bottleneck constrains (CONSTRAINS, followed downstream only).
const sliceRoots = `
CALL () {
  UNWIND $ids AS id MATCH (v:Enterprise {id: id}) RETURN v
  UNION UNWIND $ids AS id MATCH (v:Segment {id: id}) RETURN v
  UNION UNWIND $ids AS id MATCH (v:Bottleneck {id: id}) RETURN v
  UNION UNWIND $ids AS id MATCH (v:Region {code: id}) RETURN v
  UNION UNWIND $ids AS id MATCH (v:ChainMap {id: id}) RETURN v
}
RETURN collect(` + graphNode + `) AS nodes`

const sliceHop = `
CALL () {
  UNWIND $frontier AS id MATCH (a:Enterprise {id: id})-[:SUPPLIES]->(v:Enterprise) WHERE $down
  RETURN id AS from, v, 'SUPPLIES' AS type, true AS forward
  UNION ALL
  UNWIND $frontier AS id MATCH (a:Enterprise {id: id})<-[:SUPPLIES]-(v:Enterprise) WHERE $up
  RETURN id AS from, v, 'SUPPLIES' AS type, false AS forward
  UNION ALL
  UNWIND $frontier AS id MATCH (a:Segment {id: id})-[:FEEDS]->(v:Segment) WHERE $down
  RETURN id AS from, v, 'FEEDS' AS type, true AS forward
  UNION ALL
  UNWIND $frontier AS id MATCH (a:Segment {id: id})<-[:FEEDS]-(v:Segment) WHERE $up
  RETURN id AS from, v, 'FEEDS' AS type, false AS forward
  UNION ALL
  UNWIND $frontier AS id MATCH (a:Bottleneck {id: id})-[:CONSTRAINS]->(v:Segment) WHERE $down
  RETURN id AS from, v, 'CONSTRAINS' AS type, true AS forward
}
WITH from, v, type, forward ORDER BY from, type, coalesce(v.id, v.code) LIMIT $limit
RETURN from, type, forward, ` + graphNode + ` AS node`

// GraphSlice returns the neighbourhood of the roots: up to maxHops hops in direction (UPSTREAM, DOWNSTREAM or
// BOTH), at most maxNodes nodes.
func (db *DB) GraphSlice(ctx context.Context, rootIDs []string, direction string, maxHops, maxNodes int) (chainmap.GraphView, error) {
	res, err := db.read(ctx, "GraphSlice", sliceRoots, map[string]any{"ids": rootIDs})
	if err != nil {
		return chainmap.GraphView{}, err
	}
	g := newViewBuilder(maxNodes)
	var frontier []string
	for _, n := range props(res.Records[0].AsMap()).list("nodes") {
		if g.node(graphNodeFrom(n)) {
			frontier = append(frontier, n.str("id"))
		}
	}
	up, down := direction != "DOWNSTREAM", direction != "UPSTREAM"
	for hop := 0; hop < maxHops; hop++ {
		if g.full {
			frontier = nil
		}
		// Ask for a few more neighbours than the budget left: some are already drawn.
		res, err := db.read(ctx, "GraphSlice", oneRow(sliceHop, "from", "type", "forward", "node"), map[string]any{
			"frontier": nonNil(frontier), "up": up, "down": down, "limit": 2*(maxNodes-len(g.view.Nodes)) + 100})
		if err != nil {
			return chainmap.GraphView{}, err
		}
		var next []string
		for _, r := range rows(res) {
			n := graphNodeFrom(r.sub("node"))
			if g.node(n) {
				next = append(next, n.ID)
			}
			if r.boolean("forward") {
				g.edge(r.str("type"), r.str("from"), n.ID)
			} else {
				g.edge(r.str("type"), n.ID, r.str("from"))
			}
		}
		frontier = next
	}
	g.view.Truncated = g.full
	return g.finish(), nil
}

// viewBuilder gathers a graph view's nodes, once each, within a budget, and its edges between drawn nodes.
type viewBuilder struct {
	view  chainmap.GraphView
	seen  map[string]bool
	edges map[string]bool
	max   int
	full  bool // a node was refused for want of budget
}

func newViewBuilder(max int) *viewBuilder {
	return &viewBuilder{seen: map[string]bool{}, edges: map[string]bool{}, max: max}
}

// node adds n and reports whether it is new; a node over the budget is refused.
func (g *viewBuilder) node(n chainmap.GraphNode) bool {
	if g.seen[n.ID] {
		return false
	}
	if len(g.view.Nodes) >= g.max {
		g.full = true
		return false
	}
	if n.Province == "" && len(n.Provinces) > 0 {
		n.Province = n.Provinces[0]
	}
	g.seen[n.ID] = true
	g.view.Nodes = append(g.view.Nodes, n)
	return true
}

// edge adds an edge between two drawn nodes, once.
func (g *viewBuilder) edge(typ, source, target string) {
	id := source + ">" + typ + ">" + target
	if !g.seen[source] || !g.seen[target] || g.edges[id] {
		return
	}
	g.edges[id] = true
	g.view.Edges = append(g.view.Edges, chainmap.GraphEdge{ID: id, Type: typ, Source: source, Target: target})
}

// provinces adds the provinces of the drawn enterprises, and an edge from each enterprise to each of them.
func (g *viewBuilder) provinces() {
	names := map[string]string{chainmap.Beijing: "Beijing", chainmap.Tianjin: "Tianjin", chainmap.Hebei: "Hebei"}
	for _, n := range g.view.Nodes {
		if n.Type != "Enterprise" {
			continue
		}
		for _, p := range n.Provinces {
			g.node(chainmap.GraphNode{ID: p, Type: "Region", Name: names[p], Province: p})
			g.edge("LOCATED_IN", n.ID, p)
		}
	}
}

// finish orders nodes (by kind, then chain and position along it, then name) and edges, so that views are
// stable from one request to the next.
func (g *viewBuilder) finish() chainmap.GraphView {
	rank := map[string]int{"ChainMap": 0, "Segment": 1, "Bottleneck": 2, "Enterprise": 3, "Institution": 4, "Site": 5, "Region": 6}
	sort.SliceStable(g.view.Nodes, func(i, j int) bool {
		a, b := g.view.Nodes[i], g.view.Nodes[j]
		if rank[a.Type] != rank[b.Type] {
			return rank[a.Type] < rank[b.Type]
		}
		if a.ChainMapID != b.ChainMapID {
			return a.ChainMapID < b.ChainMapID
		}
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
	sort.SliceStable(g.view.Edges, func(i, j int) bool { return g.view.Edges[i].ID < g.view.Edges[j].ID })
	return g.view
}

func pairs(v any) [][2]string {
	list, _ := v.([]any)
	out := make([][2]string, 0, len(list))
	for _, x := range list {
		p, _ := x.([]any)
		if len(p) == 2 {
			out = append(out, [2]string{fmt.Sprint(p[0]), fmt.Sprint(p[1])})
		}
	}
	return out
}

func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}
