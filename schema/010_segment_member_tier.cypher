// A segment's firms by chain role, then name (neo4jdb/aggregates.go: SegmentMember's tier): a scenario's firms
// left in a segment and its nearest alternatives read them in this order and stop at the number they show,
// where they read every firm of the segment and sorted it. Segment members written before carry no tier:
// `chainmap migrate` then rebuilds them (AggregatesStale). Idempotent.
CREATE INDEX segment_member_by_tier IF NOT EXISTS FOR (n:SegmentMember) ON (n.segment, n.tier, n.name, n.firmId);
