package neo4jdb

import (
	"context"

	"github.com/chainmap/chainmap"
)

const chainMapsQuery = `
MATCH (c:ChainMap)
RETURN c {.id, .name, .nameZh, .nameEn, .aliases, .leadRegion, .mapPublished, .description, .confidence, .sourceIds, .evidence} AS c
ORDER BY c.id`

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

func chainMapFrom(m props) chainmap.ChainMap {
	return chainmap.ChainMap{
		ID:           m.str("id"),
		Name:         m.str("name"),
		NameZh:       m.str("nameZh"),
		NameEn:       m.str("nameEn"),
		Aliases:      m.strs("aliases"),
		LeadRegion:   m.str("leadRegion"),
		MapPublished: m.str("mapPublished"),
		Description:  m.str("description"),
		Provenance:   provenanceFrom(m),
	}
}
