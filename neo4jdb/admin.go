package neo4jdb

import "context"

// deleteBatch deletes up to 1,000 nodes, the change log's node last: it carries the graph's version (answers.go),
// so an answer read while the rest was being deleted is not kept for the empty graph.
const deleteBatch = `
CALL {
  MATCH (n) WHERE NOT n:ChangeLog WITH n LIMIT 1000 RETURN n
  UNION
  MATCH (n:ChangeLog) WHERE NOT EXISTS { MATCH (m) WHERE NOT m:ChangeLog } RETURN n
}
DETACH DELETE n
RETURN count(*) AS deleted`

// DeleteAll deletes every node and relationship in the database, in batches. It is destructive and meant for
// tests; the schema (constraints and indexes) stays.
func (db *DB) DeleteAll(ctx context.Context) error {
	for {
		res, err := db.write(ctx, "DeleteAll", deleteBatch, nil)
		if err != nil {
			return err
		}
		if recInt(res.Records[0], "deleted") == 0 {
			return nil
		}
	}
}
