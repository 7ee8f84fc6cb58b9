package neo4jdb

import "context"

const deleteBatch = `
MATCH (n) WITH n LIMIT 1000
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
