package neo4jdb

import (
	"context"

	"github.com/chainmap/chainmap"
)

const chainMapsQuery = `MATCH (c:ChainMap) RETURN ` + chainMapProjection + ` AS c ORDER BY c.id`

// ChainMaps returns every chain map, ordered by id.
func (db *DB) ChainMaps(ctx context.Context) ([]chainmap.ChainMap, error) {
	res, err := db.read(ctx, "ChainMaps", oneRow(chainMapsQuery, "c"), nil)
	if err != nil {
		return nil, err
	}
	list := rows(res)
	out := make([]chainmap.ChainMap, 0, len(list))
	for _, r := range list {
		out = append(out, chainMapFrom(r.sub("c")))
	}
	return out, nil
}
