package neo4jdb

import (
	"context"

	"github.com/chainmap/chainmap"
)

// TierLimit bounds the enterprises listed for one enterprise's upstream or downstream tiers.
const TierLimit = 200

const (
	suppliersOfAll = `UNWIND $ids AS key MATCH (:Enterprise {id: key})<-[:SUPPLIES]-(o:Enterprise)
WITH key, o ORDER BY o.name, o.id RETURN key, collect(o.id)[0..$limit] AS items`
	customersOfAll = `UNWIND $ids AS key MATCH (:Enterprise {id: key})-[:SUPPLIES]->(o:Enterprise)
WITH key, o ORDER BY o.name, o.id RETURN key, collect(o.id)[0..$limit] AS items`
)

// Tiers returns, for each key, the enterprises up to Tiers SUPPLIES hops upstream (or downstream) of the
// enterprise, nearest tier first, at most TierLimit. It walks breadth-first, one hop per round trip for all the
// keys together: at most 6 round trips per direction, however many enterprises ask.
func (db *DB) Tiers(ctx context.Context, keys []chainmap.TierKey) (map[chainmap.TierKey][]chainmap.TierLink, error) {
	out := map[chainmap.TierKey][]chainmap.TierLink{}
	for _, upstream := range []bool{true, false} {
		type walk struct {
			key      chainmap.TierKey
			seen     map[string]bool
			frontier []string
		}
		var walks []*walk
		for _, k := range keys {
			if k.Upstream == upstream {
				walks = append(walks, &walk{key: k, seen: map[string]bool{k.EnterpriseID: true}, frontier: []string{k.EnterpriseID}})
				out[k] = []chainmap.TierLink{}
			}
		}
		cypher := customersOfAll
		if upstream {
			cypher = suppliersOfAll
		}
		for tier := 1; tier <= MaxDepth; tier++ {
			ids := map[string]bool{}
			for _, w := range walks {
				if tier <= w.key.Tiers && len(out[w.key]) < TierLimit {
					for _, id := range w.frontier {
						ids[id] = true
					}
				}
			}
			if len(ids) == 0 {
				break
			}
			list := make([]string, 0, len(ids))
			for id := range ids {
				list = append(list, id)
			}
			next, err := db.read(ctx, "Tiers", oneRow(cypher, "key", "items"), map[string]any{"ids": list, "limit": TierLimit})
			if err != nil {
				return nil, err
			}
			neighbours := map[string][]string{}
			for _, r := range rows(next) {
				neighbours[r.str("key")] = r.strs("items")
			}
			for _, w := range walks {
				if tier > w.key.Tiers {
					continue
				}
				var frontier []string
				for _, id := range w.frontier {
					for _, n := range neighbours[id] {
						if w.seen[n] || len(out[w.key]) >= TierLimit {
							continue
						}
						w.seen[n] = true
						frontier = append(frontier, n)
						out[w.key] = append(out[w.key], chainmap.TierLink{EnterpriseID: n, Tier: tier})
					}
				}
				w.frontier = frontier
			}
		}
	}
	return out, nil
}
