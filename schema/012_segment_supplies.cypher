// Where each firm's suppliers in each segment are (neo4jdb/aggregates.go: SegmentSupply), found by the first
// region of that footprint: a scenario that removes regions reads the firms it cuts off from this index instead
// of walking every supply link out of the firms that stop. Aggregates written before have none: `chainmap
// migrate` then rebuilds them (AggregatesStale). Idempotent.
CREATE INDEX segment_supply_firm_id IF NOT EXISTS FOR (n:SegmentSupply) ON (n.firmId);
CREATE INDEX segment_supply_anchor IF NOT EXISTS FOR (n:SegmentSupply) ON (n.anchor);
