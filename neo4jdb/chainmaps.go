package neo4jdb

import (
	"context"

	"github.com/chainmap/chainmap"
)

const chainMapsQuery = `MATCH (c:ChainMap) RETURN ` + chainMapProjection + ` AS c ORDER BY c.id`

// ChainMaps returns every chain map, ordered by id.
func (db *DB) ChainMaps(ctx context.Context) ([]chainmap.ChainMap, error) {
	res, err := db.read(ctx, "ChainMaps", chainMapsQuery, nil)
	if err != nil {
		return nil, err
	}
	out := make([]chainmap.ChainMap, 0, len(res.Records))
	for _, rec := range res.Records {
		m, err := recordMap(rec, "c")
		if err != nil {
			return nil, err
		}
		out = append(out, chainMapFrom(m))
	}
	return out, nil
}
