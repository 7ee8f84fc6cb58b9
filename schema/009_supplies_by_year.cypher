// The changes summary lists the newest dated supply links of a year in id order: with this index it reads them
// in that order and stops at the number it shows, where it read and sorted every link of the window (133,000
// since 2023 with 100,000 firms). Their counts are maintained (neo4jdb/aggregates.go: linksIn). Idempotent.
CREATE INDEX supplies_since_id IF NOT EXISTS FOR ()-[r:SUPPLIES]-() ON (r.since, r.id);
