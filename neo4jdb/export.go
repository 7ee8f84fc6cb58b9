package neo4jdb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// Exports read with a result cursor (session.Run and Next), so that rows reach the writer as the server
// sends them, a fetch-size batch at a time, and memory stays flat whatever the size of the export.

// exportTimeout bounds an export's transaction on the server. It is longer than the query timeout of the API
// (an export of 100,000 rows takes seconds, not milliseconds); the caller's context still cancels it.
const exportTimeout = 10 * time.Minute

// stream runs one read statement in an auto-commit transaction and hands each record to each as it arrives.
func (db *DB) stream(ctx context.Context, method, cypher string, params map[string]any, each func(*neo4j.Record) error) error {
	if err := db.admit(method); err != nil {
		return err
	}
	db.count(ctx, method)
	ctx, span := db.startStatement(ctx, method, cypher, false)
	rows, err := db.streamRows(ctx, method, cypher, params, each)
	endStatement(span, rows, err)
	return err
}

func (db *DB) streamRows(ctx context.Context, method, cypher string, params map[string]any, each func(*neo4j.Record) error) (rows int, err error) {
	sess := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.cfg.Database, AccessMode: neo4j.AccessModeRead})
	defer sess.Close(context.WithoutCancel(ctx))
	tx := append(db.txConfig(ctx, method), neo4j.WithTxTimeout(max(exportTimeout, db.cfg.QueryTimeout)))
	res, err := sess.Run(ctx, cypher, params, tx...)
	if err != nil {
		return 0, db.wrap(method, err)
	}
	for res.Next(ctx) {
		if err := each(res.Record()); err != nil {
			return rows, err
		}
		rows++
	}
	if err := res.Err(); err != nil {
		return rows, db.wrap(method, err)
	}
	return rows, nil
}

// table streams the rows of a statement whose columns are the header, in order.
func (db *DB) table(ctx context.Context, method, cypher string, params map[string]any, w chainmap.TableWriter) error {
	header := false
	err := db.stream(ctx, method, cypher, params, func(rec *neo4j.Record) error {
		if !header {
			header = true
			if want := columnsOf(method); !slices.Equal(rec.Keys, want) {
				return fmt.Errorf("%s: the statement returns %v, the sheet's columns are %v", method, rec.Keys, want)
			}
			if err := w.Header(rec.Keys); err != nil {
				return err
			}
		}
		return w.Row(cells(rec.Values))
	})
	if err == nil && !header {
		// No row: the header still tells what the columns are.
		err = w.Header(columnsOf(method))
	}
	return err
}

// cells turns driver values into the cells of a TableWriter: lists are joined with "; ".
func cells(vals []any) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case []any:
			out[i] = joinValues(x, "; ")
		default:
			out[i] = x
		}
	}
	return out
}

// sourcesCell lists the sources a node @n cites (its sourceIds), each as "title <url>".
const sourcesCell = `COLLECT { UNWIND coalesce(@n.sourceIds, []) AS sid MATCH (src:Source {id: sid})
    RETURN src.title + CASE WHEN src.url IS NULL THEN '' ELSE ' <' + src.url + '>' END } AS sources,
  COLLECT { UNWIND coalesce(@n.sourceIds, []) AS sid MATCH (src:Source {id: sid}) WHERE src.date IS NOT NULL
    RETURN src.date ORDER BY src.date DESC LIMIT 1 }[0] AS sourcesAsOf`

// exportSheets names the sheet (chainmap.Sheets) whose exported columns each export method returns, in order.
var exportSheets = map[string]string{"ExportEnterprises": chainmap.SheetEnterprises, "ExportSites": chainmap.SheetSites,
	"ExportBottlenecks": chainmap.SheetBottlenecks}

func columnsOf(method string) []string {
	s, _ := chainmap.SheetByName(exportSheets[method])
	return s.Exported()
}

// exportEnterprises projects each enterprise of the list's MATCH as one row; the columns are the enterprises
// sheet's (chainmap.Sheets), editable ones as an upload reads them (ids, codes), read-only ones for reading.
var exportEnterprises = `
WITH e ORDER BY e.id
RETURN e.id AS id, e.name AS name, e.nameZh AS nameZh, e.nameEn AS nameEn, e.chainRole AS chainRole,
  COLLECT { MATCH (e)-[:ACTIVE_IN]->(s:Segment) RETURN DISTINCT s.chainMapId ORDER BY s.chainMapId } AS chainMaps,
  COLLECT { MATCH (e)-[:ACTIVE_IN]->(s:Segment) RETURN s.id ORDER BY s.chainMapId, s.order } AS segmentIds,
  COLLECT { MATCH (e)-[:ACTIVE_IN]->(s:Segment) RETURN s.name + ' (' + s.id + ')' ORDER BY s.chainMapId, s.order } AS segments,
  COLLECT { MATCH (e)-[:ACTIVE_IN]->(s:Segment) RETURN DISTINCT s.stage ORDER BY s.stage } AS stages,
  COLLECT { MATCH (e)-[:OPERATES]->(:Site)-[:LOCATED_IN]->(r:Region) MATCH (p:Region {code: r.province})
    RETURN DISTINCT p.name ORDER BY p.name } AS provinces,
  COLLECT { MATCH (e)-[:OPERATES]->(x)-[:LOCATED_IN]->(r:Region)
    RETURN x.kind + ' ' + coalesce(r.nameZh, r.name) + ' (' + r.code + ')' ORDER BY x.kind, r.code } AS sites,
  coalesce(e.synthetic, false) AS synthetic, e.confidence AS confidence, e.description AS description,
  coalesce(e.sourceIds, []) AS sourceIds,
  ` + scope{"n": "e"}.fill(sourcesCell)

// ExportEnterprises streams the enterprises of the filter (the filter of the enterprises list), ordered by
// id, one row each, to w.
func (db *DB) ExportEnterprises(ctx context.Context, f chainmap.EnterpriseFilter, w chainmap.TableWriter) error {
	match, params := enterprises.match(enterpriseConds(f))
	return db.table(ctx, "ExportEnterprises", match+exportEnterprises, params, w)
}

// exportSites projects the sites of each enterprise of the list's MATCH as rows of the sites sheet.
var exportSites = `
WITH e ORDER BY e.id
MATCH (e)-[:OPERATES]->(x)
WITH e, x ORDER BY e.id, x.id
OPTIONAL MATCH (x)-[:LOCATED_IN]->(r:Region)
RETURN x.id AS id, e.id AS enterprise, x.kind AS kind, coalesce(r.code, x.regionCode) AS region,
  coalesce(r.nameZh, r.name) AS regionName, COLLECT { MATCH (x)-[:IN_PARK]->(p:Park) RETURN p.id }[0] AS park,
  x.name AS name, x.since AS since, x.capacity AS capacity`

// ExportSites streams the sites of the enterprises of the filter, ordered by enterprise and id, to w.
func (db *DB) ExportSites(ctx context.Context, f chainmap.EnterpriseFilter, w chainmap.TableWriter) error {
	match, params := enterprises.match(enterpriseConds(f))
	return db.table(ctx, "ExportSites", match+exportSites, params, w)
}

// exportBottlenecks projects each bottleneck of the list's MATCH as one row; tacklerIds read
// "id (since, status)", as an upload reads them, and tacklers the same with names.
var exportBottlenecks = `
WITH b ORDER BY b.id
RETURN b.id AS id, b.name AS name, b.nameZh AS nameZh, b.nameEn AS nameEn, b.kind AS kind, b.category AS category,
  b.severity AS severity, b.status AS status,
  COLLECT { MATCH (b)-[:CONSTRAINS]->(s:Segment) RETURN DISTINCT s.chainMapId ORDER BY s.chainMapId } AS chainMaps,
  COLLECT { MATCH (b)-[:CONSTRAINS]->(s:Segment) RETURN s.id ORDER BY s.chainMapId, s.order } AS segmentIds,
  COLLECT { MATCH (b)-[:CONSTRAINS]->(s:Segment) RETURN s.name + ' (' + s.id + ')' ORDER BY s.chainMapId, s.order } AS segments,
  COLLECT { MATCH (t)-[r:TACKLES]->(b)
    RETURN t.id + CASE WHEN r.since IS NULL AND r.status IS NULL THEN ''
      ELSE ' (' + coalesce(toString(r.since), '?') + ', ' + coalesce(r.status, '?') + ')' END ORDER BY t.id } AS tacklerIds,
  COLLECT { MATCH (t)-[r:TACKLES]->(b)
    RETURN t.name + ' (' + coalesce(toString(r.since), '?') + ', ' + coalesce(r.status, '?') + ')' ORDER BY t.id } AS tacklers,
  b.description AS description, b.confidence AS confidence, coalesce(b.sourceIds, []) AS sourceIds,
  ` + scope{"n": "b"}.fill(sourcesCell)

// ExportBottlenecks streams the bottlenecks of the filter (the filter of the bottlenecks list), ordered by id,
// one row each, to w.
func (db *DB) ExportBottlenecks(ctx context.Context, f chainmap.BottleneckFilter, w chainmap.TableWriter) error {
	match, params := bottlenecks.match(bottleneckConds(f))
	return db.table(ctx, "ExportBottlenecks", match+exportBottlenecks, params, w)
}

// exportNode projects a node of any label as {id, label, attrs}.
const exportNode = `{id: coalesce(n.id, n.code), label: labels(n)[0], attrs: {
  name: n.name, nameZh: n.nameZh, nameEn: n.nameEn, stage: n.stage, order: n.order, kind: n.kind,
  category: n.category, severity: n.severity, status: n.status, chainRole: n.chainRole, level: n.level,
  regionCode: n.regionCode, province: n.province, synthetic: coalesce(n.synthetic, false), confidence: n.confidence,
  sources: n.sourceIds, sourcesAsOf: COLLECT { UNWIND coalesce(n.sourceIds, []) AS sid MATCH (src:Source {id: sid})
    WHERE src.date IS NOT NULL RETURN src.date ORDER BY src.date DESC LIMIT 1 }[0]}}`

// exportGraphNodes reads the nodes of a chain map's graph, each once: the map, its segments, the enterprises
// and institutions active in them and the enterprises' sites, the bottlenecks and their tacklers, the ends of
// its R&D→manufacturing links, and the regions (the geography every site and institution sits in).
var exportGraphNodes = `
MATCH (c:ChainMap {id: $id})
CALL (c) {
  RETURN c AS n
  UNION
  MATCH (c)-[:HAS_SEGMENT]->(n:Segment) RETURN n
  UNION
  MATCH (c)-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(n) RETURN n
  UNION
  MATCH (c)-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(:Enterprise)-[:OPERATES]->(n:Site) RETURN n
  UNION
  MATCH (c)-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(n:Bottleneck) RETURN n
  UNION
  MATCH (c)-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(:Bottleneck)<-[:TACKLES]-(n) RETURN n
  UNION
  MATCH (n:Region) RETURN n
  UNION
  ` + graphLinks + `
  UNWIND [a, b, ent] AS n
  WITH n WHERE n IS NOT NULL
  RETURN n
}
RETURN ` + exportNode + ` AS node`

// graphLinks are the R&D→manufacturing links of the chain map (rdLinkRows, derived ones included).
var graphLinks = replace(rdLinkRowsInChain("$id", "", "true"), "\n", "\n  ") + `
  WITH * WHERE ` + linkActiveIn("{chainMapId: $id}")

// exportGraphEdges reads the relationships that may join two nodes of the graph; ExportGraph keeps those whose
// two ends it wrote.
var exportGraphEdges = `
MATCH (c:ChainMap {id: $id})
CALL (c) {
  MATCH (c)-[r:HAS_SEGMENT]->(b:Segment) RETURN c AS a, r, b
  UNION ALL
  MATCH (c)-[:HAS_SEGMENT]->(a:Segment)-[r:FEEDS]->(b:Segment) RETURN a, r, b
  UNION ALL
  MATCH (c)-[:HAS_SEGMENT]->(b:Segment)<-[r:ACTIVE_IN]-(a) RETURN a, r, b
  UNION ALL
  MATCH (c)-[:HAS_SEGMENT]->(b:Segment)<-[r:CONSTRAINS]-(a:Bottleneck) RETURN a, r, b
  UNION ALL
  MATCH (c)-[:HAS_SEGMENT]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck)<-[r:TACKLES]-(a) RETURN DISTINCT a, r, b
  UNION ALL
  MATCH (c)-[:HAS_SEGMENT]->(:Segment)<-[:ACTIVE_IN]-(e:Enterprise) WITH DISTINCT e
  CALL (e) {
    MATCH (e)-[r:OPERATES]->(b) RETURN e AS a, r, b
    UNION ALL
    MATCH (e)-[:OPERATES]->(a)-[r:LOCATED_IN]->(b:Region) RETURN a, r, b
    UNION ALL
    MATCH (e)-[r:SUPPLIES]->(b:Enterprise) RETURN e AS a, r, b
  }
  RETURN a, r, b
  UNION ALL
  MATCH (a:Institution)-[r:LOCATED_IN]->(b:Region) RETURN a, r, b
  UNION ALL
  MATCH (a:Region)-[r:PART_OF]->(b:Region) RETURN a, r, b
}
RETURN coalesce(a.id, a.code) AS source, coalesce(b.id, b.code) AS target, type(r) AS type,
  coalesce(r.id, type(r) + ':' + coalesce(a.id, a.code) + '>' + coalesce(b.id, b.code)) AS id,
  {kind: r.kind, year: r.year, contracts: r.contracts, valueCny: r.valueCny, since: r.since, status: r.status,
   product: r.product, sources: r.sourceIds} AS attrs
UNION ALL
` + graphLinks + `
WITH a, b, ent, id, derived, t WHERE a IS NOT NULL AND b IS NOT NULL
RETURN coalesce(a.id, a.code) AS source, coalesce(b.id, b.code) AS target, 'TRANSFERS_TECH_TO' AS type, id,
  {kind: t.kind, year: t.year, contracts: t.contracts, valueCny: t.valueCny, derived: derived,
   sources: CASE WHEN t IS NULL THEN null ELSE t.sourceIds END} AS attrs`

// ExportGraph streams the graph of a chain map to w: its nodes (with their attributes), then every edge
// between two of them. It returns chainmap.ErrNotFound when there is no such chain map. The writer keeps a set
// of the ids written, to drop edges that would dangle, so memory grows with the number of nodes (ids only).
func (db *DB) ExportGraph(ctx context.Context, chainMapID string, w chainmap.GraphWriter) error {
	params := map[string]any{"id": chainMapID}
	seen := map[string]bool{}
	err := db.stream(ctx, "ExportGraph", exportGraphNodes, params, func(rec *neo4j.Record) error {
		m, err := recordMap(rec, "node")
		if err != nil {
			return err
		}
		id := m.str("id")
		if seen[id] {
			return nil // a node with two labels of the UNION's branches cannot come twice, but be safe
		}
		seen[id] = true
		return w.Node(chainmap.ExportNode{ID: id, Type: m.str("label"), Attrs: exportAttrs(m.sub("attrs"))})
	})
	if err != nil {
		return err
	}
	if len(seen) == 0 {
		return fmt.Errorf("chain map %q: %w", chainMapID, chainmap.ErrNotFound)
	}
	return db.stream(ctx, "ExportGraph", exportGraphEdges, params, func(rec *neo4j.Record) error {
		m := props(rec.AsMap())
		src, dst := m.str("source"), m.str("target")
		if !seen[src] || !seen[dst] {
			return nil
		}
		return w.Edge(chainmap.ExportEdge{ID: m.str("id"), Source: src, Target: dst, Type: m.str("type"),
			Attrs: exportAttrs(m.sub("attrs"))})
	})
}

// exportAttrs drops absent values and joins lists (source ids) with ";".
func exportAttrs(m props) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch x := v.(type) {
		case nil:
		case []any:
			if len(x) > 0 {
				out[k] = joinValues(x, ";")
			}
		default:
			out[k] = x
		}
	}
	return out
}

// joinValues writes the values of a driver list as text, separated by sep.
func joinValues(vals []any, sep string) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, sep)
}
