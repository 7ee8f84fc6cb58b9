// The first firms of each segment in each region (neo4jdb/aggregates.go: SegmentRegion), and the first region
// of each firm's sites (FirmAggregate's anchor): a scenario that removes regions reads the firms that stand in
// the other regions, and finds the firms that stop, by these indexes instead of walking every member of a
// segment and counting every touched firm's sites. Aggregates written before have neither: `chainmap migrate`
// then rebuilds them (AggregatesStale). Idempotent.
CREATE INDEX segment_region_key IF NOT EXISTS FOR (n:SegmentRegion) ON (n.segment, n.region);
CREATE INDEX firm_aggregate_anchor IF NOT EXISTS FOR (n:FirmAggregate) ON (n.anchor);
