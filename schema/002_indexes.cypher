// Range indexes for the filters planners use, and a full-text index for search. Idempotent (IF NOT EXISTS).

// Filters: segments by chain and stage; enterprises by tier; sites by kind and region; regions by level and
// province; bottlenecks by kind, category, status and severity; the origin marker that --prune and gen use.
CREATE INDEX segment_chain IF NOT EXISTS FOR (n:Segment) ON (n.chainMapId, n.order);
CREATE INDEX segment_stage IF NOT EXISTS FOR (n:Segment) ON (n.stage);
CREATE INDEX enterprise_role IF NOT EXISTS FOR (n:Enterprise) ON (n.chainRole);
CREATE INDEX enterprise_name IF NOT EXISTS FOR (n:Enterprise) ON (n.name);
CREATE INDEX enterprise_origin IF NOT EXISTS FOR (n:Enterprise) ON (n.origin);
CREATE INDEX site_kind IF NOT EXISTS FOR (n:Site) ON (n.kind);
CREATE INDEX site_region IF NOT EXISTS FOR (n:Site) ON (n.regionCode);
CREATE INDEX site_origin IF NOT EXISTS FOR (n:Site) ON (n.origin);
CREATE INDEX region_level IF NOT EXISTS FOR (n:Region) ON (n.level);
CREATE INDEX region_province IF NOT EXISTS FOR (n:Region) ON (n.province);
CREATE INDEX bottleneck_kind_status IF NOT EXISTS FOR (n:Bottleneck) ON (n.kind, n.status);
CREATE INDEX bottleneck_category IF NOT EXISTS FOR (n:Bottleneck) ON (n.category);
CREATE INDEX bottleneck_severity IF NOT EXISTS FOR (n:Bottleneck) ON (n.severity);
CREATE INDEX supplies_id IF NOT EXISTS FOR ()-[r:SUPPLIES]-() ON (r.id);
// TRANSFERS_TECH_TO ids: the index of the constraint transfer_id_unique (001_constraints.cypher).

// Full-text search over Chinese and English names, descriptions and aliases. The cjk analyzer splits Chinese
// text into bigrams, so 亿华通 and 燃料电池 match inside longer names.
CREATE FULLTEXT INDEX names IF NOT EXISTS
FOR (n:ChainMap|Segment|Enterprise|Institution|Park|Bottleneck|Region|Indicator)
ON EACH [n.name, n.nameZh, n.nameEn, n.aliasText, n.description]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
