package neo4jdb

import (
	"context"

	"github.com/chainmap/chainmap"
)

// The planner's statements (RegionGaps, Scenario, ChangesSummary) are large: Neo4j takes from one to several
// seconds to plan each — on a loaded machine longer than a query may run — and plans anew for each shape of
// parameters (an empty list or string, a short or long one). WarmPlans has it plan them for the shapes the
// explorer, the pages and the exports use (EXPLAIN: nothing is read), so that the first question a server
// answers does not pay for it. Plans stay cached until the data's statistics change much (a load of 100,000
// firms), when Neo4j plans again.

// warmShapes are the statements and parameter shapes planned ahead.
var warmShapes = []struct {
	cypher string
	params map[string]any
}{
	{regionGaps, map[string]any{"code": "130600", "chainMapId": "hydrogen", "thin": chainmap.DefaultThinAtMost}},
	{scenarioStatement, map[string]any{"regionCodes": []string{"130600"}, "enterpriseIds": []string{}, "siteIds": []string{},
		"chainMapId": "hydrogen", "first": 12, "alts": chainmap.DefaultAlts, "derived": true}},
	{scenarioStatement, map[string]any{"regionCodes": []string{"130600"}, "enterpriseIds": []string{}, "siteIds": []string{},
		"chainMapId": "", "first": chainmap.DefaultRows, "alts": chainmap.DefaultAlts, "derived": true}},
	{changesSummary, map[string]any{"chainMapId": "hydrogen", "regionCode": "", "from": "", "defaultFrom": "2023",
		"toAt": "2030-01-01T00:00:00Z", "toYear": 2029, "first": 30, "maxLog": chainmap.MaxLogEntries}},
	{changesSummary, map[string]any{"chainMapId": "hydrogen", "regionCode": "130600", "from": "", "defaultFrom": "2023",
		"toAt": "2030-01-01T00:00:00Z", "toYear": 2029, "first": 12, "maxLog": chainmap.MaxLogEntries}},
}

// WarmPlans plans the planner's statements ahead; it stops at the first error.
func (db *DB) WarmPlans(ctx context.Context) error {
	for _, w := range warmShapes {
		if _, err := db.read(ctx, "WarmPlans", "EXPLAIN "+w.cypher, w.params); err != nil {
			return err
		}
	}
	return nil
}
