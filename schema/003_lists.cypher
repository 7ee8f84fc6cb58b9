// Official lists of the chain maps (issue 10) and their entries; the kind of a tech transfer, for filtering the
// R&D→production pattern from relocations, expansions and collaborations. Idempotent (IF NOT EXISTS).
CREATE CONSTRAINT official_list_id IF NOT EXISTS FOR (n:OfficialList) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT list_item_id IF NOT EXISTS FOR (n:ListItem) REQUIRE n.id IS UNIQUE;
CREATE INDEX official_list_kind IF NOT EXISTS FOR (n:OfficialList) ON (n.kind, n.chainMapId);
CREATE INDEX transfer_kind IF NOT EXISTS FOR ()-[r:TRANSFERS_TECH_TO]-() ON (r.kind);
