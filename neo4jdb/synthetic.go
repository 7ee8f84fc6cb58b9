package neo4jdb

import (
	"context"
	"fmt"

	"github.com/chainmap/chainmap"
)

// Synthetic data carries the label :Synthetic, synthetic: true and origin "gen" on every node and
// relationship, so that it can be told apart from curated data, and removed, at any time.

const createSyntheticEnterprises = `
UNWIND $rows AS row
CREATE (e:Enterprise:Synthetic)
SET e = row.props
WITH e, row
UNWIND row.segments AS segmentId
MATCH (s:Segment {id: segmentId})
CREATE (e)-[:ACTIVE_IN {origin: 'gen', synthetic: true}]->(s)`

const createSyntheticSites = `
UNWIND $rows AS row
MATCH (e:Enterprise {id: row.enterpriseId})
MATCH (r:Region {code: row.regionCode})
CREATE (e)-[:OPERATES {origin: 'gen', synthetic: true}]->(s:Site:Synthetic)-[:LOCATED_IN {origin: 'gen', synthetic: true}]->(r)
SET s = row`

const createSyntheticSupplies = `
UNWIND $rows AS row
MATCH (a:Enterprise {id: row.from})
MATCH (b:Enterprise {id: row.to})
CREATE (a)-[r:SUPPLIES]->(b)
SET r = row.props`

const deleteSyntheticBatch = `
MATCH (n:Synthetic) WITH n LIMIT 1000
DETACH DELETE n
RETURN count(*) AS deleted`

const countSkeleton = `RETURN COUNT { (:Segment) } AS segments, COUNT { (:Region) } AS regions`

// WriteSynthetic writes a synthetic dataset (enterprises, sites, supplies) in batches, each its own
// transaction: a dataset of a million relationships does not fit one transaction's memory. The segments and
// regions it refers to must be in the graph already (load the curated seeds first). A failure leaves the
// batches written so far; DeleteSynthetic removes them.
func (db *DB) WriteSynthetic(ctx context.Context, ds *chainmap.Dataset, progress func(chainmap.Progress) error) error {
	res, err := db.read(ctx, "WriteSynthetic", countSkeleton, nil)
	if err != nil {
		return err
	}
	if recInt(res.Records[0], "segments") == 0 || recInt(res.Records[0], "regions") == 0 {
		return fmt.Errorf("the graph has no segments or regions: load the curated seeds first (chainmap load)")
	}
	total := len(ds.Enterprises) + len(ds.Sites) + len(ds.Supplies)
	done := 0
	write := func(step, cypher string, n, size int, row func(i int) map[string]any) error {
		for start := 0; start < n; start += size {
			end := min(start+size, n)
			rows := make([]map[string]any, 0, end-start)
			for i := start; i < end; i++ {
				rows = append(rows, row(i))
			}
			if _, err := db.write(ctx, "WriteSynthetic", cypher, map[string]any{"rows": rows}); err != nil {
				return fmt.Errorf("write synthetic %s: %w", step, err)
			}
			done += end - start
			if progress != nil {
				if err := progress(chainmap.Progress{Step: step, Done: done, Total: total}); err != nil {
					return err
				}
			}
		}
		return nil
	}
	err = write("enterprises", createSyntheticEnterprises, len(ds.Enterprises), 5000, func(i int) map[string]any {
		e := ds.Enterprises[i]
		return map[string]any{"segments": e.SegmentIDs, "props": clean(map[string]any{
			"id": e.ID, "name": e.Name, "nameZh": e.NameZh, "chainRole": string(e.ChainRole),
			"synthetic": true, "origin": "gen"})}
	})
	if err != nil {
		return err
	}
	err = write("sites", createSyntheticSites, len(ds.Sites), 10000, func(i int) map[string]any {
		s := ds.Sites[i]
		return clean(map[string]any{"id": s.ID, "kind": string(s.Kind), "enterpriseId": s.EnterpriseID,
			"regionCode": s.RegionCode, "synthetic": true, "origin": "gen"})
	})
	if err != nil {
		return err
	}
	return write("supplies", createSyntheticSupplies, len(ds.Supplies), 20000, func(i int) map[string]any {
		s := ds.Supplies[i]
		return map[string]any{"from": s.FromID, "to": s.ToID, "props": map[string]any{
			"product": s.Product, "since": s.Since, "synthetic": true}}
	})
}

// DeleteSynthetic removes every synthetic node and relationship, in batches, and returns how many nodes it
// deleted. Curated data is untouched.
func (db *DB) DeleteSynthetic(ctx context.Context, progress func(chainmap.Progress) error) (int, error) {
	deleted := 0
	for {
		res, err := db.write(ctx, "DeleteSynthetic", deleteSyntheticBatch, nil)
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
