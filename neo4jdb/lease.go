package neo4jdb

import (
	"context"
	"time"
)

// Leases are named locks in Neo4j with an expiry, for work that one process at a time should do across
// replicas (the scheduled dump). A holder takes a lease for a time and renews it while it works; if it dies,
// the lease expires and another process may take it. The time is the database server's, the same for every
// replica. A lease also remembers when its work was last done, so that replicas whose timers fire one after
// the other do the work once.

// acquireLease takes the lease's node lock first (SET, then read): two processes acquiring at once queue on
// it, and the second reads what the first wrote.
const acquireLease = `
MERGE (l:Lease {name: $name})
SET l._lock = true
REMOVE l._lock
WITH l, datetime.realtime() AS now
WITH l, now, (l.holder IS NULL OR l.holder = $holder OR l.expires < now)
  AND (l.lastDone IS NULL OR l.lastDone <= now - duration({milliseconds: $minGapMs})) AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
  SET l.holder = $holder, l.expires = now + duration({milliseconds: $ttlMs}), l.acquiredAt = now)
RETURN free AS acquired`

// AcquireLease takes the named lease for holder for ttl, unless another holder has it and it has not expired,
// or the lease's work was done less than minGap ago. It reports whether holder now has it.
func (db *DB) AcquireLease(ctx context.Context, name, holder string, ttl, minGap time.Duration) (bool, error) {
	res, err := db.write(ctx, "AcquireLease", acquireLease, map[string]any{"name": name, "holder": holder,
		"ttlMs": ttl.Milliseconds(), "minGapMs": minGap.Milliseconds()})
	if err != nil {
		return false, err
	}
	v, _ := res.Records[0].Get("acquired")
	return v == true, nil
}

const renewLease = `
MATCH (l:Lease {name: $name}) WHERE l.holder = $holder AND l.expires >= datetime.realtime()
SET l.expires = datetime.realtime() + duration({milliseconds: $ttlMs})
RETURN count(l) > 0 AS held`

// RenewLease extends holder's lease by ttl from now. It reports false when holder no longer has it (it
// expired, and maybe another holder took it): the holder must then stop its work.
func (db *DB) RenewLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	res, err := db.write(ctx, "RenewLease", renewLease, map[string]any{"name": name, "holder": holder, "ttlMs": ttl.Milliseconds()})
	if err != nil {
		return false, err
	}
	v, _ := res.Records[0].Get("held")
	return v == true, nil
}

const releaseLease = `
MATCH (l:Lease {name: $name}) WHERE l.holder = $holder
SET l.holder = null, l.expires = null, l.lastDone = CASE WHEN $done THEN datetime.realtime() ELSE l.lastDone END`

// ReleaseLease gives up holder's lease; done records that its work was done now.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string, done bool) error {
	_, err := db.write(ctx, "ReleaseLease", releaseLease, map[string]any{"name": name, "holder": holder, "done": done})
	return err
}
