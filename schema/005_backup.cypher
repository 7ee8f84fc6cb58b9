// Leases (neo4jdb/lease.go): named locks with an expiry for work one process at a time does, such as the
// scheduled dump. The constraint makes MERGE of a lease safe between replicas.
CREATE CONSTRAINT lease_name IF NOT EXISTS FOR (n:Lease) REQUIRE n.name IS UNIQUE;
