// The change log (neo4jdb/changes.go): one :ChangeLog counter node and a :Change per change, numbered by seq.
// The constraint on the counter makes MERGE of it safe between replicas; the one on seq is the guard that no
// two changes share a number (and the index that reads the log in order and from a cursor).
CREATE CONSTRAINT changelog_id IF NOT EXISTS FOR (n:ChangeLog) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT change_seq IF NOT EXISTS FOR (n:Change) REQUIRE n.seq IS UNIQUE;
CREATE INDEX change_at IF NOT EXISTS FOR (n:Change) ON (n.at);
