// Labels as :Record (see record_id in 001) the nodes written before the label existed. Idempotent, and cheap
// once done (a label scan that finds nothing). If it fails with a constraint violation, two nodes of
// different kinds share an id: rename one of them (the error names the id) and migrate again.
MATCH (n:Source) WHERE NOT n:Record SET n:Record;
MATCH (n:ChainMap) WHERE NOT n:Record SET n:Record;
MATCH (n:Segment) WHERE NOT n:Record SET n:Record;
MATCH (n:Enterprise) WHERE NOT n:Record SET n:Record;
MATCH (n:Site) WHERE NOT n:Record SET n:Record;
MATCH (n:Institution) WHERE NOT n:Record SET n:Record;
MATCH (n:Park) WHERE NOT n:Record SET n:Record;
MATCH (n:Bottleneck) WHERE NOT n:Record SET n:Record;
MATCH (n:Indicator) WHERE NOT n:Record SET n:Record;

// chainmap gen writes each run under :SyntheticPending with a run id and publishes it in one transaction at
// the end (see neo4jdb/synthetic.go); this index makes the writes find the run's pending enterprises.
CREATE INDEX synthetic_pending_id IF NOT EXISTS FOR (n:SyntheticPending) ON (n.id);
CREATE INDEX synthetic_pending_run IF NOT EXISTS FOR (n:SyntheticPending) ON (n.run);
