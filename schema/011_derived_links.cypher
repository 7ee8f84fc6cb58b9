// Each firm's derived R&D→production links as nodes (neo4jdb/aggregates.go: DerivedLink), found by the region
// of either end or by their firm: a scenario reads the links a removal cuts from these indexes instead of
// pairing every affected firm's sites. Aggregates written before have none: `chainmap migrate` then rebuilds
// them (AggregatesStale). Idempotent.
CREATE INDEX derived_link_firm_id IF NOT EXISTS FOR (n:DerivedLink) ON (n.firmId);
CREATE INDEX derived_link_from_region IF NOT EXISTS FOR (n:DerivedLink) ON (n.fromRegion);
CREATE INDEX derived_link_to_region IF NOT EXISTS FOR (n:DerivedLink) ON (n.toRegion);
