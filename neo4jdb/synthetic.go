package neo4jdb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/chainmap/chainmap"
)

// Synthetic data carries the label :Synthetic, synthetic: true and origin "gen" on every node and
// relationship, so that it can be told apart from curated data, and removed, at any time.
//
// A run is all-or-nothing as the API sees it. Its nodes are written in many transactions (a million
// relationships do not fit one), under the label :SyntheticPending and the run's id, without the labels the
// API reads (:Enterprise, :Site); the last step publishes the run in one transaction, which gives them their
// labels (and :Synthetic, :Record). A run that fails or is killed before that leaves only pending nodes, which
// no query of the API matches (they have no domain label; read queries name the label of every node they
// return or count) and which the next `chainmap gen` or `gen -delete` removes.
//
// A run too large for one transaction (`gen -publish-batch`) is published in batches instead, each whole with
// its aggregates: the API then sees it grow batch by batch.

// A run's pending nodes are found by id, and each lookup names its index: a statement planned before the run's
// nodes were counted (a fresh instance, or the first batch) could take the index on the run instead and walk every
// pending node of the run for each row (TestGenPlannedOnAnEmptyGraph: 4,000–8,000 db hits a row for 2,000 firms).
const createSyntheticEnterprises = `
UNWIND $rows AS row
CREATE (e:SyntheticPending)
SET e = row.props, e.run = $run, e.pendingAs = 'Enterprise'
WITH e, row
UNWIND row.segments AS segmentId
MATCH (s:Segment {id: segmentId}) USING INDEX s:Segment(id)
CREATE (e)-[:ACTIVE_IN {origin: 'gen', synthetic: true}]->(s)`

const createSyntheticSites = `
UNWIND $rows AS row
MATCH (e:SyntheticPending {id: row.enterpriseId}) USING INDEX e:SyntheticPending(id) WHERE e.run = $run
MATCH (r:Region {code: row.regionCode}) USING INDEX r:Region(code)
CREATE (e)-[:OPERATES {origin: 'gen', synthetic: true}]->(s:SyntheticPending)-[:LOCATED_IN {origin: 'gen', synthetic: true}]->(r)
SET s = row, s.run = $run, s.pendingAs = 'Site'`

const createSyntheticSupplies = `
UNWIND $rows AS row
MATCH (a:SyntheticPending {id: row.from}) USING INDEX a:SyntheticPending(id) WHERE a.run = $run
MATCH (b:SyntheticPending {id: row.to}) USING INDEX b:SyntheticPending(id) WHERE b.run = $run
CREATE (a)-[r:SUPPLIES]->(b)
SET r = row.props`

// publishNodes turns the pending nodes bound to n into enterprises and sites.
const publishNodes = `
FOREACH (_ IN CASE WHEN n.pendingAs = 'Enterprise' THEN [1] ELSE [] END | SET n:Enterprise)
FOREACH (_ IN CASE WHEN n.pendingAs = 'Site' THEN [1] ELSE [] END | SET n:Site)
SET n:Synthetic:Record
REMOVE n:SyntheticPending, n.pendingAs
RETURN count(n) AS published`

// publishSynthetic publishes a whole run.
const publishSynthetic = `
MATCH (n:SyntheticPending {run: $run})` + publishNodes

// publishSyntheticFirms publishes the run's enterprises of $ids with their sites.
const publishSyntheticFirms = `
UNWIND $ids AS id
MATCH (e:SyntheticPending {id: id}) USING INDEX e:SyntheticPending(id) WHERE e.run = $run AND e.pendingAs = 'Enterprise'
UNWIND [e] + COLLECT { MATCH (e)-[:OPERATES]->(x:SyntheticPending) RETURN x } AS n` + publishNodes

// deleteSyntheticBatch also returns the published enterprises it deleted or took sites from, and the curated
// customers of those it deleted (their fedBy and linksIn change; an editor may have linked them),
// whose aggregates the batch's transaction then maintains. A synthetic customer is left as it is: a later batch
// deletes it, and its aggregate with it (refreshing each firm's customers in every batch made a 100,000-firm
// run's deletion pass the per-query timeout).
const deleteSyntheticBatch = `
MATCH (n:Synthetic|SyntheticPending) WITH n LIMIT 1000
WITH n, CASE WHEN n:Enterprise THEN [n.id] + COLLECT { MATCH (n)-[:SUPPLIES]->(c:Enterprise) WHERE NOT c:Synthetic RETURN c.id }
  ELSE COLLECT { MATCH (n:Site)<-[:OPERATES]-(o:Enterprise) RETURN o.id }[0..1] END AS firms
DETACH DELETE n
WITH count(*) AS deleted, collect(firms) AS firms
RETURN deleted, COLLECT { UNWIND firms AS f UNWIND f AS id RETURN DISTINCT id } AS firms`

const deletePendingBatch = `
MATCH (n:SyntheticPending {run: $run}) WITH n LIMIT 1000
DETACH DELETE n
RETURN count(*) AS deleted`

const countSkeleton = `RETURN COUNT { (:Segment) } AS segments, COUNT { (:Region) } AS regions`

// WriteSynthetic writes a synthetic dataset (enterprises, sites, supplies) as one run: in batches, each its
// own transaction, under :SyntheticPending, then published in one transaction (see above). The API sees all
// of the run or none of it. With publishBatch > 0 the run is published that many firms at a time instead
// (publishSyntheticInBatches), for a run too large for one transaction. On failure WriteSynthetic removes what
// the run left unpublished; what a kill leaves behind, and what batches published, the next DeleteSynthetic
// removes. The segments and regions it refers to must be in the graph already (load the curated seeds
// first), and synthetic ids must be free (DeleteSynthetic the previous run first).
func (db *DB) WriteSynthetic(ctx context.Context, ds *chainmap.Dataset, publishBatch int, progress func(chainmap.Progress) error) (err error) {
	res, err := db.read(ctx, "WriteSynthetic", countSkeleton, nil)
	if err != nil {
		return err
	}
	if recInt(res.Records[0], "segments") == 0 || recInt(res.Records[0], "regions") == 0 {
		return fmt.Errorf("the graph has no segments or regions: load the curated seeds first (chainmap load)")
	}
	run := fmt.Sprintf("%x-%x", time.Now().UnixNano(), rand.Uint32())
	defer func() {
		if err != nil {
			// A fresh context: the run's own may be what was cancelled.
			cleanup, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			if _, cerr := db.deleteBatches(cleanup, "WriteSynthetic", deletePendingBatch, map[string]any{"run": run}, nil); cerr != nil {
				err = fmt.Errorf("%w (removing the unpublished run %s failed too: %v; `chainmap gen -delete` removes it)", err, run, cerr)
			}
		}
	}()
	total := len(ds.Enterprises) + len(ds.Sites) + len(ds.Supplies)
	done := 0
	report := func(step string) error {
		if progress == nil {
			return nil
		}
		return progress(chainmap.Progress{Step: step, Done: done, Total: total})
	}
	write := func(step, cypher string, n, size int, row func(i int) map[string]any) error {
		for start := 0; start < n; start += size {
			end := min(start+size, n)
			rows := make([]map[string]any, 0, end-start)
			for i := start; i < end; i++ {
				rows = append(rows, row(i))
			}
			if _, err := db.write(ctx, "WriteSynthetic", cypher, map[string]any{"rows": rows, "run": run}); err != nil {
				return fmt.Errorf("write synthetic %s: %w", step, err)
			}
			done += end - start
			if err := report(step); err != nil {
				return err
			}
		}
		return nil
	}
	// Synthetic records are written lean (a run may hold a million of them): without provenance, a firm
	// without its English name, a site without its name (reads give it its id).
	err = write("enterprises", createSyntheticEnterprises, len(ds.Enterprises), 5000, func(i int) map[string]any {
		e := ds.Enterprises[i]
		e.NameEn, e.Provenance, e.Synthetic = "", chainmap.Provenance{}, true
		return map[string]any{"segments": e.SegmentIDs, "props": genProps(enterpriseProps(e))}
	})
	if err != nil {
		return err
	}
	err = write("sites", createSyntheticSites, len(ds.Sites), 10000, func(i int) map[string]any {
		s := ds.Sites[i]
		s.Name, s.Provenance, s.Synthetic = "", chainmap.Provenance{}, true
		return genProps(siteProps(s))
	})
	if err != nil {
		return err
	}
	err = write("supplies", createSyntheticSupplies, len(ds.Supplies), 20000, func(i int) map[string]any {
		s := ds.Supplies[i]
		s.Provenance, s.Synthetic = chainmap.Provenance{}, true
		return map[string]any{"from": s.FromID, "to": s.ToID, "props": genProps(supplyProps(s))}
	})
	if err != nil {
		return err
	}
	if err := report("publish"); err != nil {
		return err
	}
	ids := make([]string, len(ds.Enterprises))
	for i, e := range ds.Enterprises {
		ids[i] = e.ID
	}
	if publishBatch > 0 {
		return db.publishSyntheticInBatches(ctx, run, ds, ids, publishBatch, progress)
	}
	return db.publishSynthetic(ctx, run, len(ds.Enterprises)+len(ds.Sites), ids)
}

// genProps are the properties of a synthetic record as its encoder gives them: set ones only, origin "gen".
func genProps(m map[string]any) map[string]any {
	m = clean(m)
	m["origin"] = "gen"
	return m
}

// publishSynthetic publishes a run in one transaction, without the per-query timeout: it changes the labels
// of every node of the run at once. It checks that the whole run is there.
func (db *DB) publishSynthetic(ctx context.Context, run string, want int, firms []string) error {
	err := db.publish(ctx, publishSynthetic, map[string]any{"run": run}, want, firms, map[string]any{"run": run, "nodes": want})
	if err != nil {
		return fmt.Errorf("publish synthetic run: %w", err)
	}
	return nil
}

// publishSyntheticInBatches publishes a run (ids: its firms) size firms at a time, each with its sites and the aggregates they
// change in a transaction of its own, and the run's change log entry with the last. It is for runs whose one
// publication does not fit the transaction memory (300,000 firms and 3,000,000 supply links passed 8.4 GiB,
// a 12 GiB heap's limit): the API sees such a run grow batch by batch, not whole. A customer published before
// its supplier is refreshed when the supplier is (maintainFirms refreshes a firm's customers). A failure
// leaves the batches published before it.
func (db *DB) publishSyntheticInBatches(ctx context.Context, run string, ds *chainmap.Dataset, ids []string, size int,
	progress func(chainmap.Progress) error) error {
	sites := map[string]int{}
	for _, x := range ds.Sites {
		sites[x.EnterpriseID]++
	}
	published := 0
	for part := range slices.Chunk(ids, size) {
		want := len(part)
		for _, id := range part {
			want += sites[id]
		}
		var entry map[string]any
		if published+len(part) == len(ids) {
			entry = map[string]any{"run": run, "nodes": len(ds.Enterprises) + len(ds.Sites), "batches": (len(ids) + size - 1) / size}
		}
		if err := db.publish(ctx, publishSyntheticFirms, map[string]any{"run": run, "ids": part}, want, part, entry); err != nil {
			return fmt.Errorf("publish synthetic run: firms %d to %d of %d: %w (the %d published before stay: chainmap gen -delete removes them)",
				published+1, published+len(part), len(ids), err, published)
		}
		published += len(part)
		if progress != nil {
			if err := progress(chainmap.Progress{Step: "publish", Done: published, Total: len(ids), Unit: "firms"}); err != nil {
				return err
			}
		}
	}
	return nil
}

// publish runs a publication statement in a transaction of its own, checks that it published want nodes,
// maintains the aggregates of the firms it published and, when entry is not nil, logs the run with it.
func (db *DB) publish(ctx context.Context, statement string, params map[string]any, want int, firms []string, entry map[string]any) error {
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.cfg.Database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(context.Background())
	_, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		db.count(ctx, "PublishSynthetic")
		res, err := tx.Run(ctx, statement, params)
		if err != nil {
			return nil, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return nil, err
		}
		if got := recInt(rec, "published"); got != want {
			return nil, fmt.Errorf("run %s has %d nodes here, want %d", params["run"], got, want)
		}
		if err := maintainFirms(txRunnerOf(ctx, tx), firms); err != nil {
			return nil, err
		}
		if entry == nil { // a batch before the last: seen by the API, without a change log entry
			_, err := tx.Run(ctx, newEpoch, nil)
			return nil, err
		}
		db.count(ctx, "PublishSynthetic")
		return nil, logRun(ctx, tx, "gen", entry, "chainmap gen")
	}, neo4j.WithTxMetadata(map[string]any{"app": "chainmap", "method": "PublishSynthetic"}))
	if err != nil {
		return db.wrap("PublishSynthetic", err)
	}
	return nil
}

// DeleteSynthetic removes every synthetic node and relationship, published or left unpublished by a run that
// failed, in batches, and returns how many nodes it deleted. Curated data is untouched.
func (db *DB) DeleteSynthetic(ctx context.Context, progress func(chainmap.Progress) error) (int, error) {
	deleted := 0
	for {
		out, err := db.inTx(ctx, "DeleteSynthetic", func(run txRunner) (any, error) {
			recs, err := run(deleteSyntheticBatch, nil)
			if err != nil {
				return nil, err
			}
			firms, _ := recs[0].Get("firms")
			if err := maintainFirms(run, stringList(firms)); err != nil {
				return nil, err
			}
			if _, err := run(newEpoch, nil); err != nil {
				return nil, err
			}
			return recInt(recs[0], "deleted"), nil
		})
		if err != nil {
			return deleted, err
		}
		n := out.(int)
		if n == 0 {
			return deleted, nil
		}
		deleted += n
		if progress != nil {
			if err := progress(chainmap.Progress{Step: "delete synthetic", Done: deleted, Total: deleted}); err != nil {
				return deleted, err
			}
		}
	}
}

// txRunnerOf runs statements in tx, a transaction of the caller's.
func txRunnerOf(ctx context.Context, tx neo4j.ManagedTransaction) txRunner {
	return func(cypher string, params map[string]any) ([]*neo4j.Record, error) {
		res, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return nil, err
		}
		return res.Collect(ctx)
	}
}

func (db *DB) deleteBatches(ctx context.Context, method, cypher string, params map[string]any, progress func(chainmap.Progress) error) (int, error) {
	deleted := 0
	for {
		res, err := db.write(ctx, method, cypher, params)
		if err != nil {
			return deleted, err
		}
		n := recInt(res.Records[0], "deleted")
		if n == 0 {
			return deleted, nil
		}
		deleted += n
		if progress != nil {
			if err := progress(chainmap.Progress{Step: "delete synthetic", Done: deleted, Total: deleted}); err != nil {
				return deleted, err
			}
		}
	}
}
