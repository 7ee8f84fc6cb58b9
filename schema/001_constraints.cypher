// Uniqueness constraints: one per node key. Each also backs the index that makes lookups by key fast, and
// MERGE on a key relies on it. Statements are idempotent (IF NOT EXISTS) and end with a semicolon.
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT region_code IF NOT EXISTS FOR (n:Region) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT chainmap_id IF NOT EXISTS FOR (n:ChainMap) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT segment_id IF NOT EXISTS FOR (n:Segment) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT enterprise_id IF NOT EXISTS FOR (n:Enterprise) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT site_id IF NOT EXISTS FOR (n:Site) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT institution_id IF NOT EXISTS FOR (n:Institution) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT park_id IF NOT EXISTS FOR (n:Park) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT bottleneck_id IF NOT EXISTS FOR (n:Bottleneck) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT indicator_id IF NOT EXISTS FOR (n:Indicator) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT indicator_value_id IF NOT EXISTS FOR (n:IndicatorValue) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT status_change_id IF NOT EXISTS FOR (n:StatusChange) REQUIRE n.id IS UNIQUE;

// A technology transfer is a relationship with an id of its own: two editors who record one id between
// different ends at the same moment both pass the mutation's check, and this constraint lets only one commit
// (the other gets CONFLICT). Relationship property uniqueness constraints are in Community Edition since 5.7.
// Its index replaces the plain one that databases migrated before it have, which would block it.
DROP INDEX transfer_id IF EXISTS;
CREATE CONSTRAINT transfer_id_unique IF NOT EXISTS FOR ()-[t:TRANSFERS_TECH_TO]-() REQUIRE t.id IS UNIQUE;

// One id names one record across kinds. Every node that an id names — Source, ChainMap, Segment, Enterprise,
// Site, Institution, Park, Bottleneck, Indicator — also carries the label :Record, and this constraint makes
// its id unique among all of them. Two editors who create the same id as two kinds at the same time cannot
// both commit: the second gets a constraint violation, which the store reports as CONFLICT. Regions are keyed
// by their GB/T 2260 code (a space of their own) and are not :Record; IndicatorValue and StatusChange ids are
// derived or random and nothing refers to them by id. The loader, the API and gen all write :Record; 003
// labels the nodes written before it existed. Keep this statement last, so that on a fresh database the
// Record label's token comes after the domain labels (labels(n)[0] stays the domain label).
CREATE CONSTRAINT record_id IF NOT EXISTS FOR (n:Record) REQUIRE n.id IS UNIQUE;
