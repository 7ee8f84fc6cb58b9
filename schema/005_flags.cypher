// Readers' flags (issue 18, neo4jdb/flags.go): (:Flag)-[:FLAGS]->(record). Flags are found by id, listed by
// status or by record newest first (by the seq of the change that recorded each), and counted per record.
CREATE CONSTRAINT flag_id IF NOT EXISTS FOR (n:Flag) REQUIRE n.id IS UNIQUE;
CREATE INDEX flag_status_seq IF NOT EXISTS FOR (n:Flag) ON (n.status, n.seq);
CREATE INDEX flag_record IF NOT EXISTS FOR (n:Flag) ON (n.recordId);
CREATE INDEX flag_seq IF NOT EXISTS FOR (n:Flag) ON (n.seq);
