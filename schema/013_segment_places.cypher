// Each firm's segments by the regions of its sites (neo4jdb/aggregates.go: SegmentPlace), in rank order per
// segment and region: a scenario that removes regions reads the first standing firms of a segment in each region
// from this index instead of walking every member of the segment. Aggregates written before have none:
// `chainmap migrate` then rebuilds them (AggregatesStale). Idempotent.
CREATE INDEX segment_place_firm_id IF NOT EXISTS FOR (n:SegmentPlace) ON (n.firmId);
CREATE INDEX segment_place_by_rank IF NOT EXISTS FOR (n:SegmentPlace) ON (n.segment, n.region, n.tier, n.name, n.firmId);
