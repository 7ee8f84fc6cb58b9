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
