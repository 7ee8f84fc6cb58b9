package neo4jdb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// Curated data carries origin "seed"; only it is ever pruned. Synthetic data carries "gen", data created
// through the API "api".
const originSeed = "seed"

// row is one node or relationship to write: its key and the full set of its properties.
type row = map[string]any

// nodeSet is the rows of one label. Labels and key names come from the constants below, never from input.
type nodeSet struct {
	label, key string
	rows       []row
}

// relSpec is one relationship type between two labels. Keyed relationships (several may join the same two
// nodes) are merged on their id property; the others on their endpoints alone.
type relSpec struct {
	typ                      string
	from, fromKey, to, toKey string
	keyed                    bool
}

type relSet struct {
	relSpec
	rows []row
}

// relSpecs lists every curated relationship: the writer merges them and --prune deletes those no longer in
// the seeds, for each spec, whether or not the new dataset has rows of it.
var relSpecs = []relSpec{
	{typ: "HAS_SEGMENT", from: "ChainMap", fromKey: "id", to: "Segment", toKey: "id"},
	{typ: "LED_BY", from: "ChainMap", fromKey: "id", to: "Region", toKey: "code"},
	{typ: "FEEDS", from: "Segment", fromKey: "id", to: "Segment", toKey: "id"},
	{typ: "PART_OF", from: "Region", fromKey: "code", to: "Region", toKey: "code"},
	{typ: "ACTIVE_IN", from: "Enterprise", fromKey: "id", to: "Segment", toKey: "id"},
	{typ: "ACTIVE_IN", from: "Institution", fromKey: "id", to: "Segment", toKey: "id"},
	{typ: "OPERATES", from: "Enterprise", fromKey: "id", to: "Site", toKey: "id"},
	{typ: "LOCATED_IN", from: "Site", fromKey: "id", to: "Region", toKey: "code"},
	{typ: "LOCATED_IN", from: "Park", fromKey: "id", to: "Region", toKey: "code"},
	{typ: "LOCATED_IN", from: "Institution", fromKey: "id", to: "Region", toKey: "code"},
	{typ: "IN_PARK", from: "Site", fromKey: "id", to: "Park", toKey: "id"},
	{typ: "BRANCH_OF", from: "Enterprise", fromKey: "id", to: "Enterprise", toKey: "id"},
	{typ: "SUPPLIES", from: "Enterprise", fromKey: "id", to: "Enterprise", toKey: "id", keyed: true},
	{typ: "CONSTRAINS", from: "Bottleneck", fromKey: "id", to: "Segment", toKey: "id"},
	{typ: "TACKLES", from: "Enterprise", fromKey: "id", to: "Bottleneck", toKey: "id"},
	{typ: "TACKLES", from: "Institution", fromKey: "id", to: "Bottleneck", toKey: "id"},
	{typ: "TRANSFERS_TECH_TO", from: "Site", fromKey: "id", to: "Site", toKey: "id", keyed: true},
	{typ: "TRANSFERS_TECH_TO", from: "Site", fromKey: "id", to: "Enterprise", toKey: "id", keyed: true},
	{typ: "TRANSFERS_TECH_TO", from: "Institution", fromKey: "id", to: "Site", toKey: "id", keyed: true},
	{typ: "TRANSFERS_TECH_TO", from: "Institution", fromKey: "id", to: "Enterprise", toKey: "id", keyed: true},
	{typ: "HAS_VALUE", from: "Indicator", fromKey: "id", to: "IndicatorValue", toKey: "id"},
	// Official lists (issue 10): a chain map's lists, their entries, and what each entry is in the graph.
	{typ: "HAS_LIST", from: "ChainMap", fromKey: "id", to: "OfficialList", toKey: "id"},
	{typ: "ISSUED_BY", from: "OfficialList", fromKey: "id", to: "Institution", toKey: "id"},
	{typ: "HAS_ITEM", from: "OfficialList", fromKey: "id", to: "ListItem", toKey: "id"},
	{typ: "REFERS_TO", from: "ListItem", fromKey: "id", to: "Bottleneck", toKey: "id"},
	{typ: "REFERS_TO", from: "ListItem", fromKey: "id", to: "Enterprise", toKey: "id"},
	{typ: "REFERS_TO", from: "ListItem", fromKey: "id", to: "Segment", toKey: "id"},
}

// citingLabels are the labels whose nodes cite sources with CITED_IN relationships.
var citingLabels = []string{"Region", "ChainMap", "Segment", "Enterprise", "Site", "Institution", "Park",
	"Bottleneck", "Indicator", "IndicatorValue", "OfficialList", "ListItem"}

func init() {
	for _, l := range citingLabels {
		key := "id"
		if l == "Region" {
			key = "code"
		}
		relSpecs = append(relSpecs, relSpec{typ: "CITED_IN", from: l, fromKey: key, to: "Source", toKey: "id"})
	}
	kindCounts = countKinds()
}

// nodeLabels lists the curated labels and their keys, in write order.
var nodeLabels = []struct{ label, key string }{
	{"Source", "id"}, {"Region", "code"}, {"ChainMap", "id"}, {"Segment", "id"}, {"Enterprise", "id"},
	{"Site", "id"}, {"Institution", "id"}, {"Park", "id"}, {"Bottleneck", "id"}, {"Indicator", "id"},
	{"IndicatorValue", "id"}, {"OfficialList", "id"}, {"ListItem", "id"},
}

// recordLabels are the labels whose nodes also carry :Record, the label of the record_id constraint (one id
// names one record across kinds; see schema/001_constraints.cypher).
var recordLabels = map[string]bool{"Source": true, "ChainMap": true, "Segment": true, "Enterprise": true,
	"Site": true, "Institution": true, "Park": true, "Bottleneck": true, "Indicator": true}

// A kind's rows are written in at most three statements, however many there are, none of which makes Neo4j
// hold all the rows at once (an Eager step): the first only reads, and finds the rows whose node or
// relationship is missing and those whose properties differ; the second merges the missing ones (MERGE …
// ON CREATE: a record an editor created meanwhile is not duplicated); the third sets the differing ones.
// Rows the graph already holds as they are cost one index lookup and no write.
type kindCypher struct{ classify, create, update string }

// replanSkip keeps a load's statements on the plans Neo4j made for them first: replanning some hundred
// statements every time a load changes the counts cost more than the writes of a small load (half of the seeds'
// load time). Those plans are made when a first load runs them on an empty graph, where every plan costs the
// same; so each lookup names its index (USING INDEX), and each is an index seek whatever the counts.
const replanSkip = "CYPHER replan=skip"

// classifyCypher returns, by index into $rows, the rows of a kind that are missing and those that differ: @find
// binds each row's node or relationship to old, @same holds when old is as the row has it.
const classifyCypher = replanSkip + `
UNWIND range(0, size($rows) - 1) AS i
WITH i, $rows[i] AS row
@find
WITH i, row, old WHERE old IS NULL OR NOT (@same)
RETURN collect(CASE WHEN old IS NULL THEN i END) AS missing, collect(CASE WHEN old IS NOT NULL THEN i END) AS changed`

func nodeCypher(label, key string) kindCypher {
	s := scope{"label": label, "key": key, "same": "properties(old) = row.props", "record": ""}
	if recordLabels[label] {
		s["same"], s["record"] = s["same"]+" AND old:Record", ", n:Record"
	}
	s["find"] = s.fill("OPTIONAL MATCH (old:@label {@key: row.key}) USING INDEX old:@label(@key)")
	return kindCypher{
		classify: s.fill(classifyCypher),
		create: s.fill(replanSkip + `
UNWIND $rows AS row
MERGE (n:@label {@key: row.key}) ON CREATE SET n = row.props@record`),
		update: s.fill(replanSkip + `
UNWIND $rows AS row
MATCH (n:@label {@key: row.key}) USING INDEX n:@label(@key)
SET n = row.props@record`),
	}
}

func relCypher(spec relSpec) kindCypher {
	s := spec.scope()
	// A keyed relationship is found by its id, through its index (the plan made on an empty graph scanned the
	// whole index per row once the graph held the links: a reload of 20,000 supply links, 400 M db hits, 2
	// min); the others by their endpoints.
	pattern, seek := "(a)-[@v:@type]->(b)", ""
	if spec.keyed {
		pattern, seek = "(a)-[@v:@type {id: row.props.id}]->(b)", " USING INDEX SEEK @v:@type(id)"
	}
	s["ends"] = s.fill("MATCH (a:@from {@fromKey: row.from}) USING INDEX a:@from(@fromKey)\nMATCH (b:@to {@toKey: row.to}) USING INDEX b:@to(@toKey)")
	s["v"] = "old"
	s["find"], s["same"] = s["ends"]+"\nOPTIONAL MATCH "+s.fill(pattern+seek), "properties(old) = row.props"
	s["v"] = "r"
	s["rel"] = s.fill(pattern) // found from its ends, bound by their index seeks
	return kindCypher{
		classify: s.fill(classifyCypher),
		create: s.fill(replanSkip + `
UNWIND $rows AS row
@ends
MERGE @rel ON CREATE SET r = row.props`),
		update: s.fill(replanSkip + `
UNWIND $rows AS row
@ends
MATCH @rel
SET r = row.props`),
	}
}

// scope names the spec's type, labels and keys for the fragments of its statements.
func (s relSpec) scope() scope {
	return scope{"type": s.typ, "from": s.from, "fromKey": s.fromKey, "to": s.to, "toKey": s.toKey}
}

// kindCounts counts, from Neo4j's count store, the nodes of each curated label and the relationships of each
// curated type ("Label" and ":TYPE"). Made by init, once relSpecs is complete.
var kindCounts string

func countKinds() string {
	var parts []string
	for _, n := range nodeLabels {
		parts = append(parts, scope{"label": n.label}.fill(`MATCH (n:@label) WITH count(n) AS n RETURN '@label' AS kind, n`))
	}
	seen := map[string]bool{}
	for _, r := range relSpecs {
		if !seen[r.typ] {
			seen[r.typ] = true
			parts = append(parts, r.scope().fill(`MATCH ()-[r:@type]->() WITH count(r) AS n RETURN ':@type' AS kind, n`))
		}
	}
	return replanSkip + "\n" + strings.Join(parts, "\nUNION ALL\n") // a count store's plan fits any counts
}

// emptyKinds returns the curated labels and relationship types ("Label", ":TYPE") of which the graph holds
// nothing: a first load's kinds, whose rows need no classify step (50 of a first load's 109 statements).
func emptyKinds(run txRunner) (map[string]bool, error) {
	recs, err := run(kindCounts, nil)
	if err != nil {
		return nil, err
	}
	empty := map[string]bool{}
	for _, rec := range recs {
		kind, _ := rec.Get("kind")
		if k, ok := kind.(string); ok && recInt(rec, "n") == 0 {
			empty[k] = true
		}
	}
	return empty, nil
}

// classify returns the rows of a kind whose node or relationship the graph is missing, and those it holds with
// other properties (kindCypher.classify).
func classify(run func(string, map[string]any) (*neo4j.Record, error), q kindCypher, rows []row) (missing, changed []row, err error) {
	rec, err := run(q.classify, map[string]any{"rows": rows})
	if err != nil {
		return nil, nil, err
	}
	pick := func(key string) []row {
		v, _ := rec.Get(key)
		idx, _ := v.([]any)
		seen := make(map[int64]bool, len(idx))
		out := make([]row, 0, len(idx))
		for _, x := range idx {
			// A relationship the graph holds twice is one row.
			if i, ok := x.(int64); ok && !seen[i] {
				seen[i] = true
				out = append(out, rows[i])
			}
		}
		return out
	}
	return pick("missing"), pick("changed"), nil
}

// prunePreviewCypher counts the curated nodes of a label, those a prune would delete, and those of the latter
// that records created through the API or by gen still refer to (a site in a curated region, a firm active in
// a curated segment): deleting those would leave API data dangling.
func prunePreviewCypher(label, key string) string {
	return scope{"label": label, "key": key}.fill(`
MATCH (n:@label) WHERE n.origin = 'seed'
WITH n, NOT n.@key IN $keys AND n.editedFields IS NULL AS gone
RETURN count(n) AS curated, count(CASE WHEN gone THEN 1 END) AS gone,
       count(CASE WHEN gone AND EXISTS { (n)-[r]-(m) WHERE m.origin IN ['api', 'gen'] OR r.origin IN ['api', 'gen'] } THEN 1 END) AS needed,
       [x IN collect(CASE WHEN gone THEN n.@key END)][..3] AS examples`)
}

// statusIntoHistory appends a history entry to each bottleneck whose status is not where its history ends: the
// status the seed files (or a -reset) gave it. So a status and its history never disagree.
const statusIntoHistory = `
UNWIND $ids AS id
MATCH (b:Bottleneck {id: id})
CALL (b) {
  MATCH (b)-[:HAS_STATUS_CHANGE]->(c:StatusChange)
  RETURN c ORDER BY c.seq DESC LIMIT 1
}
WITH b, c WHERE c.to <> coalesce(b.status, 'OPEN')
CREATE (b)-[:HAS_STATUS_CHANGE]->(:StatusChange {id: randomUUID(), seq: c.seq + 1, from: c.to, to: coalesce(b.status, 'OPEN'),
  note: 'set by the seed files', author: $author, at: toString(datetime.realtime())})
RETURN count(*) AS appended`

// sharedSites lists sites $ids that more than one enterprise operates. It starts from each site's index and
// reaches the operators from there (OPERATES leads only from enterprises): planned again after a first load,
// the pattern with labels on both ends once took 76 s for 10,000 firms' sites.
const sharedSites = `
UNWIND $ids AS id
MATCH (s:Site {id: id}) USING INDEX s:Site(id)
WITH s, COLLECT { MATCH (s)<-[:OPERATES]-(o) RETURN o.id } AS owners WHERE size(owners) > 1
RETURN s.id AS id, owners ORDER BY id LIMIT 5`

// pruneNodesCypher deletes the curated nodes of a label that the seeds no longer hold, except those an editor
// changed and the sites an editor set ($keep).
func pruneNodesCypher(label, key string) string {
	return scope{"label": label, "key": key}.fill(`
MATCH (n:@label) WHERE n.origin = 'seed' AND NOT n.@key IN $keys AND n.editedFields IS NULL AND NOT n.@key IN $keep
DETACH DELETE n
RETURN count(*) AS removed`)
}

// pruneRelsCypher deletes the curated relationships of a spec that the seeds no longer hold, except those an
// editor changed and those whose owner's field an editor set ($skipFrom, $skipTo: see ownerOf).
func pruneRelsCypher(s relSpec) string {
	return s.scope().fill(`
MATCH (a:@from)-[r:@type]->(b:@to)
WHERE r.origin = 'seed' AND NOT (toString(a.@fromKey) + '>' + toString(b.@toKey) + '#' + coalesce(r.id, '')) IN $keys
  AND r.editedFields IS NULL AND NOT a.@fromKey IN $skipFrom AND NOT b.@toKey IN $skipTo
DELETE r
RETURN count(*) AS removed`)
}

// WriteDataset writes a curated dataset in one write transaction, in at most three UNWIND statements per
// label and per relationship spec however many rows each has (kindCypher: the statements a load runs depend on
// the kinds, never on the number of records): all of it or,
// on any error or when opts.Progress returns an error, none of it. Each node and relationship gets exactly the
// properties of its record (SET n = props), so writing the same dataset twice changes nothing — except where
// an editor changed a curated record: the fields the editor set keep the editor's values (edits.go), unless
// opts.Reset. A bottleneck whose status the load changes gets the change in its history.
func (db *DB) WriteDataset(ctx context.Context, ds *chainmap.Dataset, opts chainmap.LoadOptions) (chainmap.LoadSummary, error) {
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.cfg.Database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(context.Background())

	work := func(tx neo4j.ManagedTransaction) (any, error) {
		var summary chainmap.LoadSummary
		collect := func(cypher string, params map[string]any) ([]*neo4j.Record, error) {
			db.count(ctx, "WriteDataset")
			res, err := tx.Run(ctx, cypher, params)
			if err != nil {
				return nil, err
			}
			return res.Collect(ctx)
		}
		le, err := readLoadEdits(collect)
		if err != nil {
			return nil, fmt.Errorf("read edits: %w", err)
		}
		nodes, rels := datasetRows(ds)
		var resets []*change
		if opts.Reset {
			if resets, err = le.startResets(collect); err != nil {
				return nil, fmt.Errorf("reset: %w", err)
			}
			le = &loadEdits{}
		} else {
			summary.Kept, summary.Conflicts = le.keep(nodes, rels, ds)
		}
		total := 0
		for _, n := range nodes {
			total += len(n.rows)
		}
		for _, r := range rels {
			total += len(r.rows)
		}
		if opts.Prune {
			total += len(nodeLabels) + len(relSpecs)
		}
		counts := map[string]*chainmap.LoadCounts{}
		var order []string
		get := func(kind string) *chainmap.LoadCounts {
			if counts[kind] == nil {
				counts[kind] = &chainmap.LoadCounts{Kind: kind}
				order = append(order, kind)
			}
			return counts[kind]
		}
		done := 0
		step := func(name string, n int) error {
			done += n
			if opts.Progress == nil {
				return nil
			}
			return opts.Progress(chainmap.Progress{Step: name, Done: done, Total: total})
		}
		run := func(cypher string, params map[string]any) (*neo4j.Record, error) {
			db.count(ctx, "WriteDataset")
			res, err := tx.Run(ctx, cypher, params)
			if err != nil {
				return nil, err
			}
			return res.Single(ctx)
		}
		empty, err := emptyKinds(collect)
		if err != nil {
			return nil, fmt.Errorf("count kinds: %w", err)
		}
		// write runs a kind's statements (kindCypher), counts what they did, and passes the rows it created or
		// changed to note. A kind the graph held none of when the load began skips the classify step: every
		// row is missing.
		var touch touched
		write := func(kind string, q kindCypher, rows []row, none bool, note func([]row)) error {
			c := get(kind)
			if len(rows) == 0 {
				return nil
			}
			missing, changed := rows, []row(nil) // none: every row is missing
			if !none {
				var err error
				if missing, changed, err = classify(run, q, rows); err != nil {
					return fmt.Errorf("write %s: %w", kind, err)
				}
			}
			note(slices.Concat(missing, changed))
			created := 0
			if len(missing) > 0 {
				db.count(ctx, "WriteDataset")
				res, err := tx.Run(ctx, q.create, map[string]any{"rows": missing})
				if err != nil {
					return fmt.Errorf("write %s: %w", kind, err)
				}
				sum, err := res.Consume(ctx)
				if err != nil {
					return fmt.Errorf("write %s: %w", kind, err)
				}
				created = sum.Counters().NodesCreated() + sum.Counters().RelationshipsCreated()
			}
			if len(changed) > 0 {
				if _, err := collect(q.update, map[string]any{"rows": changed}); err != nil {
					return fmt.Errorf("write %s: %w", kind, err)
				}
			}
			c.Created += created
			c.Updated += len(changed)
			c.Unchanged += len(rows) - created - len(changed)
			return step(kind, len(rows))
		}
		if opts.Prune && !opts.Force {
			// Before writing anything: the loader holds the only writes of curated nodes, so what it counts
			// here is what the prune below deletes.
			if err := checkPrune(nodes, opts.MaxPrune, func(cypher string, params map[string]any) (*neo4j.Record, error) {
				return run(cypher, params)
			}); err != nil {
				return nil, err
			}
		}
		for _, n := range nodes {
			if err := write(n.label, nodeCypher(n.label, n.key), n.rows, empty[n.label], func(rows []row) { touch.nodes(n.label, rows) }); err != nil {
				return nil, err
			}
		}
		for _, r := range rels {
			if err := write(r.typ, relCypher(r.relSpec), r.rows, empty[":"+r.typ], func(rows []row) { touch.rels(r.relSpec, rows) }); err != nil {
				return nil, err
			}
		}
		// A site has one operator. Creating OPERATES took each site's lock, and an editor's upsert checks
		// under the same lock, so what this sees is final.
		var siteIDs []any
		for _, n := range nodes {
			if n.label == "Site" {
				for _, row := range n.rows {
					siteIDs = append(siteIDs, row["key"])
				}
			}
		}
		if len(siteIDs) > 0 {
			db.count(ctx, "WriteDataset")
			res, err := tx.Run(ctx, sharedSites, map[string]any{"ids": siteIDs})
			if err != nil {
				return nil, err
			}
			recs, err := res.Collect(ctx)
			if err != nil {
				return nil, err
			}
			if len(recs) > 0 {
				var shared []string
				for _, rec := range recs {
					id, _ := rec.Get("id")
					owners, _ := rec.Get("owners")
					shared = append(shared, fmt.Sprintf("%v (operated by %v)", id, owners))
				}
				return nil, fmt.Errorf("sites operated by more than one enterprise (an editor gave them to another "+
					"firm through the API; rename the site in the seeds or remove it from that firm): %s", strings.Join(shared, ", "))
			}
		}
		if opts.Prune {
			// Relationships first: pruning a node deletes its relationships, which would then go uncounted.
			for _, r := range rels {
				keys := make([]string, len(r.rows))
				for i, row := range r.rows {
					id, _ := row["props"].(map[string]any)["id"].(string)
					keys[i] = fmt.Sprint(row["from"]) + ">" + fmt.Sprint(row["to"]) + "#" + id
				}
				skipFrom, skipTo := []string{}, []string{}
				if owner, ok := ownerOf(r.relSpec); ok && owner.end == "to" {
					skipTo = le.pruneSkips(r.relSpec)
				} else if ok {
					skipFrom = le.pruneSkips(r.relSpec)
				}
				rec, err := run(pruneRelsCypher(r.relSpec), map[string]any{"keys": keys, "skipFrom": skipFrom, "skipTo": skipTo})
				if err != nil {
					return nil, fmt.Errorf("prune %s: %w", r.typ, err)
				}
				removed := recInt(rec, "removed")
				get(r.typ).Removed += removed
				touch.all = touch.all || removed > 0
				if err := step("prune "+r.typ, 1); err != nil {
					return nil, err
				}
			}
			for _, n := range nodes {
				keys := make([]any, len(n.rows))
				for i, row := range n.rows {
					keys[i] = row["key"]
				}
				keep := []string{}
				if n.label == "Site" {
					keep = le.keptSites()
				}
				rec, err := run(pruneNodesCypher(n.label, n.key), map[string]any{"keys": keys, "keep": keep})
				if err != nil {
					return nil, fmt.Errorf("prune %s: %w", n.label, err)
				}
				removed := recInt(rec, "removed")
				get(n.label).Removed += removed
				touch.all = touch.all || removed > 0
				if err := step("prune "+n.label, 1); err != nil {
					return nil, err
				}
			}
		}
		var bottlenecks []string
		for _, b := range ds.Bottlenecks {
			bottlenecks = append(bottlenecks, b.ID)
		}
		author := "chainmap load"
		if opts.Reset {
			author = "chainmap load -reset"
		}
		if _, err := collect(statusIntoHistory, map[string]any{"ids": bottlenecks, "author": author}); err != nil {
			return nil, fmt.Errorf("status history: %w", err)
		}
		if err := touch.maintain(collect); err != nil {
			return nil, err
		}
		for _, c := range resets {
			if err := c.commit(collect); err != nil {
				return nil, fmt.Errorf("reset %s: %w", c.id, err)
			}
		}
		summary.Reset = len(resets)
		counted := map[string]any{"prune": opts.Prune, "reset": opts.Reset, "kept": summary.Kept, "conflicts": len(summary.Conflicts)}
		for _, k := range order {
			summary.Counts = append(summary.Counts, *counts[k])
			counted[k] = counts[k]
		}
		db.count(ctx, "WriteDataset")
		if err := logRun(ctx, tx, "load", counted, "chainmap load"); err != nil {
			return nil, fmt.Errorf("change log: %w", err)
		}
		return summary, nil
	}
	out, err := session.ExecuteWrite(ctx, work, neo4j.WithTxMetadata(map[string]any{"app": "chainmap", "method": "WriteDataset"}))
	if err != nil {
		return chainmap.LoadSummary{}, db.wrap("write dataset", err)
	}
	return out.(chainmap.LoadSummary), nil
}

// checkPrune refuses (chainmap.ErrPruneRefused) a prune of an empty dataset, of more than maxShare of the
// curated nodes, or of curated nodes that API or synthetic records refer to.
func checkPrune(nodes []nodeSet, maxShare float64, run func(string, map[string]any) (*neo4j.Record, error)) error {
	if maxShare <= 0 {
		maxShare = chainmap.DefaultMaxPrune
	}
	rows, curated, gone := 0, 0, 0
	var needed, detail []string
	for _, n := range nodes {
		rows += len(n.rows)
		keys := make([]any, len(n.rows))
		for i, row := range n.rows {
			keys[i] = row["key"]
		}
		rec, err := run(prunePreviewCypher(n.label, n.key), map[string]any{"keys": keys})
		if err != nil {
			return fmt.Errorf("prune %s: %w", n.label, err)
		}
		c, g := recInt(rec, "curated"), recInt(rec, "gone")
		curated += c
		gone += g
		if g > 0 {
			detail = append(detail, fmt.Sprintf("%d of %d %s", g, c, n.label))
		}
		if k := recInt(rec, "needed"); k > 0 {
			ex, _ := rec.Get("examples")
			needed = append(needed, fmt.Sprintf("%d %s (among %v)", k, n.label, ex))
		}
	}
	switch {
	case rows == 0 && curated > 0:
		return fmt.Errorf("%w: the new data set is empty, so pruning would delete all %d curated nodes "+
			"(check the path; -force to do it anyway)", chainmap.ErrPruneRefused, curated)
	case curated > 0 && float64(gone) > maxShare*float64(curated):
		return fmt.Errorf("%w: pruning would delete %d of the %d curated nodes (%.0f%%, more than the %.0f%% allowed): %s "+
			"(-force to do it anyway)", chainmap.ErrPruneRefused, gone, curated, 100*float64(gone)/float64(curated),
			100*maxShare, strings.Join(detail, ", "))
	case len(needed) > 0:
		return fmt.Errorf("%w: pruning would delete curated nodes that records created through the API or by gen "+
			"refer to: %s (-force to do it anyway)", chainmap.ErrPruneRefused, strings.Join(needed, ", "))
	}
	return nil
}

func recInt(rec *neo4j.Record, key string) int {
	v, _ := rec.Get(key)
	n, _ := v.(int64)
	return int(n)
}

// datasetRows turns a dataset into rows, one nodeSet per label (every label, even if empty, so that pruning
// sees it) and one relSet per relationship spec.
func datasetRows(ds *chainmap.Dataset) ([]nodeSet, []relSet) {
	nodes := map[string][]row{}
	rels := map[relSpec][]row{}
	specs := make(map[[3]string]relSpec, len(relSpecs))
	for _, s := range relSpecs {
		specs[[3]string{s.typ, s.from, s.to}] = s
	}
	// One row per relationship, as MERGE made one of rows that named the same relationship twice (the last
	// row's properties win): each relationship's statement creates a missing one once.
	relAt := map[relSpec]map[string]int{}
	addNode := func(label string, key any, props map[string]any) {
		props = clean(props)
		props["origin"] = originSeed
		nodes[label] = append(nodes[label], row{"key": key, "props": props})
	}
	addRel := func(typ, from, to string, fromID, toID any, props map[string]any) {
		spec, ok := specs[[3]string{typ, from, to}]
		if !ok {
			panic("neo4jdb: no relationship spec for " + from + "-" + typ + "->" + to) // a programming error
		}
		props = clean(props)
		props["origin"] = originSeed
		key := keyString(fromID) + ">" + keyString(toID)
		if spec.keyed {
			key += "#" + keyString(props["id"])
		}
		if relAt[spec] == nil {
			relAt[spec] = map[string]int{}
		}
		rw := row{"from": fromID, "to": toID, "props": props}
		if i, dup := relAt[spec][key]; dup {
			rels[spec][i] = rw
			return
		}
		relAt[spec][key] = len(rels[spec])
		rels[spec] = append(rels[spec], rw)
	}
	cite := func(label string, key any, p chainmap.Provenance) {
		for _, s := range p.SourceIDs {
			addRel("CITED_IN", label, "Source", key, s, nil)
		}
	}
	for _, s := range ds.Sources {
		addNode("Source", s.ID, sourceProps(s))
	}
	for _, r := range ds.Regions {
		addNode("Region", r.Code, regionProps(r))
		if r.ParentCode != "" {
			addRel("PART_OF", "Region", "Region", r.Code, r.ParentCode, nil)
		}
		cite("Region", r.Code, r.Provenance)
	}
	for _, c := range ds.ChainMaps {
		addNode("ChainMap", c.ID, chainMapProps(c))
		if c.LeadRegionCode != "" {
			addRel("LED_BY", "ChainMap", "Region", c.ID, c.LeadRegionCode, nil)
		}
		cite("ChainMap", c.ID, c.Provenance)
	}
	for _, s := range ds.Segments {
		addNode("Segment", s.ID, segmentProps(s))
		addRel("HAS_SEGMENT", "ChainMap", "Segment", s.ChainMapID, s.ID, nil)
		for _, f := range s.Feeds {
			addRel("FEEDS", "Segment", "Segment", s.ID, f, nil)
		}
		cite("Segment", s.ID, s.Provenance)
	}
	for _, e := range ds.Enterprises {
		addNode("Enterprise", e.ID, enterpriseProps(e))
		for _, s := range e.SegmentIDs {
			addRel("ACTIVE_IN", "Enterprise", "Segment", e.ID, s, nil)
		}
		if e.BranchOf != "" {
			addRel("BRANCH_OF", "Enterprise", "Enterprise", e.ID, e.BranchOf, nil)
		}
		cite("Enterprise", e.ID, e.Provenance)
	}
	for _, s := range ds.Sites {
		addNode("Site", s.ID, siteProps(s))
		addRel("OPERATES", "Enterprise", "Site", s.EnterpriseID, s.ID, nil)
		addRel("LOCATED_IN", "Site", "Region", s.ID, s.RegionCode, nil)
		if s.ParkID != "" {
			addRel("IN_PARK", "Site", "Park", s.ID, s.ParkID, nil)
		}
		cite("Site", s.ID, s.Provenance)
	}
	for _, in := range ds.Institutions {
		addNode("Institution", in.ID, institutionProps(in))
		addRel("LOCATED_IN", "Institution", "Region", in.ID, in.RegionCode, nil)
		for _, s := range in.SegmentIDs {
			addRel("ACTIVE_IN", "Institution", "Segment", in.ID, s, nil)
		}
		cite("Institution", in.ID, in.Provenance)
	}
	for _, p := range ds.Parks {
		addNode("Park", p.ID, parkProps(p))
		addRel("LOCATED_IN", "Park", "Region", p.ID, p.RegionCode, nil)
		cite("Park", p.ID, p.Provenance)
	}
	kindOf := map[string]string{}
	for _, e := range ds.Enterprises {
		kindOf[e.ID] = "Enterprise"
	}
	for _, s := range ds.Sites {
		kindOf[s.ID] = "Site"
	}
	for _, in := range ds.Institutions {
		kindOf[in.ID] = "Institution"
	}
	for _, b := range ds.Bottlenecks {
		addNode("Bottleneck", b.ID, bottleneckProps(b))
		for _, s := range b.SegmentIDs {
			addRel("CONSTRAINS", "Bottleneck", "Segment", b.ID, s, nil)
		}
		for _, t := range b.Tacklers {
			addRel("TACKLES", kindOf[t.ID], "Bottleneck", t.ID, b.ID, tacklerProps(t))
		}
		cite("Bottleneck", b.ID, b.Provenance)
	}
	for _, t := range ds.TechTransfers {
		addRel("TRANSFERS_TECH_TO", kindOf[t.FromID], kindOf[t.ToID], t.FromID, t.ToID, techTransferProps(t))
	}
	for _, s := range ds.Supplies {
		addRel("SUPPLIES", "Enterprise", "Enterprise", s.FromID, s.ToID, supplyProps(s))
	}
	for _, in := range ds.Indicators {
		addNode("Indicator", in.ID, indicatorProps(in))
		cite("Indicator", in.ID, in.Provenance)
		for _, v := range in.Values {
			id := chainmap.IndicatorValueID(in.ID, v.Year, v.Period)
			addNode("IndicatorValue", id, indicatorValueProps(in, v))
			addRel("HAS_VALUE", "Indicator", "IndicatorValue", in.ID, id, nil)
			cite("IndicatorValue", id, v.Provenance)
		}
	}

	for _, l := range ds.OfficialLists {
		addNode("OfficialList", l.ID, officialListProps(l))
		if l.ChainMapID != "" {
			addRel("HAS_LIST", "ChainMap", "OfficialList", l.ChainMapID, l.ID, nil)
		}
		if l.IssuerID != "" {
			addRel("ISSUED_BY", "OfficialList", "Institution", l.ID, l.IssuerID, nil)
		}
		cite("OfficialList", l.ID, l.Provenance)
	}
	for _, it := range ds.ListItems {
		addNode("ListItem", it.ID, listItemProps(it))
		addRel("HAS_ITEM", "OfficialList", "ListItem", it.ListID, it.ID, nil)
		if it.RefID != "" {
			to := kindOf[it.RefID]
			if to == "" {
				to = "Segment" // bottlenecks and segments are not in kindOf
				for _, b := range ds.Bottlenecks {
					if b.ID == it.RefID {
						to = "Bottleneck"
						break
					}
				}
			}
			addRel("REFERS_TO", "ListItem", to, it.ID, it.RefID, nil)
		}
		cite("ListItem", it.ID, it.Provenance)
	}

	var ns []nodeSet
	for _, l := range nodeLabels {
		ns = append(ns, nodeSet{label: l.label, key: l.key, rows: nodes[l.label]})
	}
	var rs []relSet
	for _, s := range relSpecs {
		rs = append(rs, relSet{relSpec: s, rows: rels[s]})
	}
	return ns, rs
}

// keyString is a key as text: the string it mostly is, without fmt's cost on a million rows.
func keyString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// SupplyID is the id of the SUPPLIES relationship from one enterprise to another for a product.
func SupplyID(from, to, product string) string { return chainmap.SupplyID(from, to, product) }

// clean drops zero values, so that a property is either set or absent, never null, "", [] or false: comparing
// a node's properties with a new row then tells real changes from none.
func clean(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		switch x := v.(type) {
		case nil:
			continue
		case string:
			if x == "" {
				continue
			}
		case int:
			if x == 0 {
				continue
			}
		case float64:
			if x == 0 {
				continue
			}
		case bool:
			if !x {
				continue
			}
		case []string:
			if len(x) == 0 {
				continue
			}
		}
		out[k] = v
	}
	return out
}

const hasCurated = `RETURN EXISTS { MATCH (n:Record) WHERE n.origin = 'seed' } AS curated`

// HasCurated reports whether the graph holds curated records: a load into it is a reload, not a first load.
func (db *DB) HasCurated(ctx context.Context) (bool, error) {
	res, err := db.read(ctx, "HasCurated", hasCurated, nil)
	if err != nil {
		return false, err
	}
	v, _ := res.Records[0].Get("curated")
	return v == true, nil
}
