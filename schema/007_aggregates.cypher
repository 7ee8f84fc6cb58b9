// The maintained aggregates (neo4jdb/aggregates.go): one FirmAggregate per enterprise, by its id, with its
// open-bottleneck exposure, which the enterprises ordered by exposure read in index order; RegionAggregate
// counts by key; SegmentMember the firms of a segment by name, in index order. `chainmap reindex` rebuilds them. Idempotent (IF NOT EXISTS).
CREATE CONSTRAINT firm_aggregate_id IF NOT EXISTS FOR (n:FirmAggregate) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT region_aggregate_key IF NOT EXISTS FOR (n:RegionAggregate) REQUIRE n.key IS UNIQUE;
CREATE INDEX firm_aggregate_exposure IF NOT EXISTS FOR (n:FirmAggregate) ON (n.openBottlenecks);
CREATE INDEX segment_member_order IF NOT EXISTS FOR (n:SegmentMember) ON (n.segment, n.name, n.id);
CREATE INDEX segment_member_id IF NOT EXISTS FOR (n:SegmentMember) ON (n.id);
