// The maintained aggregates (neo4jdb/aggregates.go): one FirmAggregate per enterprise, by its firmId, with its
// open-bottleneck exposure, which the enterprises ordered by exposure read in index order; RegionAggregate
// counts by key; SegmentMember the firms of a segment by name, in index order. The firm's id is firmId, not id
// (the records' key): 008 renames it where aggregates were written before. `chainmap reindex` rebuilds them.
// Idempotent (IF NOT EXISTS).
CREATE CONSTRAINT firm_aggregate_firm_id IF NOT EXISTS FOR (n:FirmAggregate) REQUIRE n.firmId IS UNIQUE;
CREATE CONSTRAINT region_aggregate_key IF NOT EXISTS FOR (n:RegionAggregate) REQUIRE n.key IS UNIQUE;
CREATE INDEX firm_aggregate_exposure IF NOT EXISTS FOR (n:FirmAggregate) ON (n.openBottlenecks);
CREATE INDEX segment_member_by_name IF NOT EXISTS FOR (n:SegmentMember) ON (n.segment, n.name, n.firmId);
CREATE INDEX segment_member_firm_id IF NOT EXISTS FOR (n:SegmentMember) ON (n.firmId);
