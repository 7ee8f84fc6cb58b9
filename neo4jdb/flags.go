package neo4jdb

import (
	"context"
	"errors"
	"fmt"

	"github.com/chainmap/chainmap"
)

// Readers' flags (issue 18). A flag is a node, (:Flag)-[:FLAGS]->(record), with who raised it, when, about
// which field, the reader's note and source, and how an editor settled it. Raising and settling a flag are
// each one write transaction that also writes the change log (kind FLAG); the flag keeps the seq of the entry
// that recorded it, which orders the list and tells an edit made after the flag from one made before.
//
// A flag's client (which address or token it came from) is kept for editors, who spot abuse by it; the change
// log, which more people read, leaves it out.

func init() {
	stateOf[chainmap.ChangeFlag] = `
OPTIONAL MATCH (f:Flag {id: $id})
RETURN CASE WHEN f IS NULL THEN null ELSE f {.id, .recordId, .recordKind, .field, .note, .sourceUrl, .by, .at, .status,
  .resolution, .resolutionNote, .editSeq, .resolvedBy, .resolvedAt} END AS state, coalesce(f.chainMapIds, []) AS maps`
}

// addFlagFields gives every flaggable kind its `flags` counts, and registers the kinds of flags. The kind
// table's init calls it once the kinds it extends are registered.
func addFlagFields() {
	for _, k := range chainmap.FlaggableKinds {
		kinds[k].fields["flags"] = field{rel: inline(chainmap.KindRecordFlags, nil)}
	}
	register(chainmap.KindRecordFlags, false, recordFlagsFrom, nil, map[string]field{
		"open":  {expr: "COUNT { (@n)<-[:FLAGS]-(:Flag {status: 'OPEN'}) }"},
		"total": {expr: "COUNT { (@n)<-[:FLAGS]-(:Flag) }"},
	})
	register(chainmap.KindFlag, true, flagFrom, func(f *chainmap.Flag) *chainmap.Related { return &f.Related },
		withValues(map[string]field{
			"record": {rel: &relation{kinds: chainmap.FlaggableKinds, bind: func(c *compiler, p scope, _ chainmap.FieldArgs) (string, scope, error) {
				s := scope{"n": p["n"], "x": c.fresh()}
				return s.fill("MATCH (@n)-[:FLAGS]->(@x)"), scope{"n": s["x"]}, nil
			}}},
			"chainMapIds": {expr: "coalesce(@n.chainMapIds, [])"},
		}, "id", "recordId", "recordKind", "field", "note", "sourceUrl", "by", "client", "at", "seq", "status",
			"resolution", "resolutionNote", "editSeq", "resolvedBy", "resolvedAt"))
}

// hasField reports whether the API's type for kind has the field: the kind table has a line for every field.
func hasField(kind chainmap.Kind, name string) bool {
	spec, ok := kinds[kind]
	if !ok {
		return false
	}
	_, ok = spec.fields[name]
	return ok
}

func recordFlagsFrom(m props) chainmap.RecordFlags {
	return chainmap.RecordFlags{Open: m.int("open"), Total: m.int("total")}
}

func flagFrom(m props) chainmap.Flag {
	return chainmap.Flag{ID: m.str("id"), RecordID: m.str("recordId"), RecordKind: chainmap.Kind(m.str("recordKind")),
		Field: m.str("field"), Note: m.str("note"), SourceURL: m.str("sourceUrl"), By: m.str("by"), Client: m.str("client"),
		At: m.str("at"), Seq: int64(m.int("seq")), Status: chainmap.FlagStatus(m.str("status")),
		Resolution: chainmap.FlagResolution(m.str("resolution")), ResolutionNote: m.str("resolutionNote"),
		EditSeq: int64(m.int("editSeq")), ResolvedBy: m.str("resolvedBy"), ResolvedAt: m.str("resolvedAt"),
		ChainMapIDs: m.strs("chainMapIds")}
}

// flagTarget locks the record a reader flags (its write lock, held to the end of the transaction: flags on one
// record queue here, so the cap on open flags holds when readers race) and says what it is: its kind, its open
// flags, the open flag this client already raised with the same field and note, and its chain maps.
const flagTarget = `
MATCH (r:Record {id: $recordId})
SET r._flagLock = true
REMOVE r._flagLock
RETURN [l IN labels(r) WHERE l IN $kinds][0] AS kind,
  COUNT { (r)<-[:FLAGS]-(:Flag {status: 'OPEN'}) } AS open,
  COLLECT { MATCH (r)<-[:FLAGS]-(f:Flag {status: 'OPEN', client: $client, note: $note})
    WHERE coalesce(f.field, '') = $field RETURN f.id }[0] AS same,
  CASE
    WHEN r:ChainMap THEN [r.id]
    WHEN r:Segment THEN [r.chainMapId]
    WHEN r:Enterprise OR r:Institution THEN COLLECT { MATCH (r)-[:ACTIVE_IN]->(s:Segment) RETURN DISTINCT s.chainMapId ORDER BY s.chainMapId }
    WHEN r:Bottleneck THEN COLLECT { MATCH (r)-[:CONSTRAINS]->(s:Segment) RETURN DISTINCT s.chainMapId ORDER BY s.chainMapId }
    WHEN r:Site THEN COLLECT { MATCH (r)<-[:OPERATES]-(:Enterprise)-[:ACTIVE_IN]->(s:Segment)
      RETURN DISTINCT s.chainMapId ORDER BY s.chainMapId }
    ELSE [] END AS maps`

const createFlag = `
MATCH (r:Record {id: $recordId})
CREATE (f:Flag {id: randomUUID(), recordId: r.id, recordKind: $kind, field: $field, note: $note, sourceUrl: $sourceUrl,
  by: $by, client: $client, at: toString(datetime.realtime()), status: 'OPEN', chainMapIds: $maps})-[:FLAGS]->(r)
RETURN f.id AS id`

const setFlagSeq = `MATCH (f:Flag {id: $id}) SET f.seq = $seq`

// FlagRecord records a reader's flag on a record and returns it (its id at least). The same open flag raised
// again by the same client (same record, field and note) is that flag, not a new one. It wraps
// chainmap.ErrNotFound when no record has the id; it is CONFLICT (on input.recordId) when the record has
// MaxOpenFlagsPerRecord open flags already, CONFLICT (on no field) when the wait for the record's lock was cut
// short by other readers' flags, and BAD_USER_INPUT (on input.field) when the record's kind has no such field.
func (db *DB) FlagRecord(ctx context.Context, f chainmap.NewFlag) (chainmap.Flag, error) {
	labels := make([]string, len(chainmap.FlaggableKinds))
	for i, k := range chainmap.FlaggableKinds {
		labels[i] = string(k)
	}
	out, err := db.inTx(ctx, "FlagRecord", func(run txRunner) (any, error) {
		recs, err := run(flagTarget, map[string]any{"recordId": f.RecordID, "kinds": labels, "client": f.Client, "note": f.Note,
			"field": f.Field})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, fmt.Errorf("record %q: %w", f.RecordID, &chainmap.Error{Code: chainmap.CodeNotFound,
				Field: "input.recordId", Message: fmt.Sprintf("no record has the id %q", f.RecordID)})
		}
		t := props(recs[0].AsMap())
		kind := chainmap.Kind(t.str("kind"))
		if same := t.str("same"); same != "" {
			return chainmap.Flag{ID: same}, nil
		}
		if f.Field != "" && !hasField(kind, f.Field) {
			return nil, chainmap.Invalid("input.field", "%s has no field %q", kind, f.Field)
		}
		if t.int("open") >= chainmap.MaxOpenFlagsPerRecord {
			return nil, chainmap.Conflict("input.recordId", "%q has %d open flags already: editors will look at them before more are taken",
				f.RecordID, t.int("open"))
		}
		recs, err = run(createFlag, map[string]any{"recordId": f.RecordID, "kind": string(kind), "field": nullable(f.Field),
			"note": f.Note, "sourceUrl": nullable(f.SourceURL), "by": f.By, "client": f.Client, "maps": t.strs("maps")})
		if err != nil {
			return nil, err
		}
		id := recs[0].Values[0].(string)
		c := newChange(chainmap.ChangeFlag, "flagRecord", id, f.By)
		if err := c.commit(run); err != nil {
			return nil, err
		}
		if _, err := run(setFlagSeq, map[string]any{"id": id, "seq": c.seq}); err != nil {
			return nil, err
		}
		return chainmap.Flag{ID: id}, nil
	})
	var e *chainmap.Error
	if errors.As(err, &e) && e == errRace {
		// Readers queue on the record's lock: one whose wait was cut short hears so in a reader's words.
		return chainmap.Flag{}, fmt.Errorf("FlagRecord: %w", chainmap.Conflict("", "other readers are flagging %q at the same moment: try again shortly", f.RecordID))
	}
	if err != nil {
		return chainmap.Flag{}, err
	}
	return out.(chainmap.Flag), nil
}

// lockFlag takes the flag's write lock before reading its status (settling is compare-and-set, like a
// bottleneck's status), and reads the change-log entry an EDITED resolution names, with the enterprise that
// operates the flagged record when it is a site (an upsert of the enterprise is what edits its sites).
const lockFlag = `
MATCH (f:Flag {id: $id})
SET f._lock = true
REMOVE f._lock
RETURN f.status AS status, f.recordId AS recordId, f.seq AS seq, f.resolvedBy AS resolvedBy, f.resolvedAt AS resolvedAt,
  COLLECT { MATCH (c:Change {seq: $editSeq}) RETURN c {.seq, .kind, .recordId, .operation} }[0] AS edit,
  COLLECT { MATCH (e:Enterprise)-[:OPERATES]->(:Site {id: f.recordId}) RETURN e.id }[0] AS operator`

const resolveFlag = `
MATCH (f:Flag {id: $id}) WHERE f.status = 'OPEN'
SET f.status = $status, f.resolution = $resolution, f.resolutionNote = $note, f.editSeq = $editSeq,
    f.resolvedBy = $by, f.resolvedAt = toString(datetime.realtime())
RETURN f.id AS id`

// ResolveFlag settles an open flag: EDITED names the change-log entry of the edit (made after the flag, to
// the flagged record — its operator's upsert for a site — or a load); REJECTED says why the record stands. It
// wraps chainmap.ErrNotFound when there is no such flag; a flag already settled is CONFLICT naming who
// settled it; an edit that is not in the log, came before the flag or changed another record is
// BAD_USER_INPUT on editSeq.
func (db *DB) ResolveFlag(ctx context.Context, in chainmap.FlagResolutionInput) (chainmap.Flag, error) {
	out, err := db.inTx(ctx, "ResolveFlag", func(run txRunner) (any, error) {
		recs, err := run(lockFlag, map[string]any{"id": in.ID, "editSeq": in.EditSeq})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, fmt.Errorf("flag %q: %w", in.ID, chainmap.ErrNotFound)
		}
		m := props(recs[0].AsMap())
		if st := m.str("status"); st != string(chainmap.FlagOpen) {
			return nil, chainmap.Conflict("id", "flag %q is %s already (by %s at %s)", in.ID, st, m.str("resolvedBy"), m.str("resolvedAt"))
		}
		if in.Resolution == chainmap.ResolveEdited {
			if err := checkEdit(m, in.EditSeq); err != nil {
				return nil, err
			}
		}
		c := newChange(chainmap.ChangeFlag, "resolveFlag", in.ID, in.By)
		if err := c.start(run); err != nil {
			return nil, err
		}
		recs, err = run(resolveFlag, map[string]any{"id": in.ID, "status": string(in.Resolution.Status()),
			"resolution": string(in.Resolution), "note": nullable(in.Note), "editSeq": nullable(in.EditSeq), "by": in.By})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 { // cannot happen under the lock; refuse rather than settle twice
			return nil, fmt.Errorf("flag %q changed under its lock: %w", in.ID, errRace)
		}
		if err := c.commit(run); err != nil {
			return nil, err
		}
		return chainmap.Flag{ID: in.ID}, nil
	})
	if err != nil {
		return chainmap.Flag{}, err
	}
	return out.(chainmap.Flag), nil
}

// checkEdit says whether the change-log entry seq can settle the flag read into m as EDITED.
func checkEdit(m props, seq int64) error {
	edit := m.sub("edit")
	record, kind := m.str("recordId"), chainmap.ChangeKind(edit.str("kind"))
	switch {
	case edit == nil:
		return chainmap.Invalid("editSeq", "the change log holds no change %d", seq)
	case int64(m.int("seq")) >= seq:
		return chainmap.Invalid("editSeq", "change %d was made before the flag (change %d): name the edit made after it", seq, m.int("seq"))
	case kind == chainmap.ChangeFlag:
		return chainmap.Invalid("editSeq", "change %d is a flag, not an edit", seq)
	case kind == chainmap.ChangeLoad, edit.str("recordId") == record,
		m.str("operator") != "" && edit.str("recordId") == m.str("operator"):
		return nil
	}
	return chainmap.Invalid("editSeq", "change %d (%s) changed %q, not the flagged record %q", seq, edit.str("operation"),
		edit.str("recordId"), record)
}

// flags is the list of flags, newest first (by the seq of the change that recorded each).
var flags = list{
	kind: chainmap.KindFlag, v: "f", id: "f.id", scope: scope{"n": "f"},
	anchors: []anchor{
		{"recordId", `MATCH (f:Flag {recordId: $recordId})`},
		{"status", `MATCH (f:Flag {status: $status})`},
		{"", `MATCH (f:Flag)`},
	},
	preds: map[string]string{
		"recordId":   `f.recordId = $recordId`,
		"status":     `f.status = $status`,
		"chainMapId": `$chainMapId IN f.chainMapIds`,
	},
	sortKeys: map[string]string{"SEQ": `f.seq`},
}

func flagConds(f chainmap.FlagFilter) []cond {
	return []cond{
		{"recordId", deref(f.RecordID), f.RecordID != nil},
		{"status", string(deref(f.Status)), f.Status != nil},
		{"chainMapId", deref(f.ChainMapID), f.ChainMapID != nil},
	}
}

// Flags returns a page of the flags of q, newest first, each read with req.Node, with the count of all that
// match when req.Count.
func (db *DB) Flags(ctx context.Context, q chainmap.FlagQuery, req chainmap.ListRequest) (chainmap.PageOf[any], error) {
	return db.page(ctx, "Flags", flags, flagConds(q.Filter), "SEQ", chainmap.Desc, q.Page, req)
}

const flagStats = `
MATCH (f:Flag) WHERE $chainMapId IS NULL OR $chainMapId IN f.chainMapIds
WITH collect(f) AS fs
RETURN size([f IN fs WHERE f.status = 'OPEN']) AS open, size([f IN fs WHERE f.status = 'RESOLVED']) AS resolved,
  size([f IN fs WHERE f.status = 'REJECTED']) AS rejected,
  toString(COLLECT { UNWIND fs AS f WITH f WHERE f.status = 'OPEN' RETURN datetime(f.at) AS at ORDER BY at LIMIT 1 }[0]) AS oldest,
  COLLECT { UNWIND fs AS f WITH f WHERE f.status = 'OPEN' WITH f.recordKind AS key, count(*) AS count
    RETURN {key: key, count: count} ORDER BY count DESC, key } AS byKind,
  COLLECT { UNWIND fs AS f WITH f WHERE f.status = 'OPEN' UNWIND f.chainMapIds AS key WITH key, count(*) AS count
    OPTIONAL MATCH (m:ChainMap {id: key}) RETURN {key: key, name: m.name, count: count} ORDER BY count DESC, key } AS byMap`

// FlagStats counts the flags (those on records of one chain map when chainMapID is not ""): by status, and the
// open ones by kind of record and by chain map, with when the oldest open flag was raised.
func (db *DB) FlagStats(ctx context.Context, chainMapID string) (chainmap.FlagStats, error) {
	res, err := db.read(ctx, "FlagStats", flagStats, map[string]any{"chainMapId": nullable(chainMapID)})
	if err != nil {
		return chainmap.FlagStats{}, err
	}
	m := props(res.Records[0].AsMap())
	return chainmap.FlagStats{Open: m.int("open"), Resolved: m.int("resolved"), Rejected: m.int("rejected"),
		OldestOpenAt: m.str("oldest"), OpenByKind: groupsFrom(m.list("byKind"), false),
		OpenByChainMap: groupsFrom(m.list("byMap"), false)}, nil
}
