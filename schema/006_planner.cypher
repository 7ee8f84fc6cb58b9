// The records' own dates that changesSummary counts (neo4jdb/summary.go): a site's opening year, a tackler's start,
// a supply link's start and a technology transfer's year, each read by a range over the window's years (a million
// dated supply links with 100,000 synthetic firms). Idempotent (IF NOT EXISTS).
CREATE INDEX site_since IF NOT EXISTS FOR (n:Site) ON (n.since);
CREATE INDEX supplies_since IF NOT EXISTS FOR ()-[r:SUPPLIES]-() ON (r.since);
CREATE INDEX tackles_since IF NOT EXISTS FOR ()-[r:TACKLES]-() ON (r.since);
CREATE INDEX transfer_year IF NOT EXISTS FOR ()-[r:TRANSFERS_TECH_TO]-() ON (r.year);
