// The maintained aggregates carried their firm's id as `id` before they carried it as firmId (007): with the
// records' key on them, `MATCH (n {id: $x})` found a firm's aggregates beside the firm. On a database they were
// written in, this renames the property and drops the constraint and indexes on it (007's names differ, so
// that IF NOT EXISTS there creates the new ones). Region counts do not change. Idempotent, and cheap once
// done (label scans that find nothing). An aggregate whose firm already has one with firmId (a newer version
// wrote it before this migration ran) keeps its id: `chainmap migrate` then rebuilds them all (Reindex).
MATCH (x:FirmAggregate) WHERE x.id IS NOT NULL AND NOT EXISTS { (:FirmAggregate {firmId: x.id}) }
SET x.firmId = x.id REMOVE x.id;
MATCH (m:SegmentMember) WHERE m.id IS NOT NULL AND NOT EXISTS { (:SegmentMember {firmId: m.id}) }
SET m.firmId = m.id REMOVE m.id;
DROP CONSTRAINT firm_aggregate_id IF EXISTS;
DROP INDEX segment_member_order IF EXISTS;
DROP INDEX segment_member_id IF EXISTS;
